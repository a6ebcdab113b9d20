//! Verifying SigV4 query-string presigned URLs: the URL is read back into a
//! [`QueryPresign`] and signed again with the signer's own functions.
//!
//! S3's rules ("Authenticating Requests: Using Query Parameters"): the
//! request is valid from `X-Amz-Date` (less the clock skew) to `X-Amz-Date`
//! plus `X-Amz-Expires`; the scope date is the date of `X-Amz-Date`; every
//! header in `X-Amz-SignedHeaders` must be sent, and `host` is always one.

use std::borrow::Cow;

use subtle::ConstantTimeEq;
use time::OffsetDateTime;
use zeroize::Zeroize;

use super::{Inner, Target, Verified, VerifyError, malformed};
use crate::Method;
use crate::signing::sigv4::{self, AWS, Param, QueryPresign};
use crate::timestamp::AmzDate;

/// A header or query parameter: name and value.
type Pair<'a> = (Cow<'a, str>, Cow<'a, str>);

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
    // The authentication parameters, by `Param` index, and the rest.
    let mut auth: [Option<Cow<'_, str>>; 7] = Default::default();
    let mut query = Vec::with_capacity(target.query.len());
    for (name, value) in target.query {
        match AWS
            .params
            .iter()
            .position(|p| p.eq_ignore_ascii_case(&name))
        {
            Some(i) if AWS.params[i] == name => {
                if auth[i].replace(value).is_some() {
                    return Err(VerifyError::Malformed {
                        reason: format!("the {name} parameter appears twice").into(),
                    });
                }
            }
            Some(i) => {
                return Err(VerifyError::Malformed {
                    reason: format!("parameter {name:?} must be spelt {}", AWS.params[i]).into(),
                });
            }
            None => query.push((name, value)),
        }
    }
    let required = |param: Param| {
        auth[param as usize]
            .as_deref()
            .ok_or_else(|| VerifyError::Malformed {
                reason: format!("the {} parameter is missing", AWS.params[param as usize]).into(),
            })
    };
    if required(Param::Algorithm)? != AWS.algorithm {
        return Err(malformed(
            "X-Amz-Algorithm is not AWS4-HMAC-SHA256, the only algorithm S3 presigned URLs use",
        ));
    }
    let credential = required(Param::Credential)?;
    let given_signature = required(Param::Signature)?;
    let session_token = auth[Param::SecurityToken as usize].as_deref();

    // Credential: access-key-id/date/region/service/aws4_request; the key
    // id is what remains left of the last four parts, so it may hold '/'.
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
                "X-Amz-Credential is not access-key-id/YYYYMMDD/region/service/aws4_request",
            ));
        }
    };
    if terminator != AWS.terminator {
        return Err(malformed("X-Amz-Credential does not end in /aws4_request"));
    }
    let (date, signed_at) = AmzDate::parse(required(Param::Date)?)
        .ok_or_else(|| malformed("X-Amz-Date is not a UTC time written YYYYMMDD'T'HHMMSS'Z'"))?;
    if scope_date != date.date() {
        return Err(malformed(
            "the date in X-Amz-Credential is not the date of X-Amz-Date",
        ));
    }
    let expires_in = parse_expires(required(Param::Expires)?).ok_or_else(|| {
        malformed("X-Amz-Expires is not a whole number of seconds from 1 to 604800")
    })?;
    let signed_header_names = parse_signed_headers(required(Param::SignedHeaders)?)?;

    let accepted = inner
        .region(region)
        .filter(|_| service == SERVICE)
        .ok_or_else(|| VerifyError::WrongScope {
            region: region.to_owned(),
            service: service.to_owned(),
        })?;
    let host = accepted
        .endpoint
        .received_host(target.scheme, target.authority)
        .map_err(request_error)?;
    let location = accepted
        .endpoint
        .resolve(inner.url_style, &host, &target.path)
        .map_err(request_error)?;

    let expires_at = signed_at
        // `expires_in` is at most 604800, so the cast is exact.
        .checked_add(time::Duration::seconds(expires_in as i64))
        .ok_or_else(|| malformed("the request would expire after the year 9999"))?;
    inner.check_window(signed_at, expires_at, now)?;

    let signed_headers = signed_header_values(&signed_header_names, headers)?;

    let credentials = inner.credentials(access_key_id)?;
    let token_matches = match (credentials.session_token(), session_token) {
        (None, None) => true,
        (Some(expected), Some(given)) => expected.as_bytes().ct_eq(given.as_bytes()).into(),
        _ => false,
    };
    if !token_matches {
        return Err(VerifyError::SecurityTokenMismatch);
    }

    sigv4::sort_query(&AWS, &mut query);
    let presign = QueryPresign {
        dialect: &AWS,
        method: method.as_str(),
        location,
        query: &query,
        headers: &signed_headers,
        access_key_id,
        session_token,
        region,
        service,
        date: &date,
        expires_in,
        payload_hash: AWS.payload_hash(&signed_headers, sigv4::UNSIGNED_PAYLOAD),
    };
    let mut key = sigv4::signing_key(
        &AWS,
        credentials.secret_access_key(),
        date.date(),
        region,
        service,
    );
    let expected = sigv4::signature(&presign, &key);
    key.zeroize();
    if !bool::from(
        expected
            .as_str()
            .as_bytes()
            .ct_eq(given_signature.as_bytes()),
    ) {
        return Err(VerifyError::SignatureMismatch);
    }

    Ok(Verified {
        access_key_id: access_key_id.to_owned(),
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

/// A request-building error as a reason the request is malformed.
fn request_error(error: crate::Error) -> VerifyError {
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
