//! The presigned-URL cases that hold for both signature versions: each is an
//! `async fn(Sig)`, and [`url_tests!`](crate::url_tests) turns all of them
//! into `#[tokio::test]`s for one version (`tests/sigv4.rs`,
//! `tests/sigv2.rs`). What the server checks for each version, and so what
//! an accepted or refused request proves, is written at the top of those
//! files.
//!
//! Every refusal here is 403 Forbidden; the error codes are s3s's.

use std::time::Duration;

use bytes::Bytes;
use presign::{Credentials, Method, PresignedUrl, UrlStyle};

use crate::{ACCESS_KEY, BUCKET, Response, SECRET_KEY, Server, Sig, curl};

/// Turns every case of [`url_cases`](crate::url_cases) into a
/// `#[tokio::test]` signing with the given [`Sig`](crate::Sig).
#[macro_export]
macro_rules! url_tests {
    ($sig:expr) => {
        $crate::url_tests!(@each $sig;
            put_get_head_delete_then_get_is_404,
            awkward_keys_round_trip,
            bucket_level_get_lists_objects,
            list_with_prefix_parameter_needing_encoding,
            signed_content_type_sent_as_signed,
            response_override_query_parameters,
            virtual_hosted_style_via_host_header,
            curl_upload_file_then_get,
            one_signature_character_changed,
            key_changed,
            method_changed,
            wrong_secret,
            unknown_access_key,
            signed_content_type_sent_with_another_value_or_missing,
            expired_url,
            no_auth_params,
        );
    };
    (@each $sig:expr; $($case:ident),* $(,)?) => {
        $(
            #[tokio::test]
            async fn $case() {
                $crate::url_cases::$case($sig).await;
            }
        )*
    };
}

/// s3s answers every refusal tested here with 403 Forbidden.
const FORBIDDEN: u16 = 403;

async fn server() -> Server {
    Server::start(&[BUCKET]).await.expect("start s3s-fs")
}

/// A path-style URL for `method` on `key`, signed now, valid an hour.
fn presign(server: &Server, sig: Sig, method: Method, key: &str) -> PresignedUrl {
    sig.sign(server.presigner().request(method, BUCKET, key))
}

/// A virtual-hosted presigner (`http://<bucket>.s3.e2e.test:<port>`).
fn vhost_presigner(server: &Server) -> presign::Presigner {
    server.presigner_with(
        &server.domain_endpoint(),
        UrlStyle::VirtualHosted,
        Credentials::new(ACCESS_KEY, SECRET_KEY),
    )
}

/// PUTs `body` at `key` with a presigned URL and checks it landed on disk at
/// exactly that key.
async fn put(server: &Server, sig: Sig, key: &str, body: &[u8]) {
    let url = presign(server, sig, Method::Put, key);
    let resp = server.send_presigned(&url, body.to_vec()).await;
    assert_eq!(resp.status, 200, "PUT {key:?}: {}", resp.text());
    assert_eq!(server.stored(BUCKET, key).as_deref(), Some(body), "{key:?}");
}

fn assert_refused(resp: &Response, code: &str) {
    resp.assert_error(FORBIDDEN, code);
}

// ---------------------------------------------------------------- accepted

/// PUT, GET (the body comes back), HEAD, DELETE; the same GET URL is then
/// 404.
pub async fn put_get_head_delete_then_get_is_404(sig: Sig) {
    let server = server().await;
    let p = server.presigner();
    let key = "docs/report.txt";
    let body = b"hello, presigned world\n".as_slice();

    put(&server, sig, key, body).await;

    let get = sig.sign(p.get_object(BUCKET, key));
    let resp = server.send_presigned(&get, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.body, body);

    let head = sig.sign(p.head_object(BUCKET, key));
    let resp = server.send_presigned(&head, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.header("content-length"), Some("23"));
    assert!(resp.body.is_empty());

    let delete = sig.sign(p.delete_object(BUCKET, key));
    let resp = server.send_presigned(&delete, Bytes::new()).await;
    assert_eq!(resp.status, 204, "{}", resp.text());
    assert_eq!(server.stored(BUCKET, key), None);

    // The same GET URL, still valid: the object is gone.
    let resp = server.send_presigned(&get, Bytes::new()).await;
    assert_eq!(resp.status, 404, "{}", resp.text());
    assert_eq!(resp.error_code(), Some("NoSuchKey"));
}

/// Keys whose every byte is percent-encoded differently: the server decodes
/// the path and stores the object under the decoded key (checked on disk).
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

/// Every awkward key is PUT and read back.
pub async fn awkward_keys_round_trip(sig: Sig) {
    let server = server().await;
    let p = server.presigner();
    for key in AWKWARD_KEYS {
        let body = format!("body of {key}");
        put(&server, sig, key, body.as_bytes()).await;
        let get = sig.sign(p.get_object(BUCKET, key));
        let resp = server.send_presigned(&get, Bytes::new()).await;
        assert_eq!(resp.status, 200, "GET {key:?}: {}", resp.text());
        assert_eq!(resp.body, body.as_bytes(), "GET {key:?}");
    }
}

/// Lists the bucket (ListObjectsV2, a bucket-level GET) with a presigned
/// URL and returns the listed keys.
///
/// SigV4 lists in path style. SigV2 lists virtual-hosted: for a path-style
/// bucket URL (`/bucket`) botocore, and so `presign`, sign the resource
/// `/bucket/`, which s3s does not accept (see `tests/sigv2.rs`).
async fn list(server: &Server, sig: Sig, prefix: &str) -> Vec<String> {
    let (p, bucket_url) = match sig {
        Sig::V4 => (
            server.presigner(),
            format!("{}/{BUCKET}?", server.endpoint()),
        ),
        Sig::V2 => {
            let domain = server.domain_endpoint().replace("http://", "");
            (
                vhost_presigner(server),
                format!("http://{BUCKET}.{domain}/?"),
            )
        }
    };
    let list = sig.sign(
        p.request(Method::Get, BUCKET, "")
            .query("list-type", "2")
            .query("prefix", prefix),
    );
    assert!(list.as_str().starts_with(&bucket_url), "{list}");
    let resp = server.send_presigned(&list, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert!(resp.text().contains("<ListBucketResult"), "{}", resp.text());
    resp.listed_keys()
}

/// A bucket-level GET lists exactly the keys stored.
pub async fn bucket_level_get_lists_objects(sig: Sig) {
    let server = server().await;
    for key in AWKWARD_KEYS {
        put(&server, sig, key, b"x").await;
    }
    let mut listed = list(&server, sig, "").await;
    listed.sort();
    let mut expected = AWKWARD_KEYS.to_vec();
    expected.sort();
    assert_eq!(listed, expected);
}

/// A list `prefix` that needs percent-encoding selects what it should.
pub async fn list_with_prefix_parameter_needing_encoding(sig: Sig) {
    let server = server().await;
    put(&server, sig, "a b/+1", b"1").await;
    put(&server, sig, "a c/2", b"2").await;
    assert_eq!(list(&server, sig, "a b/+").await, ["a b/+1"]);
}

/// A signed `content-type`, sent as signed, is accepted and stored.
pub async fn signed_content_type_sent_as_signed(sig: Sig) {
    let server = server().await;
    let p = server.presigner();
    let key = "images/cat.png";
    let put = sig.sign(
        p.put_object(BUCKET, key)
            .header("Content-Type", "image/png"),
    );
    assert_eq!(put.headers(), [("content-type".into(), "image/png".into())]);
    let resp = server.send_presigned(&put, b"\x89PNG".to_vec()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());

    // The server stored the type the client sent under the signature.
    let head = sig.sign(p.head_object(BUCKET, key));
    let resp = server.send_presigned(&head, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.header("content-type"), Some("image/png"));
}

/// `response-content-*` parameters are signed and applied.
pub async fn response_override_query_parameters(sig: Sig) {
    let server = server().await;
    put(&server, sig, "q3.pdf", b"%PDF").await;
    let disposition = "attachment; filename=\"q3 report.pdf\"";
    let get = sig.sign(
        server
            .presigner()
            .get_object(BUCKET, "q3.pdf")
            .query("response-content-disposition", disposition)
            .query("response-content-type", "application/pdf"),
    );
    let resp = server.send_presigned(&get, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.header("content-disposition"), Some(disposition));
    assert_eq!(resp.header("content-type"), Some("application/pdf"));
}

/// Virtual-hosted URLs (`Host: bucket.s3.e2e.test:port`) for PUT, GET and
/// list; the same URL presented for another bucket is refused.
pub async fn virtual_hosted_style_via_host_header(sig: Sig) {
    let server = Server::start(&[BUCKET, "other-bucket"]).await.unwrap();
    let p = vhost_presigner(&server);
    let key = "vhost dir/obj+1.txt";
    let put = sig.sign(p.put_object(BUCKET, key));
    // `s3.e2e.test:<port>`, the domain the server is configured with.
    let domain = server.domain_endpoint().replace("http://", "");
    let prefix = format!("http://{BUCKET}.{domain}/vhost%20dir/obj%2B1.txt?");
    assert!(put.as_str().starts_with(&prefix), "{put}");
    let resp = server.send_presigned(&put, b"vh".to_vec()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    // The server found the bucket in the Host header.
    assert_eq!(
        server.stored(BUCKET, key).as_deref(),
        Some(b"vh".as_slice())
    );

    let get = sig.sign(p.get_object(BUCKET, key));
    let resp = server.send_presigned(&get, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.body, b"vh".as_slice());

    let list = sig.sign(p.request(Method::Get, BUCKET, "").query("list-type", "2"));
    assert!(
        list.as_str()
            .starts_with(&format!("http://{BUCKET}.{domain}/?")),
        "{list}"
    );
    let resp = server.send_presigned(&list, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.listed_keys(), [key], "{}", resp.text());

    // The bucket is signed (SigV4 in the host, SigV2 in the resource): the
    // same URL presented for another bucket fails.
    let moved = get.as_str().replacen(BUCKET, "other-bucket", 1);
    assert!(
        moved.starts_with(&format!("http://other-bucket.{domain}/")),
        "{moved}"
    );
    let resp = server.send("GET", &moved, &[], Bytes::new()).await;
    assert_refused(&resp, "SignatureDoesNotMatch");
}

/// `curl --upload-file FILE URL`, then `curl --output`: the file
/// round-trips.
pub async fn curl_upload_file_then_get(sig: Sig) {
    let server = server().await;
    let p = server.presigner();
    let key = "from curl/upload +1.bin";
    let scratch = tempfile::tempdir().unwrap();
    let file = scratch.path().join("upload.bin");
    let body: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    std::fs::write(&file, &body).unwrap();

    let put = sig.sign(p.put_object(BUCKET, key));
    let status = curl(&["--upload-file", file.to_str().unwrap(), put.as_str()]).await;
    assert_eq!(status, "200");
    assert_eq!(server.stored(BUCKET, key).as_deref(), Some(body.as_slice()));

    let got = scratch.path().join("got.bin");
    let get = sig.sign(p.get_object(BUCKET, key));
    let status = curl(&["--output", got.to_str().unwrap(), get.as_str()]).await;
    assert_eq!(status, "200");
    assert_eq!(std::fs::read(&got).unwrap(), body);
}

// ---------------------------------------------------------------- refused

/// One character of the signature changed: refused; the untouched URL
/// works.
pub async fn one_signature_character_changed(sig: Sig) {
    let server = server().await;
    put(&server, sig, "k", b"v").await;
    let get = presign(&server, sig, Method::Get, "k");
    let tampered = sig.tamper_url(get.as_str());
    assert_ne!(tampered, get.as_str());
    let resp = server.send("GET", &tampered, &[], Bytes::new()).await;
    assert_refused(&resp, "SignatureDoesNotMatch");
    assert_eq!(server.send_presigned(&get, Bytes::new()).await.status, 200);
}

/// The URL's key changed: refused, nothing stored.
pub async fn key_changed(sig: Sig) {
    let server = server().await;
    let put = presign(&server, sig, Method::Put, "allowed.txt");
    let tampered = put.as_str().replacen("/allowed.txt?", "/other.txt?", 1);
    assert_ne!(tampered, put.as_str());
    let resp = server.send("PUT", &tampered, &[], b"evil".to_vec()).await;
    assert_refused(&resp, "SignatureDoesNotMatch");
    assert_eq!(server.stored(BUCKET, "other.txt"), None);
    assert_eq!(server.stored(BUCKET, "allowed.txt"), None);
}

/// A GET URL sent as DELETE, PUT or HEAD: refused, the object kept.
pub async fn method_changed(sig: Sig) {
    let server = server().await;
    put(&server, sig, "keep.txt", b"keep").await;
    let get = presign(&server, sig, Method::Get, "keep.txt");
    for method in ["DELETE", "PUT", "HEAD"] {
        let resp = server.send(method, get.as_str(), &[], Bytes::new()).await;
        assert_eq!(resp.status, FORBIDDEN, "{method}: {}", resp.text());
        if method != "HEAD" {
            // HEAD responses have no body to carry the code.
            assert_eq!(resp.error_code(), Some("SignatureDoesNotMatch"), "{method}");
        }
    }
    assert_eq!(
        server.stored(BUCKET, "keep.txt").as_deref(),
        Some(b"keep".as_slice())
    );
}

/// A PUT signed with `credentials` is refused with `code`; nothing is stored.
async fn assert_put_refused(sig: Sig, credentials: Credentials, code: &str) {
    let server = server().await;
    let p = server.presigner_with(&server.endpoint(), UrlStyle::Path, credentials);
    let put = sig.sign(p.put_object(BUCKET, "x"));
    let resp = server.send_presigned(&put, b"x".to_vec()).await;
    assert_refused(&resp, code);
    assert_eq!(server.stored(BUCKET, "x"), None);
}

/// Signed with another secret: refused.
pub async fn wrong_secret(sig: Sig) {
    let credentials = Credentials::new(ACCESS_KEY, "not-the-secret");
    assert_put_refused(sig, credentials, "SignatureDoesNotMatch").await;
}

/// Signed with an access key the server does not know: refused.
pub async fn unknown_access_key(sig: Sig) {
    let credentials = Credentials::new("AKIAUNKNOWNKEY000000", SECRET_KEY);
    // s3s's code for it; AWS answers InvalidAccessKeyId, also 403.
    assert_put_refused(sig, credentials, "NotSignedUp").await;
}

/// A signed `content-type` sent with another value, or not sent: refused.
pub async fn signed_content_type_sent_with_another_value_or_missing(sig: Sig) {
    let server = server().await;
    let put = sig.sign(
        server
            .presigner()
            .put_object(BUCKET, "typed")
            .header("content-type", "image/png"),
    );
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
    assert_eq!(server.stored(BUCKET, "typed"), None);
}

/// Signed two hours ago: valid for one hour, it expired an hour ago and is
/// refused; valid for a day, it is accepted, so the refusal is the expiry
/// and not the signing time. No sleeping.
pub async fn expired_url(sig: Sig) {
    let server = server().await;
    put(&server, sig, "old", b"old").await;
    let signed_at = time::OffsetDateTime::now_utc() - Duration::from_secs(7200);
    let p = server.presigner();
    let get_valid_for = |secs| {
        sig.sign(
            p.get_object(BUCKET, "old")
                .signed_at(signed_at)
                .expires_in(Duration::from_secs(secs)),
        )
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

/// The URL without its query: anonymous, refused.
pub async fn no_auth_params(sig: Sig) {
    let server = server().await;
    put(&server, sig, "private", b"secret").await;
    let get = presign(&server, sig, Method::Get, "private");
    let bare = get.as_str().split('?').next().unwrap();
    let resp = server.send("GET", bare, &[], Bytes::new()).await;
    assert_refused(&resp, "AccessDenied");
    let resp = server.send("PUT", bare, &[], b"overwrite".to_vec()).await;
    assert_refused(&resp, "AccessDenied");
    assert_eq!(
        server.stored(BUCKET, "private").as_deref(),
        Some(b"secret".as_slice())
    );
}
