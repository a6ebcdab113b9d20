//! AWS Signature Version 2, query-string form: legacy S3 presigned URLs
//! (`AWSAccessKeyId`, `Expires`, `Signature`).
//!
//! Follows the Amazon S3 guide ("Signing and authenticating REST requests",
//! "Query string request authentication alternative") and botocore's
//! `HmacV1QueryAuth`, the reference for every byte here:
//!
//! ```text
//! string to sign = METHOD \n Content-MD5 \n Content-Type \n Expires \n
//!                  { x-amz-name:value \n }  /bucket/encoded-key [ ?sub-resources ]
//! signature      = base64(HMAC-SHA1(secret, string to sign))
//! ```

use std::borrow::Cow;

use hmac::Mac;
use time::OffsetDateTime;

use super::{Sink, base64_encode, new_hmac_sha1, put_u64, python_strip};
use crate::Error;
use crate::addressing::Location;
use crate::encoding::put_query_component;

/// The query parameters SigV2 signs: S3's sub-resources, as botocore lists
/// them (`HmacV1Auth.QSAOfInterest`, botocore 1.44.5). Every other query
/// parameter is sent unsigned.
const SUB_RESOURCES: &[&str] = &[
    "accelerate",
    "acl",
    "analytics",
    "cors",
    "defaultObjectAcl",
    "delete",
    "inventory",
    "lifecycle",
    "location",
    "logging",
    "metrics",
    "notification",
    "object-lock",
    "partNumber",
    "policy",
    "replication",
    "requestPayment",
    "response-cache-control",
    "response-content-disposition",
    "response-content-encoding",
    "response-content-language",
    "response-content-type",
    "response-expires",
    "restore",
    "select",
    "select-type",
    "storageClass",
    "tagging",
    "torrent",
    "uploadId",
    "uploads",
    "versionId",
    "versioning",
    "versions",
    "website",
];

/// The session token's header, signed as an `x-amz-*` line and sent in the
/// query.
const TOKEN: &str = "x-amz-security-token";

/// Everything a SigV2 query presign covers, borrowed from the caller.
pub(crate) struct QueryPresign<'a> {
    pub(crate) method: &'a str,
    pub(crate) location: Location<'a>,
    /// Query parameters (decoded), sorted by name (only the sub-resources
    /// among them are signed).
    pub(crate) query: &'a [(Cow<'a, str>, Cow<'a, str>)],
    /// Lowercase names, sorted, each passing [`check_headers`].
    pub(crate) headers: &'a [(Cow<'a, str>, Cow<'a, str>)],
    pub(crate) access_key_id: &'a str,
    pub(crate) session_token: Option<&'a str>,
    /// Seconds since 1970.
    pub(crate) expires: u64,
}

/// Whether SigV2 signs the query parameter `name` (case-sensitive, as S3
/// and botocore compare it).
pub(crate) fn is_sub_resource(name: &str) -> bool {
    SUB_RESOURCES.binary_search(&name).is_ok()
}

/// SigV2 signs only `content-md5`, `content-type` and `x-amz-*` headers.
/// botocore drops any other header silently; a caller who asked for `range`
/// to be enforced is told instead.
pub(crate) fn check_headers(headers: &[(Cow<'_, str>, Cow<'_, str>)]) -> Result<(), Error> {
    for (name, _) in headers {
        let reason = if name == TOKEN {
            "the session token is signed from the credentials; use Credentials::with_session_token"
        } else if is_signed_header(name) {
            continue;
        } else {
            "SigV2 signs only content-md5, content-type and x-amz-* headers; \
             sign with .sign() (SigV4) to have this header enforced"
        };
        return Err(Error::InvalidHeaderName {
            name: name.clone().into_owned(),
            reason,
        });
    }
    Ok(())
}

/// Query parameters that the signer writes itself: the authentication
/// parameters, and the headers, which botocore copies into the query. Any
/// parameter named like a header SigV2 signs (`content-md5`,
/// `content-type`, `x-amz-*`) would read as such a copy, so it is refused
/// too: add the header instead.
pub(crate) fn check_query(
    query: &[(Cow<'_, str>, Cow<'_, str>)],
    headers: &[(Cow<'_, str>, Cow<'_, str>)],
) -> Result<(), Error> {
    let written = ["AWSAccessKeyId", "Signature", "Expires", TOKEN]
        .into_iter()
        .chain(headers.iter().map(|(name, _)| name.as_ref()));
    for written in written {
        if let Some((name, _)) = query
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(written))
        {
            return Err(Error::ReservedQueryParameter {
                name: name.clone().into_owned(),
            });
        }
    }
    if let Some((name, _)) = query
        .iter()
        .find(|(name, _)| is_signed_header(&name.to_ascii_lowercase()))
    {
        return Err(Error::ReservedQueryParameter {
            name: name.clone().into_owned(),
        });
    }
    Ok(())
}

/// Whether SigV2 signs a header of this lowercase name.
pub(crate) fn is_signed_header(name: &str) -> bool {
    name == "content-md5" || name == "content-type" || name.starts_with("x-amz-")
}

/// `Expires`: the absolute expiry in seconds since 1970 (botocore:
/// `int(time.time() + expires)`).
pub(crate) fn expires(signed_at: OffsetDateTime, expires_in: u64) -> Result<u64, Error> {
    // `expires_in` is at most 604800 and timestamps fit in i64 comfortably.
    u64::try_from(signed_at.unix_timestamp() + expires_in as i64).map_err(|_| {
        Error::InvalidSigningTime {
            signed_at,
            reason: "SigV2 writes the expiry in seconds since 1970, so it must not be before 1970",
        }
    })
}

/// The `x-amz-*` headers to sign, sorted, with the session token merged
/// in at its place.
fn amz_headers<'a>(p: &'a QueryPresign<'a>) -> impl Iterator<Item = (&'a str, &'a str)> + 'a {
    let split = p.headers.partition_point(|(name, _)| name.as_ref() < TOKEN);
    let (before, after) = p.headers.split_at(split);
    let amz = |(n, v): &'a (Cow<'a, str>, Cow<'a, str>)| {
        n.starts_with("x-amz-").then_some((n.as_ref(), v.as_ref()))
    };
    before
        .iter()
        .filter_map(amz)
        .chain(p.session_token.map(|t| (TOKEN, t)))
        .chain(after.iter().filter_map(amz))
}

/// The value of header `name`, if the caller set it.
fn header<'a>(p: &'a QueryPresign<'a>, name: &str) -> Option<&'a str> {
    p.headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_ref())
}

/// Writes the string to sign.
pub(crate) fn put_string_to_sign(sink: &mut impl Sink, p: &QueryPresign<'_>) {
    sink.put(p.method);
    sink.put("\n");
    // Values are stripped of surrounding whitespace (botocore: `.strip()`);
    // inner whitespace is kept, unlike SigV4.
    sink.put(python_strip(header(p, "content-md5").unwrap_or_default()));
    sink.put("\n");
    sink.put(python_strip(header(p, "content-type").unwrap_or_default()));
    sink.put("\n");
    put_u64(sink, p.expires);
    sink.put("\n");
    for (name, value) in amz_headers(p) {
        sink.put(name);
        sink.put(":");
        sink.put(python_strip(value));
        sink.put("\n");
    }
    p.location.put_resource(sink);
    // Sub-resources sorted by name, values decoded; one with an empty value
    // is written bare (`?uploads`).
    let mut separator = "?";
    for (name, value) in p.query.iter().filter(|(name, _)| is_sub_resource(name)) {
        sink.put(separator);
        separator = "&";
        sink.put(name);
        if !value.is_empty() {
            sink.put("=");
            sink.put(value);
        }
    }
}

/// The base64 HMAC-SHA1 of what `write` puts, under `secret`.
pub(crate) fn sign(secret: &str, write: impl FnOnce(&mut hmac::Hmac<sha1::Sha1>)) -> String {
    let mut mac = new_hmac_sha1(secret.as_bytes());
    write(&mut mac);
    base64_encode(&mac.finalize().into_bytes())
}

/// The base64 signature of the request.
pub(crate) fn signature(p: &QueryPresign<'_>, secret: &str) -> String {
    sign(secret, |mac| put_string_to_sign(mac, p))
}

/// Writes the presigned URL: origin, path, the caller's query, then
/// `AWSAccessKeyId`, `Signature`, the headers, the token and `Expires`
/// (botocore's order).
pub(crate) fn put_url(sink: &mut impl Sink, p: &QueryPresign<'_>, signature: &str) {
    p.location.put_origin(sink);
    p.location.put_path(sink);
    sink.put("?");
    for (name, value) in p.query {
        put_query_component(sink, name);
        // A bare sub-resource stays bare in the URL, so S3 signs what we did.
        if !(value.is_empty() && is_sub_resource(name)) {
            sink.put("=");
            put_query_component(sink, value);
        }
        sink.put("&");
    }
    sink.put("AWSAccessKeyId=");
    put_query_component(sink, p.access_key_id);
    sink.put("&Signature=");
    put_query_component(sink, signature);
    // Header values go into the query as given; the signature covers them
    // trimmed.
    for (name, value) in p.headers {
        sink.put("&");
        // Header names are tokens, which may hold '#', '&' or '%'.
        put_query_component(sink, name);
        sink.put("=");
        put_query_component(sink, value);
    }
    if let Some(token) = p.session_token {
        sink.put("&");
        sink.put(TOKEN);
        sink.put("=");
        put_query_component(sink, token);
    }
    sink.put("&Expires=");
    put_u64(sink, p.expires);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sub_resources_are_sorted_for_binary_search() {
        assert!(SUB_RESOURCES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_sub_resource("uploads") && is_sub_resource("response-expires"));
        assert!(!is_sub_resource("prefix") && !is_sub_resource("versionid"));
    }
}
