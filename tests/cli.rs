//! The `presign` binary, run as a user would: a temporary HOME with
//! `~/.aws/credentials` and `~/.aws/config`, nothing else in the environment.
//! URLs are compared with independent references (the AWS documentation's
//! examples); `tests/cli_vectors.rs` replays the reference vectors.
#![cfg(feature = "cli")]

mod cli_support;

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cli_support::{
    CONFIG, CREDENTIALS, EXAMPLE_KEY_ID, EXAMPLE_SECRET, Home, credential, curl_words, run_ok,
    stderr, stdout, url,
};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

/// "Authenticating Requests: Using Query Parameters (AWS Signature Version
/// 4)", Amazon S3 API Reference: the example URL for `examplebucket/test.txt`
/// signed on 2013-05-24 for 86400 s with the example keys.
const AWS_DOC_URL: &str = "https://examplebucket.s3.amazonaws.com/test.txt\
?X-Amz-Algorithm=AWS4-HMAC-SHA256\
&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";

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

/// Each `(arguments, part of the message)` exits 2 with that message on
/// stderr and prints nothing on stdout.
fn expect_exit_2(cases: &[(&[&str], &str)]) {
    let home = Home::empty();
    for (args, needle) in cases {
        let output = home
            .presign()
            .env("AWS_ACCESS_KEY_ID", "AKID")
            .env("AWS_SECRET_ACCESS_KEY", "secret")
            .args(*args)
            .output()
            .unwrap();
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
fn invalid_input_exits_2_with_the_library_error() {
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
    expect_exit_2(cases);
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

    assert_eq!(
        curl_words(&home, &command),
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

/// "Signing and Authenticating REST Requests" (Amazon S3, Signature Version
/// 2), query string example: `photos/puppy.jpg` in `johnsmith`, expiring at
/// 1175139620 (2007-03-29T03:40:20Z), signed with the example keys.
#[test]
fn sigv2_aws_documentation_example() {
    let mut cmd = Home::empty().presign();
    cmd.env("AWS_ACCESS_KEY_ID", EXAMPLE_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", EXAMPLE_SECRET)
        .args(["s3://johnsmith/photos/puppy.jpg", "--sigv2"])
        .args(["--at", "2007-03-29T02:40:20Z", "--expires-in", "3600"]);
    assert_eq!(
        url(&mut cmd),
        "https://johnsmith.s3.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE\
         &Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620"
    );
}

/// The TOS documentation's presigned URL example (testAK/testSK,
/// `examplebucket/exampleobject` in cn-beijing, 2022-01-01, one day).
#[test]
fn tos_documentation_example() {
    let mut cmd = Home::empty().presign();
    cmd.env("AWS_ACCESS_KEY_ID", "testAK")
        .env("AWS_SECRET_ACCESS_KEY", "testSK")
        .args(["s3://examplebucket/exampleobject", "--provider", "tos"])
        .args(["--region", "cn-beijing", "--at", "2022-01-01T00:00:00Z"])
        .args(["--expires-in", "86400"]);
    assert_eq!(
        url(&mut cmd),
        "https://examplebucket.tos-cn-beijing.volces.com/exampleobject\
         ?X-Tos-Algorithm=TOS4-HMAC-SHA256\
         &X-Tos-Credential=testAK%2F20220101%2Fcn-beijing%2Ftos%2Frequest\
         &X-Tos-Date=20220101T000000Z&X-Tos-Expires=86400&X-Tos-SignedHeaders=host\
         &X-Tos-Signature=353aa55583eceb222aad4bdcb70d4045a202a4af9a3096f25a656b82c8ec2f56"
    );
}

#[test]
fn gcs_defaults_to_its_endpoint_and_the_auto_region() {
    let got = url(Home::empty()
        .presign()
        .env("AWS_ACCESS_KEY_ID", "GOOG1EXAMPLE")
        .env("AWS_SECRET_ACCESS_KEY", "secret")
        .args(["s3://bucket/key", "--provider", "gcs"]));
    assert!(
        got.starts_with(
            "https://storage.googleapis.com/bucket/key?X-Goog-Algorithm=GOOG4-HMAC-SHA256&"
        ),
        "{got}"
    );
    assert!(got.contains("%2Fauto%2Fstorage%2Fgoog4_request&"), "{got}");
}

fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// The POST form as JSON: the policy holds exactly the conditions asked
/// for, and its signature, recomputed here from the specification
/// ("Calculating a Signature": the SigV4 signing key, then HMAC-SHA256 of the
/// base64 policy), is the one in the form.
#[test]
fn post_form_json_v4() {
    let mut cmd = Home::empty().presign();
    cmd.env("AWS_ACCESS_KEY_ID", EXAMPLE_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", EXAMPLE_SECRET)
        .env("AWS_SESSION_TOKEN", "token/+=")
        .args([
            "post",
            "s3://my-bucket/uploads/",
            "--content-length-range",
            "1024:512000",
        ])
        .args([
            "--field",
            "acl=public-read",
            "--starts-with",
            "Content-Type=image/",
        ])
        .args(["--form-field", "Content-Type=image/png"])
        .args(["--at", "2026-01-31T12:00:00Z", "--expires-in", "600"]);
    let form: Value = serde_json::from_str(&run_ok(&mut cmd)).unwrap();
    assert_eq!(form["url"], "https://my-bucket.s3.amazonaws.com/");
    let fields = form["fields"].as_object().unwrap();
    let field = |name: &str| fields[name].as_str().unwrap();
    assert_eq!(field("acl"), "public-read");
    assert_eq!(field("Content-Type"), "image/png");
    assert_eq!(field("key"), "uploads/${filename}");
    assert_eq!(field("x-amz-algorithm"), "AWS4-HMAC-SHA256");
    let scope = "20260131/us-east-1/s3/aws4_request";
    assert_eq!(
        field("x-amz-credential"),
        format!("{EXAMPLE_KEY_ID}/{scope}")
    );
    assert_eq!(field("x-amz-date"), "20260131T120000Z");
    assert_eq!(field("x-amz-security-token"), "token/+=");

    let policy: Value = serde_json::from_slice(&STANDARD.decode(field("policy")).unwrap()).unwrap();
    assert_eq!(policy["expiration"], "2026-01-31T12:10:00Z");
    let mut conditions = policy["conditions"].as_array().unwrap().clone();
    let mut expected = vec![
        json!({"acl": "public-read"}),
        json!(["starts-with", "$Content-Type", "image/"]),
        json!(["content-length-range", 1024, 512000]),
        json!({"bucket": "my-bucket"}),
        json!(["starts-with", "$key", "uploads/"]),
        json!({"x-amz-algorithm": "AWS4-HMAC-SHA256"}),
        json!({"x-amz-credential": format!("{EXAMPLE_KEY_ID}/{scope}")}),
        json!({"x-amz-date": "20260131T120000Z"}),
        json!({"x-amz-security-token": "token/+="}),
    ];
    let by_text = |a: &Value, b: &Value| a.to_string().cmp(&b.to_string());
    conditions.sort_by(by_text);
    expected.sort_by(by_text);
    assert_eq!(conditions, expected);

    let mut key = format!("AWS4{EXAMPLE_SECRET}").into_bytes();
    for part in ["20260131", "us-east-1", "s3", "aws4_request"] {
        key = hmac_sha256(&key, part.as_bytes());
    }
    let signature = hex::encode(hmac_sha256(&key, field("policy").as_bytes()));
    assert_eq!(field("x-amz-signature"), signature);
}

/// The legacy form: `AWSAccessKeyId`, `policy` and `signature`, the
/// base64 HMAC-SHA1 of the base64 policy ("Browser-Based Uploads Using POST
/// (AWS Signature Version 2)"), recomputed here.
#[test]
fn post_form_json_v2() {
    let mut cmd = Home::empty().presign();
    cmd.env("AWS_ACCESS_KEY_ID", EXAMPLE_KEY_ID)
        .env("AWS_SECRET_ACCESS_KEY", EXAMPLE_SECRET)
        .args([
            "post",
            "s3://my-bucket/fixed/key.txt",
            "--sigv2",
            "--path-style",
        ])
        .args(["--at", "2026-01-31T12:00:00Z"]);
    let form: Value = serde_json::from_str(&run_ok(&mut cmd)).unwrap();
    assert_eq!(form["url"], "https://s3.amazonaws.com/my-bucket");
    let fields = form["fields"].as_object().unwrap();
    let names: Vec<&str> = fields.keys().map(String::as_str).collect();
    assert_eq!(names.len(), 4);
    for name in ["key", "AWSAccessKeyId", "policy", "signature"] {
        assert!(names.contains(&name), "{names:?}");
    }
    assert_eq!(fields["key"], "fixed/key.txt");
    let policy_b64 = fields["policy"].as_str().unwrap();
    let policy: Value = serde_json::from_slice(&STANDARD.decode(policy_b64).unwrap()).unwrap();
    assert_eq!(policy["expiration"], "2026-01-31T13:00:00Z");
    assert!(
        policy["conditions"]
            .as_array()
            .unwrap()
            .contains(&json!({"key": "fixed/key.txt"}))
    );
    let mut mac = <Hmac<sha1::Sha1> as KeyInit>::new_from_slice(EXAMPLE_SECRET.as_bytes()).unwrap();
    mac.update(policy_b64.as_bytes());
    assert_eq!(
        fields["signature"],
        STANDARD.encode(mac.finalize().into_bytes())
    );
}

#[test]
fn post_form_html() {
    let home = Home::with_aws_files();
    let mut cmd = home.presign();
    cmd.args(["post", "s3://my-bucket/in/", "--format", "html"])
        .args(["--field", "x-amz-meta-note=<\"it's\">&"]);
    let html = run_ok(&mut cmd);
    assert!(
        html.starts_with(
            "<form action=\"https://my-bucket.s3.eu-west-3.amazonaws.com/\" method=\"post\" enctype=\"multipart/form-data\">\n"
        ),
        "{html}"
    );
    assert!(
        html.contains("name=\"x-amz-meta-note\" value=\"&lt;&quot;it&#39;s&quot;&gt;&amp;\">"),
        "{html}"
    );
    // The file is the last field; the form ends there.
    assert!(html.ends_with("<input type=\"file\" name=\"file\">\n  <button type=\"submit\">Upload</button>\n</form>\n"), "{html}");
}

/// The curl command for a POST form, run by a real shell with a stand-in
/// curl: every field goes literally with --form-string, in the form's order,
/// and the file last, quoted for curl's -F syntax.
#[test]
fn post_form_curl() {
    let home = Home::with_aws_files();
    let args = [
        "post",
        "s3://my-bucket/in/",
        "--field",
        "x-amz-meta-x=@not-a-file;type=x",
    ]
    .into_iter()
    .chain(["--at", "2026-01-31T12:00:00Z"]);
    let json = run_ok(home.presign().args(args.clone()));
    let form: Value = serde_json::from_str(&json).unwrap();
    let file = "my \"cat\";\\photo.png";
    let command = url(home.presign().args(args).args(["--upload-file", file]));
    let words = curl_words(&home, &command);
    let (pairs, tail) = words[1..].split_at(words.len() - 4);
    assert_eq!(words[0], "--fail-with-body");
    let mut posted: Vec<&str> = pairs
        .chunks(2)
        .map(|pair| {
            assert_eq!(pair[0], "--form-string", "{words:?}");
            pair[1].as_str()
        })
        .collect();
    let mut expected: Vec<String> = form["fields"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, value)| format!("{name}={}", value.as_str().unwrap()))
        .collect();
    posted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(posted, expected);
    // The file last, in curl's quoted form: '"' and '\\' escaped.
    assert_eq!(
        tail,
        [
            "-F",
            "file=@\"my \\\"cat\\\";\\\\photo.png\"",
            form["url"].as_str().unwrap()
        ]
    );
}

#[test]
fn bad_input_exits_2_for_sigv2_providers_and_forms() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["s3://b/k", "--sigv2", "--header", "Range: bytes=0-1"],
            "\"range\"",
        ),
        (
            &["s3://bucket/key", "--provider", "tos"],
            "no region: pass --region",
        ),
        (
            &[
                "s3://bucket/key",
                "--provider",
                "tos",
                "--region",
                "cn-beijing",
                "--path-style",
            ],
            "path style",
        ),
        (
            &["s3://bucket/key", "--provider", "gcs", "--sigv2"],
            "SigV2",
        ),
        (&["s3://bucket/key", "--provider", "s4"], "possible values"),
        (
            &["post", "s3://b/", "--content-length-range", "10:5"],
            "content-length-range",
        ),
        (
            &["post", "s3://b/", "--content-length-range", "10"],
            "MIN:MAX",
        ),
        (&["post", "s3://b/", "--field", "acl"], "NAME=VALUE"),
        (
            &["post", "s3://b/", "--format", "curl"],
            "--upload-file FILE",
        ),
        (
            &["post", "s3://b/", "--format", "html", "--upload-file", "f"],
            "--format curl",
        ),
        (&["post", "s3://b/", "--field", "policy=x"], "\"policy\""),
        (
            &["post", "s3://b/", "--method", "PUT"],
            "unexpected argument",
        ),
    ];
    expect_exit_2(cases);
}
