//! Browser-style POST uploads (`multipart/form-data`) sent to s3s-fs.
//!
//! s3s verifies a form as a POST V4 upload when it has an `x-amz-signature`
//! field and as POST V2 when it has `signature`; a form with neither is an
//! anonymous request. Signed forms are not produced by `presign` yet; this
//! file holds what needs no signer.

use presign_e2e::{Server, multipart_form};

const BUCKET: &str = "e2e-bucket";

#[tokio::test]
async fn unsigned_form_is_refused() {
    let server = Server::start(&[BUCKET]).await.expect("start s3s-fs");
    let (content_type, body) = multipart_form(&[("key", "uploads/anon.txt")], "anon.txt", b"anon");
    let url = format!("{}/{BUCKET}", server.endpoint());
    let resp = server
        .send("POST", &url, &[("content-type", &content_type)], body)
        .await;
    // The form parsed (a malformed one is 400 MalformedPOSTRequest) and,
    // carrying no signature, was refused as anonymous.
    assert_eq!(resp.status, 403, "{}", resp.text());
    assert_eq!(resp.error_code(), Some("AccessDenied"), "{}", resp.text());
    assert!(!server.object_path(BUCKET, "uploads/anon.txt").exists());
}
