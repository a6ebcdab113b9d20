//! AWS services other than S3: a SigV4 query-string presign for any service
//! ([`ServiceRequest`]), and the authentication tokens built on it —
//! [`rds_auth_token`] (RDS / Aurora IAM database authentication),
//! [`dsql_auth_token`] (Aurora DSQL) and [`eks_token`] (Amazon EKS).
//!
//! These follow botocore's `SigV4QueryAuth` (used by
//! `generate_presigned_url` for every service but S3) and its token helpers:
//! the canonical URI is normalised and encoded twice as SigV4 specifies for
//! services other than S3, and the payload hash is that of the empty body.
//!
//! ```
//! use presign::Credentials;
//!
//! let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
//! let t = time::macros::datetime!(2024-03-09 12:34:56 UTC);
//! let token = presign::aws::rds_auth_token(
//!     &creds, "us-east-1", "db.example.us-east-1.rds.amazonaws.com", 5432, "iam_user", t,
//! )?;
//! // Use it as the database password (with TLS), within 15 minutes.
//! assert!(token.starts_with(
//!     "db.example.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=iam_user&X-Amz-Algorithm="
//! ));
//! # Ok::<(), presign::Error>(())
//! ```

use std::borrow::Cow;
use std::fmt;
use std::time::Duration;

use base64::Engine as _;
use time::OffsetDateTime;

use crate::addressing::{Endpoint, aws_dns_suffix};
use crate::presigner::{scope_part_problem, validate_region};
use crate::request::{DEFAULT_EXPIRES_IN, add_header, prepare_parts, validity};
use crate::signing::sigv4::{self, QueryPresign, ScopeTexts};
use crate::{Credentials, Error, Method, PresignedUrl};

/// A SigV4 query-string presigned request to any AWS service: any endpoint,
/// path, query and headers.
///
/// Signed as botocore's `SigV4QueryAuth` signs for services other than S3:
/// the path is normalised (`.` and empty segments removed, `..` resolved)
/// and encoded a second time in the canonical request (the URL carries it
/// encoded once), and the payload hash is the SHA-256 of the empty body (or
/// the value of an `x-amz-content-sha256` header, if one is signed). For S3
/// use [`Presigner`](crate::Presigner) instead: S3 keys are signed as they are.
///
/// Problems with an argument are reported by [`sign`](Self::sign).
///
/// ```
/// use presign::aws::ServiceRequest;
/// use presign::{Credentials, Method};
/// use std::time::Duration;
///
/// let creds = Credentials::new("AKIDEXAMPLE", "SECRET");
/// // STS GetCallerIdentity, as `aws sts` would send it, presigned for 5 minutes.
/// let url = ServiceRequest::new(Method::Get, "https://sts.eu-west-1.amazonaws.com", "sts", "eu-west-1")
///     .query("Action", "GetCallerIdentity")
///     .query("Version", "2011-06-15")
///     .expires_in(Duration::from_secs(300))
///     .sign(&creds)?;
/// assert!(url.as_str().starts_with(
///     "https://sts.eu-west-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm="
/// ));
/// # Ok::<(), presign::Error>(())
/// ```
#[must_use = "call .sign(&credentials) to get the presigned URL"]
pub struct ServiceRequest<'a> {
    method: Method,
    endpoint: &'a str,
    service: &'a str,
    region: &'a str,
    path: Cow<'a, str>,
    query: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    headers: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    expires_in: Duration,
    signed_at: Option<OffsetDateTime>,
    error: Option<Error>,
}

impl<'a> ServiceRequest<'a> {
    /// Starts a request: `method` to `endpoint` (`https://host[:port]`,
    /// optionally with a path prefix), signed for `service` (the signing
    /// name in the scope: `sts`, `rds-db`, `execute-api`, …) in `region`.
    pub fn new(method: Method, endpoint: &'a str, service: &'a str, region: &'a str) -> Self {
        Self {
            method,
            endpoint,
            service,
            region,
            path: Cow::Borrowed("/"),
            query: Vec::new(),
            headers: Vec::new(),
            expires_in: DEFAULT_EXPIRES_IN,
            signed_at: None,
            error: None,
        }
    }

    /// The path, decoded, starting with `/` (default `/`); it follows the
    /// endpoint's path prefix, if any. It is percent-encoded in the URL
    /// (only `A-Za-z0-9-_.~/` literal), and normalised and encoded again in
    /// the signature.
    ///
    /// ```
    /// use presign::aws::ServiceRequest;
    /// use presign::{Credentials, Method};
    ///
    /// let url = ServiceRequest::new(Method::Get, "https://api.example.com/prod", "execute-api", "eu-west-1")
    ///     .path("/pets/mr whiskers")
    ///     .sign(&Credentials::new("AKIDEXAMPLE", "SECRET"))?;
    /// assert!(url.as_str().starts_with("https://api.example.com/prod/pets/mr%20whiskers?X-Amz-Algorithm="));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn path(mut self, path: impl Into<Cow<'a, str>>) -> Self {
        self.path = path.into();
        self
    }

    /// Adds a query parameter (decoded); it is signed, and encoded in the URL.
    pub fn query(mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    /// Adds a header the client must send with exactly this value; it is
    /// signed. Names are case-insensitive; values are compared trimmed, with
    /// inner runs of whitespace collapsed.
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

    /// The signing time. Default: the current time when
    /// [`sign`](Self::sign) runs.
    pub fn signed_at(mut self, signed_at: OffsetDateTime) -> Self {
        self.signed_at = Some(signed_at);
        self
    }

    /// Signs with `credentials` (a session token goes into
    /// `X-Amz-Security-Token`).
    ///
    /// # Errors
    /// The first invalid argument: credentials, region, service, endpoint,
    /// path, a header, a query parameter the signer writes itself, an
    /// expiry out of range or a signing time outside years 0–9999.
    pub fn sign(mut self, credentials: &Credentials) -> Result<PresignedUrl, Error> {
        if let Some(error) = self.error {
            return Err(error);
        }
        credentials.validate()?;
        validate_region(self.region)?;
        validate_service(self.service)?;
        let endpoint = Endpoint::parse(self.endpoint)?;
        let path = self.path.strip_prefix('/').ok_or(Error::InvalidArgument {
            argument: "path",
            reason: "it must start with '/'",
        })?;
        let dialect = &sigv4::AWS;
        let (expires_in, _, date) = validity(self.expires_in, self.signed_at)?;
        prepare_parts(dialect, &mut self.query, &mut self.headers)?;
        let presign = QueryPresign {
            dialect,
            method: self.method.as_str(),
            location: endpoint.locate_path(path).normalized(),
            query: &self.query,
            headers: &self.headers,
            scope: &ScopeTexts::new(
                dialect,
                credentials.access_key_id(),
                credentials.session_token(),
                date.date(),
                self.region,
                self.service,
            ),
            date: &date,
            expires_in,
            payload_hash: dialect.payload_hash(&self.headers, sigv4::EMPTY_PAYLOAD),
        };
        let key = sigv4::signing_key(
            dialect,
            credentials.secret_access_key(),
            date.date(),
            self.region,
            self.service,
        );
        Ok(PresignedUrl {
            url: sigv4::presigned_url(&presign, &key),
            method: self.method,
            headers: sigv4::signed_header_list(dialect, &self.headers),
        })
    }
}

/// Shows header names but not their values, which may be secret.
impl fmt::Debug for ServiceRequest<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_ref()).collect();
        f.debug_struct("ServiceRequest")
            .field("method", &self.method)
            .field("endpoint", &self.endpoint)
            .field("service", &self.service)
            .field("region", &self.region)
            .field("path", &self.path)
            .field("query", &self.query)
            .field("header_names", &header_names)
            .field("expires_in", &self.expires_in)
            .field("signed_at", &self.signed_at)
            .field("error", &self.error)
            .finish()
    }
}

/// The service goes into the credential scope between `/`s.
fn validate_service(service: &str) -> Result<(), Error> {
    match scope_part_problem(service) {
        None => Ok(()),
        Some(reason) => Err(Error::InvalidArgument {
            argument: "service",
            reason,
        }),
    }
}

/// `url` without its `https://host[:port]`: the path and query.
fn path_and_query(url: &PresignedUrl) -> &str {
    let url = url.as_str();
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    // The host is validated (no '/'), and the path always starts with '/'.
    url[after_scheme..]
        .find('/')
        .map_or("", |i| &url[after_scheme + i..])
}

/// Refuses an empty argument.
fn non_empty(argument: &'static str, value: &str) -> Result<(), Error> {
    if value.is_empty() {
        return Err(Error::InvalidArgument {
            argument,
            reason: "it is empty",
        });
    }
    Ok(())
}

/// An IAM authentication token for an RDS or Aurora database (MySQL,
/// PostgreSQL, MariaDB): the password to connect as `db_user` (over TLS),
/// valid for 15 minutes.
///
/// As botocore's `generate_db_auth_token`: `GET
/// https://hostname:port/?Action=connect&DBUser=db_user` presigned for
/// service `rds-db` for 900 s, returned without the `https://`.
///
/// ```
/// use presign::Credentials;
///
/// let creds = Credentials::from_env()
///     .unwrap_or_else(|_| Credentials::new("AKIDEXAMPLE", "SECRET"));
/// let password = presign::aws::rds_auth_token(
///     &creds,
///     "eu-west-1",
///     "mydb.123456789012.eu-west-1.rds.amazonaws.com",
///     5432,
///     "app_user",
///     time::OffsetDateTime::now_utc(),
/// )?;
/// assert!(password.contains("&DBUser=app_user&"));
/// # Ok::<(), presign::Error>(())
/// ```
///
/// # Errors
/// An empty user, a host name that is not a DNS name or IP address, a port
/// of 0, or invalid credentials, region or signing time.
pub fn rds_auth_token(
    credentials: &Credentials,
    region: &str,
    hostname: &str,
    port: u16,
    db_user: &str,
    signed_at: OffsetDateTime,
) -> Result<String, Error> {
    non_empty("database user", db_user)?;
    let endpoint = format!("https://{hostname}:{port}");
    let url = ServiceRequest::new(Method::Get, &endpoint, "rds-db", region)
        .query("Action", "connect")
        .query("DBUser", db_user)
        .expires_in(Duration::from_secs(900))
        .signed_at(signed_at)
        .sign(credentials)?;
    // botocore keeps the port in the token even when it is 443, which the
    // signed host (and so our URL) leaves out.
    Ok(format!("{hostname}:{port}{}", path_and_query(&url)))
}

/// An authentication token for an Aurora DSQL cluster: the password to
/// connect to `hostname` (the cluster endpoint) as the `admin` role
/// (`admin == true`, action `DbConnectAdmin`) or as a custom role
/// (`DbConnect`), valid for `expires_in` (botocore's default is 900 s).
///
/// As botocore's `generate_db_connect_auth_token` and
/// `generate_db_connect_admin_auth_token`: `GET
/// https://hostname/?Action=DbConnect[Admin]` presigned for service `dsql`,
/// returned without the `https://`.
///
/// ```
/// use presign::Credentials;
/// use std::time::Duration;
///
/// let creds = Credentials::new("AKIDEXAMPLE", "SECRET");
/// let token = presign::aws::dsql_auth_token(
///     &creds,
///     "us-east-1",
///     "abcdefghijklmnopqrst.dsql.us-east-1.on.aws",
///     true,
///     Duration::from_secs(900),
///     time::OffsetDateTime::now_utc(),
/// )?;
/// assert!(token.starts_with("abcdefghijklmnopqrst.dsql.us-east-1.on.aws/?Action=DbConnectAdmin&"));
/// # Ok::<(), presign::Error>(())
/// ```
///
/// # Errors
/// A host name that is not a DNS name or IP address, an expiry outside
/// 1 s..=7 days, or invalid credentials, region or signing time.
pub fn dsql_auth_token(
    credentials: &Credentials,
    region: &str,
    hostname: &str,
    admin: bool,
    expires_in: Duration,
    signed_at: OffsetDateTime,
) -> Result<String, Error> {
    let action = if admin { "DbConnectAdmin" } else { "DbConnect" };
    let endpoint = format!("https://{hostname}");
    let url = ServiceRequest::new(Method::Get, &endpoint, "dsql", region)
        .query("Action", action)
        .expires_in(expires_in)
        .signed_at(signed_at)
        .sign(credentials)?;
    Ok(format!("{hostname}{}", path_and_query(&url)))
}

/// A bearer token for the Kubernetes API server of the EKS cluster
/// `cluster`, valid for 60 s (what `aws eks get-token` and
/// aws-iam-authenticator produce).
///
/// It is `k8s-aws-v1.` followed by the unpadded URL-safe base64 of an STS
/// `GetCallerIdentity` request (`Version=2011-06-15`) to
/// `https://sts.<region>.amazonaws.com` (`.amazonaws.com.cn` in China),
/// presigned for 60 s with the header `x-k8s-aws-id: <cluster>` signed.
///
/// ```
/// use presign::Credentials;
///
/// let creds = Credentials::new("AKIDEXAMPLE", "SECRET");
/// let token = presign::aws::eks_token(&creds, "us-east-1", "my-cluster", time::OffsetDateTime::now_utc())?;
/// assert!(token.starts_with("k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtZWFzdC0xLmFtYXpvbmF3cy5jb20v"));
/// # Ok::<(), presign::Error>(())
/// ```
///
/// # Errors
/// An empty cluster name or one with control characters, or invalid
/// credentials, region or signing time.
pub fn eks_token(
    credentials: &Credentials,
    region: &str,
    cluster: &str,
    signed_at: OffsetDateTime,
) -> Result<String, Error> {
    non_empty("cluster name", cluster)?;
    validate_region(region)?;
    let endpoint = format!("https://sts.{region}.{}", aws_dns_suffix(region));
    let url = ServiceRequest::new(Method::Get, &endpoint, "sts", region)
        .query("Action", "GetCallerIdentity")
        .query("Version", "2011-06-15")
        .header("x-k8s-aws-id", cluster)
        .expires_in(Duration::from_secs(60))
        .signed_at(signed_at)
        .sign(credentials)?;
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(url.as_str());
    Ok(format!("k8s-aws-v1.{encoded}"))
}
