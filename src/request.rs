//! One presigned request: the builder and what it produces.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use time::OffsetDateTime;

use crate::Error;
use crate::addressing::Location;
use crate::presigner::Presigner;
use crate::signing::Len;
use crate::signing::sigv2;
use crate::signing::sigv4::{self, QueryPresign};
use crate::timestamp::AmzDate;

/// The HTTP method a presigned request allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`: download an object, list a bucket.
    Get,
    /// `PUT`: upload an object or a part, create a bucket.
    Put,
    /// `POST`: e.g. start (`?uploads`) or complete a multipart upload.
    Post,
    /// `DELETE`: delete an object or a bucket.
    Delete,
    /// `HEAD`: read an object's metadata.
    Head,
}

impl Method {
    /// The method's name, such as `"GET"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Default lifetime of a presigned request (botocore's default too).
pub(crate) const DEFAULT_EXPIRES_IN: Duration = Duration::from_secs(3600);
/// Longest lifetime SigV4 allows: 7 days.
const MAX_EXPIRES_IN: Duration = Duration::from_secs(604_800);

/// A request being presigned; made by [`Presigner::request`] and its
/// shorthands, finished by [`sign`](Self::sign).
///
/// Problems with an argument (a bad header name, say) are reported by
/// `sign`, so calls chain without `?` at every step.
///
/// ```
/// use presign::{Credentials, Method, Presigner};
/// use std::time::Duration;
///
/// let p = Presigner::builder()
///     .region("eu-west-1")
///     .credentials(Credentials::new("AKIDEXAMPLE", "SECRET"))
///     .build()?;
/// let url = p
///     .request(Method::Get, "reports", "2026/q3.pdf")
///     .query("response-content-disposition", "attachment; filename=\"q3.pdf\"")
///     .expires_in(Duration::from_secs(300))
///     .sign()?;
/// assert!(url.as_str().starts_with("https://reports.s3.eu-west-1.amazonaws.com/2026/q3.pdf?"));
/// assert!(url.as_str().contains("response-content-disposition=attachment%3B%20filename%3D%22q3.pdf%22"));
/// # Ok::<(), presign::Error>(())
/// ```
#[must_use = "call .sign() to get the presigned URL"]
pub struct PresignRequest<'a> {
    presigner: &'a Presigner,
    method: Method,
    bucket: &'a str,
    key: &'a str,
    query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    headers: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    expires_in: Duration,
    signed_at: Option<OffsetDateTime>,
    error: Option<Error>,
}

impl<'a> PresignRequest<'a> {
    pub(crate) fn new(
        presigner: &'a Presigner,
        method: Method,
        bucket: &'a str,
        key: &'a str,
    ) -> Self {
        Self {
            presigner,
            method,
            bucket,
            key,
            query: Vec::new(),
            headers: Vec::new(),
            expires_in: DEFAULT_EXPIRES_IN,
            signed_at: None,
            error: None,
        }
    }

    /// Adds a query parameter, given decoded; it is signed, and encoded in
    /// the URL. An empty value is kept (`name=`). Any characters are allowed.
    ///
    /// Typical ones: `response-content-disposition`, `response-content-type`,
    /// `versionId`, `partNumber` and `uploadId`, `uploads` (with `""`),
    /// `list-type`, `prefix`.
    ///
    /// With [`sign_v2`](Self::sign_v2) only S3 sub-resources are signed, and
    /// an empty sub-resource is written bare (`?uploads`); see there.
    pub fn query(mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header the client must send with exactly this value; it is
    /// signed, so the server refuses the request without it. Names are
    /// case-insensitive; values are compared with surrounding whitespace
    /// trimmed and inner runs of whitespace collapsed.
    ///
    /// Use it to pin `content-type`, `content-md5`, `x-amz-meta-*`,
    /// `x-amz-server-side-encryption`, `range`, … Headers that change in
    /// transit and that botocore never signs (`connection`, `te`,
    /// `user-agent`, tracing headers, …) are refused by
    /// [`sign`](Self::sign) with [`Error::InvalidHeaderName`].
    pub fn header(mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        add_header(
            &mut self.headers,
            &mut self.error,
            name.into(),
            value.into(),
        );
        self
    }

    /// How long the request stays valid: whole seconds from 1 s to 604800 s
    /// (7 days). Default: 3600 s.
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// The signing time; the request is valid from then until
    /// `signed_at + expires_in`. Default: the current time when
    /// [`sign`](Self::sign) runs. Set it for reproducible output or tests.
    pub fn signed_at(mut self, signed_at: OffsetDateTime) -> Self {
        self.signed_at = Some(signed_at);
        self
    }

    /// Signs with AWS Signature Version 4 (query parameters).
    ///
    /// # Errors
    /// The first invalid argument given to this request, an expiry out of
    /// range, a signing time outside years 0–9999, or a bucket the
    /// addressing style cannot address.
    pub fn sign(mut self) -> Result<PresignedUrl, Error> {
        let inner = self.presigner.inner();
        let dialect = inner.provider.dialect();
        let service = inner.provider.service();
        let prepared = self.prepare(dialect)?;
        let url = inner.with_signing_scope(dialect, prepared.date.date(), service, |scope| {
            let presign = QueryPresign {
                dialect,
                method: self.method.as_str(),
                location: prepared.location,
                query: &self.query,
                headers: &self.headers,
                scope: &scope.texts,
                date: &prepared.date,
                expires_in: prepared.expires_in,
                payload_hash: dialect.payload_hash(&self.headers, sigv4::UNSIGNED_PAYLOAD),
            };
            sigv4::presigned_url(&presign, &scope.key)
        });
        Ok(PresignedUrl {
            url,
            method: self.method,
            headers: sigv4::signed_header_list(dialect, &self.headers),
        })
    }

    /// Signs with legacy AWS Signature Version 2 (query parameters
    /// `AWSAccessKeyId`, `Expires` and `Signature`), for stores that still
    /// hand out such URLs.
    ///
    /// The signature covers the method, the `content-md5`, `content-type`
    /// and `x-amz-*` headers, the expiry, the bucket and key, and only the
    /// S3 sub-resources among the query parameters (`versionId`,
    /// `partNumber`, `uploadId`, `uploads`, `acl`, `tagging`,
    /// `response-content-disposition` and the other `response-*`
    /// overrides, …: the list botocore signs). **Other query parameters,
    /// such as `prefix` or `list-type`, are sent but not signed**: whoever
    /// holds the URL can change them. A sub-resource added with an empty
    /// value is signed and sent bare (`?uploads`). Headers go into the query
    /// as botocore writes them, and are also listed in
    /// [`PresignedUrl::headers`] for the client to send.
    ///
    /// `Expires` is the absolute expiry, `signed_at + expires_in` in seconds
    /// since 1970. Prefer [`sign`](Self::sign): SigV2 uses SHA-1 and AWS
    /// accepts it only in regions that opened before 2014.
    ///
    /// ```
    /// use presign::{Credentials, Presigner};
    /// use std::time::Duration;
    ///
    /// // The example from the Amazon S3 documentation ("Query string request
    /// // authentication alternative"): Expires=1175139620.
    /// let p = Presigner::builder()
    ///     .region("us-east-1")
    ///     .credentials(Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
    ///     .build()?;
    /// let url = p
    ///     .get_object("johnsmith", "photos/puppy.jpg")
    ///     .signed_at(time::OffsetDateTime::from_unix_timestamp(1175139620 - 3600).unwrap())
    ///     .expires_in(Duration::from_secs(3600))
    ///     .sign_v2()?;
    /// assert_eq!(
    ///     url.as_str(),
    ///     "https://johnsmith.s3.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE\
    ///      &Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620"
    /// );
    /// # Ok::<(), presign::Error>(())
    /// ```
    ///
    /// # Errors
    /// Everything [`sign`](Self::sign) reports; a header SigV2 cannot sign
    /// (anything but `content-md5`, `content-type` and `x-amz-*`: botocore
    /// would drop it silently, leaving it unenforced); a query parameter
    /// named like one the signer writes; an expiry before 1970.
    pub fn sign_v2(mut self) -> Result<PresignedUrl, Error> {
        let inner = self.presigner.inner();
        inner.provider.require_aws(
            "SigV2 is AWS S3's legacy scheme; use sign() for this provider's own scheme",
        )?;
        // SigV4's parameters are reserved for SigV2 too: S3 picks the
        // signature version by the presence of X-Amz-Algorithm.
        let prepared = self.prepare(&sigv4::AWS)?;
        sigv2::check_headers(&self.headers)?;
        sigv2::check_query(&self.query, &self.headers)?;
        let presign = sigv2::QueryPresign {
            method: self.method.as_str(),
            location: prepared.location,
            query: &self.query,
            headers: &self.headers,
            access_key_id: inner.credentials.access_key_id(),
            session_token: inner.credentials.session_token(),
            expires: sigv2::expires(prepared.signed_at, prepared.expires_in)?,
        };
        let signature = sigv2::signature(&presign, inner.credentials.secret_access_key());
        let mut len = Len::default();
        sigv2::put_url(&mut len, &presign, &signature);
        let mut url = String::with_capacity(len.0);
        sigv2::put_url(&mut url, &presign, &signature);
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| (name.clone().into_owned(), value.trim().to_owned()))
            .collect();
        Ok(PresignedUrl {
            url,
            method: self.method,
            headers,
        })
    }

    /// The checks and normalisation every signature version needs: the first
    /// argument error, expiry and signing time, query parameters `dialect`
    /// reserves, sorted query and headers without duplicates, and the
    /// location.
    fn prepare(&mut self, dialect: &sigv4::Dialect) -> Result<Prepared<'a>, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        let presigner: &'a Presigner = self.presigner;
        let inner = presigner.inner();
        let (expires_in, signed_at, date) = validity(self.expires_in, self.signed_at)?;
        prepare_parts(dialect, &mut self.query, &mut self.headers)?;
        let location = inner
            .endpoint
            .locate(inner.url_style, self.bucket, self.key)?;
        Ok(Prepared {
            location,
            signed_at,
            date,
            expires_in,
        })
    }
}

/// A request that passed the checks common to every signature version.
struct Prepared<'a> {
    location: Location<'a>,
    signed_at: OffsetDateTime,
    date: AmzDate,
    /// Whole seconds, 1 ..= 604800.
    expires_in: u64,
}

/// Shows header names but not their values, which may be secret (the SSE-C
/// key header carries an encryption key).
impl fmt::Debug for PresignRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_ref()).collect();
        f.debug_struct("PresignRequest")
            .field("presigner", self.presigner)
            .field("method", &self.method)
            .field("bucket", &self.bucket)
            .field("key", &self.key)
            .field("query", &self.query)
            .field("header_names", &header_names)
            .field("expires_in", &self.expires_in)
            .field("signed_at", &self.signed_at)
            .field("error", &self.error)
            .finish()
    }
}

/// The expiry in whole seconds, the signing time (default: now) and its
/// `AmzDate`, if the request's validity can be signed.
pub(crate) fn validity(
    expires_in: Duration,
    signed_at: Option<OffsetDateTime>,
) -> Result<(u64, OffsetDateTime, AmzDate), Error> {
    let seconds = check_expiry(expires_in)?;
    let signed_at = signed_at.unwrap_or_else(OffsetDateTime::now_utc);
    expiration_unix(signed_at, expires_in)?;
    Ok((seconds, signed_at, AmzDate::new(signed_at)?))
}

/// Puts the caller's query parameters and headers in canonical order, and
/// refuses parameters the signer writes and headers given twice.
pub(crate) fn prepare_parts<'a>(
    dialect: &sigv4::Dialect,
    query: &mut [(Cow<'a, str>, Cow<'a, str>)],
    headers: &mut [(Cow<'a, str>, Cow<'a, str>)],
) -> Result<(), Error> {
    if let Some((name, _)) = query
        .iter()
        .find(|(name, _)| dialect.params.iter().any(|p| p.eq_ignore_ascii_case(name)))
    {
        return Err(Error::ReservedQueryParameter {
            name: name.clone().into_owned(),
        });
    }
    sigv4::sort_query(dialect, query);
    headers.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    if let Some(pair) = headers.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(Error::DuplicateHeader {
            name: pair[0].0.clone().into_owned(),
        });
    }
    Ok(())
}

/// Adds a header, lowercasing its name; the first invalid one is kept in
/// `error` for `sign` to report.
pub(crate) fn add_header<'a>(
    headers: &mut Vec<(Cow<'a, str>, Cow<'a, str>)>,
    error: &mut Option<Error>,
    mut name: Cow<'a, str>,
    value: Cow<'a, str>,
) {
    if error.is_none() {
        *error = check_header(&name, &value).err();
    }
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        name = Cow::Owned(name.to_ascii_lowercase());
    }
    headers.push((name, value));
}

/// Headers botocore leaves out of every signature (`SIGNED_HEADERS_BLACKLIST`
/// in botocore 1.44.5's `auth.py`): hop-by-hop and tracing headers, and
/// `user-agent`. Signing one would give a URL that breaks when a proxy or
/// client rewrites it, and a signature botocore would not give; the signer
/// refuses them instead of dropping them unseen.
const NEVER_SIGNED: [&str; 14] = [
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// Header names must be HTTP tokens (RFC 9110 §5.1); values may not hold
/// control characters other than tab (a CR or LF would split the header).
/// `host` is signed from the URL and cannot be set.
fn check_header(name: &str, value: &str) -> Result<(), Error> {
    const TCHAR: &[u8] = b"!#$%&'*+-.^_`|~";
    let name_error = if name.is_empty() {
        Some("it is empty")
    } else if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || TCHAR.contains(&b))
    {
        Some("header names are HTTP tokens: letters, digits and !#$%&'*+-.^_`|~")
    } else if name.eq_ignore_ascii_case("host") {
        Some("the host header is signed from the URL; set the endpoint instead")
    } else if NEVER_SIGNED.iter().any(|h| name.eq_ignore_ascii_case(h)) {
        Some(
            "proxies and HTTP clients change it in transit, so botocore never signs it; leave it out",
        )
    } else {
        None
    };
    if let Some(reason) = name_error {
        return Err(Error::InvalidHeaderName {
            name: name.to_owned(),
            reason,
        });
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err(Error::InvalidHeaderValue {
            name: name.to_owned(),
            reason: "it holds a control character (CR, LF, NUL, …); header values must be one line of text",
        });
    }
    Ok(())
}

/// The expiry in whole seconds, if it is within 1 s ..= 7 days.
pub(crate) fn check_expiry(expires_in: Duration) -> Result<u64, Error> {
    if expires_in.subsec_nanos() != 0
        || expires_in < Duration::from_secs(1)
        || expires_in > MAX_EXPIRES_IN
    {
        return Err(Error::InvalidExpiry { expires_in });
    }
    Ok(expires_in.as_secs())
}

/// The request must expire at a time that can be written (years up to 9999);
/// returns that time, in UTC.
pub(crate) fn check_expiration(
    signed_at: OffsetDateTime,
    expires_in: Duration,
) -> Result<OffsetDateTime, Error> {
    let ends = expiration_unix(signed_at, expires_in)?;
    OffsetDateTime::from_unix_timestamp(ends).map_err(|_| expires_too_late(signed_at))
}

/// As [`check_expiration`], in Unix seconds: cheaper than calendar
/// arithmetic, and free of the panics of `+` outside the years `time` can
/// represent.
fn expiration_unix(signed_at: OffsetDateTime, expires_in: Duration) -> Result<i64, Error> {
    /// 9999-12-31T23:59:59Z, the last second `X-Amz-Date` can write.
    const LAST_WRITABLE: i64 = 253_402_300_799;
    i64::try_from(expires_in.as_secs())
        .ok()
        .and_then(|seconds| signed_at.unix_timestamp().checked_add(seconds))
        .filter(|&ends| ends <= LAST_WRITABLE)
        .ok_or_else(|| expires_too_late(signed_at))
}

fn expires_too_late(signed_at: OffsetDateTime) -> Error {
    Error::InvalidSigningTime {
        signed_at,
        reason: "the request would expire after the year 9999",
    }
}

/// A presigned request: the URL, its method, and the headers the client must
/// send with it.
///
/// The URL is a bearer credential until it expires: anyone holding it can
/// make the request. Hand it only to whoever should.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresignedUrl {
    pub(crate) url: String,
    pub(crate) method: Method,
    pub(crate) headers: Vec<(String, String)>,
}

impl PresignedUrl {
    /// The URL exactly as signed.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The URL parsed as a [`url::Url`].
    ///
    /// `url::Url` resolves `.` and `..` path segments, which S3 keys may
    /// contain (`a/../b`), so for such keys the parsed URL addresses another
    /// key and fails the signature check. Send [`as_str`](Self::as_str) when
    /// keys may contain such segments.
    pub fn to_url(&self) -> url::Url {
        // The URL is ASCII, built from a validated scheme and host and a
        // percent-encoded path and query, so it always parses.
        url::Url::parse(&self.url).expect("presigned URLs are valid URLs")
    }

    /// The URL as a `String`.
    pub fn into_string(self) -> String {
        self.url
    }

    /// The method the URL is signed for.
    pub fn method(&self) -> Method {
        self.method
    }

    /// The headers the client must send, as `(lowercase name, value)`, sorted
    /// by name; empty unless [`PresignRequest::header`] was used.
    pub fn headers(&self) -> &[(String, String)] {
        &self.headers
    }
}

impl fmt::Display for PresignedUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl AsRef<str> for PresignedUrl {
    fn as_ref(&self) -> &str {
        &self.url
    }
}

impl From<PresignedUrl> for String {
    fn from(url: PresignedUrl) -> Self {
        url.url
    }
}
