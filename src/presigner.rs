//! The [`Presigner`]: credentials, region, endpoint and addressing, set once
//! and shared by every request it signs.

use std::fmt;
use std::sync::Arc;

use crate::addressing::{Endpoint, UrlStyle};
use crate::request::{Method, PresignRequest};
use crate::signing::key_cache::{SigningKeyCache, SigningScope};
use crate::signing::sigv4::Dialect;
use crate::{Credentials, Error, Provider};

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
/// assert!(url.as_str().starts_with("https://s3.filebase.com/my-bucket/uploads/cat.jpg?"));
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
    pub(crate) provider: Provider,
    /// Derived from `credentials`, so it lives beside them.
    signing_keys: SigningKeyCache,
}

impl Inner {
    /// Runs `f` on the SigV4 signing key and scope texts for `date`
    /// (`YYYYMMDD`) and `service` in this presigner's region, derived at
    /// most once a day.
    pub(crate) fn with_signing_scope<R>(
        &self,
        dialect: &'static Dialect,
        date: &str,
        service: &'static str,
        f: impl FnOnce(&SigningScope) -> R,
    ) -> R {
        self.signing_keys
            .with(dialect, &self.credentials, &self.region, date, service, f)
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

    /// The addressing style requests use ([`UrlStyle::Auto`] is resolved to
    /// the provider's fixed choice for TOS and GCS).
    pub fn url_style(&self) -> UrlStyle {
        self.inner.url_style
    }

    /// The store the presigner signs for.
    ///
    /// ```
    /// use presign::{Credentials, Presigner, Provider};
    ///
    /// let p = Presigner::builder()
    ///     .region("us-east-1")
    ///     .credentials(Credentials::new("AKID", "SECRET"))
    ///     .build()?;
    /// assert_eq!(p.provider(), Provider::Aws);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn provider(&self) -> Provider {
        self.inner.provider
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
            .field("provider", &self.inner.provider)
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
    provider: Provider,
}

impl PresignerBuilder {
    /// The store's endpoint: `http://` or `https://`, a host, an optional
    /// port and an optional path prefix (`https://gw.example.com/s3`).
    ///
    /// Default: the AWS S3 endpoint of the region (`https://s3.amazonaws.com`
    /// for `us-east-1`, `https://s3.<region>.amazonaws.com` elsewhere,
    /// `…amazonaws.com.cn` for `cn-*`); for [`Provider::Tos`]
    /// `https://tos-<region>.volces.com`, for [`Provider::Gcs`]
    /// `https://storage.googleapis.com`.
    pub fn endpoint(mut self, endpoint: &str) -> Self {
        self.endpoint = Some(endpoint.to_owned());
        self
    }

    /// The region in the credential scope, such as `us-east-1` (letters,
    /// digits, `-`, `_` and `.`). Required, except for [`Provider::Gcs`],
    /// whose default is `auto`.
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

    /// The store to sign for: [`Provider::Aws`] (the default, also for
    /// S3-compatible stores), [`Provider::Tos`] or [`Provider::Gcs`]. It sets
    /// the signing scheme, the default endpoint and addressing, and for GCS
    /// the default region (`auto`).
    ///
    /// ```
    /// use presign::{Credentials, Presigner, Provider};
    ///
    /// let p = Presigner::builder()
    ///     .provider(Provider::Tos)
    ///     .region("cn-beijing")
    ///     .credentials(Credentials::new("AKLTEXAMPLE", "SECRET").with_session_token("STS"))
    ///     .build()?;
    /// let url = p.get_object("bucket", "key").sign()?;
    /// assert!(url.as_str().starts_with("https://bucket.tos-cn-beijing.volces.com/key?"));
    /// assert!(url.as_str().contains("&X-Tos-Security-Token=STS&"));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn provider(mut self, provider: Provider) -> Self {
        self.provider = provider;
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
        let provider = self.provider;
        let region = self
            .region
            .or_else(|| provider.default_region().map(str::to_owned))
            .ok_or(Error::MissingRegion)?;
        validate_region(&region)?;
        let credentials = self.credentials.ok_or(Error::MissingCredentials)?;
        credentials.validate()?;
        provider.check_credentials(&credentials)?;
        let endpoint = match &self.endpoint {
            Some(e) => Endpoint::parse(e)?,
            None => provider.default_endpoint(&region)?,
        };
        Ok(Presigner {
            inner: Arc::new(Inner {
                credentials,
                region,
                endpoint,
                url_style: provider.url_style(self.url_style)?,
                provider,
                signing_keys: SigningKeyCache::default(),
            }),
        })
    }
}

/// A region goes into the credential scope between `/`s and into default
/// host names, so it is limited to letters, digits, `-`, `_` and `.`, with
/// no empty host label (`..`, or a `.` at either end).
pub(crate) fn validate_region(region: &str) -> Result<(), Error> {
    let empty_label = || {
        region
            .split('.')
            .any(str::is_empty)
            .then_some("it would make an empty label in the host name ('..', or '.' first or last)")
    };
    match scope_part_problem(region).or_else(empty_label) {
        None => Ok(()),
        Some(reason) => Err(Error::InvalidRegion {
            region: region.to_owned(),
            reason,
        }),
    }
}

/// What keeps `part` from being a credential scope element (a region or a
/// service): it must be non-empty letters, digits, `-`, `_` and `.`.
pub(crate) fn scope_part_problem(part: &str) -> Option<&'static str> {
    if part.is_empty() {
        Some("it is empty")
    } else if !part
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    {
        Some("it may only hold letters, digits, '-', '_' and '.'")
    } else {
        None
    }
}
