//! Which store a [`Presigner`](crate::Presigner) signs for: AWS S3 (and
//! S3-compatible stores), Volcengine TOS's native scheme, or Google Cloud
//! Storage with an HMAC key. All three are SigV4 in shape; each has its own
//! names, scope and canonicalisation, gathered here.

use crate::addressing::{Endpoint, UrlStyle};
use crate::signing::sigv4::{self, Dialect};
use crate::{Credentials, Error};

/// The signing scheme and conventions of a store.
///
/// | | `Aws` (default) | `Tos` | `Gcs` |
/// |---|---|---|---|
/// | algorithm | `AWS4-HMAC-SHA256` | `TOS4-HMAC-SHA256` | `GOOG4-HMAC-SHA256` |
/// | parameters | `X-Amz-*` | `X-Tos-*` | `X-Goog-*` |
/// | scope | `date/region/s3/aws4_request` | `date/region/tos/request` | `date/region/storage/goog4_request` |
/// | default endpoint | `https://s3[.region].amazonaws.com` | `https://tos-<region>.volces.com` | `https://storage.googleapis.com` |
/// | default region | none | none | `auto` |
/// | [`UrlStyle::Auto`] | as botocore: virtual-hosted on AWS for plain DNS names, else path style | virtual-hosted | path style |
/// | [`UrlStyle::Path`] | yes | an error | yes |
/// | session token | `X-Amz-Security-Token` | `X-Tos-Security-Token` | an error |
/// | canonical query order | encoded name | raw (decoded) name | encoded name |
/// | header values | trimmed, inner whitespace collapsed | trimmed | trimmed, inner whitespace collapsed |
/// | payload hash | `UNSIGNED-PAYLOAD` or `x-amz-content-sha256` | `UNSIGNED-PAYLOAD` or `x-tos-content-sha256` | `UNSIGNED-PAYLOAD` or `x-goog-content-sha256` |
///
/// Every provider signs `host` and every header the caller adds, and accepts
/// expiries from 1 s to 7 days.
///
/// ```
/// use presign::{Credentials, Presigner, Provider};
/// use std::time::Duration;
///
/// let tos = Presigner::builder()
///     .provider(Provider::Tos)
///     .region("cn-beijing")
///     .credentials(Credentials::new("AKLTEXAMPLE", "SECRET"))
///     .build()?;
/// let url = tos
///     .put_object("my-bucket", "uploads/cat.jpg")
///     .expires_in(Duration::from_secs(600))
///     .sign()?;
/// assert!(url.as_str().starts_with(
///     "https://my-bucket.tos-cn-beijing.volces.com/uploads/cat.jpg?X-Tos-Algorithm=TOS4-HMAC-SHA256&"
/// ));
///
/// let gcs = Presigner::builder()
///     .provider(Provider::Gcs)
///     .credentials(Credentials::new("GOOG1EEXAMPLE", "SECRET"))
///     .build()?;
/// let url = gcs.get_object("my-bucket", "cat.jpg").sign()?;
/// assert!(url.as_str().starts_with("https://storage.googleapis.com/my-bucket/cat.jpg?X-Goog-Algorithm="));
/// assert!(url.as_str().contains("%2Fauto%2Fstorage%2Fgoog4_request&"));
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Provider {
    /// AWS Signature Version 4, as botocore presigns S3 requests; also for
    /// every S3-compatible store (MinIO, Ceph, Garage, Filebase, TOS's S3
    /// endpoint, GCS's XML API with `AWS4-HMAC-SHA256`, …).
    #[default]
    Aws,
    /// Volcengine TOS's native scheme (`TOS4-HMAC-SHA256`), as the `tos`
    /// Python SDK's `pre_signed_url` signs it with `is_signed_all_headers`.
    /// Buckets are addressed by host name only.
    Tos,
    /// Google Cloud Storage V4 signing with an HMAC key (`GOOG4-HMAC-SHA256`).
    /// HMAC keys have no session token.
    Gcs,
}

impl Provider {
    /// The names and canonicalisation rules of the provider's SigV4 variant.
    pub(crate) fn dialect(self) -> &'static Dialect {
        match self {
            Provider::Aws => &sigv4::AWS,
            Provider::Tos => &sigv4::TOS,
            Provider::Gcs => &sigv4::GCS,
        }
    }

    /// The service in the credential scope.
    pub(crate) fn service(self) -> &'static str {
        match self {
            Provider::Aws => "s3",
            Provider::Tos => "tos",
            Provider::Gcs => "storage",
        }
    }

    /// The region used when the builder is given none: GCS's `auto` (the
    /// location every Google client signs with).
    pub(crate) fn default_region(self) -> Option<&'static str> {
        match self {
            Provider::Gcs => Some("auto"),
            Provider::Aws | Provider::Tos => None,
        }
    }

    /// The endpoint used when the builder is given none.
    pub(crate) fn default_endpoint(self, region: &str) -> Result<Endpoint, Error> {
        match self {
            Provider::Aws => Ok(Endpoint::aws(region)),
            // TOS's public endpoints (docs "Regions and endpoints").
            Provider::Tos => Endpoint::parse(&format!("https://tos-{region}.volces.com")),
            Provider::Gcs => Endpoint::parse("https://storage.googleapis.com"),
        }
    }

    /// The addressing style requests use: `style`, with [`UrlStyle::Auto`]
    /// resolved where the provider has a fixed default.
    pub(crate) fn url_style(self, style: UrlStyle) -> Result<UrlStyle, Error> {
        match (self, style) {
            // The tos SDK builds virtual-hosted URLs only; TOS has no path style.
            (Provider::Tos, UrlStyle::Path) => Err(Error::UnsupportedByProvider {
                provider: self,
                reason: "TOS addresses buckets by host name only, so path style cannot be used; \
                         use UrlStyle::VirtualHosted (the default) or UrlStyle::CustomDomain",
            }),
            (Provider::Tos, UrlStyle::Auto) => Ok(UrlStyle::VirtualHosted),
            // Google's clients sign path-style URLs unless told otherwise.
            (Provider::Gcs, UrlStyle::Auto) => Ok(UrlStyle::Path),
            _ => Ok(style),
        }
    }

    /// Refuses a signing scheme only AWS S3 and S3-compatible stores speak
    /// (SigV2, S3 POST forms), saying `why`.
    pub(crate) fn require_aws(self, why: &'static str) -> Result<(), Error> {
        match self {
            Provider::Aws => Ok(()),
            Provider::Tos | Provider::Gcs => Err(Error::UnsupportedByProvider {
                provider: self,
                reason: why,
            }),
        }
    }

    /// Checks what the provider's keys can hold.
    pub(crate) fn check_credentials(self, credentials: &Credentials) -> Result<(), Error> {
        match self {
            Provider::Gcs if credentials.session_token().is_some() => {
                Err(Error::UnsupportedByProvider {
                    provider: self,
                    reason: "GCS HMAC keys have no session token; \
                             build the credentials without with_session_token",
                })
            }
            _ => Ok(()),
        }
    }
}

impl std::fmt::Display for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Provider::Aws => "AWS",
            Provider::Tos => "Volcengine TOS",
            Provider::Gcs => "Google Cloud Storage",
        })
    }
}
