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
use std::iter::Peekable;
use std::ops::Range;
use std::slice;

use sha2::Digest;
use zeroize::Zeroize;

use super::first_block::FirstBlockMemo;
use super::sha256::{HmacKey, sha256};
use super::{
    Counted, CountingSha256, HashInput, Hex64, Len, Sink, StackBuf, hex32, is_python_space, put_u64,
};
use crate::addressing::Location;
use crate::encoding::{cmp_query_encoded, put_query_component};
use crate::timestamp::AmzDate;

/// The names a SigV4 variant uses; other stores reuse the algorithm with
/// their own prefixes. Written by [`dialect!`].
pub(crate) struct Dialect {
    /// `AWS4-HMAC-SHA256`.
    pub(crate) algorithm: &'static str,
    /// Prepended to the secret for the first HMAC: `AWS4`.
    pub(crate) key_prefix: &'static str,
    /// Last element of the credential scope: `aws4_request`.
    pub(crate) terminator: &'static str,
    /// Query parameter names, in [`Param`] order.
    pub(crate) params: [&'static str; 7],
    /// Per [`Param`], how the query carries it up to its value, from the `&`
    /// before it: `&X-Amz-Date=`; the algorithm's with its value.
    pub(crate) query_texts: [&'static str; 7],
    /// How the canonical query string is ordered.
    pub(crate) query_order: QueryOrder,
    /// How signed header values are canonicalised.
    pub(crate) header_values: HeaderValues,
    /// A header whose value, when the caller signs it, is the payload hash.
    pub(crate) content_sha256_header: &'static str,
}

/// A [`Dialect`] whose query parameters are `{prefix}-Algorithm`,
/// `{prefix}-Credential`, …: each name written once, here.
macro_rules! dialect {
    (
        prefix: $prefix:literal,
        algorithm: $algorithm:literal,
        key_prefix: $key_prefix:literal,
        terminator: $terminator:literal,
        query_order: $query_order:expr,
        header_values: $header_values:expr,
        content_sha256_header: $content_sha256_header:literal $(,)?
    ) => {
        Dialect {
            algorithm: $algorithm,
            key_prefix: $key_prefix,
            terminator: $terminator,
            params: [
                concat!($prefix, "-Algorithm"),
                concat!($prefix, "-Credential"),
                concat!($prefix, "-Date"),
                concat!($prefix, "-Expires"),
                concat!($prefix, "-Security-Token"),
                concat!($prefix, "-SignedHeaders"),
                concat!($prefix, "-Signature"),
            ],
            query_texts: [
                concat!("&", $prefix, "-Algorithm=", $algorithm),
                concat!("&", $prefix, "-Credential="),
                concat!("&", $prefix, "-Date="),
                concat!("&", $prefix, "-Expires="),
                concat!("&", $prefix, "-Security-Token="),
                concat!("&", $prefix, "-SignedHeaders="),
                concat!("&", $prefix, "-Signature="),
            ],
            query_order: $query_order,
            header_values: $header_values,
            content_sha256_header: $content_sha256_header,
        }
    };
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
pub(crate) static AWS: Dialect = dialect! {
    prefix: "X-Amz",
    algorithm: "AWS4-HMAC-SHA256",
    key_prefix: "AWS4",
    terminator: "aws4_request",
    query_order: QueryOrder::Encoded,
    header_values: HeaderValues::Collapse,
    // botocore's `SigV4Auth.canonical_request` uses this header when present.
    content_sha256_header: "x-amz-content-sha256",
};

/// Volcengine TOS native signing (`tos` SDK `tos/auth.py`): no key prefix,
/// scope terminator `request`, `X-Tos-*` parameters.
pub(crate) static TOS: Dialect = dialect! {
    prefix: "X-Tos",
    algorithm: "TOS4-HMAC-SHA256",
    key_prefix: "",
    terminator: "request",
    query_order: QueryOrder::Raw,
    header_values: HeaderValues::Trim,
    content_sha256_header: "x-tos-content-sha256",
};

/// Google Cloud Storage V4 signing with an HMAC key (Cloud Storage docs,
/// "Signatures": key prefix `GOOG4`, terminator `goog4_request`). GCS has no
/// session tokens; its token parameter is never written, as the presigner
/// refuses credentials that carry one.
pub(crate) static GCS: Dialect = dialect! {
    prefix: "X-Goog",
    algorithm: "GOOG4-HMAC-SHA256",
    key_prefix: "GOOG4",
    terminator: "goog4_request",
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

/// Everything a SigV4 query presign covers, borrowed from the caller.
pub(crate) struct QueryPresign<'a> {
    pub(crate) dialect: &'a Dialect,
    pub(crate) method: &'a str,
    pub(crate) location: Location<'a>,
    /// Extra query parameters (decoded), sorted by [`sort_query`].
    pub(crate) query: &'a [(Cow<'a, str>, Cow<'a, str>)],
    /// Extra signed headers: lowercase names, sorted by name, never `host`.
    pub(crate) headers: &'a [(Cow<'a, str>, Cow<'a, str>)],
    /// The credential scope and the access key, written out.
    pub(crate) scope: &'a ScopeTexts,
    pub(crate) date: &'a AmzDate,
    pub(crate) expires_in: u64,
    /// `UNSIGNED-PAYLOAD` for S3, or the hex SHA-256 of the body.
    pub(crate) payload_hash: &'a str,
}

/// The texts every request signed in one credential scope repeats, written
/// once: a presigner keeps them with the scope's signing key, so a request
/// copies them instead of writing (and encoding) them again.
pub(crate) struct ScopeTexts {
    dialect: &'static Dialect,
    /// The texts, one after the other: `\n` + the scope + `\n` (as the
    /// string to sign holds it), `&X-Amz-Credential=` and its encoded value,
    /// `&X-Amz-Security-Token=` and the encoded token (if any).
    text: String,
    scope_end: usize,
    /// Where the credential's copy of the scope's date starts.
    credential_date_at: usize,
    credential_end: usize,
    has_session_token: bool,
}

/// The length of a scope's date, `YYYYMMDD`.
const SCOPE_DATE_LEN: usize = 8;

impl ScopeTexts {
    /// The texts of `access_key_id` (and `session_token`) in the scope of
    /// `date` (`YYYYMMDD`), `region` and `service`.
    pub(crate) fn new(
        dialect: &'static Dialect,
        access_key_id: &str,
        session_token: Option<&str>,
        date: &str,
        region: &str,
        service: &str,
    ) -> Self {
        let put_this_scope = |sink: &mut String, separator| {
            put_scope(sink, dialect, date, region, service, separator);
        };
        let scope_len = date.len() + region.len() + service.len() + dialect.terminator.len();
        // Room for every text with the key id and token fully escaped (three
        // bytes each): written once, never grown.
        let capacity = 2 * scope_len
            + 3 * (3 + 3)
            + 2
            + dialect.query_texts[Param::Credential as usize].len()
            + dialect.query_texts[Param::SecurityToken as usize].len()
            + 3 * (access_key_id.len() + session_token.map_or(0, str::len));
        let mut text = String::with_capacity(capacity);
        text.push('\n');
        put_this_scope(&mut text, "/");
        text.push('\n');
        let scope_end = text.len();
        // `access-key-id/scope`, query-encoded: regions and services are
        // unreserved characters, so only the `/`s need it.
        text.push_str(dialect.query_texts[Param::Credential as usize]);
        put_query_component(&mut text, access_key_id);
        text.push_str("%2F");
        let credential_date_at = text.len();
        put_this_scope(&mut text, "%2F");
        let credential_end = text.len();
        if let Some(token) = session_token {
            text.push_str(dialect.query_texts[Param::SecurityToken as usize]);
            put_query_component(&mut text, token);
        }
        Self {
            dialect,
            text,
            scope_end,
            credential_date_at,
            credential_end,
            has_session_token: session_token.is_some(),
        }
    }

    /// These texts on another `date` (`YYYYMMDD`): only the scope's two
    /// copies of the date differ, so they are copied with the date replaced
    /// rather than written and encoded again (a new day, issue 5).
    pub(crate) fn for_date(&self, date: &str) -> Self {
        let old = &self.text;
        // After the string to sign's `\n`, and in the credential.
        let (first, second) = (1, self.credential_date_at);
        let mut text = String::with_capacity(old.len());
        text.push_str(&old[..first]);
        text.push_str(date);
        text.push_str(&old[first + SCOPE_DATE_LEN..second]);
        text.push_str(date);
        text.push_str(&old[second + SCOPE_DATE_LEN..]);
        Self { text, ..*self }
    }

    /// `date/region/service/terminator`.
    #[cfg(test)]
    pub(crate) fn scope(&self) -> &str {
        self.scope_lines().trim_matches('\n')
    }

    /// `&X-Amz-Credential=` and the encoded credential.
    #[cfg(test)]
    pub(crate) fn credential(&self) -> &str {
        self.param(Param::Credential)
    }

    /// `\n` + the scope + `\n`.
    fn scope_lines(&self) -> &str {
        &self.text[..self.scope_end]
    }

    /// How the query carries `param` from the `&` before it up to the value
    /// that changes with each request: `&name=value` for the algorithm,
    /// credential and session token, `&name=` for the others.
    fn param(&self, param: Param) -> &str {
        match param {
            Param::Credential => &self.text[self.scope_end..self.credential_end],
            Param::SecurityToken => &self.text[self.credential_end..],
            _ => self.dialect.query_texts[param as usize],
        }
    }
}

/// The session token is a credential: wiped, as in
/// [`Credentials`](crate::Credentials).
impl Drop for ScopeTexts {
    fn drop(&mut self) {
        if self.has_session_token {
            self.text.zeroize();
        }
    }
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

/// The SigV4 signing key, `kSigning` (derived once a day per region and
/// service in practice).
pub(crate) fn signing_key(
    dialect: &Dialect,
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
) -> SigningKey {
    let first = HmacKey::concatenated(dialect.key_prefix.as_bytes(), secret.as_bytes());
    let mut key = first.sign_words(date.as_bytes());
    for part in [region, service, dialect.terminator] {
        let next = HmacKey::from_digest(&key).sign_words(part.as_bytes());
        // The intermediate keys sign for any region or service of the day.
        key.zeroize();
        key = next;
    }
    let signing_key = SigningKey {
        hmac: HmacKey::from_digest(&key),
        first_block: FirstBlockMemo::default(),
    };
    key.zeroize();
    signing_key
}

/// A SigV4 signing key, held as HMAC-SHA256 already keyed with it: keying
/// hashes two blocks, so it is done once per key instead of once per
/// signature. Wiped when dropped.
pub(crate) struct SigningKey {
    hmac: HmacKey,
    /// The state after the latest string to sign's first block.
    first_block: FirstBlockMemo,
}

impl SigningKey {
    /// HMAC-SHA256 of `message` under this key.
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 32] {
        self.hmac.sign(message)
    }

    /// HMAC-SHA256 of `message`, whose first block is likely the same as the
    /// previous message's: its state is memoised (see [`FirstBlockMemo`]).
    fn sign_repeating_first_block(&self, message: &[u8]) -> [u8; 32] {
        let Some((first, rest)) = message.split_first_chunk::<64>() else {
            return self.sign(message);
        };
        let absorbed = self.first_block.get(first).unwrap_or_else(|| {
            let absorbed = self.hmac.absorb_first_block(first);
            self.first_block.put(first, &absorbed);
            absorbed
        });
        self.hmac.sign_rest(absorbed, rest)
    }
}

/// Writes the credential scope: `date/region/service/aws4_request`, with
/// `separator` between the parts (`/`, or `%2F` inside the query).
///
/// Regions and services are validated to unreserved characters before they
/// are signed for, and dates are digits, so the scope reads the same encoded
/// or not.
pub(crate) fn put_scope(
    sink: &mut impl Sink,
    dialect: &Dialect,
    date: &str,
    region: &str,
    service: &str,
    separator: &str,
) {
    sink.put(date);
    sink.put(separator);
    sink.put(region);
    sink.put(separator);
    sink.put(service);
    sink.put(separator);
    sink.put(dialect.terminator);
}

/// Writes one authentication parameter as the query carries it, `name=value`
/// (with the `&` before it unless it comes `first`), query-encoded.
#[inline(always)]
fn put_param(
    sink: &mut impl Sink,
    p: &QueryPresign<'_>,
    param: Param,
    first: bool,
    signature: &str,
) {
    let text = p.scope.param(param);
    sink.put(if first {
        text.strip_prefix('&').unwrap_or(text)
    } else {
        text
    });
    // The value, unless it is the same all day and already in `text`.
    match param {
        Param::Algorithm | Param::Credential | Param::SecurityToken => {}
        Param::Date => sink.put(p.date.timestamp()),
        Param::Expires => put_u64(sink, p.expires_in),
        Param::SignedHeaders => put_signed_header_names(sink, p, "%3B", put_query_component),
        Param::Signature => sink.put(signature),
    }
}

/// Writes the canonical query string: the caller's parameters and the
/// authentication parameters (all but the signature), encoded, sorted by
/// name. The URL carries the same string followed by the signature.
pub(crate) fn put_canonical_query(sink: &mut impl Sink, p: &QueryPresign<'_>) {
    let mut query = CanonicalQuery {
        p,
        extra: p.query.iter().peekable(),
        first: true,
    };
    // The authentication parameters in the order their names sort: one call
    // each rather than a loop, so that each call is compiled for its
    // parameter. As a loop, choosing each parameter's text and value at run
    // time cost a presigned GET about 50 ns, 6% (issue 5).
    query.put_in_order(sink, Param::Algorithm);
    query.put_in_order(sink, Param::Credential);
    query.put_in_order(sink, Param::Date);
    query.put_in_order(sink, Param::Expires);
    query.put_in_order(sink, Param::SecurityToken);
    query.put_in_order(sink, Param::SignedHeaders);
    for pair in query.extra {
        sink.put("&");
        put_query_pair(sink, pair);
    }
}

/// A canonical query string being written: the caller's parameters not yet
/// written, and whether nothing has been.
struct CanonicalQuery<'p, 'q> {
    p: &'p QueryPresign<'q>,
    extra: Peekable<slice::Iter<'p, (Cow<'q, str>, Cow<'q, str>)>>,
    first: bool,
}

impl CanonicalQuery<'_, '_> {
    /// Writes the caller's parameters that sort before `param`, then
    /// `param` (the session token only if there is one).
    #[inline(always)]
    fn put_in_order(&mut self, sink: &mut impl Sink, param: Param) {
        let p = self.p;
        if param == Param::SecurityToken && !p.scope.has_session_token {
            return;
        }
        let name = p.dialect.params[param as usize];
        while let Some(pair) = self
            .extra
            .next_if(|(extra, _)| p.dialect.cmp_query(extra, name) == Ordering::Less)
        {
            if !self.first {
                sink.put("&");
            }
            put_query_pair(sink, pair);
            self.first = false;
        }
        put_param(sink, p, param, self.first, "");
        self.first = false;
    }
}

/// Writes one of the caller's query parameters, `name=value`, encoded.
fn put_query_pair(sink: &mut impl Sink, (name, value): &(Cow<'_, str>, Cow<'_, str>)) {
    put_query_component(sink, name);
    sink.put("=");
    put_query_component(sink, value);
}

/// Writes the signed header names in canonical order, the caller's with
/// `host` merged in, each written by `put_name` and separated by
/// `separator`.
fn put_signed_header_names<S: Sink>(
    sink: &mut S,
    p: &QueryPresign<'_>,
    separator: &str,
    put_name: fn(&mut S, &str),
) {
    let (before_host, after_host) = p.split_headers_at_host();
    for (name, _) in before_host {
        put_name(sink, name);
        sink.put(separator);
    }
    // `host` reads the same query-encoded.
    sink.put("host");
    for (name, _) in after_host {
        sink.put(separator);
        put_name(sink, name);
    }
}

impl QueryPresign<'_> {
    /// The caller's headers that sort before `host`, and those after it.
    fn split_headers_at_host(&self) -> (&Pairs<'_>, &Pairs<'_>) {
        let split = self
            .headers
            .partition_point(|(name, _)| name.as_ref() < "host");
        self.headers.split_at(split)
    }
}

/// Query parameters or headers: `(name, value)` pairs.
type Pairs<'a> = [(Cow<'a, str>, Cow<'a, str>)];

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

/// Where the canonical URI and the canonical query string lie in a
/// canonical request written by [`put_canonical_request`].
pub(crate) struct CanonicalParts {
    pub(crate) uri: Range<usize>,
    pub(crate) query: Range<usize>,
}

/// Writes the canonical request and returns where its URI and query lie.
///
/// For S3 the canonical URI is the URL's path (S3 encodes keys once) and,
/// for every service, the canonical query is the URL's query up to the
/// signature: the URL is copied from the canonical request instead of being
/// encoded a second time.
pub(crate) fn put_canonical_request(
    sink: &mut impl Counted,
    p: &QueryPresign<'_>,
) -> CanonicalParts {
    sink.put(p.method);
    sink.put("\n");
    let uri_start = sink.count();
    p.location.put_canonical_uri(sink);
    let uri = uri_start..sink.count();
    sink.put("\n");
    let query_start = sink.count();
    put_canonical_query(sink, p);
    let query = query_start..sink.count();
    // Canonical headers, `host` in its sorted place: each `name:value` line
    // is written with the newline that ends the line before it, so that a
    // request without other headers is written in few pieces.
    let (before_host, after_host) = p.split_headers_at_host();
    for (name, value) in before_host {
        put_header_line(sink, p.dialect, name, value);
    }
    sink.put("\nhost:");
    p.location.put_host(sink);
    for (name, value) in after_host {
        put_header_line(sink, p.dialect, name, value);
    }
    // The last line's newline, and the empty line after the headers.
    sink.put("\n\n");
    put_signed_header_names(sink, p, ";", |sink, name| sink.put(name));
    sink.put("\n");
    sink.put(p.payload_hash);
    CanonicalParts { uri, query }
}

/// Writes one canonical header line, `name:value` with the value canonical,
/// after the newline that ends the line before it.
fn put_header_line(sink: &mut impl Sink, dialect: &Dialect, name: &str, value: &str) {
    sink.put("\n");
    sink.put(name);
    sink.put(":");
    dialect.put_header_value(sink, value);
}

/// Writes the string to sign, given the SHA-256 of the canonical request.
pub(crate) fn put_string_to_sign(sink: &mut impl Sink, p: &QueryPresign<'_>, hashed: &[u8; 32]) {
    sink.put(p.dialect.algorithm);
    sink.put("\n");
    sink.put(p.date.timestamp());
    sink.put(p.scope.scope_lines());
    sink.put_hex32(hashed);
}

/// The SHA-256 of the canonical request of `p`, and the request as written
/// into `buf` with its parts, if it fit.
///
/// A hash is fastest fed in one piece, so the request is written out whole
/// on the stack first; one too long for that is hashed as it is written.
fn hash_canonical_request<'b>(
    buf: &'b mut StackBuf,
    p: &QueryPresign<'_>,
) -> ([u8; 32], Option<(&'b str, CanonicalParts)>) {
    let parts = put_canonical_request(buf, p);
    if let Some(text) = buf.text() {
        return (sha256(text.as_bytes()), Some((text, parts)));
    }
    let mut hasher = CountingSha256::default();
    put_canonical_request(&mut hasher, p);
    (hasher.hasher.finalize().into(), None)
}

/// The hex signature: HMAC of the string to sign under `signing_key`, given
/// the SHA-256 of the canonical request.
fn sign_hashed(p: &QueryPresign<'_>, hashed: &[u8; 32], signing_key: &SigningKey) -> Hex64 {
    // Whole, on the stack; with a scope too long for that, in a `String`.
    let mut text = HashInput::new();
    put_string_to_sign(&mut text, p, hashed);
    let mac = match text.bytes() {
        // All but the hash's 64 hex digits is the same for every request of
        // this second; when that fills the first block, its state is
        // memoised.
        Some(text) if text.len() >= 64 + 64 => signing_key.sign_repeating_first_block(text),
        Some(text) => signing_key.sign(text),
        None => {
            let mut text = String::new();
            put_string_to_sign(&mut text, p, hashed);
            signing_key.sign(text.as_bytes())
        }
    };
    hex32(&mac)
}

/// The hex signature of `p` under `signing_key`.
pub(crate) fn signature(p: &QueryPresign<'_>, signing_key: &SigningKey) -> Hex64 {
    let (hashed, _) = hash_canonical_request(&mut StackBuf::new(), p);
    sign_hashed(p, &hashed, signing_key)
}

/// The presigned URL of `p`, signed with `signing_key`, in a `String` of
/// exactly its length (one allocation, sized right).
pub(crate) fn presigned_url(p: &QueryPresign<'_>, signing_key: &SigningKey) -> String {
    let mut buf = StackBuf::new();
    let (hashed, written) = hash_canonical_request(&mut buf, p);
    let signature = sign_hashed(p, &hashed, signing_key);
    let mut len = Len::default();
    put_url(&mut len, p, written.as_ref(), &signature);
    let mut url = String::with_capacity(len.0);
    put_url(&mut url, p, written.as_ref(), &signature);
    url
}

/// Writes the presigned URL: origin, path, `?`, the canonical query string
/// and the signature. The path and query are copied from the canonical
/// request when it was written out (`written`), else encoded again.
fn put_url(
    sink: &mut impl Sink,
    p: &QueryPresign<'_>,
    written: Option<&(&str, CanonicalParts)>,
    signature: &Hex64,
) {
    p.location.put_origin(sink);
    match written {
        Some((text, parts)) => {
            if p.location.uri_is_path() {
                sink.put(&text[parts.uri.clone()]);
            } else {
                p.location.put_path(sink);
            }
            sink.put("?");
            sink.put(&text[parts.query.clone()]);
        }
        None => {
            p.location.put_path(sink);
            sink.put("?");
            put_canonical_query(sink, p);
        }
    }
    put_param(sink, p, Param::Signature, false, signature.as_str());
}

/// The headers a client must send, as signed: `(lowercase name, canonical
/// value)`, sorted by name.
pub(crate) fn signed_header_list(
    dialect: &Dialect,
    headers: &[(Cow<'_, str>, Cow<'_, str>)],
) -> Vec<(String, String)> {
    if headers.is_empty() {
        return Vec::new();
    }
    headers
        .iter()
        .map(|(name, value)| {
            let mut canonical = String::with_capacity(value.len());
            dialect.put_header_value(&mut canonical, value);
            (name.clone().into_owned(), canonical)
        })
        .collect()
}
