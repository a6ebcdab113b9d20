//! SigV4 presigned URLs sent to a real S3 server (s3s-fs 0.14.1, in-process)
//! that verifies their signatures.
//!
//! What the server checks, read from s3s 0.14.1 (`ops/signature.rs`,
//! `sig_v4/methods.rs`), and so what these tests can prove:
//! - It recomputes the canonical request itself: the method, the URI path
//!   *decoded then re-encoded* with its own encoder, every query parameter
//!   but `X-Amz-Signature` (decoded, re-encoded, sorted), the signed headers
//!   as the client sent them. So an accepted request proves our encoding
//!   matches an independent implementation, and any change to the method,
//!   path, query or a signed header is refused (403 `SignatureDoesNotMatch`).
//! - Expiry: `now - X-Amz-Date > X-Amz-Expires` is refused (403
//!   `AccessDenied`, "Request has expired").
//! - An unknown access key is refused with 403 `NotSignedUp` (AWS says
//!   `InvalidAccessKeyId`; both are 403).
//! - A request with no authentication parameters is anonymous and refused
//!   (403 `AccessDenied`) because authentication is configured.
//!
//! Known server gaps (asserted as the server behaves, not as AWS would):
//! - Session tokens: s3s never looks at `X-Amz-Security-Token` beyond
//!   signing it as an ordinary query parameter; any token value is accepted
//!   when the signature matches (the one below is made up). We prove the
//!   token is inside the signed query (changing it is refused), not that a
//!   real server would accept it.
//! - Region: s3s verifies with whatever region the credential scope names
//!   and has none of its own, so a wrong region is not caught (a URL signed
//!   for `mars-north-7` is accepted).
//! - Raw-path fallback: when the path as sent holds a byte outside
//!   `A-Za-z0-9-_.~/%`, s3s also accepts a signature over that raw path. So
//!   a character we failed to encode would still be accepted here, while
//!   encoding one that must stay literal (such as `~`) is refused. The
//!   botocore reference vectors pin the exact encoding.
//! - `x-amz-content-sha256` is not required for presigned requests; we send
//!   none (`UNSIGNED-PAYLOAD`), as browsers and `curl` do.

use std::time::Duration;

use bytes::Bytes;
use presign::{Credentials, Method, PresignedUrl, UrlStyle};
use presign_e2e::{ACCESS_KEY, SECRET_KEY, Server};

const BUCKET: &str = "e2e-bucket";

/// s3s answers every refusal tested here with 403 Forbidden.
const FORBIDDEN: u16 = 403;

async fn server() -> Server {
    Server::start(&[BUCKET]).await.expect("start s3s-fs")
}

/// The object's bytes on disk, if s3s-fs stored it.
fn stored(server: &Server, key: &str) -> Option<Vec<u8>> {
    std::fs::read(server.object_path(BUCKET, key)).ok()
}

/// A path-style URL for `method` on `key`, signed now, valid an hour.
fn presign(server: &Server, method: Method, key: &str) -> PresignedUrl {
    server
        .presigner()
        .request(method, BUCKET, key)
        .sign()
        .unwrap()
}

/// PUTs `body` at `key` with a presigned URL and checks it landed on disk at
/// exactly that key.
async fn put(server: &Server, key: &str, body: &[u8]) {
    let url = presign(server, Method::Put, key);
    let resp = server.send_presigned(&url, body.to_vec()).await;
    assert_eq!(resp.status, 200, "PUT {key:?}: {}", resp.text());
    assert_eq!(stored(server, key).as_deref(), Some(body), "stored {key:?}");
}

fn assert_refused(resp: &presign_e2e::Response, code: &str) {
    assert_eq!(resp.status, FORBIDDEN, "{}", resp.text());
    assert_eq!(resp.error_code(), Some(code), "{}", resp.text());
}

// ---------------------------------------------------------------- accepted

#[tokio::test]
async fn put_get_head_delete_then_get_is_404() {
    let server = server().await;
    let p = server.presigner();
    let key = "docs/report.txt";
    let body = b"hello, presigned world\n".as_slice();

    put(&server, key, body).await;

    let get = p.get_object(BUCKET, key).sign().unwrap();
    let resp = server.send_presigned(&get, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.body, body);

    let head = p.head_object(BUCKET, key).sign().unwrap();
    let resp = server.send_presigned(&head, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.header("content-length"), Some("23"));
    assert!(resp.body.is_empty());

    let delete = p.delete_object(BUCKET, key).sign().unwrap();
    let resp = server.send_presigned(&delete, Bytes::new()).await;
    assert_eq!(resp.status, 204, "{}", resp.text());
    assert_eq!(stored(&server, key), None);

    // The same GET URL, still valid: the object is gone.
    let resp = server.send_presigned(&get, Bytes::new()).await;
    assert_eq!(resp.status, 404, "{}", resp.text());
    assert_eq!(resp.error_code(), Some("NoSuchKey"));
}

/// Keys whose every byte is percent-encoded differently: the server decodes
/// the path, stores the object under the decoded key (checked on disk), and
/// re-encodes it with its own encoder to verify the signature.
const AWKWARD_KEYS: &[&str] = &[
    "with space.txt",
    "two  spaces and trailing ",
    "plus+sign",
    "equals=sign",
    "amper&sand",
    "percent%25literal%20",
    "100%",
    "~tilde~",
    "unicode/ünïcødé-日本語-🦀.txt",
    "nested/deeper/still/deeper/file",
    "all of them +=&%~ é/x",
    "(parens)!*'$,;:@[brackets]",
];

#[tokio::test]
async fn awkward_keys_round_trip() {
    let server = server().await;
    let p = server.presigner();
    for key in AWKWARD_KEYS {
        let body = format!("body of {key}");
        put(&server, key, body.as_bytes()).await;
        let get = p.get_object(BUCKET, key).sign().unwrap();
        let resp = server.send_presigned(&get, Bytes::new()).await;
        assert_eq!(resp.status, 200, "GET {key:?}: {}", resp.text());
        assert_eq!(resp.body, body.as_bytes(), "GET {key:?}");
    }
}

/// Lists the bucket (ListObjectsV2, a bucket-level GET) with a presigned
/// URL and returns the listed keys.
async fn list(server: &Server, prefix: &str) -> Vec<String> {
    let list = server
        .presigner()
        .request(Method::Get, BUCKET, "")
        .query("list-type", "2")
        .query("prefix", prefix)
        .sign()
        .unwrap();
    let bucket_url = format!("{}/{BUCKET}?", server.endpoint());
    assert!(list.as_str().starts_with(&bucket_url), "{list}");
    let resp = server.send_presigned(&list, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert!(resp.text().contains("<ListBucketResult"), "{}", resp.text());
    resp.listed_keys()
}

#[tokio::test]
async fn bucket_level_get_lists_objects() {
    let server = server().await;
    for key in AWKWARD_KEYS {
        put(&server, key, b"x").await;
    }
    let mut listed = list(&server, "").await;
    listed.sort();
    let mut expected = AWKWARD_KEYS.to_vec();
    expected.sort();
    assert_eq!(listed, expected);
}

#[tokio::test]
async fn list_with_prefix_parameter_needing_encoding() {
    let server = server().await;
    put(&server, "a b/+1", b"1").await;
    put(&server, "a c/2", b"2").await;
    assert_eq!(list(&server, "a b/+").await, ["a b/+1"]);
}

#[tokio::test]
async fn signed_content_type_sent_as_signed() {
    let server = server().await;
    let p = server.presigner();
    let key = "images/cat.png";
    let put = p
        .put_object(BUCKET, key)
        .header("Content-Type", "image/png")
        .sign()
        .unwrap();
    assert_eq!(put.headers(), [("content-type".into(), "image/png".into())]);
    let resp = server.send_presigned(&put, b"\x89PNG".to_vec()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());

    // The server stored the type the client sent under the signature.
    let head = p.head_object(BUCKET, key).sign().unwrap();
    let resp = server.send_presigned(&head, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.header("content-type"), Some("image/png"));
}

#[tokio::test]
async fn response_override_query_parameters() {
    let server = server().await;
    put(&server, "q3.pdf", b"%PDF").await;
    let disposition = "attachment; filename=\"q3 report.pdf\"";
    let get = server
        .presigner()
        .get_object(BUCKET, "q3.pdf")
        .query("response-content-disposition", disposition)
        .query("response-content-type", "application/pdf")
        .sign()
        .unwrap();
    let resp = server.send_presigned(&get, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.header("content-disposition"), Some(disposition));
    assert_eq!(resp.header("content-type"), Some("application/pdf"));
}

#[tokio::test]
async fn session_token_is_signed_into_the_query() {
    let server = server().await;
    let creds =
        Credentials::new(ACCESS_KEY, SECRET_KEY).with_session_token("FQoGZXIvYXdzE+token/=");
    let p = server.presigner_with(&server.endpoint(), UrlStyle::Path, creds);
    let put = p.put_object(BUCKET, "with-token").sign().unwrap();
    assert!(
        put.as_str()
            .contains("X-Amz-Security-Token=FQoGZXIvYXdzE%2Btoken%2F%3D"),
        "{put}"
    );
    let resp = server.send_presigned(&put, b"t".to_vec()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(
        stored(&server, "with-token").as_deref(),
        Some(b"t".as_slice())
    );

    // s3s does not validate tokens (see the top of this file), but it does
    // sign every query parameter: another token breaks the signature.
    let get = p.get_object(BUCKET, "with-token").sign().unwrap();
    let tampered = get.as_str().replace("FQoGZXIvYXdzE", "FQoGZXIvYXdzF");
    assert_ne!(tampered, get.as_str());
    let resp = server.send("GET", &tampered, &[], Bytes::new()).await;
    assert_refused(&resp, "SignatureDoesNotMatch");
    let resp = server.send_presigned(&get, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.body, b"t".as_slice());
}

#[tokio::test]
async fn virtual_hosted_style_via_host_header() {
    let server = Server::start(&[BUCKET, "other-bucket"]).await.unwrap();
    let p = server.presigner_with(
        &server.domain_endpoint(),
        UrlStyle::VirtualHosted,
        Credentials::new(ACCESS_KEY, SECRET_KEY),
    );
    let key = "vhost dir/obj+1.txt";
    let put = p.put_object(BUCKET, key).sign().unwrap();
    // `s3.e2e.test:<port>`, the domain the server is configured with.
    let domain = server.domain_endpoint().replace("http://", "");
    let prefix = format!("http://{BUCKET}.{domain}/vhost%20dir/obj%2B1.txt?");
    assert!(put.as_str().starts_with(&prefix), "{put}");
    let resp = server.send_presigned(&put, b"vh".to_vec()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    // The server found the bucket in the Host header.
    assert_eq!(stored(&server, key).as_deref(), Some(b"vh".as_slice()));

    let get = p.get_object(BUCKET, key).sign().unwrap();
    let resp = server.send_presigned(&get, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.body, b"vh".as_slice());

    let list = p
        .request(Method::Get, BUCKET, "")
        .query("list-type", "2")
        .sign()
        .unwrap();
    assert!(
        list.as_str()
            .starts_with(&format!("http://{BUCKET}.{domain}/?")),
        "{list}"
    );
    let resp = server.send_presigned(&list, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.listed_keys(), [key], "{}", resp.text());

    // The host is signed: the same URL presented for another bucket fails.
    let moved = get.as_str().replacen(BUCKET, "other-bucket", 1);
    assert!(
        moved.starts_with(&format!("http://other-bucket.{domain}/")),
        "{moved}"
    );
    let resp = server.send("GET", &moved, &[], Bytes::new()).await;
    assert_refused(&resp, "SignatureDoesNotMatch");
}

#[tokio::test]
async fn curl_upload_file_then_get() {
    let server = server().await;
    let p = server.presigner();
    let key = "from curl/upload +1.bin";
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("upload.bin");
    let body: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    std::fs::write(&file, &body).unwrap();

    let put = p.put_object(BUCKET, key).sign().unwrap();
    let status = curl(&["--upload-file", file.to_str().unwrap(), put.as_str()]).await;
    assert_eq!(status, "200");
    assert_eq!(stored(&server, key).as_deref(), Some(body.as_slice()));

    let got = scratch.path().join("got.bin");
    let get = p.get_object(BUCKET, key).sign().unwrap();
    let status = curl(&["--output", got.to_str().unwrap(), get.as_str()]).await;
    assert_eq!(status, "200");
    assert_eq!(std::fs::read(&got).unwrap(), body);
}

/// Runs the `curl` binary (without blocking the runtime the server runs on)
/// and returns the response status it printed.
async fn curl(args: &[&str]) -> String {
    let output = tokio::process::Command::new("curl")
        // Only so the test reads the status; the request is curl's own.
        .args([
            "--silent",
            "--show-error",
            "--noproxy",
            "*",
            "--write-out",
            "%{http_code}",
        ])
        .args(args)
        .kill_on_drop(true)
        .output()
        .await
        .expect("run curl (installed by .ci/run)");
    assert!(
        output.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

// ---------------------------------------------------------------- refused

#[tokio::test]
async fn one_signature_character_changed() {
    let server = server().await;
    put(&server, "k", b"v").await;
    let get = presign(&server, Method::Get, "k");
    let url = get.as_str();
    let last = url.chars().last().unwrap();
    let flipped = if last == '0' { '1' } else { '0' };
    let tampered = format!("{}{flipped}", &url[..url.len() - 1]);
    let resp = server.send("GET", &tampered, &[], Bytes::new()).await;
    assert_refused(&resp, "SignatureDoesNotMatch");
    // The untouched URL works.
    assert_eq!(server.send_presigned(&get, Bytes::new()).await.status, 200);
}

#[tokio::test]
async fn key_changed() {
    let server = server().await;
    let put = presign(&server, Method::Put, "allowed.txt");
    let tampered = put.as_str().replacen("/allowed.txt?", "/other.txt?", 1);
    assert_ne!(tampered, put.as_str());
    let resp = server.send("PUT", &tampered, &[], b"evil".to_vec()).await;
    assert_refused(&resp, "SignatureDoesNotMatch");
    assert_eq!(stored(&server, "other.txt"), None);
    assert_eq!(stored(&server, "allowed.txt"), None);
}

#[tokio::test]
async fn method_changed() {
    let server = server().await;
    put(&server, "keep.txt", b"keep").await;
    let get = presign(&server, Method::Get, "keep.txt");
    for method in ["DELETE", "PUT", "HEAD"] {
        let resp = server.send(method, get.as_str(), &[], Bytes::new()).await;
        assert_eq!(resp.status, FORBIDDEN, "{method}: {}", resp.text());
        if method != "HEAD" {
            // HEAD responses have no body to carry the code.
            assert_eq!(resp.error_code(), Some("SignatureDoesNotMatch"), "{method}");
        }
    }
    assert_eq!(
        stored(&server, "keep.txt").as_deref(),
        Some(b"keep".as_slice())
    );
}

/// A PUT signed with `credentials` is refused with `code`; nothing is stored.
async fn assert_put_refused(credentials: Credentials, code: &str) {
    let server = server().await;
    let p = server.presigner_with(&server.endpoint(), UrlStyle::Path, credentials);
    let put = p.put_object(BUCKET, "x").sign().unwrap();
    let resp = server.send_presigned(&put, b"x".to_vec()).await;
    assert_refused(&resp, code);
    assert_eq!(stored(&server, "x"), None);
}

#[tokio::test]
async fn wrong_secret() {
    let credentials = Credentials::new(ACCESS_KEY, "not-the-secret");
    assert_put_refused(credentials, "SignatureDoesNotMatch").await;
}

#[tokio::test]
async fn unknown_access_key() {
    let credentials = Credentials::new("AKIAUNKNOWNKEY000000", SECRET_KEY);
    // s3s's code for it; AWS answers InvalidAccessKeyId, also 403.
    assert_put_refused(credentials, "NotSignedUp").await;
}

#[tokio::test]
async fn signed_content_type_sent_with_another_value_or_missing() {
    let server = server().await;
    let put = server
        .presigner()
        .put_object(BUCKET, "typed")
        .header("content-type", "image/png")
        .sign()
        .unwrap();
    let resp = server
        .send(
            "PUT",
            put.as_str(),
            &[("content-type", "text/html")],
            b"<p>".to_vec(),
        )
        .await;
    assert_refused(&resp, "SignatureDoesNotMatch");
    let resp = server.send("PUT", put.as_str(), &[], b"<p>".to_vec()).await;
    assert_refused(&resp, "SignatureDoesNotMatch");
    assert_eq!(stored(&server, "typed"), None);
}

#[tokio::test]
async fn expired_url() {
    let server = server().await;
    put(&server, "old", b"old").await;
    // Signed two hours ago: valid for one hour, it expired an hour ago; valid
    // for a day, it is accepted, so the refusal is the expiry and not the
    // signing time. No sleeping.
    let signed_at = time::OffsetDateTime::now_utc() - Duration::from_secs(7200);
    let p = server.presigner();
    let get_valid_for = |secs| {
        p.get_object(BUCKET, "old")
            .signed_at(signed_at)
            .expires_in(Duration::from_secs(secs))
            .sign()
            .unwrap()
    };
    let resp = server
        .send_presigned(&get_valid_for(3600), Bytes::new())
        .await;
    assert_refused(&resp, "AccessDenied");
    assert!(resp.text().contains("expired"), "{}", resp.text());
    let resp = server
        .send_presigned(&get_valid_for(86_400), Bytes::new())
        .await;
    assert_eq!(resp.status, 200, "{}", resp.text());
}

#[tokio::test]
async fn no_auth_params() {
    let server = server().await;
    put(&server, "private", b"secret").await;
    let get = presign(&server, Method::Get, "private");
    let bare = get.as_str().split('?').next().unwrap();
    let resp = server.send("GET", bare, &[], Bytes::new()).await;
    assert_refused(&resp, "AccessDenied");
    let resp = server.send("PUT", bare, &[], b"overwrite".to_vec()).await;
    assert_refused(&resp, "AccessDenied");
    assert_eq!(
        stored(&server, "private").as_deref(),
        Some(b"secret".as_slice())
    );
}
