//! The crate's error type.

use std::time::Duration;

use time::OffsetDateTime;

/// Everything that can go wrong while building a presigner or signing a
/// request. Each message says what to change.
///
/// Secrets never appear in an error: header values, for instance, are left
/// out, since they may carry keys (SSE-C).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The builder was given no credentials.
    #[error(
        "no credentials: call .credentials(Credentials::new(access_key_id, secret_access_key)) on the builder"
    )]
    MissingCredentials,

    /// The builder was given no region.
    #[error(
        "no region: call .region(..) on the builder (\"us-east-1\" suits most S3-compatible stores)"
    )]
    MissingRegion,

    /// [`Credentials::from_env`](crate::Credentials::from_env) found a
    /// variable unset, empty or not UTF-8.
    #[error(
        "environment variable {name} is not set (or is empty or not UTF-8); set it, or use Credentials::new"
    )]
    MissingEnvVar {
        /// The variable's name.
        name: &'static str,
    },

    /// The access key id or secret cannot be used.
    #[error("invalid credentials: {reason}")]
    InvalidCredentials {
        /// What is wrong.
        reason: &'static str,
    },

    /// The region cannot appear in a credential scope.
    #[error("invalid region {region:?}: {reason}")]
    InvalidRegion {
        /// The region as given.
        region: String,
        /// What is wrong.
        reason: &'static str,
    },

    /// The endpoint is not `http[s]://host[:port][/prefix]`.
    #[error("invalid endpoint {endpoint:?}: {reason}")]
    InvalidEndpoint {
        /// The endpoint as given.
        endpoint: String,
        /// What is wrong.
        reason: &'static str,
    },

    /// The bucket name cannot be addressed.
    #[error("invalid bucket name {bucket:?}: {reason}")]
    InvalidBucket {
        /// The bucket as given.
        bucket: String,
        /// What is wrong.
        reason: &'static str,
    },

    /// A header name is not an HTTP token, or is one the signer sets.
    #[error("invalid header name {name:?}: {reason}")]
    InvalidHeaderName {
        /// The name as given.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },

    /// A header value cannot be sent (the value itself is not shown: it may
    /// be secret).
    #[error("invalid value for header {name:?}: {reason}")]
    InvalidHeaderValue {
        /// The header's name.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },

    /// The same header was added twice.
    #[error(
        "header {name:?} was added twice; add it once (join several values with \", \" yourself)"
    )]
    DuplicateHeader {
        /// The header's name, lowercased.
        name: String,
    },

    /// A query parameter that the signer writes itself was added.
    #[error("query parameter {name:?} is written by the signer; remove it")]
    ReservedQueryParameter {
        /// The name as given.
        name: String,
    },

    /// The expiry is not a whole number of seconds from 1 s to 7 days.
    #[error(
        "expiry {expires_in:?} is out of range: a presigned request lasts from 1 s to 604800 s (7 days), in whole seconds"
    )]
    InvalidExpiry {
        /// The expiry as given.
        expires_in: Duration,
    },

    /// The signing time cannot be written in a signature.
    #[error("signing time {signed_at} cannot be used: {reason}")]
    InvalidSigningTime {
        /// The time as given.
        signed_at: OffsetDateTime,
        /// What is wrong.
        reason: &'static str,
    },

    /// A POST form was signed without a key (or with an empty one).
    #[error(
        "the POST form has no key: call .key(\"uploads/${{filename}}\") or .key(\"exact/key\") before signing"
    )]
    MissingKey,

    /// A POST form field cannot be used.
    #[error("invalid POST form field {name:?}: {reason}")]
    InvalidFormField {
        /// The field's name as given.
        name: String,
        /// What is wrong.
        reason: &'static str,
    },

    /// A POST policy condition can never be met or cannot be written.
    #[error("invalid POST policy condition on {name:?}: {reason}")]
    InvalidCondition {
        /// The field the condition is on, such as `content-length-range`.
        name: String,
        /// What is wrong.
        reason: String,
    },
    /// The provider cannot sign what was asked (path style on TOS, a session
    /// token on GCS).
    #[error("{provider} cannot sign this: {reason}")]
    UnsupportedByProvider {
        /// The presigner's provider.
        provider: crate::Provider,
        /// What is wrong and what to do instead.
        reason: &'static str,
    },

    /// An argument of an AWS service request or token is not usable.
    #[error("invalid {argument}: {reason}")]
    InvalidArgument {
        /// Which argument.
        argument: &'static str,
        /// What is wrong.
        reason: &'static str,
    },

    /// The object key is longer than S3 allows (the key itself is not
    /// shown: it is long).
    #[error("the object key is {len} bytes long; S3 keys are at most 1024 bytes of UTF-8")]
    KeyTooLong {
        /// The key's length in bytes.
        len: usize,
    },

    /// A [`VerifierBuilder`](crate::VerifierBuilder) was given no way to
    /// find credentials.
    #[error(
        "no credentials lookup: call .credentials_lookup(|access_key_id| ...) on the verifier builder"
    )]
    MissingCredentialsLookup,
}
