//! Signing a browser POST policy. The string to sign is the base64 policy
//! document exactly as it is posted in the `policy` field.
//!
//! SigV4 (Amazon S3 API reference, "Authenticating Requests: Browser-Based
//! Uploads Using POST"): `hex(HMAC-SHA256(signing key, policy))`, with the
//! signing key of the request's date, region and `s3`. SigV2 (Amazon S3 guide,
//! "Browser-based uploads using POST (AWS signature version 2)"):
//! `base64(HMAC-SHA1(secret, policy))`.

use super::sigv4::{self, Dialect, SigningKey};
use super::{Hex64, Sink, hex32, sigv2};
use crate::timestamp::AmzDate;

/// The SigV4 signature of a base64 policy (`x-amz-signature`), under the
/// signing key of the request's date, region and `s3`.
pub(crate) fn signature_v4(signing_key: &SigningKey, policy_b64: &str) -> Hex64 {
    hex32(&signing_key.sign(policy_b64.as_bytes()))
}

/// The SigV2 signature of a base64 policy (`signature`).
pub(crate) fn signature_v2(secret: &str, policy_b64: &str) -> String {
    sigv2::sign(secret, |mac| mac.put(policy_b64))
}

/// Writes `x-amz-credential`: `AKID/20130524/us-east-1/s3/aws4_request`.
pub(crate) fn put_credential(
    sink: &mut impl Sink,
    dialect: &Dialect,
    access_key_id: &str,
    date: &AmzDate,
    region: &str,
) {
    sink.put(access_key_id);
    sink.put("/");
    sigv4::put_scope(sink, dialect, date.date(), region, "s3", "/");
}
