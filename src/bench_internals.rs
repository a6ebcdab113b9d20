//! Stages of signing that `benches/` times on their own; enabled by the
//! `bench-internals` feature, hidden, and not part of the API.

use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::Presigner;
use crate::signing::StackBuf;
use crate::signing::sigv4::{self, QueryPresign};
use crate::timestamp::AmzDate;

/// Writes the canonical request of a presigned `GET` of `key` in `bucket`
/// (no extra parameters or headers, 3600 s) and hashes it: everything
/// signing does but the HMAC and writing the URL.
/// Returns the SHA-256 of the canonical request.
pub fn canonical_request_sha256(
    presigner: &Presigner,
    bucket: &str,
    key: &str,
    signed_at: OffsetDateTime,
) -> Option<[u8; 32]> {
    with_get(presigner, bucket, key, signed_at, |presign| {
        let mut text = StackBuf::new();
        sigv4::put_canonical_request(&mut text, presign);
        Some(Sha256::digest(text.text()?).into())
    })
    .flatten()
}

/// Only the writing: writes the same canonical request onto the stack and
/// returns its length.
pub fn canonical_request_len(
    presigner: &Presigner,
    bucket: &str,
    key: &str,
    signed_at: OffsetDateTime,
) -> Option<usize> {
    with_get(presigner, bucket, key, signed_at, |presign| {
        let mut text = StackBuf::new();
        sigv4::put_canonical_request(&mut text, presign);
        text.text().map(str::len)
    })
    .flatten()
}

/// Runs `f` on the presign of a plain `GET`, as `PresignRequest::sign`
/// prepares it.
fn with_get<R>(
    presigner: &Presigner,
    bucket: &str,
    key: &str,
    signed_at: OffsetDateTime,
    f: impl FnOnce(&QueryPresign<'_>) -> R,
) -> Option<R> {
    let inner = presigner.inner();
    let date = AmzDate::new(signed_at).ok()?;
    let location = inner.endpoint.locate(inner.url_style, bucket, key).ok()?;
    inner.with_signing_scope(&sigv4::AWS, date.date(), "s3", |scope| {
        Some(f(&QueryPresign {
            dialect: &sigv4::AWS,
            method: "GET",
            location,
            query: &[],
            headers: &[],
            scope: &scope.texts,
            date: &date,
            expires_in: 3600,
            payload_hash: sigv4::UNSIGNED_PAYLOAD,
        }))
    })
}
