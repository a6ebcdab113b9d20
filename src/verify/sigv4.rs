//! Verifying SigV4 query-string presigned URLs: the URL is read back into a
//! [`QueryPresign`] and signed again with the signer's own functions.
//!
//! S3's rules ("Authenticating Requests: Using Query Parameters"): the
//! request is valid from `X-Amz-Date` (less the clock skew) to `X-Amz-Date`
//! plus `X-Amz-Expires`; the scope date is the date of `X-Amz-Date`; every
//! header in `X-Amz-SignedHeaders` must be sent, and `host` is always one.

use std::borrow::Cow;

use time::OffsetDateTime;

use super::{
    Inner, Pair, Target, Verified, VerifyError, check_signature, check_token, malformed, required,
    take_params,
};
use crate::Method;
use crate::addressing::Endpoint;
use crate::signing::sigv4::{self, AWS, Param, QueryPresign, ScopeTexts, SigningKey};
use crate::timestamp::AmzDate;

/// The only service S3 presigned URLs are scoped to.
const SERVICE: &str = "s3";
/// Longest expiry SigV4 allows, in seconds (7 days).
const MAX_EXPIRES: u64 = 604_800;

/// Whether the URL claims to be SigV4: it carries `X-Amz-Algorithm` or
/// `X-Amz-Signature` (in any case, so that a misspelt one is reported).
pub(super) fn is_sigv4(target: &Target<'_>) -> bool {
    target.query.iter().any(|(name, _)| {
        [Param::Algorithm, Param::Signature]
            .iter()
            .any(|&p| AWS.params[p as usize].eq_ignore_ascii_case(name))
    })
}

/// Checks a SigV4 presigned URL; see [`Verifier::verify_url`](super::Verifier::verify_url).
pub(super) fn verify(
    inner: &Inner,
    method: Method,
    target: Target<'_>,
    headers: &[(&str, &str)],
    now: OffsetDateTime,
) -> Result<Verified, VerifyError> {
    let (auth, mut query) = take_params(target.query, AWS.params, true)?;
    let required = |param: Param| required(&auth, &AWS.params, param as usize);
    check_algorithm(required(Param::Algorithm)?)?;
    let given_signature = required(Param::Signature)?;
    let session_token = auth[Param::SecurityToken as usize].as_deref();
    let scope = Scope::parse(inner, required(Param::Credential)?, required(Param::Date)?)?;
    let expires_in = parse_expires(required(Param::Expires)?).ok_or_else(|| {
        malformed("X-Amz-Expires is not a whole number of seconds from 1 to 604800")
    })?;
    let signed_header_names = parse_signed_headers(required(Param::SignedHeaders)?)?;

    let host = scope
        .endpoint
        .received_host(target.scheme, target.authority)
        .map_err(request_error)?;
    let location = scope
        .endpoint
        .resolve(inner.url_style, &host, &target.path)
        .map_err(request_error)?;

    let expires_at = scope
        .signed_at
        // `expires_in` is at most 604800, so the cast is exact.
        .checked_add(time::Duration::seconds(expires_in as i64))
        .ok_or_else(|| malformed("the request would expire after the year 9999"))?;
    inner.check_window(scope.signed_at, expires_at, now)?;

    let signed_headers = signed_header_values(&signed_header_names, headers)?;

    let credentials = inner.credentials(scope.access_key_id)?;
    check_token(&credentials, session_token)?;

    sigv4::sort_query(&AWS, &mut query);
    let presign = QueryPresign {
        dialect: &AWS,
        method: method.as_str(),
        location,
        query: &query,
        headers: &signed_headers,
        scope: &ScopeTexts::new(
            &AWS,
            scope.access_key_id,
            session_token,
            scope.date.date(),
            scope.region,
            SERVICE,
        ),
        date: &scope.date,
        expires_in,
        payload_hash: AWS.payload_hash(&signed_headers, sigv4::UNSIGNED_PAYLOAD),
    };
    // The canonical request as the signer writes it.
    let expected = sigv4::signature(
        &presign,
        &scope.signing_key(credentials.secret_access_key()),
    );
    check_signature(expected.as_str(), given_signature)?;

    Ok(Verified {
        access_key_id: scope.access_key_id.to_owned(),
        bucket: location.bucket().to_owned(),
        key: location.key().to_owned(),
        expires_at,
        signed_headers: signed_header_names.iter().map(|&n| n.to_owned()).collect(),
        query: query
            .into_iter()
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect(),
    })
}

/// `X-Amz-Algorithm` (or a POST form's `x-amz-algorithm`) must be SigV4's.
pub(super) fn check_algorithm(algorithm: &str) -> Result<(), VerifyError> {
    if algorithm == AWS.algorithm {
        Ok(())
    } else {
        Err(malformed(
            "the algorithm is not AWS4-HMAC-SHA256, the only one S3 presigned requests use",
        ))
    }
}

/// A SigV4 credential scope and signing time, read from a credential
/// (`access-key-id/YYYYMMDD/region/s3/aws4_request`) and an `X-Amz-Date`,
/// and checked against the verifier's regions.
pub(super) struct Scope<'a> {
    pub(super) access_key_id: &'a str,
    pub(super) region: &'a str,
    pub(super) date: AmzDate,
    pub(super) signed_at: OffsetDateTime,
    /// Where requests in the region arrive.
    pub(super) endpoint: &'a Endpoint,
}

impl<'a> Scope<'a> {
    /// The SigV4 signing key of this scope for `secret`.
    pub(super) fn signing_key(&self, secret: &str) -> SigningKey {
        sigv4::signing_key(&AWS, secret, self.date.date(), self.region, SERVICE)
    }

    /// Reads and checks the scope: well formed ([`VerifyError::Malformed`]),
    /// for service `s3` in an accepted region ([`VerifyError::WrongScope`]).
    pub(super) fn parse(
        inner: &'a Inner,
        credential: &'a str,
        amz_date: &str,
    ) -> Result<Self, VerifyError> {
        // The key id is what remains left of the last four parts, so it may
        // hold '/'.
        let mut parts = credential.rsplitn(5, '/');
        let (terminator, service, region, scope_date, access_key_id) = match (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) {
            (Some(t), Some(s), Some(r), Some(d), Some(k)) if !k.is_empty() => (t, s, r, d, k),
            _ => {
                return Err(malformed(
                    "the credential is not access-key-id/YYYYMMDD/region/service/aws4_request",
                ));
            }
        };
        if terminator != AWS.terminator {
            return Err(malformed("the credential does not end in /aws4_request"));
        }
        let (date, signed_at) = AmzDate::parse(amz_date)
            .ok_or_else(|| malformed("the date is not a UTC time written YYYYMMDD'T'HHMMSS'Z'"))?;
        if scope_date != date.date() {
            return Err(malformed(
                "the date in the credential is not the date of the signing time",
            ));
        }
        let accepted = inner
            .region(region)
            .filter(|_| service == SERVICE)
            .ok_or_else(|| VerifyError::WrongScope {
                region: region.to_owned(),
                service: service.to_owned(),
            })?;
        Ok(Self {
            access_key_id,
            region,
            date,
            signed_at,
            endpoint: &accepted.endpoint,
        })
    }
}

/// A request-building error as a reason the request is malformed.
pub(super) fn request_error(error: crate::Error) -> VerifyError {
    VerifyError::Malformed {
        reason: error.to_string().into(),
    }
}

/// `X-Amz-Expires` as the signer writes it: 1 to 604800, in decimal
/// without sign or leading zeros (the canonical query is rebuilt from the
/// number, so another spelling could never match).
fn parse_expires(s: &str) -> Option<u64> {
    if s.is_empty() || s.len() > 6 || s.starts_with('0') || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok().filter(|&n| (1..=MAX_EXPIRES).contains(&n))
}

/// `X-Amz-SignedHeaders`: `;`-separated lowercase header names in strictly
/// ascending order (as SigV4 writes them), `host` among them.
fn parse_signed_headers(s: &str) -> Result<Vec<&str>, VerifyError> {
    const TCHAR: &[u8] = b"!#$%&'*+-.^_`|~";
    let names: Vec<&str> = s.split(';').collect();
    let well_formed = names.iter().all(|n| {
        !n.is_empty()
            && n.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || TCHAR.contains(&b))
    });
    if !well_formed || !names.windows(2).all(|w| w[0] < w[1]) {
        return Err(malformed(
            "X-Amz-SignedHeaders is not a sorted list of lowercase header names separated by ';'",
        ));
    }
    if !names.contains(&"host") {
        return Err(malformed(
            "X-Amz-SignedHeaders does not include host, which SigV4 always signs",
        ));
    }
    Ok(names)
}

/// The values of the signed headers other than `host`, by name, from the
/// received `headers` (names in any case). A header received several times
/// is signed as its canonical values joined with `,` (SigV4; botocore's
/// `_canonical_headers`). An `x-amz-*` header that is not signed is refused.
fn signed_header_values<'a>(
    names: &[&'a str],
    headers: &[(&'a str, &'a str)],
) -> Result<Vec<Pair<'a>>, VerifyError> {
    if let Some((name, _)) = headers.iter().find(|(name, _)| {
        name.get(..6)
            .is_some_and(|p| p.eq_ignore_ascii_case("x-amz-"))
            && !names.iter().any(|n| n.eq_ignore_ascii_case(name))
    }) {
        return Err(VerifyError::UnsignedHeader {
            name: name.to_ascii_lowercase(),
        });
    }
    let mut values = Vec::with_capacity(names.len().saturating_sub(1));
    for &name in names.iter().filter(|&&n| n != "host") {
        let mut received = headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, v)| v);
        let first = received
            .next()
            .ok_or_else(|| VerifyError::MissingSignedHeader {
                name: name.to_owned(),
            })?;
        let value = match received.next() {
            None => Cow::Borrowed(first),
            Some(second) => {
                let mut joined = String::new();
                for (i, v) in [first, second].into_iter().chain(received).enumerate() {
                    if i > 0 {
                        joined.push(',');
                    }
                    sigv4::put_canonical_header_value(&mut joined, v);
                }
                Cow::Owned(joined)
            }
        };
        values.push((Cow::Borrowed(name), value));
    }
    Ok(values)
}
