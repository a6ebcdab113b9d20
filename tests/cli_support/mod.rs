//! Running the `presign` binary in tests: a temporary HOME, nothing else in
//! the environment.
// Each test crate uses only part of this module.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// AWS's documented example keys.
pub const EXAMPLE_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
pub const EXAMPLE_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

/// `~/.aws/credentials` of the profile tests.
pub const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = defaultsecret

[work]
aws_access_key_id = AKIDWORK
aws_secret_access_key = worksecret
aws_session_token = worktoken
";

/// `~/.aws/config` of the profile tests.
pub const CONFIG: &str = "\
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
pub struct Home(TempDir);

impl Home {
    pub fn empty() -> Self {
        Self(tempfile::tempdir().unwrap())
    }

    pub fn with_aws_files() -> Self {
        let home = Self::empty();
        std::fs::create_dir(home.path().join(".aws")).unwrap();
        std::fs::write(home.path().join(".aws/credentials"), CREDENTIALS).unwrap();
        std::fs::write(home.path().join(".aws/config"), CONFIG).unwrap();
        home
    }

    pub fn path(&self) -> &Path {
        self.0.path()
    }

    /// `presign` with only HOME (and PATH) in its environment.
    pub fn presign(&self) -> Command {
        let mut cmd = assert_cmd::cargo::cargo_bin_cmd!("presign");
        cmd.env_clear()
            .env("HOME", self.path())
            .env("PATH", std::env::var_os("PATH").unwrap_or_default());
        cmd
    }
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// Runs and expects success; returns the single line printed.
pub fn url(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    let out = stdout(&output);
    assert_eq!(out.lines().count(), 1, "{out}");
    out.trim_end().to_owned()
}

/// The decoded `X-Amz-Credential` of a URL: key id / date / region / s3 / aws4_request.
pub fn credential(url: &str) -> String {
    let start = url.find("X-Amz-Credential=").unwrap() + "X-Amz-Credential=".len();
    let raw = url[start..].split('&').next().unwrap();
    raw.replace("%2F", "/")
}

/// Runs and expects success; returns everything printed.
pub fn run_ok(cmd: &mut Command) -> String {
    let output = cmd.output().unwrap();
    assert!(output.status.success(), "{output:?}");
    stdout(&output)
}

/// Runs `command` with a real POSIX shell whose only `curl` is a stand-in
/// that prints its arguments one per line: the words curl would get.
pub fn curl_words(home: &Home, command: &str) -> Vec<String> {
    let bin = fake_curl(home);
    let output = std::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .env_clear()
        .env("PATH", &bin)
        .env("HOME", "/should-not-expand")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(command.split_whitespace().next(), Some("curl"), "{command}");
    stdout(&output).lines().map(str::to_owned).collect()
}

/// `HOME/bin/curl`, printing its arguments; returns `HOME/bin`.
fn fake_curl(home: &Home) -> PathBuf {
    let bin = home.path().join("bin");
    let curl = bin.join("curl");
    if !curl.exists() {
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(&curl, "#!/bin/sh\nprintf '%s\\n' \"$@\"\n").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&curl, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }
    bin
}
