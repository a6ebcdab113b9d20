//! One presigned request: the builder and what it produces.

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use time::OffsetDateTime;

use crate::Error;
use crate::presigner::Presigner;
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
const DEFAULT_EXPIRES_IN: Duration = Duration::from_secs(3600);
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
#[derive(Debug)]
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
    pub fn query(mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header the client must send with exactly this value; it is
    /// signed, so the server refuses the request without it. Names are
    /// case-insensitive; values are compared with surrounding whitespace
    /// trimmed and inner runs of spaces collapsed.
    ///
    /// Use it to pin `content-type`, `content-md5`, `x-amz-meta-*`,
    /// `x-amz-server-side-encryption`, `range`, …
    pub fn header(mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        let (mut name, value) = (name.into(), value.into());
        if self.error.is_none() {
            self.error = check_header(&name, &value).err();
        }
        if name.bytes().any(|b| b.is_ascii_uppercase()) {
            name = Cow::Owned(name.to_ascii_lowercase());
        }
        self.headers.push((name, value));
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
        if let Some(error) = self.error {
            return Err(error);
        }
        let inner = self.presigner.inner();
        let dialect = &sigv4::AWS;
        let expires_in = check_expiry(self.expires_in)?;
        let signed_at = self.signed_at.unwrap_or_else(OffsetDateTime::now_utc);
        check_expiration(signed_at, self.expires_in)?;
        let date = AmzDate::new(signed_at)?;
        if let Some((name, _)) = self
            .query
            .iter()
            .find(|(name, _)| dialect.params.iter().any(|p| p.eq_ignore_ascii_case(name)))
        {
            return Err(Error::ReservedQueryParameter {
                name: name.clone().into_owned(),
            });
        }
        sigv4::sort_query(&mut self.query);
        self.headers.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        if let Some(pair) = self.headers.windows(2).find(|w| w[0].0 == w[1].0) {
            return Err(Error::DuplicateHeader {
                name: pair[0].0.clone().into_owned(),
            });
        }
        let location = inner
            .endpoint
            .locate(inner.url_style, self.bucket, self.key)?;
        let presign = QueryPresign {
            dialect,
            method: self.method.as_str(),
            location,
            query: &self.query,
            headers: &self.headers,
            access_key_id: inner.credentials.access_key_id(),
            session_token: inner.credentials.session_token(),
            region: &inner.region,
            service: "s3",
            date: &date,
            expires_in,
            payload_hash: "UNSIGNED-PAYLOAD",
        };
        let key = inner.signing_key(dialect, date.date(), "s3");
        let url = sigv4::presigned_url(&presign, &key);
        let headers = self
            .headers
            .iter()
            .map(|(name, value)| {
                let mut canonical = String::with_capacity(value.len());
                sigv4::put_canonical_header_value(&mut canonical, value);
                (name.clone().into_owned(), canonical)
            })
            .collect();
        Ok(PresignedUrl {
            url,
            method: self.method,
            headers,
        })
    }
}

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
fn check_expiry(expires_in: Duration) -> Result<u64, Error> {
    if expires_in.subsec_nanos() != 0
        || expires_in < Duration::from_secs(1)
        || expires_in > MAX_EXPIRES_IN
    {
        return Err(Error::InvalidExpiry { expires_in });
    }
    Ok(expires_in.as_secs())
}

/// The request must expire at a time that can be written (years up to 9999).
fn check_expiration(signed_at: OffsetDateTime, expires_in: Duration) -> Result<(), Error> {
    let ends = signed_at.checked_add(time::Duration::seconds(expires_in.as_secs() as i64));
    match ends {
        Some(t) if t.to_offset(time::UtcOffset::UTC).year() <= 9999 => Ok(()),
        _ => Err(Error::InvalidSigningTime {
            signed_at,
            reason: "the request would expire after the year 9999",
        }),
    }
}

/// A presigned request: the URL, its method, and the headers the client must
/// send with it.
///
/// The URL is a bearer credential until it expires: anyone holding it can
/// make the request. Hand it only to whoever should.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PresignedUrl {
    url: String,
    method: Method,
    headers: Vec<(String, String)>,
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
