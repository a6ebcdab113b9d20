//! Presigned requests for S3 and S3-compatible object storage.
//!
//! A presigned request lets someone without your keys download, upload or
//! delete one object until it expires. `presign` creates AWS Signature
//! Version 4 presigned URLs whose signatures are byte-identical to
//! botocore's (`aws s3 presign`, boto3's `generate_presigned_url`), for AWS
//! S3 and S3-compatible stores (MinIO, Ceph, Garage, Filebase, …).
//!
//! It is pure: no I/O, no async, no global state. The signing time can be
//! set, so output is reproducible.
//!
//! ```
//! use presign::{Credentials, Presigner};
//! use std::time::Duration;
//!
//! let presigner = Presigner::builder()
//!     .region("us-east-1")
//!     .credentials(Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
//!     .build()?;
//!
//! let url = presigner
//!     .get_object("examplebucket", "test.txt")
//!     .expires_in(Duration::from_secs(86400))
//!     .signed_at(time::macros::datetime!(2013-05-24 0:00 UTC))
//!     .sign()?;
//!
//! // The example from the AWS documentation ("Authenticating Requests: Using Query Parameters").
//! assert!(url.as_str().ends_with(
//!     "X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
//! ));
//! # Ok::<(), presign::Error>(())
//! ```
//!
//! Start with [`Presigner::builder`]; each request is a [`PresignRequest`]
//! that [`sign`](PresignRequest::sign)s into a [`PresignedUrl`].
//!
//! On the receiving side, a [`Verifier`] checks presigned URLs and POST
//! uploads as S3 does ([`Verifier::verify_url`],
//! [`Verifier::verify_post_form`]).
//!
//! Volcengine TOS's and Google Cloud Storage's own schemes are a
//! [`Provider`] away; [`aws`] has RDS, DSQL and EKS tokens and a presign for
//! any AWS service.
//!
//! Legacy Signature Version 2 URLs come from
//! [`PresignRequest::sign_v2`]; browser upload forms (HTML `POST` with a
//! signed policy, SigV4 or SigV2) from [`Presigner::post_object`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod addressing;
pub mod aws;
#[cfg(feature = "bench-internals")]
#[doc(hidden)]
pub mod bench_internals;
mod credentials;
mod encoding;
mod error;
mod post;
mod presigner;
mod provider;
mod request;
mod signing;
mod timestamp;
mod verify;

pub use addressing::UrlStyle;
pub use credentials::Credentials;
pub use error::Error;
pub use post::{Condition, PostForm, PostFormBuilder};
pub use presigner::{Presigner, PresignerBuilder};
pub use provider::Provider;
pub use request::{Method, PresignRequest, PresignedUrl};
pub use verify::{Verified, Verifier, VerifierBuilder, VerifyError};

/// The README's examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
