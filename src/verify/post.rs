//! Verifying browser POST uploads (SigV4 and SigV2): the signature over the
//! base64 policy, then the policy itself, as S3 applies it (Amazon S3 API
//! reference, "Creating a POST policy"; "Browser-based uploads using POST
//! (AWS signature version 2)"):
//!
//! - the policy has not expired;
//! - every condition holds: `{"name": "value"}` and `["eq", "$name",
//!   "value"]` (exact), `["starts-with", "$name", "prefix"]` (for
//!   `Content-Type`, every comma-separated value), `["content-length-range",
//!   min, max]` (the file's size); field names compare without case, values
//!   with; `bucket` is the bucket posted to;
//! - every field is named by a condition, except `policy`, the signature
//!   fields (`x-amz-signature`; `signature` and `AWSAccessKeyId`), `file`
//!   and `x-ignore-*`.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;
use time::OffsetDateTime;

use super::sigv4::{Scope, check_algorithm, request_error};
use super::{Inner, Verified, VerifyError, check_signature, check_token, malformed};
use crate::addressing::{MAX_KEY_LEN, validate_bucket};
use crate::signing::post_policy;
use crate::timestamp::AmzDate;

/// The largest file S3 accepts in one POST upload: 5 GiB.
const MAX_POST_SIZE: u64 = 5 * 1024 * 1024 * 1024;

/// A condition of the policy, read from its JSON.
enum Rule<'p> {
    Eq(&'p str, &'p str),
    StartsWith(&'p str, &'p str),
    ContentLengthRange(u64, u64),
}

impl<'p> Rule<'p> {
    /// Reads one condition; `None` if it is none of the forms S3 knows.
    /// `{"a": "1", "b": "2"}` holds one exact-match rule per member.
    fn parse(condition: &'p Value) -> Option<Vec<Self>> {
        let field = |v: &'p Value| v.as_str().map(|s| s.strip_prefix('$').unwrap_or(s));
        let size = |v: &Value| match v {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.parse().ok(),
            _ => None,
        };
        match condition {
            Value::Object(members) if !members.is_empty() => members
                .iter()
                .map(|(name, value)| Some(Rule::Eq(name, value.as_str()?)))
                .collect(),
            Value::Array(items) => match items.as_slice() {
                [op, name, value] if op == "eq" => {
                    Some(vec![Rule::Eq(field(name)?, value.as_str()?)])
                }
                [op, name, prefix] if op == "starts-with" => {
                    Some(vec![Rule::StartsWith(field(name)?, prefix.as_str()?)])
                }
                [op, min, max] if op == "content-length-range" => {
                    Some(vec![Rule::ContentLengthRange(size(min)?, size(max)?)])
                }
                _ => None,
            },
            _ => None,
        }
    }

    /// The form field this rule is about, if any.
    fn field(&self) -> Option<&'p str> {
        match *self {
            Rule::Eq(name, _) | Rule::StartsWith(name, _) => Some(name),
            Rule::ContentLengthRange(..) => None,
        }
    }

    /// Whether the upload meets the rule; `value` is the field's, `None`
    /// when it was not posted: an exact match then fails, even of `""`,
    /// while a prefix is matched against `""`, so `["starts-with",
    /// "$name", ""]` allows leaving the field out (as s3s applies it).
    fn holds(&self, value: Option<&str>, file_len: u64) -> bool {
        match *self {
            Rule::Eq(_, expected) => value == Some(expected),
            // S3 checks each value of a comma-separated Content-Type.
            Rule::StartsWith(name, prefix) if name.eq_ignore_ascii_case("content-type") => value
                .unwrap_or_default()
                .split(',')
                .all(|t| t.trim_start().starts_with(prefix)),
            Rule::StartsWith(_, prefix) => value.unwrap_or_default().starts_with(prefix),
            Rule::ContentLengthRange(min, max) => (min..=max).contains(&file_len),
        }
    }
}

/// Fields no condition needs to name (S3's list).
fn is_exempt(name: &str) -> bool {
    [
        "policy",
        "x-amz-signature",
        "signature",
        "AWSAccessKeyId",
        "file",
    ]
    .iter()
    .any(|e| e.eq_ignore_ascii_case(name))
        || name
            .get(..9)
            .is_some_and(|p| p.eq_ignore_ascii_case("x-ignore-"))
}

/// The value of field `name` (names compare without case).
fn field<'f>(fields: &[(&str, &'f str)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|&(_, v)| v)
}

/// Checks a POST form; see [`Verifier::verify_post_form`](super::Verifier::verify_post_form).
pub(super) fn verify(
    inner: &Inner,
    bucket: &str,
    fields: &[(&str, &str)],
    file_len: u64,
    now: OffsetDateTime,
) -> Result<Verified, VerifyError> {
    for (i, (name, _)) in fields.iter().enumerate() {
        if fields[..i]
            .iter()
            .any(|(n, _)| n.eq_ignore_ascii_case(name))
        {
            return Err(VerifyError::Malformed {
                reason: format!("field {name:?} is posted twice").into(),
            });
        }
    }
    let required = |name: &'static str| {
        field(fields, name).ok_or_else(|| VerifyError::Malformed {
            reason: format!("the {name} field is missing").into(),
        })
    };
    let policy = required("policy")?;
    let key = required("key")?;
    if field(fields, "bucket").is_some_and(|b| b != bucket) {
        return Err(malformed(
            "the form's bucket field names another bucket than the one posted to",
        ));
    }
    validate_bucket(bucket).map_err(request_error)?;
    if key.len() > MAX_KEY_LEN {
        return Err(request_error(crate::Error::KeyTooLong { len: key.len() }));
    }
    if file_len > MAX_POST_SIZE {
        return Err(malformed("S3 accepts at most 5 GiB in one POST upload"));
    }

    // The signature, before anything in the policy is trusted.
    let session_token = field(fields, "x-amz-security-token");
    let (access_key_id, signed_at) = if field(fields, "x-amz-signature").is_some()
        || field(fields, "x-amz-algorithm").is_some()
    {
        check_algorithm(required("x-amz-algorithm")?)?;
        let scope = Scope::parse(
            inner,
            required("x-amz-credential")?,
            required("x-amz-date")?,
        )?;
        let given = required("x-amz-signature")?;
        let credentials = inner.credentials(scope.access_key_id)?;
        check_token(&credentials, session_token)?;
        let expected =
            post_policy::signature_v4(&scope.signing_key(credentials.secret_access_key()), policy);
        check_signature(expected.as_str(), given)?;
        (scope.access_key_id, Some(scope.signed_at))
    } else if field(fields, "signature").is_some() || field(fields, "AWSAccessKeyId").is_some() {
        let access_key_id = required("AWSAccessKeyId")?;
        let given = required("signature")?;
        let credentials = inner.credentials(access_key_id)?;
        check_token(&credentials, session_token)?;
        let expected = post_policy::signature_v2(credentials.secret_access_key(), policy);
        check_signature(&expected, given)?;
        (access_key_id, None)
    } else {
        return Err(malformed(
            "the form has neither x-amz-signature (SigV4) nor signature (SigV2)",
        ));
    };

    let document = STANDARD
        .decode(policy)
        .ok()
        .and_then(|json| serde_json::from_slice::<Value>(&json).ok())
        .ok_or_else(|| malformed("the policy is not base64-encoded JSON"))?;
    let expires_at = document
        .get("expiration")
        .and_then(Value::as_str)
        .and_then(AmzDate::parse_iso8601)
        .ok_or_else(|| {
            malformed("the policy has no expiration written YYYY-MM-DDTHH:MM:SS[.sss]Z")
        })?;
    match signed_at {
        Some(signed_at) => inner.check_window(signed_at, expires_at, now)?,
        None if now > expires_at => return Err(VerifyError::Expired { expires_at }),
        None => {}
    }
    let conditions = document
        .get("conditions")
        .and_then(Value::as_array)
        .ok_or_else(|| malformed("the policy has no conditions list"))?;

    let mut covered: Vec<&str> = Vec::new();
    for condition in conditions {
        let rules = Rule::parse(condition).ok_or_else(|| VerifyError::Malformed {
            reason: format!("policy condition {condition} is not one S3 knows").into(),
        })?;
        for rule in rules {
            let value = match rule.field() {
                Some(name) if name.eq_ignore_ascii_case("bucket") => Some(bucket),
                Some(name) => field(fields, name),
                None => None,
            };
            if !rule.holds(value, file_len) {
                return Err(VerifyError::PolicyConditionViolated {
                    condition: condition.to_string(),
                });
            }
            covered.extend(rule.field());
        }
    }
    if let Some((name, _)) = fields
        .iter()
        .find(|(name, _)| !is_exempt(name) && !covered.iter().any(|c| c.eq_ignore_ascii_case(name)))
    {
        return Err(VerifyError::FieldNotInPolicy {
            name: (*name).to_owned(),
        });
    }

    Ok(Verified {
        access_key_id: access_key_id.to_owned(),
        bucket: bucket.to_owned(),
        key: key.to_owned(),
        expires_at,
        signed_headers: Vec::new(),
        query: Vec::new(),
    })
}
