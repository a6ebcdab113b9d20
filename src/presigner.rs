//! The [`Presigner`]: credentials, region, endpoint and addressing, set once
//! and shared by every request it signs.

use std::fmt;
use std::sync::Arc;

use crate::addressing::{Endpoint, UrlStyle};
use crate::request::{Method, PresignRequest};
use crate::signing::key_cache::SigningKeyCache;
use crate::signing::sigv4::{Dialect, SigningKey};
use crate::{Credentials, Error};

/// Creates presigned requests for one account, region and endpoint.
///
/// Immutable, cheap to clone (an [`Arc`] inside) and `Send + Sync`: build one
/// at start-up and share it.
///
/// ```
/// use presign::{Credentials, Presigner};
/// use std::time::Duration;
///
/// let presigner = Presigner::builder()
///     .endpoint("https://s3.filebase.com")
///     .region("us-east-1")
///     .credentials(Credentials::new("AKIDEXAMPLE", "SECRET"))
///     .build()?;
/// let url = presigner
///     .put_object("my-bucket", "uploads/cat.jpg")
///     .header("content-type", "image/jpeg")
///     .expires_in(Duration::from_secs(600))
///     .sign()?;
/// assert!(url.as_str().starts_with("https://my-bucket.s3.filebase.com/uploads/cat.jpg?"));
/// assert_eq!(url.headers(), [("content-type".to_string(), "image/jpeg".to_string())]);
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone)]
pub struct Presigner {
    inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) credentials: Credentials,
    pub(crate) region: String,
    pub(crate) endpoint: Endpoint,
    pub(crate) url_style: UrlStyle,
    /// Derived from `credentials`, so it lives beside them.
    signing_keys: SigningKeyCache,
}

impl Inner {
    /// The SigV4 signing key for `date` (`YYYYMMDD`) and `service` in this
    /// presigner's region, derived at most once a day.
    pub(crate) fn signing_key(&self, dialect: &Dialect, date: &str, service: &str) -> SigningKey {
        let secret = self.credentials.secret_access_key();
        self.signing_keys
            .get(dialect, secret, date, &self.region, service)
    }
}

impl Presigner {
    /// Starts configuring a presigner.
    pub fn builder() -> PresignerBuilder {
        PresignerBuilder::default()
    }

    /// Starts a presigned request: `method` on `key` in `bucket`.
    ///
    /// An empty `key` addresses the bucket itself (ListObjectsV2,
    /// CreateBucket, …): the path is `/bucket` in path style, `/` when
    /// virtual-hosted. Keys are used byte for byte: `//`, a leading `/`,
    /// `./` and `../` are kept, as S3 stores them.
    pub fn request<'a>(
        &'a self,
        method: Method,
        bucket: &'a str,
        key: &'a str,
    ) -> PresignRequest<'a> {
        PresignRequest::new(self, method, bucket, key)
    }

    /// A presigned `GET` of an object (download).
    pub fn get_object<'a>(&'a self, bucket: &'a str, key: &'a str) -> PresignRequest<'a> {
        self.request(Method::Get, bucket, key)
    }

    /// A presigned `PUT` of an object (upload).
    pub fn put_object<'a>(&'a self, bucket: &'a str, key: &'a str) -> PresignRequest<'a> {
        self.request(Method::Put, bucket, key)
    }

    /// A presigned `DELETE` of an object.
    pub fn delete_object<'a>(&'a self, bucket: &'a str, key: &'a str) -> PresignRequest<'a> {
        self.request(Method::Delete, bucket, key)
    }

    /// A presigned `HEAD` of an object (metadata only).
    pub fn head_object<'a>(&'a self, bucket: &'a str, key: &'a str) -> PresignRequest<'a> {
        self.request(Method::Head, bucket, key)
    }

    /// The region in the credential scope.
    pub fn region(&self) -> &str {
        &self.inner.region
    }

    /// The addressing style requests use.
    pub fn url_style(&self) -> UrlStyle {
        self.inner.url_style
    }

    pub(crate) fn inner(&self) -> &Inner {
        &self.inner
    }
}

impl fmt::Debug for Presigner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Presigner")
            .field("credentials", &self.inner.credentials)
            .field("region", &self.inner.region)
            .field("endpoint", &self.inner.endpoint)
            .field("url_style", &self.inner.url_style)
            .finish()
    }
}

/// Configures a [`Presigner`]; see [`Presigner::builder`].
///
/// Region and credentials are required. Nothing is checked until
/// [`build`](Self::build), which reports the first problem.
#[derive(Clone, Debug, Default)]
#[must_use]
pub struct PresignerBuilder {
    endpoint: Option<String>,
    region: Option<String>,
    credentials: Option<Credentials>,
    url_style: UrlStyle,
}

impl PresignerBuilder {
    /// The store's endpoint: `http://` or `https://`, a host, an optional
    /// port and an optional path prefix (`https://gw.example.com/s3`).
    ///
    /// Default: the AWS S3 endpoint of the region (`https://s3.amazonaws.com`
    /// for `us-east-1`, `https://s3.<region>.amazonaws.com` elsewhere,
    /// `…amazonaws.com.cn` for `cn-*`).
    pub fn endpoint(mut self, endpoint: &str) -> Self {
        self.endpoint = Some(endpoint.to_owned());
        self
    }

    /// The region in the credential scope, such as `us-east-1` (letters,
    /// digits, `-`, `_` and `.`).
    pub fn region(mut self, region: &str) -> Self {
        self.region = Some(region.to_owned());
        self
    }

    /// The keys to sign with.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Path-style, virtual-hosted, or chosen per bucket ([`UrlStyle::Auto`],
    /// the default).
    pub fn url_style(mut self, url_style: UrlStyle) -> Self {
        self.url_style = url_style;
        self
    }

    /// Validates the configuration.
    ///
    /// ```
    /// use presign::{Credentials, Error, Presigner};
    ///
    /// let err = Presigner::builder()
    ///     .endpoint("s3.example.com")
    ///     .region("us-east-1")
    ///     .credentials(Credentials::new("AKID", "SECRET"))
    ///     .build()
    ///     .unwrap_err();
    /// assert!(matches!(err, Error::InvalidEndpoint { .. }));
    /// ```
    pub fn build(self) -> Result<Presigner, Error> {
        let region = self.region.ok_or(Error::MissingRegion)?;
        validate_region(&region)?;
        let credentials = self.credentials.ok_or(Error::MissingCredentials)?;
        credentials.validate()?;
        let endpoint = match &self.endpoint {
            Some(e) => Endpoint::parse(e)?,
            None => Endpoint::aws(&region),
        };
        Ok(Presigner {
            inner: Arc::new(Inner {
                credentials,
                region,
                endpoint,
                url_style: self.url_style,
                signing_keys: SigningKeyCache::default(),
            }),
        })
    }
}

/// A region goes into the credential scope between `/`s and into default
/// host names, so it is limited to letters, digits, `-`, `_` and `.`.
fn validate_region(region: &str) -> Result<(), Error> {
    let reason = if region.is_empty() {
        "it is empty"
    } else if !region
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        "it may only hold letters, digits, '-', '_' and '.'"
    } else {
        return Ok(());
    };
    Err(Error::InvalidRegion {
        region: region.to_owned(),
        reason,
    })
}
