//! The `presign` command-line tool against s3s-fs, which verifies
//! signatures: the `curl` commands it prints, run by a real shell with the
//! real curl, upload (PUT and a POST form) and download.
//!
//! The binary is the one the workspace build made beside this test
//! (`cargo test --workspace --all-features`, the README's test command,
//! builds it with the `cli` feature).

use std::path::{Path, PathBuf};
use std::process::Output;

use presign_e2e::{ACCESS_KEY, REGION, SECRET_KEY, Server};

const BUCKET: &str = "e2e-bucket";

/// `target/<profile>/presign`, next to this test's `deps/` directory.
fn presign_bin() -> PathBuf {
    let exe = std::env::current_exe().expect("the test's own path");
    let dir = exe
        .parent()
        .and_then(Path::parent)
        .expect("tests run from target/<profile>/deps");
    let bin = dir.join(format!("presign{}", std::env::consts::EXE_SUFFIX));
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build --features cli` \
         (`cargo test --workspace --all-features` does)",
        bin.display()
    );
    bin
}

/// Runs `presign args…` with the server's keys and nothing else in the
/// environment; returns what it printed.
async fn presign(home: &Path, args: &[&str]) -> String {
    let output = tokio::process::Command::new(presign_bin())
        .args(args)
        .env_clear()
        .env("HOME", home)
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .env("AWS_REGION", REGION)
        .output()
        .await
        .expect("run presign");
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Runs `command` with `/bin/sh` in `dir`, as a user pasting it would
/// (without blocking the runtime the server runs on).
async fn sh_output(dir: &Path, command: &str) -> Output {
    tokio::process::Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .current_dir(dir)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .output()
        .await
        .expect("run /bin/sh")
}

/// [`sh_output`], expecting success; returns curl's output.
async fn sh(dir: &Path, command: &str) -> Vec<u8> {
    let output = sh_output(dir, command).await;
    assert!(output.status.success(), "{command}\n{output:?}");
    output.stdout
}

#[tokio::test]
async fn printed_curl_commands_upload_and_download() {
    let server = Server::start(&[BUCKET]).await.expect("start s3s-fs");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file_name = "it's a \"report\" $HOME.txt";
    let content = b"uploaded by the curl command presign printed\n";
    std::fs::write(dir.path().join(file_name), content).expect("write the file");
    let key = "reports/2026 q3/it's $x.txt";
    let uri = format!("s3://{BUCKET}/{key}");
    let endpoint = server.endpoint();

    let put = presign(
        dir.path(),
        &[
            &uri,
            "--endpoint-url",
            &endpoint,
            "--upload-file",
            file_name,
            "--header",
            "Content-Type: text/plain",
            "--header",
            "x-amz-meta-note: it's \"signed\"",
        ],
    )
    .await;
    sh(dir.path(), put.trim_end()).await;
    assert_eq!(
        std::fs::read(server.object_path(BUCKET, key)).expect("the uploaded object"),
        content
    );

    let get = presign(dir.path(), &[&uri, "--endpoint-url", &endpoint, "--curl"]).await;
    assert_eq!(sh(dir.path(), get.trim_end()).await, content);
}

/// `presign post … --upload-file`: the printed `curl -F` command posts the
/// form, and s3s-fs, which checks the policy's signature and conditions,
/// stores the file under the form's key.
///
/// An exact key, not `s3://bucket/prefix/`: s3s-fs 0.14.1 stores a
/// `…/${filename}` key literally instead of substituting the file's name.
#[tokio::test]
async fn printed_post_form_curl_command_uploads() {
    let server = Server::start(&[BUCKET]).await.expect("start s3s-fs");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file_name = "cat; \"the\" $HOME.png";
    let content = b"\x89PNG not really";
    std::fs::write(dir.path().join(file_name), content).expect("write the file");
    let key = "uploads/it's a cat.png";
    let uri = format!("s3://{BUCKET}/{key}");
    let endpoint = server.endpoint();
    let post = presign(
        dir.path(),
        &[
            "post",
            &uri,
            "--endpoint-url",
            &endpoint,
            "--content-length-range",
            "1:1024",
            "--field",
            "x-amz-meta-origin=@cli; form",
            "--starts-with",
            "Content-Type=image/",
            "--form-field",
            "Content-Type=image/png",
            "--upload-file",
            file_name,
        ],
    )
    .await;
    sh(dir.path(), post.trim_end()).await;
    assert_eq!(
        std::fs::read(server.object_path(BUCKET, key)).expect("the uploaded object"),
        content
    );
}

/// The same command for a form whose policy the file breaks (too large) is
/// refused: the server enforces what `presign post` signed.
#[tokio::test]
async fn post_form_policy_is_enforced() {
    let server = Server::start(&[BUCKET]).await.expect("start s3s-fs");
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(dir.path().join("big.bin"), [7u8; 64]).expect("write the file");
    let uri = format!("s3://{BUCKET}/big.bin");
    let endpoint = server.endpoint();
    let post = presign(
        dir.path(),
        &[
            "post",
            &uri,
            "--endpoint-url",
            &endpoint,
            "--content-length-range",
            "1:16",
            "--upload-file",
            "big.bin",
        ],
    )
    .await;
    let output = sh_output(dir.path(), post.trim_end()).await;
    // curl's exit status for an HTTP error under --fail-with-body, which
    // still prints S3's explanation.
    assert_eq!(output.status.code(), Some(22), "{output:?}");
    let body = String::from_utf8_lossy(&output.stdout);
    assert!(body.contains("<Code>EntityTooLarge</Code>"), "{body}");
    assert!(!server.object_path(BUCKET, "big.bin").exists());
}
