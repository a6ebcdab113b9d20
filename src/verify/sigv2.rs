//! Verifying legacy SigV2 query-string presigned URLs (`AWSAccessKeyId`,
//! `Expires`, `Signature`): the URL and headers are read back into a
//! [`sigv2::QueryPresign`] and signed again with the signer's functions.
//!
//! S3's rules ("Query string request authentication alternative"): the
//! string to sign is built from the request as received, so the
//! `Content-MD5`, `Content-Type` and `x-amz-*` headers it carries are signed
//! whatever the URL says; the request is valid until `Expires`, in seconds
//! since 1970; only S3's sub-resources among the query parameters are
//! signed.

use std::borrow::Cow;

use time::OffsetDateTime;

use super::sigv4::request_error;
use super::{
    Inner, Pair, Target, Verified, VerifyError, check_signature, check_token, malformed, required,
    take_params,
};
use crate::Method;
use crate::addressing::{Endpoint, UrlStyle};
use crate::signing::python_strip;
use crate::signing::sigv2::{self, is_signed_header, is_sub_resource};
use crate::signing::sigv4::{self, AWS};

/// The authentication parameters, as botocore writes them.
const PARAMS: [&str; 3] = ["AWSAccessKeyId", "Signature", "Expires"];
const ACCESS_KEY_ID: usize = 0;
const SIGNATURE: usize = 1;
const EXPIRES: usize = 2;
/// The session token, in the query or as a header.
const TOKEN: &str = "x-amz-security-token";

/// Whether the URL claims to be SigV2: it carries `AWSAccessKeyId` or
/// `Signature` (in any case, so that a misspelt one is reported).
pub(super) fn is_sigv2(target: &Target<'_>) -> bool {
    target
        .query
        .iter()
        .any(|(name, _)| PARAMS[..2].iter().any(|p| p.eq_ignore_ascii_case(name)))
}

/// Checks a SigV2 presigned URL; see [`Verifier::verify_url`](super::Verifier::verify_url).
pub(super) fn verify(
    inner: &Inner,
    method: Method,
    target: Target<'_>,
    headers: &[(&str, &str)],
    now: OffsetDateTime,
) -> Result<Verified, VerifyError> {
    let (auth, rest) = take_params(target.query, PARAMS, true)?;
    let access_key_id = required(&auth, &PARAMS, ACCESS_KEY_ID)?;
    let given_signature = required(&auth, &PARAMS, SIGNATURE)?;
    if access_key_id.is_empty() {
        return Err(malformed("AWSAccessKeyId is empty"));
    }
    let expires_at = parse_expires(required(&auth, &PARAMS, EXPIRES)?)
        .ok_or_else(|| malformed("Expires is not a time in seconds since 1970"))?;

    // botocore copies the signed headers into the query; they say which
    // headers the client must send, and with which values. The token is the
    // query's if there.
    let (token, rest) = take_params(rest, [TOKEN], false)?;
    let mut query = Vec::with_capacity(rest.len());
    let mut declared = Vec::new();
    for (name, value) in rest {
        if is_signed_header(&name.to_ascii_lowercase()) {
            declared.push((name, value));
        } else {
            query.push((name, value));
        }
    }
    let [query_token] = token;

    if now > expires_at {
        return Err(VerifyError::Expired { expires_at });
    }
    let (endpoint, host) = endpoint(inner, target.scheme, target.authority, &target.path)?;
    let location = endpoint
        .resolve(inner.url_style, &host, &target.path)
        .map_err(request_error)?;
    let mut signed_headers = signed_header_values(headers);
    let header_token = signed_headers
        .iter()
        .position(|(name, _)| name == TOKEN)
        .map(|i| signed_headers.remove(i).1);
    let session_token = query_token.or(header_token);
    // The copies are not signed, but a header sent with another value than
    // the URL states is not the request that was signed.
    for (name, value) in &declared {
        match signed_headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            None => {
                return Err(VerifyError::MissingSignedHeader {
                    name: name.to_ascii_lowercase(),
                });
            }
            Some((_, sent)) if python_strip(sent) != python_strip(value) => {
                return Err(VerifyError::SignatureMismatch);
            }
            Some(_) => {}
        }
    }

    let credentials = inner.credentials(access_key_id)?;
    check_token(&credentials, session_token.as_deref())?;
    sigv4::sort_query(&AWS, &mut query);
    let presign = sigv2::QueryPresign {
        method: method.as_str(),
        location,
        query: &query,
        headers: &signed_headers,
        access_key_id,
        session_token: session_token.as_deref(),
        // `parse_expires` only accepts what `put_u64` writes back.
        expires: expires_at.unix_timestamp().unsigned_abs(),
    };
    let expected = sigv2::signature(&presign, credentials.secret_access_key());
    check_signature(&expected, given_signature)?;

    Ok(Verified {
        access_key_id: access_key_id.to_owned(),
        bucket: location.bucket().to_owned(),
        key: location.key().to_owned(),
        expires_at,
        signed_headers: signed_headers
            .into_iter()
            .map(|(n, _)| n.into_owned())
            .collect(),
        query: query
            .into_iter()
            .filter(|(name, _)| is_sub_resource(name))
            .map(|(n, v)| (n.into_owned(), v.into_owned()))
            .collect(),
    })
}

/// `Expires` as the signer writes it: decimal seconds since 1970 without
/// sign or leading zeros (the string to sign is rebuilt from the number).
fn parse_expires(s: &str) -> Option<OffsetDateTime> {
    if s.is_empty() || (s.len() > 1 && s.starts_with('0')) || !s.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    OffsetDateTime::from_unix_timestamp(s.parse().ok()?).ok()
}

/// The endpoint the request arrived at, and its host as signed. SigV2 has
/// no region: the host must be the endpoint of one of the accepted regions
/// (they all share a configured one).
fn endpoint<'a>(
    inner: &'a Inner,
    scheme: Option<&str>,
    authority: &str,
    path: &str,
) -> Result<(&'a Endpoint, String), VerifyError> {
    if inner.url_style == UrlStyle::CustomDomain {
        return Err(malformed(
            "SigV2 signs the bucket, which a custom-domain request does not name",
        ));
    }
    let mut first_error = None;
    for region in &inner.regions {
        let found = region
            .endpoint
            .received_host(scheme, authority)
            .and_then(|host| {
                region.endpoint.resolve(inner.url_style, &host, path)?;
                Ok(host)
            });
        match found {
            Ok(host) => return Ok((&region.endpoint, host)),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    // The builder requires a region, so there was at least one error.
    Err(first_error.map_or_else(|| malformed("no accepted region"), request_error))
}

/// The headers SigV2 signs from the request as received: `content-md5`,
/// `content-type` and `x-amz-*`, lowercase, sorted, a header received
/// several times joined with `,` (botocore's `canonical_custom_headers`).
fn signed_header_values<'a>(headers: &[(&'a str, &'a str)]) -> Vec<Pair<'a>> {
    let mut signed: Vec<Pair<'a>> = Vec::new();
    for &(name, value) in headers {
        let lower = name.to_ascii_lowercase();
        if !is_signed_header(&lower) {
            continue;
        }
        match signed.iter_mut().find(|(n, _)| *n == lower) {
            Some((_, joined)) => {
                let joined = joined.to_mut();
                let trimmed = python_strip(joined).to_owned();
                *joined = format!("{trimmed},{}", python_strip(value));
            }
            None => signed.push((Cow::Owned(lower), Cow::Borrowed(value))),
        }
    }
    signed.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    signed
}
