//! The `presign` binary, run as a user would: a temporary HOME with
//! `~/.aws/credentials` and `~/.aws/config`, nothing else in the environment.
//! URLs are compared with independent references: the AWS documentation's
//! example and botocore's vectors (`tests/vectors/sigv4.json`).
#![cfg(feature = "cli")]

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde::Deserialize;
use tempfile::TempDir;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// AWS's documented example keys.
const EXAMPLE_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
const EXAMPLE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// "Authenticating Requests: Using Query Parameters (AWS Signature Version
/// 4)", Amazon S3 API Reference: the example URL for `examplebucket/test.txt`
/// signed on 2013-05-24 for 86400 s with the example keys.
const AWS_DOC_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt\
?X-Amz-Algorithm=AWS4-HMAC-SHA256\
&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = defaultsecret

[work]
aws_access_key_id = AKIDWORK
aws_secret_access_key = worksecret
aws_session_token = worktoken
";

const CONFIG: &str = "\
[default]
region = eu-west-3

[profile work]
region = ap-south-1
endpoint_url = https://objects.work.example:8443/s3

[profile minio]
aws_access_key_id = AKIDMINIO
aws_secret_access_key = miniosecret
endpoint_url = http://127.0.0.1:9000
s3 =
    addressing_style = path
";

/// An empty temporary HOME; `with_aws_files` adds `~/.aws/*`.
struct Home(TempDir);

impl Home {
    fn empty() -> Self {
        Self(tempfile::tempdir().unwrap())
    }

    fn with_aws_files() -> Self {
        let home = Self::empty();
        std::fs::create_dir(home.path().join(".aws")).unwrap();
        std::fs::write(home.path().join(".aws/credentials"), CREDENTIALS).unwrap();
        std::fs::write(home.path().join(".aws/config"), CONFIG).unwrap();
        home
    }

    fn path(&self) -> &Path {
        self.0.path()
    }

    /// `presign` with only HOME (and PATH) in its environment.
    fn presign(&self) -> Command {
        let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("presign");
        cmd.env_clear()
            .env("HOME", self.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd
    }
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Runs and expects success; returns the single line printed.
fn url(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let out = stdout(&output);
    assert_eq!(out.lines().count(), 1, "{out}");
    out.trim_end().to_owned()
}

/// The decoded `X-Amz-Credential` of a URL: key id / date / region / s3 / aws4_request.
fn credential(url: &str) -> String {
    let start = url.find("X-Amz-Credential=").unwrap() + "X-Amz-Credential=".len();
    let raw = url[start..].split('&').next().unwrap();
    raw.replace("%2F", "/")
}

/// The URL is signed with `key_id` for `region`.
#[track_caller]
fn assert_signed_by(url: &str, key_id: &str, region: &str) {
    let scope = credential(url);
    assert!(
        scope.starts_with(&format!("{key_id}/"))
            && scope.ends_with(&format!("/{region}/s3/aws4_request")),
        "{url}"
    );
}

#[test]
fn aws_documentation_example() {
    let mut cmd = Home::empty().presign();
    cmd.env("AWS_ACCESS_KEY_ID", EXAMPLE_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", EXAMPLE_SECRET)
        .args([
            "s3://examplebucket/test.txt",
            "--at",
            "2013-05-24T00:00:00Z",
        ])
        .args(["--expires-in", "86400"]);
    assert_eq!(url(&mut cmd), AWS_DOC_URL);
    // The same instant in another offset signs the same URL.
    let mut cmd = Home::empty().presign();
    cmd.env("AWS_ACCESS_KEY_ID", EXAMPLE_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", EXAMPLE_SECRET)
        .args([
            "s3://examplebucket/test.txt",
            "--at",
            "2013-05-23T19:00:00-05:00",
        ])
        .args([
            "--expires-in=86400",
            "--region",
            "us-east-1",
            "--method",
            "get",
        ]);
    assert_eq!(url(&mut cmd), AWS_DOC_URL);
}

#[test]
fn default_profile_from_the_shared_files() {
    let home = Home::with_aws_files();
    let url = url(home.presign().arg("s3://bucket/key"));
    assert!(
        url.starts_with("https://bucket.s3.eu-west-3.amazonaws.com/key?"),
        "{url}"
    );
    assert_signed_by(&url, "AKIDDEFAULT", "eu-west-3");
    assert!(!url.contains("X-Amz-Security-Token"), "{url}");
}

#[test]
fn profile_flag_and_aws_profile_select_the_profile() {
    let home = Home::with_aws_files();
    for cmd in [
        home.presign()
            .args(["s3://bucket/key", "--profile", "work"]),
        home.presign()
            .arg("s3://bucket/key")
            .env("AWS_PROFILE", "work"),
    ] {
        let url = url(cmd);
        // Region and endpoint come from the config file, keys and token from
        // the credentials file.
        assert!(
            url.starts_with("https://objects.work.example:8443/s3/bucket/key?"),
            "{url}"
        );
        assert_signed_by(&url, "AKIDWORK", "ap-south-1");
        assert!(url.contains("X-Amz-Security-Token=worktoken"), "{url}");
    }
}

#[test]
fn keys_endpoint_and_addressing_style_from_the_config_file() {
    let home = Home::with_aws_files();
    let url = url(home
        .presign()
        .args(["s3://bucket/key", "--profile", "minio"]));
    assert!(
        url.starts_with("http://127.0.0.1:9000/bucket/key?"),
        "{url}"
    );
    assert_signed_by(&url, "AKIDMINIO", "us-east-1");
}

#[test]
fn flags_beat_environment_beats_profile() {
    let home = Home::with_aws_files();
    let mut cmd = home.presign();
    cmd.arg("s3://bucket/key")
        .env("AWS_PROFILE", "work")
        .env("AWS_REGION", "us-west-2")
        .env("AWS_ENDPOINT_URL", "https://env.example");
    let got = url(&mut cmd);
    assert!(got.starts_with("https://env.example/bucket/key?"), "{got}");
    assert_signed_by(&got, "AKIDWORK", "us-west-2");
    cmd.args([
        "--region",
        "sa-east-1",
        "--endpoint-url",
        "https://flag.example",
    ]);
    let got = url(&mut cmd);
    assert!(got.starts_with("https://flag.example/bucket/key?"), "{got}");
    assert_signed_by(&got, "AKIDWORK", "sa-east-1");
}

#[test]
fn environment_keys_beat_aws_profile_but_not_the_profile_flag() {
    let home = Home::with_aws_files();
    let with_env_keys = |cmd: &mut Command| {
        cmd.env("AWS_ACCESS_KEY_ID", "AKIDENV")
            .env("AWS_SECRET_ACCESS_KEY", "envsecret")
            .arg("s3://bucket/key");
    };
    let mut cmd = home.presign();
    with_env_keys(&mut cmd);
    cmd.env("AWS_PROFILE", "work");
    let got = url(&mut cmd);
    // Keys from the environment, the region still from AWS_PROFILE's profile.
    assert_signed_by(&got, "AKIDENV", "ap-south-1");
    assert!(!got.contains("X-Amz-Security-Token"), "{got}");
    let mut cmd = home.presign();
    with_env_keys(&mut cmd);
    cmd.args(["--profile", "work"]);
    let got = url(&mut cmd);
    assert_signed_by(&got, "AKIDWORK", "ap-south-1");
}

#[test]
fn shared_file_variables_point_elsewhere() {
    let home = Home::empty();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("creds"), CREDENTIALS).unwrap();
    std::fs::write(dir.path().join("conf"), CONFIG).unwrap();
    let got = url(home
        .presign()
        .env("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("creds"))
        .env("AWS_CONFIG_FILE", dir.path().join("conf"))
        .args(["s3://bucket/key", "--profile", "work"]));
    assert_signed_by(&got, "AKIDWORK", "ap-south-1");
}

#[test]
fn missing_credentials_say_what_to_set() {
    let output = Home::empty()
        .presign()
        .arg("s3://bucket/key")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    for needle in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        ".aws/credentials",
        "--profile",
    ] {
        assert!(err.contains(needle), "{needle} not in {err}");
    }
}

#[test]
fn unknown_profile_is_reported() {
    let output = Home::with_aws_files()
        .presign()
        .args(["s3://bucket/key", "--profile", "nope"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    assert!(stderr(&output).contains("\"nope\""), "{output:?}");
}

#[test]
fn invalid_input_exits_2_with_the_library_error() {
    let home = Home::with_aws_files();
    let cases: &[(&[&str], &str)] = &[
        (
            &["s3://bucket/key", "--expires-in", "604801"],
            "604800 s (7 days)",
        ),
        (
            &["s3://bucket/key", "--header", "bad name: x"],
            "invalid header name \"bad name\"",
        ),
        (
            &["s3://bucket/key", "--header", "host: x"],
            "the host header is signed from the URL",
        ),
        (
            &["s3://bucket/key", "--query", "X-Amz-Signature=x"],
            "is written by the signer",
        ),
        (
            &["s3://bucket/key", "--region", "eu west"],
            "invalid region \"eu west\"",
        ),
        (
            &["s3://bucket/key", "--endpoint-url", "ftp://x"],
            "invalid endpoint \"ftp://x\"",
        ),
        (
            &["s3://my_bucket/key", "--virtual-hosted"],
            "invalid bucket name \"my_bucket\"",
        ),
        (&["s3:///key"], "invalid bucket name \"\""),
        (
            &["s3://bucket/key", "--method", "PUT", "--curl"],
            "--upload-file FILE",
        ),
        // Parse errors, reported by the argument parser, exit 2 as well.
        (&["https://bucket/key"], "s3://BUCKET/KEY"),
        (&["s3://bucket/key", "--at", "2013-05-24"], "RFC 3339"),
        (&["s3://bucket/key", "--header", "novalue"], "NAME:VALUE"),
        (&["s3://bucket/key", "--method", "PATCH"], "possible values"),
        (
            &["s3://bucket/key", "--path-style", "--virtual-hosted"],
            "cannot be used with",
        ),
        (
            &["s3://bucket/key", "--expires-in", "soon"],
            "invalid digit",
        ),
    ];
    for (args, needle) in cases {
        let output = home.presign().args(*args).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}: {output:?}");
        assert!(output.stdout.is_empty(), "{args:?}: {output:?}");
        assert!(
            stderr(&output).contains(needle),
            "{args:?}: {needle:?} not in {}",
            stderr(&output)
        );
    }
}

#[test]
fn help_has_examples() {
    let output = Home::empty().presign().arg("--help").output().unwrap();
    assert!(output.status.success());
    let help = stdout(&output);
    for needle in [
        "Examples:",
        "presign s3://",
        "--upload-file",
        "AWS_PROFILE",
        "Exit status",
    ] {
        assert!(help.contains(needle), "{needle} not in {help}");
    }
}

/// The curl command, run by a real POSIX shell with a stand-in `curl` that
/// prints its arguments one per line: the words arrive exactly as intended,
/// whatever quotes and `$` the file name, key and header values hold.
#[test]
fn curl_command_survives_the_shell() {
    let home = Home::with_aws_files();
    let bin = home.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    let fake_curl = bin.join("curl");
    std::fs::write(&fake_curl, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake_curl, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let file = "it's a \"file\" $HOME `pwd`.bin";
    let mut cmd = home.presign();
    cmd.args(["s3://bucket/dir/it's $x.bin", "--upload-file", file])
        .args(["--header", "x-amz-meta-note: it's \"quoted\" & $(echo no)"])
        .args(["--header", "Content-Type: text/plain"])
        .args(["--at", "2024-01-02T03:04:05Z"]);
    let command = url(&mut cmd);
    assert!(
        command.starts_with("curl --fail-with-body --upload-file "),
        "{command}"
    );

    // The URL is the one presign prints without --curl, for the same inputs.
    let mut plain = home.presign();
    plain
        .args(["s3://bucket/dir/it's $x.bin", "--method", "PUT"])
        .args(["--header", "x-amz-meta-note: it's \"quoted\" & $(echo no)"])
        .args(["--header", "Content-Type: text/plain"])
        .args(["--at", "2024-01-02T03:04:05Z"]);
    let plain_url = url(&mut plain);
    assert!(plain_url.contains("X-Amz-SignedHeaders=content-type%3Bhost%3Bx-amz-meta-note"));

    let output = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(&command)
        .env("PATH", &bin)
        .env("HOME", "/should-not-expand")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let words: Vec<&str> = std::str::from_utf8(&output.stdout)
        .unwrap()
        .lines()
        .collect();
    assert_eq!(
        words,
        [
            "--fail-with-body",
            "--upload-file",
            file,
            "-H",
            "content-type: text/plain",
            "-H",
            "x-amz-meta-note: it's \"quoted\" & $(echo no)",
            plain_url.as_str(),
        ]
    );
}

#[derive(Deserialize)]
struct VectorFile {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    access_key: String,
    secret_key: String,
    session_token: Option<String>,
    region: String,
    endpoint: Option<String>,
    url_style: String,
    method: String,
    bucket: String,
    key: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    expires_in: u64,
    signed_at: i64,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    path: String,
    signature: String,
}

/// Every botocore vector whose inputs the command line can express, through
/// the binary: same signature and same path as botocore's.
#[test]
fn botocore_vectors_through_the_command_line() {
    let file: VectorFile = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/vectors/sigv4.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let home = Home::empty();
    let (mut replayed, mut failures) = (0, Vec::new());
    for case in &file.cases {
        // `--query NAME=VALUE` splits at the first '='.
        if case.query.iter().any(|(name, _)| name.contains('=')) {
            continue;
        }
        let mut cmd = home.presign();
        cmd.env("AWS_ACCESS_KEY_ID", &case.access_key)
            .env("AWS_SECRET_ACCESS_KEY", &case.secret_key)
            .arg(format!("s3://{}/{}", case.bucket, case.key))
            .args(["--method", &case.method, "--region", &case.region])
            .args(["--expires-in", &case.expires_in.to_string()]);
        let at = OffsetDateTime::from_unix_timestamp(case.signed_at).unwrap();
        cmd.args(["--at", &at.format(&Rfc3339).unwrap()]);
        if let Some(token) = &case.session_token {
            cmd.env("AWS_SESSION_TOKEN", token);
        }
        if let Some(endpoint) = &case.endpoint {
            cmd.args(["--endpoint-url", endpoint]);
        }
        match case.url_style.as_str() {
            "path" => {
                cmd.arg("--path-style");
            }
            "virtual_hosted" => {
                cmd.arg("--virtual-hosted");
            }
            "auto" => {}
            other => panic!("unknown url_style {other:?} in the vectors"),
        }
        for (name, value) in &case.query {
            cmd.args(["--query", &format!("{name}={value}")]);
        }
        for (name, value) in &case.headers {
            cmd.args(["--header", &format!("{name}:{value}")]);
        }
        let output = cmd.output().unwrap();
        replayed += 1;
        let got = stdout(&output);
        let got = got.trim_end();
        let signature = got.rsplit_once("X-Amz-Signature=").map(|(_, s)| s);
        let path = got
            .split_once("://")
            .and_then(|(_, rest)| rest.find('/').map(|i| &rest[i..]))
            .and_then(|p| p.split_once('?'))
            .map(|(p, _)| p);
        if !output.status.success()
            || signature != Some(case.expected.signature.as_str())
            || path != Some(case.expected.path.as_str())
        {
            failures.push(format!("{}: {output:?}", case.name));
        }
    }
    assert!(replayed >= 200, "only {replayed} vectors replayed");
    assert!(
        failures.is_empty(),
        "{} of {replayed} differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
