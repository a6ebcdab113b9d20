//! Browser-style POST uploads (`multipart/form-data`) made from `presign`'s
//! forms (`Presigner::post_object`), SigV4 and SigV2, sent to a real S3
//! server (s3s-fs 0.14.1, in-process). Every case runs for both versions
//! (`v4::…`, `v2::…`).
//!
//! What the server checks, read from s3s 0.14.1 (`ops/signature.rs`:
//! `check_post_signature`, `v4_check_post_signature`,
//! `v2_check_post_signature`; `ops/mod.rs`, the POST object branch;
//! `post_policy.rs`), and so what these tests can prove:
//! - A form with an `x-amz-signature` field is checked as SigV4, one with
//!   `signature` as SigV2, one with neither is anonymous and refused (403
//!   `AccessDenied`). Field names are compared lowercased.
//! - The signature: SigV4 is HMAC-SHA256 of the `policy` field as posted
//!   under the signing key of `x-amz-credential`'s scope, and the policy
//!   must hold `eq` conditions equal to the posted `x-amz-algorithm`,
//!   `x-amz-credential` and `x-amz-date`; SigV2 is HMAC-SHA1 of the policy
//!   under the secret of `AWSAccessKeyId`. A changed signature or policy is
//!   refused (403 `SignatureDoesNotMatch`).
//! - The policy: its `expiration` passed is refused (403 `AccessDenied`,
//!   "Request has expired"); then every condition is checked against the
//!   posted fields (the `bucket` condition against the bucket posted to):
//!   an `eq` or `starts-with` not met is 400 `InvalidPolicyDocument`, a file
//!   above or below `content-length-range` is 400 `EntityTooLarge` /
//!   `EntityTooSmall`; and every posted field but `file`, `policy`, the
//!   signature fields, `AWSAccessKeyId`, `x-ignore-*` and
//!   `x-amz-server-side-encryption*` must have a condition, or the upload is
//!   refused (403 `AccessDenied`).
//!
//! Known server gaps (asserted as the server behaves, not as AWS would):
//! - `${filename}`: s3s does not replace it in the `key` field with the
//!   uploaded file's name; the object is stored under the literal key
//!   (`uploads/${filename}`). What is proven is that the policy's
//!   `starts-with` condition accepts the form.
//! - Session tokens: `x-amz-security-token` is only checked like any other
//!   field (the policy must cover it); its value is never validated.
//! - ACLs: the `acl` field is checked against the policy, but s3s reads the
//!   canned ACL from `x-amz-acl` and s3s-fs stores none, so it is not
//!   applied.
//! - Clock skew: s3s also refuses a SigV4 form whose `x-amz-date` is more
//!   than 15 minutes from its clock (403 `RequestTimeTooSkewed`), even while
//!   the policy is valid; the expiry test signs within that window.
//! - Region: as for URLs, the region is taken from the credential scope
//!   and never checked.

use std::time::Duration;

use bytes::Bytes;
use presign::{Condition, Credentials, PostForm, UrlStyle};
use presign_e2e::{ACCESS_KEY, BUCKET, Response, SECRET_KEY, Server, Sig, multipart_form, tamper};

async fn server() -> Server {
    Server::start(&[BUCKET]).await.expect("start s3s-fs")
}

/// A form's fields, borrowed, to post as they are or edited.
fn fields(form: &PostForm) -> Vec<(&str, &str)> {
    form.fields()
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// Replaces the value of field `name`, which the form must have.
fn set<'a>(fields: &mut [(&'a str, &'a str)], name: &str, value: &'a str) {
    let field = fields
        .iter_mut()
        .find(|(n, _)| *n == name)
        .unwrap_or_else(|| panic!("the form has no {name:?} field"));
    field.1 = value;
}

/// Posts `fields` and the file to `url` as a browser would.
async fn post(server: &Server, url: &str, fields: &[(&str, &str)], file: &[u8]) -> Response {
    let (content_type, body) = multipart_form(fields, "cat.png", file);
    server
        .send("POST", url, &[("content-type", &content_type)], body)
        .await
}

/// Posts `form` with field `name` set to `value`, and a one-byte file.
async fn post_changed(server: &Server, form: &PostForm, name: &str, value: &str) -> Response {
    let mut fields = fields(form);
    set(&mut fields, name, value);
    post(server, form.url(), &fields, b"x").await
}

/// Posts `form` unchanged.
async fn post_form(server: &Server, form: &PostForm, file: &[u8]) -> Response {
    post(server, form.url(), &fields(form), file).await
}

/// Posts `form` with `file` and checks it was accepted (204, S3's answer
/// without `success_action_status`) and stored at `key`.
async fn assert_uploaded(server: &Server, form: &PostForm, key: &str, file: &[u8]) {
    let resp = post_form(server, form, file).await;
    assert_eq!(
        resp.status,
        204,
        "{key:?}, {} bytes: {}",
        file.len(),
        resp.text()
    );
    assert_eq!(server.stored(BUCKET, key).as_deref(), Some(file), "{key:?}");
}

/// A form for `key` allowing 1 to 64 bytes, signed now, valid an hour.
fn upload_form(server: &Server, sig: Sig, key: &str) -> PostForm {
    sig.sign_form(
        server
            .presigner()
            .post_object(BUCKET)
            .key(key)
            .condition(Condition::content_length_range(1, 64)),
    )
}

/// GETs `key` with a presigned URL of the same version.
async fn get(server: &Server, sig: Sig, key: &str) -> Response {
    let url = sig.sign(server.presigner().get_object(BUCKET, key));
    server.send_presigned(&url, Bytes::new()).await
}

/// Runs each case as `v4::case` and `v2::case`.
macro_rules! for_both_versions {
    ($($case:ident),* $(,)?) => {
        mod v4 {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case(presign_e2e::Sig::V4).await;
                }
            )*
        }
        mod v2 {
            $(
                #[tokio::test]
                async fn $case() {
                    super::$case(presign_e2e::Sig::V2).await;
                }
            )*
        }
    };
}

for_both_versions!(
    exact_key_acl_and_length_range_then_get,
    virtual_hosted_with_success_action_status,
    filename_key_is_stored_literally,
    session_token_field,
    tampered_signature_or_policy,
    key_outside_starts_with,
    file_outside_the_length_range,
    fields_the_policy_does_not_allow,
    posted_to_another_bucket,
    expired_policy,
);

// ---------------------------------------------------------------- accepted

async fn exact_key_acl_and_length_range_then_get(sig: Sig) {
    let server = server().await;
    let key = "uploads/report 2026 é+&=%.txt";
    let form = sig.sign_form(
        server
            .presigner()
            .post_object(BUCKET)
            .key(key)
            .field("acl", "public-read")
            .condition(Condition::content_length_range(1, 64)),
    );
    assert_eq!(form.url(), format!("{}/{BUCKET}", server.endpoint()));
    let file = b"sixty-four bytes at most, and this is fewer".as_slice();
    assert_uploaded(&server, &form, key, file).await;

    let resp = get(&server, sig, key).await;
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert_eq!(resp.body, file);

    // Both ends of the range are inclusive.
    for size in [1, 64] {
        assert_uploaded(&server, &form, key, &vec![b'x'; size]).await;
    }
}

async fn virtual_hosted_with_success_action_status(sig: Sig) {
    let server = server().await;
    let p = server.presigner_with(
        &server.domain_endpoint(),
        UrlStyle::VirtualHosted,
        Credentials::new(ACCESS_KEY, SECRET_KEY),
    );
    let form = sig.sign_form(
        p.post_object(BUCKET)
            .key("vhost/posted.txt")
            .field("success_action_status", "201"),
    );
    let domain = server.domain_endpoint().replace("http://", "");
    assert_eq!(form.url(), format!("http://{BUCKET}.{domain}/"));
    let resp = post_form(&server, &form, b"via the Host header").await;
    assert_eq!(resp.status, 201, "{}", resp.text());
    assert!(
        resp.text().contains("<Key>vhost/posted.txt</Key>"),
        "{}",
        resp.text()
    );
    assert_eq!(
        server.stored(BUCKET, "vhost/posted.txt").as_deref(),
        Some(b"via the Host header".as_slice())
    );
}

async fn filename_key_is_stored_literally(sig: Sig) {
    let server = server().await;
    let form = upload_form(&server, sig, "uploads/${filename}");
    assert!(
        form.policy_json()
            .contains(r#"["starts-with", "$key", "uploads/"]"#),
        "{}",
        form.policy_json()
    );
    // AWS would store `uploads/cat.png` (the file's name); s3s does not
    // substitute (see the top of this file).
    assert_uploaded(&server, &form, "uploads/${filename}", b"png").await;
}

async fn session_token_field(sig: Sig) {
    let server = server().await;
    let creds = Credentials::new(ACCESS_KEY, SECRET_KEY).with_session_token("FQoGZXIvYXdzE+tok/=");
    let p = server.presigner_with(&server.endpoint(), UrlStyle::Path, creds);
    let form = sig.sign_form(p.post_object(BUCKET).key("with-token"));
    assert!(
        form.fields()
            .contains(&("x-amz-security-token".into(), "FQoGZXIvYXdzE+tok/=".into())),
        "{:?}",
        form.fields()
    );
    // Accepted: the policy covers the token field (s3s checks no more).
    assert_uploaded(&server, &form, "with-token", b"t").await;
}

// ---------------------------------------------------------------- refused

async fn tampered_signature_or_policy(sig: Sig) {
    let server = server().await;
    let now = time::OffsetDateTime::now_utc();
    let signed = |max| {
        sig.sign_form(
            server
                .presigner()
                .post_object(BUCKET)
                .key("signed.txt")
                .condition(Condition::content_length_range(1, max))
                .signed_at(now),
        )
    };
    let form = signed(64);
    let value = |form: &PostForm, name: &str| {
        let (_, value) = form.fields().iter().find(|(n, _)| n == name).unwrap();
        value.clone()
    };

    let tampered = tamper(&value(&form, sig.signature_field()));
    let mut bad_signature = fields(&form);
    set(&mut bad_signature, sig.signature_field(), &tampered);

    // The policy of a form allowing bigger files, with this form's signature.
    let bigger = value(&signed(65_536), "policy");
    assert_ne!(bigger, value(&form, "policy"));
    let mut bad_policy = fields(&form);
    set(&mut bad_policy, "policy", &bigger);

    for fields in [bad_signature, bad_policy] {
        let resp = post(&server, form.url(), &fields, &[b'x'; 100]).await;
        resp.assert_error(403, "SignatureDoesNotMatch");
    }
    assert_eq!(server.stored(BUCKET, "signed.txt"), None);
}

async fn key_outside_starts_with(sig: Sig) {
    let server = server().await;
    let form = upload_form(&server, sig, "uploads/${filename}");
    for key in ["elsewhere/cat.png", "upload/cat.png", "Uploads/cat.png"] {
        let resp = post_changed(&server, &form, "key", key).await;
        resp.assert_error(400, "InvalidPolicyDocument");
        assert_eq!(server.stored(BUCKET, key), None, "{key}");
    }
    // An exact key allows only itself.
    let form = upload_form(&server, sig, "exact.txt");
    let resp = post_changed(&server, &form, "key", "exact.txt2").await;
    resp.assert_error(400, "InvalidPolicyDocument");
    assert_eq!(server.stored(BUCKET, "exact.txt2"), None);
}

async fn file_outside_the_length_range(sig: Sig) {
    let server = server().await;
    let form = upload_form(&server, sig, "sized.bin");
    let resp = post_form(&server, &form, &[b'x'; 65]).await;
    resp.assert_error(400, "EntityTooLarge");
    let resp = post_form(&server, &form, b"").await;
    resp.assert_error(400, "EntityTooSmall");
    assert_eq!(server.stored(BUCKET, "sized.bin"), None);
}

async fn fields_the_policy_does_not_allow(sig: Sig) {
    let server = server().await;
    let form = sig.sign_form(
        server
            .presigner()
            .post_object(BUCKET)
            .key("acl.txt")
            .field("acl", "private"),
    );
    // A field the policy has no condition for.
    let mut extra = fields(&form);
    extra.push(("x-amz-meta-injected", "1"));
    let resp = post(&server, form.url(), &extra, b"x").await;
    resp.assert_error(403, "AccessDenied");
    assert!(
        resp.text().contains("x-amz-meta-injected"),
        "{}",
        resp.text()
    );
    // A field with a value its condition does not allow.
    let resp = post_changed(&server, &form, "acl", "public-read-write").await;
    resp.assert_error(400, "InvalidPolicyDocument");
    assert_eq!(server.stored(BUCKET, "acl.txt"), None);
}

async fn posted_to_another_bucket(sig: Sig) {
    let server = Server::start(&[BUCKET, "other-bucket"]).await.unwrap();
    let form = upload_form(&server, sig, "moved.txt");
    let url = form.url().replace(BUCKET, "other-bucket");
    let resp = post(&server, &url, &fields(&form), b"x").await;
    // The policy's {"bucket": …} condition is checked against the URL.
    resp.assert_error(400, "InvalidPolicyDocument");
    assert!(!server.object_path("other-bucket", "moved.txt").exists());
}

/// Signed ten minutes ago: valid for a minute, the policy expired nine
/// minutes ago and is refused; valid for an hour, it is accepted. (Ten
/// minutes stays inside s3s's 15-minute skew window for SigV4.) No
/// sleeping.
async fn expired_policy(sig: Sig) {
    let server = server().await;
    let signed_at = time::OffsetDateTime::now_utc() - Duration::from_secs(600);
    let form_valid_for = |secs| {
        sig.sign_form(
            server
                .presigner()
                .post_object(BUCKET)
                .key("late.txt")
                .signed_at(signed_at)
                .expires_in(Duration::from_secs(secs)),
        )
    };
    let resp = post_form(&server, &form_valid_for(60), b"late").await;
    resp.assert_error(403, "AccessDenied");
    assert!(resp.text().contains("expired"), "{}", resp.text());
    assert_eq!(server.stored(BUCKET, "late.txt"), None);

    assert_uploaded(&server, &form_valid_for(3600), "late.txt", b"in time").await;
}

#[tokio::test]
async fn unsigned_form_is_refused() {
    let server = server().await;
    let (content_type, body) = multipart_form(&[("key", "uploads/anon.txt")], "anon.txt", b"anon");
    let url = format!("{}/{BUCKET}", server.endpoint());
    let resp = server
        .send("POST", &url, &[("content-type", &content_type)], body)
        .await;
    // The form parsed (a malformed one is 400 MalformedPOSTRequest) and,
    // carrying no signature, was refused as anonymous.
    resp.assert_error(403, "AccessDenied");
    assert!(!server.object_path(BUCKET, "uploads/anon.txt").exists());
}
