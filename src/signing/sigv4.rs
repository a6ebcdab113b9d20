//! AWS Signature Version 4, query-string ("presigned URL") form.
//!
//! Follows the SigV4 specification (AWS General Reference, "Create a signed
//! AWS API request" and "Authenticating Requests: Using Query Parameters")
//! and botocore's `S3SigV4QueryAuth`, the reference for every byte here:
//!
//! ```text
//! canonical request = METHOD \n canonical URI \n canonical query \n
//!                     canonical headers \n \n signed headers \n payload hash
//! string to sign    = AWS4-HMAC-SHA256 \n timestamp \n scope \n hex(sha256(canonical request))
//! signing key       = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")
//! signature         = hex(HMAC(signing key, string to sign))
//! ```

use std::borrow::Cow;
use std::cmp::Ordering;
use std::ops::Range;

use hmac::Hmac;
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

use super::{
    Buffer, Counted, Hex64, Len, Sink, StackBuf, hex32, hmac_sha256, is_python_space,
    new_hmac_sha256, put_u64,
};
use crate::addressing::Location;
use crate::encoding::{cmp_query_encoded, put_query_component};
use crate::timestamp::AmzDate;

/// The names a SigV4 variant uses; other stores reuse the algorithm with
/// their own prefixes.
pub(crate) struct Dialect {
    /// `AWS4-HMAC-SHA256`.
    pub(crate) algorithm: &'static str,
    /// Prepended to the secret for the first HMAC: `AWS4`.
    pub(crate) key_prefix: &'static str,
    /// Last element of the credential scope: `aws4_request`.
    pub(crate) terminator: &'static str,
    /// Query parameter names, in [`Param`] order.
    pub(crate) params: [&'static str; 7],
    /// How the canonical query string is ordered.
    pub(crate) query_order: QueryOrder,
    /// How signed header values are canonicalised.
    pub(crate) header_values: HeaderValues,
    /// A header whose value, when the caller signs it, is the payload hash.
    pub(crate) content_sha256_header: &'static str,
}

/// How a dialect orders the canonical query string.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum QueryOrder {
    /// By encoded name, then encoded value (SigV4, GCS).
    Encoded,
    /// By raw (decoded) name, then raw value (TOS: `sorted(params)` on the
    /// decoded names in the `tos` SDK's `_canonical_query_string_params`).
    Raw,
}

/// How a dialect canonicalises signed header values.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeaderValues {
    /// Trimmed, inner runs of spaces and tabs collapsed (SigV4 `Trimall`,
    /// GCS).
    Collapse,
    /// Trimmed only: the `tos` SDK signs values verbatim, and HTTP drops the
    /// surrounding whitespace before the server sees them (RFC 9110 §5.5).
    Trim,
}

/// Amazon S3 (and every S3-compatible store that speaks SigV4), and every
/// other AWS service.
pub(crate) const AWS: Dialect = Dialect {
    algorithm: "AWS4-HMAC-SHA256",
    key_prefix: "AWS4",
    terminator: "aws4_request",
    params: [
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-Expires",
        "X-Amz-Security-Token",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
    ],
    query_order: QueryOrder::Encoded,
    header_values: HeaderValues::Collapse,
    // botocore's `SigV4Auth.canonical_request` uses this header when present.
    content_sha256_header: "x-amz-content-sha256",
};

/// Volcengine TOS native signing (`tos` SDK `tos/auth.py`): no key prefix,
/// scope terminator `request`, `X-Tos-*` parameters.
pub(crate) const TOS: Dialect = Dialect {
    algorithm: "TOS4-HMAC-SHA256",
    key_prefix: "",
    terminator: "request",
    params: [
        "X-Tos-Algorithm",
        "X-Tos-Credential",
        "X-Tos-Date",
        "X-Tos-Expires",
        "X-Tos-Security-Token",
        "X-Tos-SignedHeaders",
        "X-Tos-Signature",
    ],
    query_order: QueryOrder::Raw,
    header_values: HeaderValues::Trim,
    content_sha256_header: "x-tos-content-sha256",
};

/// Google Cloud Storage V4 signing with an HMAC key (Cloud Storage docs,
/// "Signatures": key prefix `GOOG4`, terminator `goog4_request`). GCS has no
/// session tokens; the name below is never written, as the presigner refuses
/// credentials that carry one.
pub(crate) const GCS: Dialect = Dialect {
    algorithm: "GOOG4-HMAC-SHA256",
    key_prefix: "GOOG4",
    terminator: "goog4_request",
    params: [
        "X-Goog-Algorithm",
        "X-Goog-Credential",
        "X-Goog-Date",
        "X-Goog-Expires",
        "X-Goog-Security-Token",
        "X-Goog-SignedHeaders",
        "X-Goog-Signature",
    ],
    query_order: QueryOrder::Encoded,
    header_values: HeaderValues::Collapse,
    content_sha256_header: "x-goog-content-sha256",
};

/// The payload hash of a presigned S3-style request whose body is unknown.
pub(crate) const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

/// The payload hash of an empty body: hex SHA-256 of "".
pub(crate) const EMPTY_PAYLOAD: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

impl Dialect {
    /// Orders two query names (or two values of one name) canonically.
    pub(crate) fn cmp_query(&self, a: &str, b: &str) -> Ordering {
        match self.query_order {
            QueryOrder::Encoded => cmp_query_encoded(a, b),
            QueryOrder::Raw => a.cmp(b),
        }
    }

    /// Writes a header value in its canonical form.
    pub(crate) fn put_header_value(&self, sink: &mut impl Sink, value: &str) {
        match self.header_values {
            HeaderValues::Collapse => put_canonical_header_value(sink, value),
            HeaderValues::Trim => sink.put(value.trim_matches([' ', '\t'])),
        }
    }

    /// The payload hash: the value of the dialect's content-SHA256 header if
    /// the caller signs one, else `default`. `headers` are sorted, lowercase.
    pub(crate) fn payload_hash<'a>(
        &self,
        headers: &'a [(Cow<'a, str>, Cow<'a, str>)],
        default: &'a str,
    ) -> &'a str {
        headers
            .binary_search_by(|(name, _)| name.as_ref().cmp(self.content_sha256_header))
            .map_or(default, |i| headers[i].1.trim_matches([' ', '\t']))
    }
}

/// The authentication parameters, in the order their names sort (and the
/// order botocore writes them).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Param {
    Algorithm,
    Credential,
    Date,
    Expires,
    SecurityToken,
    SignedHeaders,
    Signature,
}

impl Param {
    /// The parameters covered by the signature, in sorted order.
    const SIGNED: [Param; 6] = [
        Param::Algorithm,
        Param::Credential,
        Param::Date,
        Param::Expires,
        Param::SecurityToken,
        Param::SignedHeaders,
    ];
}

/// Everything a SigV4 query presign covers, borrowed from the caller.
pub(crate) struct QueryPresign<'a> {
    pub(crate) dialect: &'a Dialect,
    pub(crate) method: &'a str,
    pub(crate) location: Location<'a>,
    /// Extra query parameters (decoded), sorted by [`sort_query`].
    pub(crate) query: &'a [(Cow<'a, str>, Cow<'a, str>)],
    /// Extra signed headers: lowercase names, sorted by name, never `host`.
    pub(crate) headers: &'a [(Cow<'a, str>, Cow<'a, str>)],
    pub(crate) access_key_id: &'a str,
    pub(crate) session_token: Option<&'a str>,
    pub(crate) region: &'a str,
    pub(crate) service: &'a str,
    pub(crate) date: &'a AmzDate,
    pub(crate) expires_in: u64,
    /// `UNSIGNED-PAYLOAD` for S3, or the hex SHA-256 of the body.
    pub(crate) payload_hash: &'a str,
}

/// Sorts extra query parameters into the dialect's canonical order: by name,
/// then by value. In place and without allocating.
pub(crate) fn sort_query(dialect: &Dialect, query: &mut [(Cow<'_, str>, Cow<'_, str>)]) {
    query.sort_unstable_by(|a, b| {
        dialect
            .cmp_query(&a.0, &b.0)
            .then_with(|| dialect.cmp_query(&a.1, &b.1))
    });
}

/// The SigV4 signing key, `kSigning` (computed once a day per region and
/// service in practice).
pub(crate) fn signing_key(
    dialect: &Dialect,
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
) -> [u8; 32] {
    // "AWS4" + secret, on the stack for keys of every realistic length.
    let mut buf = [0u8; 128];
    let prefixed_len = dialect.key_prefix.len() + secret.len();
    let mut heap = None;
    let prefixed: &[u8] = if prefixed_len <= buf.len() {
        buf[..dialect.key_prefix.len()].copy_from_slice(dialect.key_prefix.as_bytes());
        buf[dialect.key_prefix.len()..prefixed_len].copy_from_slice(secret.as_bytes());
        &buf[..prefixed_len]
    } else {
        heap.insert([dialect.key_prefix, secret].concat())
            .as_bytes()
    };
    let mut k_date = hmac_sha256(prefixed, date.as_bytes());
    // The buffers hold a copy of the secret: wipe them, as `Credentials` does.
    buf.zeroize();
    if let Some(heap) = &mut heap {
        heap.zeroize();
    }
    let mut k_region = hmac_sha256(&k_date, region.as_bytes());
    let mut k_service = hmac_sha256(&k_region, service.as_bytes());
    let k_signing = hmac_sha256(&k_service, dialect.terminator.as_bytes());
    // The intermediate keys sign for any region or service of the day. (The
    // HMAC states are wiped on drop by the hashes' `zeroize` feature.)
    k_date.zeroize();
    k_region.zeroize();
    k_service.zeroize();
    k_signing
}

/// A SigV4 signing key, held as HMAC-SHA256 already keyed with it: keying
/// hashes two blocks, so it is done once per key instead of once per
/// signature. Its state is wiped when dropped (`hmac`'s `zeroize` feature).
#[derive(Clone)]
pub(crate) struct SigningKey(Hmac<Sha256>);

impl SigningKey {
    pub(crate) fn new(key: &[u8; 32]) -> Self {
        Self(new_hmac_sha256(key))
    }

    /// HMAC-SHA256 under this key, ready for [`Sink::put`].
    pub(crate) fn mac(&self) -> Hmac<Sha256> {
        self.0.clone()
    }
}

/// Writes the credential scope: `date/region/service/aws4_request`, with
/// `separator` between the parts (`/`, or `%2F` inside the query).
///
/// Regions are validated to unreserved characters when the presigner is
/// built, so the scope reads the same encoded or not.
pub(crate) fn put_scope(
    sink: &mut impl Sink,
    dialect: &Dialect,
    date: &AmzDate,
    region: &str,
    service: &str,
    separator: &str,
) {
    sink.put(date.date());
    sink.put(separator);
    sink.put(region);
    sink.put(separator);
    sink.put(service);
    sink.put(separator);
    sink.put(dialect.terminator);
}

/// Writes the value of one authentication parameter, query-encoded.
fn put_param_value(sink: &mut impl Sink, p: &QueryPresign<'_>, param: Param, signature: &str) {
    match param {
        Param::Algorithm => sink.put(p.dialect.algorithm),
        Param::Credential => {
            put_query_component(sink, p.access_key_id);
            sink.put("%2F");
            put_scope(sink, p.dialect, p.date, p.region, p.service, "%2F");
        }
        Param::Date => sink.put(p.date.timestamp()),
        Param::Expires => put_u64(sink, p.expires_in),
        Param::SecurityToken => put_query_component(sink, p.session_token.unwrap_or_default()),
        Param::SignedHeaders => {
            for (i, name) in signed_header_names(p).enumerate() {
                if i > 0 {
                    sink.put("%3B");
                }
                put_query_component(sink, name);
            }
        }
        Param::Signature => sink.put(signature),
    }
}

/// Writes the canonical query string: the caller's parameters and the
/// authentication parameters (all but the signature), encoded, sorted by
/// name. The URL carries the same string followed by the signature.
pub(crate) fn put_canonical_query(sink: &mut impl Sink, p: &QueryPresign<'_>) {
    let mut auth = Param::SIGNED
        .into_iter()
        .filter(|&param| param != Param::SecurityToken || p.session_token.is_some())
        .peekable();
    let mut extra = p.query.iter().peekable();
    let mut first = true;
    loop {
        let take_auth = match (auth.peek(), extra.peek()) {
            (None, None) => break,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(&param), Some((name, _))) => {
                p.dialect.cmp_query(p.dialect.params[param as usize], name) != Ordering::Greater
            }
        };
        if !first {
            sink.put("&");
        }
        first = false;
        if take_auth {
            if let Some(param) = auth.next() {
                sink.put(p.dialect.params[param as usize]);
                sink.put("=");
                put_param_value(sink, p, param, "");
            }
        } else if let Some((name, value)) = extra.next() {
            put_query_component(sink, name);
            sink.put("=");
            put_query_component(sink, value);
        }
    }
}

/// The signed header names in canonical order: the caller's headers with
/// `host` merged in.
fn signed_header_names<'a>(p: &'a QueryPresign<'a>) -> impl Iterator<Item = &'a str> + 'a {
    signed_headers(p).map(|(name, _)| name)
}

/// The signed headers in canonical order; a `None` value stands for `host`,
/// whose value the [`Location`] writes.
fn signed_headers<'a>(
    p: &'a QueryPresign<'a>,
) -> impl Iterator<Item = (&'a str, Option<&'a str>)> + 'a {
    let split = p
        .headers
        .partition_point(|(name, _)| name.as_ref() < "host");
    let (before, after) = p.headers.split_at(split);
    let given = |(n, v): &'a (Cow<'a, str>, Cow<'a, str>)| (n.as_ref(), Some(v.as_ref()));
    before
        .iter()
        .map(given)
        .chain(std::iter::once(("host", None)))
        .chain(after.iter().map(given))
}

/// Writes a header value as SigV4 canonicalises it: leading and trailing
/// whitespace removed, inner runs of whitespace collapsed to one space
/// (botocore: `' '.join(value.split())`).
///
/// Python's `str.split()` splits on every Unicode space (no-break, em,
/// ideographic, …): see [`is_python_space`](super::is_python_space).
pub(crate) fn put_canonical_header_value(sink: &mut impl Sink, value: &str) {
    let words = value.split(is_python_space).filter(|w| !w.is_empty());
    for (i, word) in words.enumerate() {
        if i > 0 {
            sink.put(" ");
        }
        sink.put(word);
    }
}

/// Writes the canonical request, given the URL's path and canonical query
/// string as [`Location::put_path`] and [`put_canonical_query`] wrote them.
pub(crate) fn put_canonical_request(
    sink: &mut impl Sink,
    p: &QueryPresign<'_>,
    path: &str,
    canonical_query: &str,
) {
    sink.put(p.method);
    sink.put("\n");
    p.location.put_canonical_uri(sink, path);
    sink.put("\n");
    sink.put(canonical_query);
    sink.put("\n");
    for (name, value) in signed_headers(p) {
        sink.put(name);
        sink.put(":");
        match value {
            Some(v) => p.dialect.put_header_value(sink, v),
            None => p.location.put_host(sink),
        }
        sink.put("\n");
    }
    sink.put("\n");
    for (i, name) in signed_header_names(p).enumerate() {
        if i > 0 {
            sink.put(";");
        }
        sink.put(name);
    }
    sink.put("\n");
    sink.put(p.payload_hash);
}

/// Writes the string to sign, given the hex SHA-256 of the canonical request.
pub(crate) fn put_string_to_sign(sink: &mut impl Sink, p: &QueryPresign<'_>, hashed: &str) {
    sink.put(p.dialect.algorithm);
    sink.put("\n");
    sink.put(p.date.timestamp());
    sink.put("\n");
    put_scope(sink, p.dialect, p.date, p.region, p.service, "/");
    sink.put("\n");
    sink.put(hashed);
}

/// The hex signature of the request under `signing_key`, given its URL's
/// path and canonical query string.
pub(crate) fn signature(
    p: &QueryPresign<'_>,
    path: &str,
    canonical_query: &str,
    signing_key: &SigningKey,
) -> Hex64 {
    let mut hasher = Sha256::new();
    put_canonical_request(&mut hasher, p, path, canonical_query);
    let hashed = hex32(&hasher.finalize().into());
    let mut mac = signing_key.mac();
    put_string_to_sign(&mut mac, p, hashed.as_str());
    hex32(&hmac::Mac::finalize(mac).into_bytes().into())
}

/// The presigned URL of `p`, signed with `signing_key`.
///
/// A presigned URL's path is the canonical URI (for S3, which encodes it
/// once; other services' is derived from it) and its query string is the
/// canonical query followed by the signature, so the canonical request is
/// hashed from the URL as written instead of being encoded a second time.
///
/// The URL is written once into a buffer on the stack and copied into a
/// `String` of exactly its length: one allocation, sized right. One too
/// long for the buffer is measured first and written into a `String` of
/// that length instead.
pub(crate) fn presigned_url(p: &QueryPresign<'_>, signing_key: &SigningKey) -> String {
    let mut buf = StackBuf::new();
    if let Some(url) = put_signed_url(&mut buf, p, signing_key) {
        return url.to_owned();
    }
    let mut len = Len::default();
    put_unsigned_url(&mut len, p);
    put_signature_param(&mut len, p, &Hex64::PLACEHOLDER);
    let mut url = String::with_capacity(len.0);
    put_signed_url(&mut url, p, signing_key);
    url
}

/// Writes the presigned URL into `buf` and returns it, or `None` if it does
/// not fit (found before anything is hashed).
fn put_signed_url<'b>(
    buf: &'b mut impl Buffer,
    p: &QueryPresign<'_>,
    signing_key: &SigningKey,
) -> Option<&'b str> {
    let parts = put_unsigned_url(buf, p);
    let mut rest = Len::default();
    put_signature_param(&mut rest, p, &Hex64::PLACEHOLDER);
    if buf.room() < rest.0 {
        return None;
    }
    let url = buf.text()?;
    let signature = signature(p, &url[parts.path], &url[parts.query], signing_key);
    put_signature_param(buf, p, &signature);
    buf.text()
}

/// Where the path and the canonical query string lie in a URL.
pub(crate) struct UrlParts {
    pub(crate) path: Range<usize>,
    pub(crate) query: Range<usize>,
}

/// Writes the presigned URL up to its signature: origin, path, `?` and the
/// canonical query string.
pub(crate) fn put_unsigned_url(sink: &mut impl Counted, p: &QueryPresign<'_>) -> UrlParts {
    p.location.put_origin(sink);
    let path_start = sink.count();
    p.location.put_path(sink);
    let path_end = sink.count();
    sink.put("?");
    put_canonical_query(sink, p);
    UrlParts {
        path: path_start..path_end,
        query: path_end + 1..sink.count(),
    }
}

/// Writes the signature parameter that ends the URL.
fn put_signature_param(sink: &mut impl Sink, p: &QueryPresign<'_>, signature: &Hex64) {
    sink.put("&");
    sink.put(p.dialect.params[Param::Signature as usize]);
    sink.put("=");
    put_param_value(sink, p, Param::Signature, signature.as_str());
}

/// The headers a client must send, as signed: `(lowercase name, canonical
/// value)`, sorted by name.
pub(crate) fn signed_header_list(
    dialect: &Dialect,
    headers: &[(Cow<'_, str>, Cow<'_, str>)],
) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(name, value)| {
            let mut canonical = String::with_capacity(value.len());
            dialect.put_header_value(&mut canonical, value);
            (name.clone().into_owned(), canonical)
        })
        .collect()
}
