//! Checking presigned requests on the server side: the other half of
//! signing, for services that hand out presigned URLs for their own storage
//! and for S3-compatible servers and gateways.
//!
//! The verifier does not have a second canonicalisation: it reads the
//! received request back into the parts the signer takes (location, query,
//! headers, scope, time) and runs the signing code over them.

mod post;
mod sigv2;
mod sigv4;

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use subtle::ConstantTimeEq;
use time::OffsetDateTime;

use crate::addressing::{Endpoint, UrlStyle};
use crate::encoding::decode;
use crate::presigner::validate_region;
use crate::{Credentials, Error, Method};

/// S3's tolerance for clocks that disagree: 15 minutes.
const DEFAULT_CLOCK_SKEW: Duration = Duration::from_secs(15 * 60);

/// The credentials lookup: access key id to credentials.
type Lookup = dyn Fn(&str) -> Option<Credentials> + Send + Sync;

/// Checks presigned requests as S3 does: signature, scope, time window and
/// signed headers.
///
/// Immutable, cheap to clone (an [`Arc`] inside) and `Send + Sync`: build one
/// at start-up and share it between request handlers.
///
/// ```
/// use presign::{Credentials, Presigner, UrlStyle, Verifier, VerifyError};
/// use time::macros::datetime;
///
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
/// let presigner = Presigner::builder()
///     .endpoint("https://s3.example.com")
///     .region("us-east-1")
///     .credentials(creds.clone())
///     .build()?;
/// let url = presigner
///     .get_object("photos", "cat.jpg")
///     .signed_at(datetime!(2026-01-01 12:00 UTC))
///     .sign()?;
///
/// let verifier = Verifier::builder()
///     .credentials_lookup(move |id| (id == creds.access_key_id()).then(|| creds.clone()))
///     .region("us-east-1")
///     .endpoint("https://s3.example.com")
///     .build()?;
/// let now = datetime!(2026-01-01 12:30 UTC);
/// let ok = verifier.verify_url(presign::Method::Get, url.as_str(), &[], now)?;
/// assert_eq!((ok.bucket.as_str(), ok.key.as_str()), ("photos", "cat.jpg"));
/// assert_eq!(ok.expires_at, datetime!(2026-01-01 13:00 UTC));
///
/// // The same URL for another method, or an hour later, is refused.
/// let err = verifier.verify_url(presign::Method::Delete, url.as_str(), &[], now).unwrap_err();
/// assert_eq!(err, VerifyError::SignatureMismatch);
/// let err = verifier
///     .verify_url(presign::Method::Get, url.as_str(), &[], datetime!(2026-01-01 13:30 UTC))
///     .unwrap_err();
/// assert!(matches!(err, VerifyError::Expired { .. }));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Verifier {
    inner: Arc<Inner>,
}

struct Inner {
    lookup: Arc<Lookup>,
    regions: Vec<Region>,
    clock_skew: Duration,
    url_style: UrlStyle,
}

/// An accepted region and the endpoint its requests arrive at.
struct Region {
    name: String,
    endpoint: Endpoint,
}

impl Inner {
    /// The accepted region called `name`.
    fn region(&self, name: &str) -> Option<&Region> {
        self.regions.iter().find(|r| r.name == name)
    }

    /// The credentials for `access_key_id`.
    fn credentials(&self, access_key_id: &str) -> Result<Credentials, VerifyError> {
        (self.lookup)(access_key_id).ok_or_else(|| VerifyError::UnknownAccessKey {
            access_key_id: access_key_id.to_owned(),
        })
    }

    /// Whether a request signed at `signed_at` and valid until `expires_at`
    /// may be used at `now`. S3's rules: the clock skew tolerates a signing
    /// time slightly in the future, but never extends the expiry.
    fn check_window(
        &self,
        signed_at: OffsetDateTime,
        expires_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<(), VerifyError> {
        if now > expires_at {
            return Err(VerifyError::Expired { expires_at });
        }
        let latest = time::Duration::try_from(self.clock_skew)
            .ok()
            .and_then(|skew| now.checked_add(skew));
        // A skew too large to add to `now` accepts every signing time.
        if latest.is_some_and(|latest| signed_at > latest) {
            return Err(VerifyError::NotYetValid { signed_at });
        }
        Ok(())
    }
}

impl Verifier {
    /// Starts configuring a verifier.
    pub fn builder() -> VerifierBuilder {
        VerifierBuilder::default()
    }

    /// Checks a presigned URL as received, with the headers that came with
    /// it, at time `now`.
    ///
    /// `url` is either the absolute URL (`https://host/bucket/key?X-Amz-…`)
    /// or the request target as a server reads it from the request line
    /// (`/bucket/key?X-Amz-…`), in which case the host comes from the `host`
    /// entry of `headers`. It must be exactly as received, percent-encoding
    /// included (escapes may use either hex case). `headers` are the
    /// request's headers as `(name, value)` in any case and order; a header
    /// received more than once is given once per value (they are joined
    /// with `,` as SigV4 does).
    ///
    /// Checks, in order: the URL is a well-formed SigV4 presigned URL
    /// ([`Malformed`](VerifyError::Malformed)); its scope names service
    /// `s3` in an accepted region ([`WrongScope`](VerifyError::WrongScope));
    /// `now` is within the validity window ([`Expired`](VerifyError::Expired),
    /// [`NotYetValid`](VerifyError::NotYetValid)); every signed header was
    /// sent ([`MissingSignedHeader`](VerifyError::MissingSignedHeader)) and
    /// no `x-amz-*` header was sent unsigned
    /// ([`UnsignedHeader`](VerifyError::UnsignedHeader)); the access key is
    /// known ([`UnknownAccessKey`](VerifyError::UnknownAccessKey)) and the
    /// session token is its own
    /// ([`SecurityTokenMismatch`](VerifyError::SecurityTokenMismatch));
    /// the signature, compared in constant time, is right
    /// ([`SignatureMismatch`](VerifyError::SignatureMismatch)).
    ///
    /// ```
    /// use presign::{Credentials, Method, Presigner, Verifier, VerifyError};
    /// use time::macros::datetime;
    ///
    /// let creds = Credentials::new("AKIDEXAMPLE", "SECRET");
    /// let url = Presigner::builder()
    ///     .endpoint("http://localhost:9000")
    ///     .region("us-east-1")
    ///     .credentials(creds.clone())
    ///     .build()?
    ///     .put_object("uploads", "report.pdf")
    ///     .header("content-type", "application/pdf")
    ///     .signed_at(datetime!(2026-01-01 12:00 UTC))
    ///     .sign()?;
    /// let verifier = Verifier::builder()
    ///     .credentials_lookup(move |id| (id == "AKIDEXAMPLE").then(|| creds.clone()))
    ///     .region("us-east-1")
    ///     .endpoint("http://localhost:9000")
    ///     .build()?;
    ///
    /// // What a server sees: the request target and the headers.
    /// let target = url.as_str().strip_prefix("http://localhost:9000").unwrap();
    /// let headers = [("Host", "localhost:9000"), ("Content-Type", "application/pdf")];
    /// let now = datetime!(2026-01-01 12:01 UTC);
    /// let ok = verifier.verify_url(Method::Put, target, &headers, now)?;
    /// assert_eq!(ok.signed_headers, ["content-type", "host"]);
    ///
    /// // Without the signed header, the upload is refused.
    /// let err = verifier.verify_url(Method::Put, target, &headers[..1], now).unwrap_err();
    /// assert_eq!(err, VerifyError::MissingSignedHeader { name: "content-type".into() });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_url(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        now: OffsetDateTime,
    ) -> Result<Verified, VerifyError> {
        let target = Target::parse(url, headers)?;
        if sigv4::is_sigv4(&target) {
            sigv4::verify(&self.inner, method, target, headers, now)
        } else if sigv2::is_sigv2(&target) {
            sigv2::verify(&self.inner, method, target, headers, now)
        } else {
            Err(malformed(
                "it is not a presigned URL: it has neither X-Amz-Algorithm (SigV4) nor AWSAccessKeyId and Signature (SigV2)",
            ))
        }
    }
}

impl Verifier {
    /// Checks a browser POST upload (SigV4 or SigV2 form) for `bucket`, with
    /// the form `fields` as posted (names in any case; `file` may be left
    /// out) and the size of the uploaded file, at time `now`.
    ///
    /// As S3 does, the caller first replaces `${filename}` in the `key`
    /// field with the name of the uploaded file.
    ///
    /// Checks, in order: the form has a policy, a key and one signature
    /// ([`Malformed`](VerifyError::Malformed)); for SigV4, the credential
    /// is scoped to `s3` in an accepted region
    /// ([`WrongScope`](VerifyError::WrongScope)); the access key is known,
    /// the token is its own, and the signature over the policy is right;
    /// the policy is readable and has not expired
    /// ([`Expired`](VerifyError::Expired); for SigV4 also
    /// [`NotYetValid`](VerifyError::NotYetValid) by `x-amz-date`); every
    /// condition holds ([`PolicyConditionViolated`](VerifyError::PolicyConditionViolated),
    /// naming the condition); every field is named by a condition
    /// ([`FieldNotInPolicy`](VerifyError::FieldNotInPolicy)).
    ///
    /// The returned [`Verified`] has the form's key, the policy's
    /// expiration, and no signed headers or query parameters.
    ///
    /// ```
    /// use presign::{Condition, Credentials, Presigner, Verifier, VerifyError};
    /// use time::macros::datetime;
    ///
    /// let creds = Credentials::new("AKIDEXAMPLE", "SECRET");
    /// let form = Presigner::builder()
    ///     .region("us-east-1")
    ///     .credentials(creds.clone())
    ///     .build()?
    ///     .post_object("uploads")
    ///     .key("inbox/${filename}")
    ///     .condition(Condition::content_length_range(1, 1024 * 1024))
    ///     .signed_at(datetime!(2026-01-01 12:00 UTC))
    ///     .sign()?;
    /// let verifier = Verifier::builder()
    ///     .credentials_lookup(move |id| (id == "AKIDEXAMPLE").then(|| creds.clone()))
    ///     .region("us-east-1")
    ///     .build()?;
    ///
    /// // What the browser posts, with ${filename} replaced by the server.
    /// let fields: Vec<(&str, &str)> = form
    ///     .fields()
    ///     .iter()
    ///     .map(|(n, v)| (n.as_str(), if n == "key" { "inbox/cat.jpg" } else { v.as_str() }))
    ///     .collect();
    /// let now = datetime!(2026-01-01 12:10 UTC);
    /// let ok = verifier.verify_post_form("uploads", &fields, 5000, now)?;
    /// assert_eq!(ok.key, "inbox/cat.jpg");
    ///
    /// // Too large a file, another prefix, another bucket: refused.
    /// let err = verifier.verify_post_form("uploads", &fields, 2 << 20, now).unwrap_err();
    /// assert_eq!(err, VerifyError::PolicyConditionViolated {
    ///     condition: r#"["content-length-range",1,1048576]"#.into(),
    /// });
    /// assert!(verifier.verify_post_form("other", &fields, 5000, now).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn verify_post_form(
        &self,
        bucket: &str,
        fields: &[(&str, &str)],
        file_len: u64,
        now: OffsetDateTime,
    ) -> Result<Verified, VerifyError> {
        post::verify(&self.inner, bucket, fields, file_len, now)
    }
}

impl fmt::Debug for Verifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let regions: Vec<_> = self.inner.regions.iter().map(|r| &r.name).collect();
        f.debug_struct("Verifier")
            .field("regions", &regions)
            .field(
                "endpoints",
                &self
                    .inner
                    .regions
                    .iter()
                    .map(|r| &r.endpoint)
                    .collect::<Vec<_>>(),
            )
            .field("clock_skew", &self.inner.clock_skew)
            .field("url_style", &self.inner.url_style)
            .finish_non_exhaustive()
    }
}

/// Configures a [`Verifier`]; see [`Verifier::builder`].
///
/// A credentials lookup and at least one region are required. Nothing is
/// checked until [`build`](Self::build), which reports the first problem.
///
/// ```
/// use presign::{Credentials, Error, UrlStyle, Verifier};
/// use std::time::Duration;
///
/// let verifier = Verifier::builder()
///     .credentials_lookup(|id| match id {
///         "AKIDEXAMPLE" => Some(Credentials::new(id, "SECRET")),
///         _ => None,
///     })
///     .region("eu-west-1")
///     .region("eu-central-1")
///     .endpoint("https://storage.example.com")
///     .url_style(UrlStyle::Auto)
///     .clock_skew(Duration::from_secs(300))
///     .build()?;
///
/// let err = Verifier::builder().region("us-east-1").build().unwrap_err();
/// assert_eq!(err, Error::MissingCredentialsLookup);
/// # Ok::<(), Error>(())
/// ```
#[derive(Clone)]
#[must_use]
pub struct VerifierBuilder {
    lookup: Option<Arc<Lookup>>,
    regions: Vec<String>,
    clock_skew: Duration,
    endpoint: Option<String>,
    url_style: UrlStyle,
}

impl Default for VerifierBuilder {
    fn default() -> Self {
        Self {
            lookup: None,
            regions: Vec::new(),
            clock_skew: DEFAULT_CLOCK_SKEW,
            endpoint: None,
            url_style: UrlStyle::Path,
        }
    }
}

impl VerifierBuilder {
    /// How to find the credentials of an access key id: `None` for a key
    /// this server does not know. Called once per request that gets as far
    /// as the signature check; make it fast (a map lookup), or cache.
    ///
    /// When the credentials have a session token, requests must carry that
    /// same token; when they have none, requests must carry none.
    pub fn credentials_lookup<F>(mut self, lookup: F) -> Self
    where
        F: Fn(&str) -> Option<Credentials> + Send + Sync + 'static,
    {
        self.lookup = Some(Arc::new(lookup));
        self
    }

    /// Adds a region that requests may be scoped to, such as `us-east-1`.
    /// Call it once per region to accept several.
    pub fn region(mut self, region: &str) -> Self {
        self.regions.push(region.to_owned());
        self
    }

    /// Adds several accepted regions at once.
    ///
    /// ```
    /// # use presign::{Credentials, Verifier};
    /// let verifier = Verifier::builder()
    ///     .credentials_lookup(|_| None)
    ///     .regions(["us-east-1", "us-west-2"])
    ///     .build()?;
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn regions<I, S>(mut self, regions: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        self.regions
            .extend(regions.into_iter().map(|r| r.as_ref().to_owned()));
        self
    }

    /// How far in the future a signing time may be, for clocks that
    /// disagree. It never extends the expiry. Default: 15 minutes, as S3.
    pub fn clock_skew(mut self, clock_skew: Duration) -> Self {
        self.clock_skew = clock_skew;
        self
    }

    /// The endpoint this server is reached at, as the [`Presigner`]'s
    /// [`endpoint`](crate::PresignerBuilder::endpoint) was given:
    /// `http[s]://host[:port][/prefix]`. Requests for another host are
    /// refused; the prefix is stripped from the path before the bucket.
    ///
    /// Default: the AWS S3 endpoint of each accepted region.
    ///
    /// [`Presigner`]: crate::Presigner
    pub fn endpoint(mut self, endpoint: &str) -> Self {
        self.endpoint = Some(endpoint.to_owned());
        self
    }

    /// How the bucket is told from the host and path, with the meaning
    /// [`UrlStyle`] has for the [`Presigner`](crate::Presigner):
    /// [`Path`](UrlStyle::Path) (the default here) reads it from the first
    /// path segment, [`VirtualHosted`](UrlStyle::VirtualHosted) from the
    /// host (`bucket.endpoint-host`). [`Auto`](UrlStyle::Auto) accepts both,
    /// as S3 does, so it verifies whatever an `Auto` presigner chose.
    pub fn url_style(mut self, url_style: UrlStyle) -> Self {
        self.url_style = url_style;
        self
    }

    /// Validates the configuration.
    ///
    /// # Errors
    /// [`Error::MissingRegion`], [`Error::InvalidRegion`],
    /// [`Error::MissingCredentialsLookup`] or [`Error::InvalidEndpoint`].
    pub fn build(self) -> Result<Verifier, Error> {
        if self.regions.is_empty() {
            return Err(Error::MissingRegion);
        }
        for region in &self.regions {
            validate_region(region)?;
        }
        let lookup = self.lookup.ok_or(Error::MissingCredentialsLookup)?;
        let custom = self.endpoint.as_deref().map(Endpoint::parse).transpose()?;
        let regions = self
            .regions
            .into_iter()
            .map(|name| Region {
                endpoint: custom.clone().unwrap_or_else(|| Endpoint::aws(&name)),
                name,
            })
            .collect();
        Ok(Verifier {
            inner: Arc::new(Inner {
                lookup,
                regions,
                clock_skew: self.clock_skew,
                url_style: self.url_style,
            }),
        })
    }
}

impl fmt::Debug for VerifierBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("VerifierBuilder")
            .field("credentials_lookup", &self.lookup.as_ref().map(|_| "<fn>"))
            .field("regions", &self.regions)
            .field("clock_skew", &self.clock_skew)
            .field("endpoint", &self.endpoint)
            .field("url_style", &self.url_style)
            .finish()
    }
}

/// A presigned request that passed every check: what it may do, and until
/// when.
///
/// ```
/// # use presign::{Credentials, Method, Presigner, Verifier};
/// # use time::macros::datetime;
/// # let creds = Credentials::new("AKIDEXAMPLE", "SECRET");
/// # let p = Presigner::builder().endpoint("https://s3.example.com").region("us-east-1")
/// #     .credentials(creds.clone()).build()?;
/// # let verifier = Verifier::builder().endpoint("https://s3.example.com").region("us-east-1")
/// #     .credentials_lookup(move |_| Some(creds.clone())).build()?;
/// let url = p
///     .get_object("reports", "2026/q3.pdf")
///     .query("response-content-disposition", "attachment")
///     .signed_at(datetime!(2026-01-01 0:00 UTC))
///     .sign()?;
/// let ok = verifier.verify_url(Method::Get, url.as_str(), &[], datetime!(2026-01-01 0:10 UTC))?;
/// assert_eq!(ok.access_key_id, "AKIDEXAMPLE");
/// assert_eq!(ok.bucket, "reports");
/// assert_eq!(ok.key, "2026/q3.pdf");
/// assert_eq!(ok.expires_at, datetime!(2026-01-01 1:00 UTC));
/// assert_eq!(ok.signed_headers, ["host"]);
/// assert_eq!(ok.query, [("response-content-disposition".to_string(), "attachment".to_string())]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// The access key that signed the request.
    pub access_key_id: String,
    /// The bucket addressed.
    pub bucket: String,
    /// The object key, decoded; `""` for a bucket-level request
    /// (ListObjectsV2, CreateBucket, …).
    pub key: String,
    /// The last instant the request is valid.
    pub expires_at: OffsetDateTime,
    /// The headers the signature covers, lowercase and sorted (`host`
    /// included). Other headers of the request are not signed: do not let
    /// them change what the request does.
    pub signed_headers: Vec<String>,
    /// The query parameters the signature covers, other than the
    /// authentication ones, decoded, in canonical order: sub-resources and
    /// options such as `uploadId`, `partNumber`, `versionId` or
    /// `response-content-disposition`.
    pub query: Vec<(String, String)>,
}

/// Why a presigned request was refused.
///
/// Messages never carry a secret, a session token or the signature the
/// request should have had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The request is not a well-formed presigned request: a parameter is
    /// missing, repeated or unreadable, the host or path is not one this
    /// verifier serves, or the key is invalid.
    #[error("malformed presigned request: {reason}")]
    Malformed {
        /// What is wrong.
        reason: Cow<'static, str>,
    },

    /// The lookup knows no credentials for the access key.
    #[error("unknown access key id {access_key_id:?}")]
    UnknownAccessKey {
        /// The access key id the request names.
        access_key_id: String,
    },

    /// The signature is not the one the credentials give for this request:
    /// something signed was changed (method, host, path, query, a signed
    /// header) or another secret signed it.
    #[error(
        "signature mismatch: the request differs from what was signed (method, host, path, query or a signed header), or another secret signed it"
    )]
    SignatureMismatch,

    /// The request's validity ended before `now`.
    #[error("the presigned request expired at {expires_at}")]
    Expired {
        /// The last instant it was valid.
        expires_at: OffsetDateTime,
    },

    /// The request is signed for a time later than `now` plus the allowed
    /// clock skew.
    #[error(
        "the presigned request is signed at {signed_at}, further in the future than the allowed clock skew"
    )]
    NotYetValid {
        /// Its signing time.
        signed_at: OffsetDateTime,
    },

    /// The credential scope names a region this verifier does not accept,
    /// or a service other than `s3`.
    #[error(
        "the request is scoped to region {region:?} and service {service:?}; this verifier accepts service \"s3\" in its configured regions"
    )]
    WrongScope {
        /// The region in the scope.
        region: String,
        /// The service in the scope.
        service: String,
    },

    /// A header the signature covers was not sent.
    #[error("header {name:?} is signed but was not sent")]
    MissingSignedHeader {
        /// The header's name, lowercase.
        name: String,
    },

    /// An `x-amz-*` header was sent that the signature does not cover; S3
    /// refuses those, as they change what a request does.
    #[error("header {name:?} was sent but is not signed; x-amz-* headers must be signed")]
    UnsignedHeader {
        /// The header's name, lowercase.
        name: String,
    },

    /// The session token in the request is not the one the credentials
    /// have (or one was sent for credentials without, or none for
    /// credentials with one).
    #[error("the session token does not belong to the access key")]
    SecurityTokenMismatch,

    /// A POST upload breaks a condition of its (authentic) policy.
    #[error("the upload breaks policy condition {condition}")]
    PolicyConditionViolated {
        /// The condition, as JSON from the policy, such as
        /// `["starts-with", "$key", "uploads/"]`.
        condition: String,
    },

    /// A POST form carries a field that no condition of its policy names;
    /// S3 refuses those (all but `policy`, the signature fields, `file`
    /// and `x-ignore-*`), since they would change the upload unchecked.
    #[error("form field {name:?} is not covered by any policy condition")]
    FieldNotInPolicy {
        /// The field's name as posted.
        name: String,
    },
}

/// The session token a request carries must be the credentials' own, and
/// none for credentials without one. Compared in constant time.
fn check_token(credentials: &Credentials, given: Option<&str>) -> Result<(), VerifyError> {
    let matches = match (credentials.session_token(), given) {
        (None, None) => true,
        (Some(expected), Some(given)) => expected.as_bytes().ct_eq(given.as_bytes()).into(),
        _ => false,
    };
    if matches {
        Ok(())
    } else {
        Err(VerifyError::SecurityTokenMismatch)
    }
}

/// Compares the signature a request carries with the one computed, in
/// constant time (only the lengths may differ observably).
fn check_signature(expected: &str, given: &str) -> Result<(), VerifyError> {
    if bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
        Ok(())
    } else {
        Err(VerifyError::SignatureMismatch)
    }
}

/// A query parameter or form field: name and value.
type Pair<'a> = (Cow<'a, str>, Cow<'a, str>);

/// Authentication parameters by index (see [`take_params`]), and the other
/// pairs.
type Taken<'a, const N: usize> = ([Option<Cow<'a, str>>; N], Vec<Pair<'a>>);

/// Takes the authentication parameters `names` out of `pairs`: their values
/// by index, and the other pairs in order. A name given twice is refused,
/// and so, when `exact` (query parameters, which S3 matches by case), is
/// one spelt in another case.
fn take_params<'a, const N: usize>(
    pairs: Vec<Pair<'a>>,
    names: [&'static str; N],
    exact: bool,
) -> Result<Taken<'a, N>, VerifyError> {
    let mut values: [Option<Cow<'a, str>>; N] = std::array::from_fn(|_| None);
    let mut rest = Vec::with_capacity(pairs.len());
    for (name, value) in pairs {
        match names.iter().position(|p| p.eq_ignore_ascii_case(&name)) {
            Some(i) if exact && names[i] != name => {
                return Err(VerifyError::Malformed {
                    reason: format!("parameter {name:?} must be spelt {}", names[i]).into(),
                });
            }
            Some(i) => {
                if values[i].replace(value).is_some() {
                    return Err(VerifyError::Malformed {
                        reason: format!("{} appears twice", names[i]).into(),
                    });
                }
            }
            None => rest.push((name, value)),
        }
    }
    Ok((values, rest))
}

/// The value of authentication parameter `i` of `names`, which must be
/// there.
fn required<'v>(
    values: &'v [Option<Cow<'_, str>>],
    names: &[&'static str],
    i: usize,
) -> Result<&'v str, VerifyError> {
    values[i].as_deref().ok_or_else(|| VerifyError::Malformed {
        reason: format!("{} is missing", names[i]).into(),
    })
}

/// A [`VerifyError::Malformed`] with a fixed reason.
fn malformed(reason: &'static str) -> VerifyError {
    VerifyError::Malformed {
        reason: Cow::Borrowed(reason),
    }
}

/// A request target read back into parts: the host it was sent to, the
/// decoded path, and the decoded query parameters in received order.
struct Target<'a> {
    /// `http` or `https`, absent for an origin-form target.
    scheme: Option<&'a str>,
    /// `host[:port]` as received.
    authority: &'a str,
    /// The percent-decoded path (`/` for an absolute URL without one).
    path: Cow<'a, str>,
    /// The decoded query parameters; a name without `=` has value `""`.
    query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

impl<'a> Target<'a> {
    /// Reads `url` (absolute, or origin-form with the `host` header).
    fn parse(url: &'a str, headers: &[(&'a str, &'a str)]) -> Result<Self, VerifyError> {
        // A request line carries no spaces, controls or non-ASCII: anything
        // signed arrives percent-encoded. A fragment is never sent.
        if !url.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(malformed(
                "it holds a space, control or non-ASCII character; URLs as sent are percent-encoded",
            ));
        }
        if url.contains('#') {
            return Err(malformed(
                "it has a fragment ('#'), which clients never send",
            ));
        }
        let (before_query, raw_query) = url.split_once('?').unwrap_or((url, ""));
        let (scheme, authority, raw_path) = if before_query.starts_with('/') {
            let mut hosts = headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("host"));
            let host = match (hosts.next(), hosts.next()) {
                (Some((_, host)), None) => *host,
                _ => {
                    return Err(malformed(
                        "a request target without scheme and host needs exactly one host header",
                    ));
                }
            };
            (None, host, before_query)
        } else {
            let (scheme, rest) = before_query.split_once("://").ok_or_else(|| {
                malformed("it is neither an absolute http(s) URL nor a path starting with '/'")
            })?;
            let slash = rest.find('/').unwrap_or(rest.len());
            let path = if slash == rest.len() {
                "/"
            } else {
                &rest[slash..]
            };
            (Some(scheme), &rest[..slash], path)
        };
        let path = decode(raw_path).ok_or_else(|| {
            malformed("the path has a '%' that does not start a %XX escape, or is not UTF-8")
        })?;
        let mut query = Vec::new();
        if !raw_query.is_empty() {
            for piece in raw_query.split('&') {
                if piece.is_empty() {
                    return Err(malformed("the query has an empty parameter ('&&')"));
                }
                let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
                match (decode(name), decode(value)) {
                    (Some(name), Some(value)) => query.push((name, value)),
                    _ => {
                        return Err(malformed(
                            "a query parameter has a '%' that does not start a %XX escape, or is not UTF-8",
                        ));
                    }
                }
            }
        }
        Ok(Self {
            scheme,
            authority,
            path,
            query,
        })
    }
}
