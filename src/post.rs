//! Browser uploads through an HTML POST form: the policy document, its
//! signature (SigV4 or legacy SigV2), the form fields, and their rendering as
//! JSON or HTML.
//!
//! The layout follows botocore's `generate_presigned_post` (policy
//! conditions and field order) and the Amazon S3 API reference ("Browser-Based
//! Uploads Using POST", "Creating a POST Policy").

use std::borrow::Cow;
use std::time::Duration;

use arrayvec::ArrayVec;
use time::OffsetDateTime;

use crate::Error;
use crate::addressing::MAX_KEY_LEN;
use crate::presigner::Presigner;
use crate::request::{DEFAULT_EXPIRES_IN, check_expiration, check_expiry};
use crate::signing::{self, post_policy, sigv4};
use crate::timestamp::AmzDate;

/// The suffix S3 replaces with the uploaded file's name.
const FILENAME: &str = "${filename}";

/// Starting capacities that hold a usual form's URL, credential and policy
/// without growing (they grow as needed beyond).
const URL_CAPACITY: usize = 128;
const CREDENTIAL_CAPACITY: usize = 96;
const POLICY_CAPACITY: usize = 512;

impl Presigner {
    /// Starts a browser upload form (HTML `POST`) for `bucket`; finish it
    /// with [`PostFormBuilder::sign`] (SigV4) or
    /// [`PostFormBuilder::sign_v2`].
    ///
    /// ```
    /// use presign::{Condition, Credentials, Presigner};
    /// use std::time::Duration;
    ///
    /// let p = Presigner::builder()
    ///     .region("us-east-1")
    ///     .credentials(Credentials::new("AKIDEXAMPLE", "SECRET"))
    ///     .build()?;
    /// let form = p
    ///     .post_object("my-bucket")
    ///     .key("uploads/${filename}")
    ///     .field("acl", "public-read")
    ///     .condition(Condition::content_length_range(1, 10 * 1024 * 1024))
    ///     .expires_in(Duration::from_secs(300))
    ///     .sign()?;
    /// assert_eq!(form.url(), "https://my-bucket.s3.amazonaws.com/");
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn post_object<'a>(&'a self, bucket: &'a str) -> PostFormBuilder<'a> {
        PostFormBuilder {
            presigner: self,
            bucket,
            key: None,
            fields: Vec::new(),
            conditions: Vec::new(),
            expires_in: DEFAULT_EXPIRES_IN,
            signed_at: None,
        }
    }

    /// Signs a POST policy you wrote yourself, given base64-encoded exactly
    /// as it will be posted in the `policy` field: returns the hex SigV4
    /// signature for the `x-amz-signature` field.
    ///
    /// `signed_at` gives the date of the signing key; it must be the date in
    /// the policy's `x-amz-credential` and `x-amz-date`. The region is the
    /// presigner's. A time whose UTC year is outside 0–9999, which
    /// `x-amz-date` cannot express, is clamped to that range.
    ///
    /// The signature is always S3's (`AWS4-HMAC-SHA256`, key prefix `AWS4`),
    /// whatever the presigner's [`Provider`](crate::Provider): TOS and GCS
    /// sign POST policies with their own schemes, which this crate does not
    /// write (and [`PostFormBuilder::sign`] refuses for them).
    ///
    /// ```
    /// use presign::{Credentials, Presigner};
    ///
    /// let p = Presigner::builder()
    ///     .region("us-east-1")
    ///     .credentials(Credentials::new("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"))
    ///     .build()?;
    /// // {"expiration": "2015-12-30T12:00:00.000Z", "conditions": [{"bucket": "b"}]}
    /// let policy = "eyJleHBpcmF0aW9uIjogIjIwMTUtMTItMzBUMTI6MDA6MDAuMDAwWiIsICJjb25kaXRpb25zIjogW3siYnVja2V0IjogImIifV19";
    /// let signature = p.sign_post_policy(policy, time::macros::datetime!(2015-12-29 0:00 UTC));
    /// assert_eq!(signature.len(), 64);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn sign_post_policy(&self, policy_b64: &str, signed_at: OffsetDateTime) -> String {
        let date = AmzDate::saturating(signed_at);
        self.inner()
            .with_signing_scope(&sigv4::AWS, date.date(), "s3", |scope| {
                post_policy::signature_v4(&scope.key, policy_b64)
            })
            .as_str()
            .to_owned()
    }

    /// Signs a POST policy you wrote yourself, given base64-encoded exactly
    /// as it will be posted in the `policy` field: returns the base64 SigV2
    /// signature for the `signature` field.
    ///
    /// ```
    /// use presign::{Credentials, Presigner};
    ///
    /// let p = Presigner::builder()
    ///     .region("us-east-1")
    ///     .credentials(Credentials::new("AKIDEXAMPLE", "SECRET"))
    ///     .build()?;
    /// let signature = p.sign_post_policy_v2("eyJjb25kaXRpb25zIjogW119");
    /// assert_eq!(signature.len(), 28);
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn sign_post_policy_v2(&self, policy_b64: &str) -> String {
        post_policy::signature_v2(self.inner().credentials.secret_access_key(), policy_b64)
    }
}

/// One rule of a POST policy: what a form field must hold for S3 to accept
/// the upload.
///
/// Field names are given without the policy's `$` (a leading `$` is
/// accepted and dropped). S3 compares field names case-insensitively.
///
/// ```
/// use presign::Condition;
///
/// let exact = Condition::eq("success_action_status", "201");
/// let prefix = Condition::starts_with("Content-Type", "image/");
/// // Any value. Post the field even if empty: AWS S3 is reported to refuse a
/// // form without it, while s3s, MinIO and `Verifier` accept it missing.
/// let anything = Condition::starts_with("x-amz-meta-tag", "");
/// let size = Condition::content_length_range(1, 5 * 1024 * 1024);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Condition(Rule);

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Rule {
    Eq { name: String, value: String },
    StartsWith { name: String, prefix: String },
    ContentLengthRange { min: u64, max: u64 },
}

impl Condition {
    /// The field `name` must equal `value`: `{"name": "value"}` in the
    /// policy.
    ///
    /// ```
    /// let c = presign::Condition::eq("acl", "public-read");
    /// ```
    pub fn eq(name: impl Into<String>, value: impl Into<String>) -> Self {
        Self(Rule::Eq {
            name: field_name(name.into()),
            value: value.into(),
        })
    }

    /// The field `name` must start with `prefix`:
    /// `["starts-with", "$name", "prefix"]`. An empty prefix allows any value.
    ///
    /// ```
    /// let c = presign::Condition::starts_with("Content-Type", "image/");
    /// ```
    pub fn starts_with(name: impl Into<String>, prefix: impl Into<String>) -> Self {
        Self(Rule::StartsWith {
            name: field_name(name.into()),
            prefix: prefix.into(),
        })
    }

    /// The uploaded file must be from `min` to `max` bytes, inclusive:
    /// `["content-length-range", min, max]`.
    ///
    /// S3 accepts at most 5 GiB (5368709120 bytes) in one POST upload, so a
    /// larger maximum allows nothing more. `min > max` is reported as
    /// [`Error::InvalidCondition`] when the form is signed.
    ///
    /// ```
    /// let up_to_10_mib = presign::Condition::content_length_range(1, 10 * 1024 * 1024);
    /// ```
    pub fn content_length_range(min: u64, max: u64) -> Self {
        Self(Rule::ContentLengthRange { min, max })
    }

    fn check(&self) -> Result<(), Error> {
        let (name, reason) = match &self.0 {
            Rule::Eq { name, .. } | Rule::StartsWith { name, .. } if name.is_empty() => {
                (name.as_str(), "the field name is empty".to_owned())
            }
            Rule::ContentLengthRange { min, max } if min > max => (
                "content-length-range",
                format!(
                    "the minimum ({min} bytes) is larger than the maximum ({max} bytes); swap them"
                ),
            ),
            _ => return Ok(()),
        };
        Err(Error::InvalidCondition {
            name: name.to_owned(),
            reason,
        })
    }

    /// Writes the condition as a JSON value.
    fn put_json(&self, out: &mut String) {
        match &self.0 {
            Rule::Eq { name, value } => put_eq_json(out, name, value),
            Rule::StartsWith { name, prefix } => {
                out.push_str("[\"starts-with\", ");
                put_json_str(out, &format!("${name}"));
                out.push_str(", ");
                put_json_str(out, prefix);
                out.push(']');
            }
            Rule::ContentLengthRange { min, max } => {
                out.push_str(&format!("[\"content-length-range\", {min}, {max}]"));
            }
        }
    }
}

/// Writes the key's condition, as botocore writes it: the exact key, or,
/// for a key ending in `${filename}`, the part before it as a prefix.
fn put_key_condition(out: &mut String, key: &str) {
    match key.strip_suffix(FILENAME) {
        Some(prefix) => Condition::starts_with("key", prefix).put_json(out),
        None => put_eq_json(out, "key", key),
    }
}

/// Writes the exact-match condition `{"name": "value"}`.
fn put_eq_json(out: &mut String, name: &str, value: &str) {
    // The usual case in five pieces rather than nine: each costs a
    // capacity check and a copy, and a form writes five such conditions.
    if !needs_json_escapes(name) && !needs_json_escapes(value) {
        for piece in ["{\"", name, "\": \"", value, "\"}"] {
            out.push_str(piece);
        }
        return;
    }
    out.push('{');
    put_json_str(out, name);
    out.push_str(": ");
    put_json_str(out, value);
    out.push('}');
}

/// Drops the `$` that policies put before field names, if the caller wrote it.
fn field_name(name: String) -> String {
    match name.strip_prefix('$') {
        Some(rest) => rest.to_owned(),
        None => name,
    }
}

/// Writes `s` as a JSON string. serde_json escapes quotes, backslashes and
/// control characters (RFC 8259 §7) as Python's `json.dumps` does; DEL is
/// escaped too (`\u007f`), as `json.dumps` escapes every byte outside
/// 0x20..=0x7e, so ASCII policies are botocore's byte for byte. Non-ASCII
/// is written as UTF-8.
fn put_json_str(out: &mut String, s: &str) {
    // A string without escapes (field names, keys, credentials, dates) is
    // written as is, without the temporary `String` serde_json would build.
    if !needs_json_escapes(s) {
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    // Serializing a str involves no map keys and no I/O, so it cannot fail.
    let json = serde_json::to_string(s).expect("a str always serializes");
    out.push_str(&json.replace('\x7f', "\\u007f"));
}

/// Whether [`put_json_str`] escapes anything in `s`. Every byte is tested,
/// without stopping at the first found, so that the compiler tests several
/// at once.
fn needs_json_escapes(s: &str) -> bool {
    s.bytes().fold(false, |found, b| {
        found | (b < 0x20) | (b == 0x7f) | (b == b'"') | (b == b'\\')
    })
}

/// A browser upload form being built; made by [`Presigner::post_object`],
/// finished by [`sign`](Self::sign) (SigV4) or [`sign_v2`](Self::sign_v2).
///
/// The form's fields are the ones added with [`field`](Self::field) and
/// [`form_field`](Self::form_field), in that order, then `key` and the
/// fields the signer writes. The policy's conditions are those of
/// [`field`](Self::field) and [`condition`](Self::condition), in call order,
/// then the bucket, the key and the signer's fields (botocore's layout).
///
/// Every field the browser posts must be allowed by a condition, except
/// `file`, `policy`, the signature fields and fields named `x-ignore-*`.
/// A single POST uploads at most 5 GiB.
///
/// ```
/// use presign::{Condition, Credentials, Presigner, UrlStyle};
/// use std::time::Duration;
///
/// let p = Presigner::builder()
///     .endpoint("http://localhost:9000")
///     .region("us-east-1")
///     .credentials(Credentials::new("minioadmin", "minioadmin"))
///     .url_style(UrlStyle::Path)
///     .build()?;
/// let form = p
///     .post_object("photos")
///     .key("uploads/${filename}")
///     .field("acl", "public-read")
///     .form_field("Content-Type", "image/png")
///     .condition(Condition::starts_with("Content-Type", "image/"))
///     .condition(Condition::eq("success_action_status", "201"))
///     .form_field("success_action_status", "201")
///     .condition(Condition::content_length_range(1024, 500 * 1024))
///     .expires_in(Duration::from_secs(300))
///     .signed_at(time::macros::datetime!(2026-01-15 12:00 UTC))
///     .sign()?;
/// assert_eq!(form.url(), "http://localhost:9000/photos");
/// let names: Vec<&str> = form.fields().iter().map(|(n, _)| n.as_str()).collect();
/// assert_eq!(names, [
///     "acl", "Content-Type", "success_action_status", "key", "x-amz-algorithm",
///     "x-amz-credential", "x-amz-date", "policy", "x-amz-signature",
/// ]);
/// assert!(form.policy_json().starts_with(r#"{"expiration": "2026-01-15T12:05:00Z", "conditions": [{"acl": "public-read"}, ["starts-with", "$Content-Type", "image/"], "#));
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Debug)]
#[must_use = "call .sign() or .sign_v2() to get the form"]
pub struct PostFormBuilder<'a> {
    presigner: &'a Presigner,
    bucket: &'a str,
    key: Option<Cow<'a, str>>,
    fields: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    conditions: Vec<Condition>,
    expires_in: Duration,
    signed_at: Option<OffsetDateTime>,
}

/// Which signature a form carries.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Version {
    V4,
    V2,
}

impl<'a> PostFormBuilder<'a> {
    /// The object key to upload to (required). A key ending in `${filename}`
    /// is a prefix: S3 replaces `${filename}` with the name of the file the
    /// user picked, and the policy allows any key starting with the part
    /// before it. Any other key is allowed exactly.
    ///
    /// ```
    /// # let p = presign::Presigner::builder().region("us-east-1")
    /// #     .credentials(presign::Credentials::new("AKID", "SECRET")).build()?;
    /// let form = p.post_object("bucket").key("inbox/${filename}").sign()?;
    /// assert!(form.policy_json().contains(r#"["starts-with", "$key", "inbox/"]"#));
    /// assert_eq!(form.fields().iter().find(|(n, _)| n == "key").unwrap().1, "inbox/${filename}");
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn key(mut self, key: impl Into<Cow<'a, str>>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Adds a form field and a condition that it equals `value`
    /// (`{"name": "value"}`), for fields whose value is fixed: `acl`,
    /// `success_action_status`, `x-amz-meta-*`, `x-amz-server-side-encryption`…
    ///
    /// ```
    /// # let p = presign::Presigner::builder().region("us-east-1")
    /// #     .credentials(presign::Credentials::new("AKID", "SECRET")).build()?;
    /// let form = p.post_object("bucket").key("k").field("acl", "private").sign()?;
    /// assert!(form.policy_json().contains(r#"{"acl": "private"}"#));
    /// assert_eq!(form.fields()[0], ("acl".to_string(), "private".to_string()));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn field(mut self, name: impl Into<Cow<'a, str>>, value: impl Into<Cow<'a, str>>) -> Self {
        let (name, value) = (name.into(), value.into());
        self.conditions
            .push(Condition::eq(name.as_ref(), value.as_ref()));
        self.fields.push((name, value));
        self
    }

    /// Adds a form field without a condition; add one with
    /// [`condition`](Self::condition) (S3 refuses a posted field that no
    /// condition allows). Use it for values the user may change, such as a
    /// `Content-Type` checked with [`Condition::starts_with`].
    ///
    /// ```
    /// use presign::Condition;
    /// # let p = presign::Presigner::builder().region("us-east-1")
    /// #     .credentials(presign::Credentials::new("AKID", "SECRET")).build()?;
    /// let form = p
    ///     .post_object("bucket")
    ///     .key("k")
    ///     .form_field("Content-Type", "image/png")
    ///     .condition(Condition::starts_with("Content-Type", "image/"))
    ///     .sign()?;
    /// assert!(!form.policy_json().contains("image/png"));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn form_field(
        mut self,
        name: impl Into<Cow<'a, str>>,
        value: impl Into<Cow<'a, str>>,
    ) -> Self {
        self.fields.push((name.into(), value.into()));
        self
    }

    /// Adds a policy condition without a form field (the browser supplies
    /// the field, or [`form_field`](Self::form_field) does).
    ///
    /// ```
    /// use presign::Condition;
    /// # let p = presign::Presigner::builder().region("us-east-1")
    /// #     .credentials(presign::Credentials::new("AKID", "SECRET")).build()?;
    /// let form = p
    ///     .post_object("bucket")
    ///     .key("k")
    ///     .condition(Condition::content_length_range(0, 1024))
    ///     .sign()?;
    /// assert!(form.policy_json().contains(r#"["content-length-range", 0, 1024]"#));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn condition(mut self, condition: Condition) -> Self {
        self.conditions.push(condition);
        self
    }

    /// How long the form can be posted: whole seconds from 1 s to 604800 s
    /// (7 days), as for presigned URLs. Default: 3600 s.
    pub fn expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_in = expires_in;
        self
    }

    /// The signing time; the policy expires at `signed_at + expires_in`.
    /// Default: the current time when the form is signed.
    pub fn signed_at(mut self, signed_at: OffsetDateTime) -> Self {
        self.signed_at = Some(signed_at);
        self
    }

    /// Signs the form with AWS Signature Version 4: the policy carries
    /// `x-amz-algorithm`, `x-amz-credential`, `x-amz-date` (and
    /// `x-amz-security-token` for temporary credentials) as conditions, and
    /// the form carries them as fields with `policy` and `x-amz-signature`.
    ///
    /// # Errors
    /// No key, a field name that is empty, repeated or written by the signer
    /// (`key`, `policy`, `x-amz-*` signing fields, `file`…), a
    /// `content-length-range` whose minimum exceeds its maximum, an expiry
    /// out of range, a signing time outside years 0–9999, or a bucket the
    /// addressing style cannot address.
    pub fn sign(self) -> Result<PostForm, Error> {
        self.finish(Version::V4)
    }

    /// Signs the form with legacy AWS Signature Version 2: fields
    /// `AWSAccessKeyId`, `policy` and `signature` (and
    /// `x-amz-security-token`, also a condition, for temporary credentials).
    ///
    /// ```
    /// # let p = presign::Presigner::builder().region("us-east-1")
    /// #     .credentials(presign::Credentials::new("AKID", "SECRET")).build()?;
    /// let form = p.post_object("bucket").key("k").sign_v2()?;
    /// let names: Vec<&str> = form.fields().iter().map(|(n, _)| n.as_str()).collect();
    /// assert_eq!(names, ["key", "AWSAccessKeyId", "policy", "signature"]);
    /// # Ok::<(), presign::Error>(())
    /// ```
    ///
    /// # Errors
    /// As for [`sign`](Self::sign).
    pub fn sign_v2(self) -> Result<PostForm, Error> {
        self.finish(Version::V2)
    }

    fn finish(self, version: Version) -> Result<PostForm, Error> {
        let inner = self.presigner.inner();
        inner.provider.require_aws(
            "S3 POST forms are for AWS S3 and S3-compatible stores; presign a PUT with sign() instead",
        )?;
        let key = self
            .key
            .filter(|k| !k.is_empty())
            .ok_or(Error::MissingKey)?;
        if key.len() > MAX_KEY_LEN {
            return Err(Error::KeyTooLong { len: key.len() });
        }
        check_fields(&self.fields)?;
        for condition in &self.conditions {
            condition.check()?;
        }
        check_expiry(self.expires_in)?;
        let signed_at = self.signed_at.unwrap_or_else(OffsetDateTime::now_utc);
        let expiration = AmzDate::new(check_expiration(signed_at, self.expires_in)?)?;
        let date = AmzDate::new(signed_at)?;
        let location = inner.endpoint.locate(inner.url_style, self.bucket, "")?;
        let mut url = String::with_capacity(URL_CAPACITY);
        location.put_origin(&mut url);
        location.put_path(&mut url);

        let credentials = &inner.credentials;
        // The fields the signer adds after `key`, and whether the policy
        // lists each as a condition: at most four (three for SigV4, one for
        // SigV2, and the session token), on the stack.
        let mut signer_fields: ArrayVec<(&'static str, String, bool), 4> = ArrayVec::new();
        match version {
            Version::V4 => {
                let mut credential = String::with_capacity(CREDENTIAL_CAPACITY);
                post_policy::put_credential(
                    &mut credential,
                    &sigv4::AWS,
                    credentials.access_key_id(),
                    &date,
                    &inner.region,
                );
                signer_fields.push(("x-amz-algorithm", sigv4::AWS.algorithm.to_owned(), true));
                signer_fields.push(("x-amz-credential", credential, true));
                signer_fields.push(("x-amz-date", date.timestamp().to_owned(), true));
            }
            Version::V2 => {
                signer_fields.push((
                    "AWSAccessKeyId",
                    credentials.access_key_id().to_owned(),
                    false,
                ));
            }
        }
        if let Some(token) = credentials.session_token() {
            signer_fields.push(("x-amz-security-token", token.to_owned(), true));
        }

        // Python's json.dumps layout (", " and ": "), key order as botocore.
        let mut policy = String::with_capacity(POLICY_CAPACITY);
        policy.push_str("{\"expiration\": \"");
        expiration.put_iso8601(&mut policy);
        policy.push_str("\", \"conditions\": [");
        for condition in &self.conditions {
            condition.put_json(&mut policy);
            policy.push_str(", ");
        }
        put_eq_json(&mut policy, "bucket", self.bucket);
        policy.push_str(", ");
        put_key_condition(&mut policy, &key);
        for (name, value, in_policy) in &signer_fields {
            if *in_policy {
                policy.push_str(", ");
                put_eq_json(&mut policy, name, value);
            }
        }
        policy.push_str("]}");
        let policy_b64 = signing::base64_encode(policy.as_bytes());

        let secret = credentials.secret_access_key();
        let signature = match version {
            Version::V4 => (
                "x-amz-signature",
                inner
                    .with_signing_scope(&sigv4::AWS, date.date(), "s3", |scope| {
                        post_policy::signature_v4(&scope.key, &policy_b64)
                    })
                    .as_str()
                    .to_owned(),
            ),
            Version::V2 => ("signature", post_policy::signature_v2(secret, &policy_b64)),
        };
        let mut fields: Vec<(String, String)> =
            Vec::with_capacity(self.fields.len() + 3 + signer_fields.len());
        fields.extend(
            self.fields
                .into_iter()
                .map(|(n, v)| (n.into_owned(), v.into_owned())),
        );
        fields.push(("key".to_owned(), key.into_owned()));
        fields.extend(
            signer_fields
                .into_iter()
                .map(|(name, value, _)| (name.to_owned(), value)),
        );
        fields.push(("policy".to_owned(), policy_b64));
        fields.push((signature.0.to_owned(), signature.1));
        Ok(PostForm {
            url,
            fields,
            policy_json: policy,
        })
    }
}

/// Field names the signer writes, and why the caller may not.
const RESERVED_FIELDS: &[(&str, &str)] = &[
    ("key", "set the key with .key()"),
    (
        "file",
        "the file is the form's last field, added by the browser",
    ),
    ("policy", "the signer writes it"),
    ("signature", "the signer writes it"),
    ("AWSAccessKeyId", "the signer writes it"),
    ("x-amz-signature", "the signer writes it"),
    ("x-amz-algorithm", "the signer writes it"),
    ("x-amz-credential", "the signer writes it"),
    ("x-amz-date", "the signer writes it"),
    (
        "x-amz-security-token",
        "the signer writes it from the credentials' session token",
    ),
];

/// Field names must be non-empty, free of control characters, not written by
/// the signer, and not repeated (S3 compares them case-insensitively).
fn check_fields(fields: &[(Cow<'_, str>, Cow<'_, str>)]) -> Result<(), Error> {
    for (i, (name, _)) in fields.iter().enumerate() {
        let reason = if name.is_empty() {
            "it is empty"
        } else if name.chars().any(char::is_control) {
            "field names may not hold control characters"
        } else if let Some((_, why)) = RESERVED_FIELDS
            .iter()
            .find(|(reserved, _)| reserved.eq_ignore_ascii_case(name))
        {
            why
        } else if fields[..i]
            .iter()
            .any(|(earlier, _)| earlier.eq_ignore_ascii_case(name))
        {
            "the field was added twice (S3 compares names case-insensitively); add it once"
        } else {
            continue;
        };
        return Err(Error::InvalidFormField {
            name: name.clone().into_owned(),
            reason,
        });
    }
    Ok(())
}

/// A signed browser upload form: where to post it, the fields to send (in
/// order, before the file), and the policy they were signed with.
///
/// The form is a bearer credential until its policy expires: anyone holding
/// it can upload what the policy allows.
///
/// ```
/// # let p = presign::Presigner::builder().region("us-east-1")
/// #     .credentials(presign::Credentials::new("AKID", "SECRET")).build()?;
/// let form = p.post_object("bucket").key("uploads/${filename}").sign()?;
/// // Hand it to a single-page app as JSON…
/// let json = form.to_json();
/// assert!(json.starts_with(r#"{"url": "https://bucket.s3.amazonaws.com/", "fields": {"key": "uploads/${filename}", "#));
/// // …or serve it as a plain HTML form.
/// let html = form.to_html();
/// assert!(html.contains(r#"<input type="file" name="file">"#));
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostForm {
    url: String,
    fields: Vec<(String, String)>,
    policy_json: String,
}

impl PostForm {
    /// The URL the form posts to: `endpoint/bucket` in path style,
    /// `scheme://bucket.host/` when virtual-hosted.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The form fields as `(name, value)`, in the order to post them: the
    /// caller's fields, `key`, the signer's fields, `policy` and the
    /// signature. The file goes after all of them.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// The policy document that was signed, as JSON (the `policy` field is
    /// its base64 encoding).
    pub fn policy_json(&self) -> &str {
        &self.policy_json
    }

    /// The form as a JSON object `{"url": "…", "fields": {"name": "value",
    /// …}}`, the shape boto3's `generate_presigned_post` returns, for a
    /// script that builds the `FormData` itself.
    ///
    /// ```
    /// # let p = presign::Presigner::builder().region("us-east-1")
    /// #     .credentials(presign::Credentials::new("AKID", "SECRET")).build()?;
    /// let json = p.post_object("bucket").key("a \"quoted\" key").sign()?.to_json();
    /// assert!(json.contains(r#""key": "a \"quoted\" key""#));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\"url\": ");
        put_json_str(&mut out, &self.url);
        out.push_str(", \"fields\": {");
        for (i, (name, value)) in self.fields.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            put_json_str(&mut out, name);
            out.push_str(": ");
            put_json_str(&mut out, value);
        }
        out.push_str("}}");
        out
    }

    /// The form as a minimal HTML `<form>`: hidden inputs for the fields, then
    /// the file input (S3 ignores fields after the file, so it is the last
    /// field), then a submit button, which sends no field. Every value is
    /// escaped for a double-quoted attribute.
    ///
    /// ```
    /// # let p = presign::Presigner::builder().region("us-east-1")
    /// #     .credentials(presign::Credentials::new("AKID", "SECRET")).build()?;
    /// let html = p.post_object("bucket").key("<b>&\"'").sign()?.to_html();
    /// assert!(html.starts_with(
    ///     "<form action=\"https://bucket.s3.amazonaws.com/\" method=\"post\" enctype=\"multipart/form-data\">\n"
    /// ));
    /// assert!(html.contains(r#"<input type="hidden" name="key" value="&lt;b&gt;&amp;&quot;&#39;">"#));
    /// assert!(html.ends_with("<input type=\"file\" name=\"file\">\n  <button type=\"submit\">Upload</button>\n</form>\n"));
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn to_html(&self) -> String {
        let mut out = String::from("<form action=\"");
        put_html_attr(&mut out, &self.url);
        out.push_str("\" method=\"post\" enctype=\"multipart/form-data\">\n");
        for (name, value) in &self.fields {
            out.push_str("  <input type=\"hidden\" name=\"");
            put_html_attr(&mut out, name);
            out.push_str("\" value=\"");
            put_html_attr(&mut out, value);
            out.push_str("\">\n");
        }
        out.push_str("  <input type=\"file\" name=\"file\">\n");
        out.push_str("  <button type=\"submit\">Upload</button>\n</form>\n");
        out
    }
}

/// Writes `s` escaped for a double-quoted HTML attribute value: `&`, `<`,
/// `>`, `"` and `'` become character references, so the value can neither
/// end the attribute nor open a tag.
fn put_html_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_condition_follows_filename_suffix() {
        let json = |c: Condition| {
            let mut out = String::new();
            c.put_json(&mut out);
            out
        };
        let key_json = |key: &str| {
            let mut out = String::new();
            put_key_condition(&mut out, key);
            out
        };
        assert_eq!(key_json("a/b"), r#"{"key": "a/b"}"#);
        assert_eq!(
            key_json("a/${filename}"),
            r#"["starts-with", "$key", "a/"]"#
        );
        assert_eq!(key_json("${filename}"), r#"["starts-with", "$key", ""]"#);
        assert_eq!(
            json(Condition::starts_with("$Content-Type", "")),
            r#"["starts-with", "$Content-Type", ""]"#
        );
    }

    #[test]
    fn html_attribute_escaping() {
        let mut out = String::new();
        put_html_attr(&mut out, "a\"b'c<d>e&f");
        assert_eq!(out, "a&quot;b&#39;c&lt;d&gt;e&amp;f");
    }
}
