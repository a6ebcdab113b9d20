//! SigV4 presigned URLs sent to a real S3 server (s3s-fs 0.14.1, in-process)
//! that verifies their signatures: every case of `presign_e2e::url_cases`
//! (shared with `sigv2.rs`), then what only SigV4 has.
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

use bytes::Bytes;
use presign::{Credentials, UrlStyle};
use presign_e2e::{ACCESS_KEY, BUCKET, SECRET_KEY, Server, Sig};

presign_e2e::url_tests!(Sig::V4);

#[tokio::test]
async fn session_token_is_signed_into_the_query() {
    let server = Server::start(&[BUCKET]).await.expect("start s3s-fs");
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
        server.stored(BUCKET, "with-token").as_deref(),
        Some(b"t".as_slice())
    );

    // s3s does not validate tokens (see the top of this file), but it does
    // sign every query parameter: another token breaks the signature.
    let get = p.get_object(BUCKET, "with-token").sign().unwrap();
    let tampered = get.as_str().replace("FQoGZXIvYXdzE", "FQoGZXIvYXdzF");
    assert_ne!(tampered, get.as_str());
    let resp = server.send("GET", &tampered, &[], Bytes::new()).await;
    resp.assert_error(403, "SignatureDoesNotMatch");
    let resp = server.send_presigned(&get, Bytes::new()).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.body, b"t".as_slice());
}
