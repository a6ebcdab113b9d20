//! Verifying browser POST uploads and SigV2 URLs: the published AWS
//! examples verify as posted, and each way a form can be wrong is refused
//! with the error that says why.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use presign::{Condition, Credentials, Method, Presigner, UrlStyle, Verifier, VerifyError};
use time::OffsetDateTime;
use time::macros::datetime;

/// The SigV4 POST example of the Amazon S3 API reference ("Example:
/// Browser-Based Upload using HTTP POST (Using AWS Signature Version 4)"):
/// its base64 policy and signature, verbatim.
const V4_POLICY: &str = "eyAiZXhwaXJhdGlvbiI6ICIyMDE1LTEyLTMwVDEyOjAwOjAwLjAwMFoiLA0KICAiY29uZGl0aW9ucyI6IFsNCiAgICB7ImJ1Y2tldCI6ICJzaWd2NGV4YW1wbGVidWNrZXQifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci91c2VyMS8iXSwNCiAgICB7ImFjbCI6ICJwdWJsaWMtcmVhZCJ9LA0KICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL3NpZ3Y0ZXhhbXBsZWJ1Y2tldC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwNCiAgICBbInN0YXJ0cy13aXRoIiwgIiRDb250ZW50LVR5cGUiLCAiaW1hZ2UvIl0sDQogICAgeyJ4LWFtei1tZXRhLXV1aWQiOiAiMTQzNjUxMjM2NTEyNzQifSwNCiAgICB7IngtYW16LXNlcnZlci1zaWRlLWVuY3J5cHRpb24iOiAiQUVTMjU2In0sDQogICAgWyJzdGFydHMtd2l0aCIsICIkeC1hbXotbWV0YS10YWciLCAiIl0sDQoNCiAgICB7IngtYW16LWNyZWRlbnRpYWwiOiAiQUtJQUlPU0ZPRE5ON0VYQU1QTEUvMjAxNTEyMjkvdXMtZWFzdC0xL3MzL2F3czRfcmVxdWVzdCJ9LA0KICAgIHsieC1hbXotYWxnb3JpdGhtIjogIkFXUzQtSE1BQy1TSEEyNTYifSwNCiAgICB7IngtYW16LWRhdGUiOiAiMjAxNTEyMjlUMDAwMDAwWiIgfQ0KICBdDQp9";
const V4_SIGNATURE: &str = "8afdbf4008c03f22c2cd3cdb72e4afbb1f6a588f3255ac628749a66d7f09699e";

/// The form of that example, as the page lists its fields, with the key's
/// `${filename}` replaced as S3 does.
fn v4_example_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("key", "user/user1/photo.jpg"),
        ("acl", "public-read"),
        (
            "success_action_redirect",
            "http://sigv4examplebucket.s3.amazonaws.com/successful_upload.html",
        ),
        ("Content-Type", "image/jpeg"),
        ("x-amz-meta-uuid", "14365123651274"),
        ("x-amz-server-side-encryption", "AES256"),
        (
            "X-Amz-Credential",
            "AKIAIOSFODNN7EXAMPLE/20151229/us-east-1/s3/aws4_request",
        ),
        ("X-Amz-Algorithm", "AWS4-HMAC-SHA256"),
        ("X-Amz-Date", "20151229T000000Z"),
        ("x-amz-meta-tag", ""),
        ("Policy", V4_POLICY),
        ("X-Amz-Signature", V4_SIGNATURE),
    ]
}

/// The SigV2 POST example of the Amazon S3 guide ("Upload examples (AWS
/// signature version 2)"), with the S3 Developer Guide's example keys.
const V2_POLICY: &str = "eyAiZXhwaXJhdGlvbiI6ICIyMDA3LTEyLTAxVDEyOjAwOjAwLjAwMFoiLAogICJjb25kaXRpb25zIjogWwogICAgeyJidWNrZXQiOiAiam9obnNtaXRoIn0sCiAgICBbInN0YXJ0cy13aXRoIiwgIiRrZXkiLCAidXNlci9lcmljLyJdLAogICAgeyJhY2wiOiAicHVibGljLXJlYWQifSwKICAgIHsic3VjY2Vzc19hY3Rpb25fcmVkaXJlY3QiOiAiaHR0cDovL2pvaG5zbWl0aC5zMy5hbWF6b25hd3MuY29tL3N1Y2Nlc3NmdWxfdXBsb2FkLmh0bWwifSwKICAgIFsic3RhcnRzLXdpdGgiLCAiJENvbnRlbnQtVHlwZSIsICJpbWFnZS8iXSwKICAgIHsieC1hbXotbWV0YS11dWlkIjogIjE0MzY1MTIzNjUxMjc0In0sCiAgICBbInN0YXJ0cy13aXRoIiwgIiR4LWFtei1tZXRhLXRhZyIsICIiXQogIF0KfQo=";

fn v2_example_fields() -> Vec<(&'static str, &'static str)> {
    vec![
        ("key", "user/eric/MyPicture.jpg"),
        ("acl", "public-read"),
        (
            "success_action_redirect",
            "http://johnsmith.s3.amazonaws.com/successful_upload.html",
        ),
        ("Content-Type", "image/jpeg"),
        ("x-amz-meta-uuid", "14365123651274"),
        ("x-amz-meta-tag", "Some,Tag,For,Picture"),
        ("AWSAccessKeyId", "0PN5J17HBGZHT7JJ3X82"),
        ("Policy", V2_POLICY),
        ("Signature", "0RavWzkygo6QX9caELEqKi9kDbU="),
    ]
}

fn verifier_for(creds: Vec<Credentials>) -> Verifier {
    Verifier::builder()
        .credentials_lookup(move |id| creds.iter().find(|c| c.access_key_id() == id).cloned())
        .region("us-east-1")
        .build()
        .unwrap()
}

fn example_verifier() -> Verifier {
    verifier_for(vec![
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ),
        Credentials::new(
            "0PN5J17HBGZHT7JJ3X82",
            "uV3F3YluFJax1cknvbcGwgjvx4QpvB+leU8dUj2o",
        ),
    ])
}

/// `fields` with field `name` (any case) set to `value`, or added.
fn with(
    fields: &[(&'static str, &'static str)],
    name: &'static str,
    value: &'static str,
) -> Vec<(&'static str, &'static str)> {
    let mut out: Vec<_> = fields.to_vec();
    match out.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
        Some(field) => field.1 = value,
        None => out.push((name, value)),
    }
    out
}

#[test]
fn aws_documented_sigv4_post_form_verifies() {
    let v = example_verifier();
    let fields = v4_example_fields();
    let now = datetime!(2015-12-29 12:00 UTC);
    let ok = v
        .verify_post_form("sigv4examplebucket", &fields, 100_000, now)
        .unwrap();
    assert_eq!(ok.access_key_id, "AKIAIOSFODNN7EXAMPLE");
    assert_eq!(ok.key, "user/user1/photo.jpg");
    assert_eq!(ok.expires_at, datetime!(2015-12-30 12:00 UTC));

    // Up to the expiration, not after; from x-amz-date less the skew.
    let post =
        |fields: &[(&str, &str)], now| v.verify_post_form("sigv4examplebucket", fields, 1, now);
    assert!(post(&fields, datetime!(2015-12-30 12:00 UTC)).is_ok());
    assert_eq!(
        post(&fields, datetime!(2015-12-30 12:00:01 UTC)),
        Err(VerifyError::Expired {
            expires_at: datetime!(2015-12-30 12:00 UTC)
        })
    );
    assert!(post(&fields, datetime!(2015-12-28 23:45 UTC)).is_ok());
    assert!(matches!(
        post(&fields, datetime!(2015-12-28 23:44:59 UTC)),
        Err(VerifyError::NotYetValid { .. })
    ));

    // Each condition of the page's policy, broken.
    for (name, value, condition) in [
        (
            "key",
            "user/user2/photo.jpg",
            r#"["starts-with","$key","user/user1/"]"#,
        ),
        ("acl", "private", r#"{"acl":"public-read"}"#),
        (
            "Content-Type",
            "text/html",
            r#"["starts-with","$Content-Type","image/"]"#,
        ),
        (
            "Content-Type",
            "image/png, text/html",
            r#"["starts-with","$Content-Type","image/"]"#,
        ),
        (
            "x-amz-meta-uuid",
            "1",
            r#"{"x-amz-meta-uuid":"14365123651274"}"#,
        ),
        (
            "x-amz-server-side-encryption",
            "aws:kms",
            r#"{"x-amz-server-side-encryption":"AES256"}"#,
        ),
    ] {
        assert_eq!(
            post(&with(&fields, name, value), now),
            Err(VerifyError::PolicyConditionViolated {
                condition: condition.into()
            }),
            "{name}={value}"
        );
    }
    // Another bucket; a field the page leaves out that an exact condition
    // names; a starts-with "" field may be left out.
    assert!(matches!(
        v.verify_post_form("otherbucket", &fields, 1, now),
        Err(VerifyError::PolicyConditionViolated { condition }) if condition.contains("bucket")
    ));
    let without = |name: &str| -> Vec<(&str, &str)> {
        fields.iter().filter(|(n, _)| *n != name).copied().collect()
    };
    assert!(matches!(
        post(&without("acl"), now),
        Err(VerifyError::PolicyConditionViolated { condition }) if condition.contains("acl")
    ));
    assert!(post(&without("x-amz-meta-tag"), now).is_ok());
    // Several content types, each an image.
    assert!(post(&with(&fields, "Content-Type", "image/png, image/gif"), now).is_ok());
}

#[test]
fn aws_documented_sigv2_post_form_verifies() {
    let v = example_verifier();
    let fields = v2_example_fields();
    let now = datetime!(2007-11-30 12:00 UTC);
    let ok = v.verify_post_form("johnsmith", &fields, 1, now).unwrap();
    assert_eq!(ok.access_key_id, "0PN5J17HBGZHT7JJ3X82");
    assert_eq!(ok.key, "user/eric/MyPicture.jpg");
    assert_eq!(ok.expires_at, datetime!(2007-12-01 12:00 UTC));
    // SigV2 has no signing time: any time before the expiration will do.
    assert!(
        v.verify_post_form("johnsmith", &fields, 1, datetime!(1970-01-01 0:00 UTC))
            .is_ok()
    );
    assert!(matches!(
        v.verify_post_form("johnsmith", &fields, 1, datetime!(2007-12-01 12:00:01 UTC)),
        Err(VerifyError::Expired { .. })
    ));
    assert!(matches!(
        v.verify_post_form("johnsmith", &with(&fields, "key", "user/bob/x"), 1, now),
        Err(VerifyError::PolicyConditionViolated { .. })
    ));
}

#[test]
fn fields_no_condition_names_are_refused_except_s3s_exemptions() {
    let v = example_verifier();
    let now = datetime!(2015-12-29 12:00 UTC);
    let post = |fields: &[(&str, &str)]| v.verify_post_form("sigv4examplebucket", fields, 1, now);
    let fields = v4_example_fields();
    for exempt in ["file", "x-ignore-anything", "X-IGNORE-case"] {
        assert!(post(&with(&fields, exempt, "x")).is_ok(), "{exempt}");
    }
    for uncovered in [
        "success_action_status",
        "x-amz-meta-other",
        "Cache-Control",
        "submit",
    ] {
        assert_eq!(
            post(&with(&fields, uncovered, "x")),
            Err(VerifyError::FieldNotInPolicy {
                name: uncovered.into()
            })
        );
    }
}

#[test]
fn malformed_forms_are_refused_as_such() {
    let v = example_verifier();
    let now = datetime!(2015-12-29 12:00 UTC);
    let fields = v4_example_fields();
    let without = |name: &str| -> Vec<(&'static str, &'static str)> {
        fields
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case(name))
            .copied()
            .collect()
    };
    let long_key = "k".repeat(1025);
    let long_key: &'static str = Box::leak(long_key.into_boxed_str());
    type Fields = Vec<(&'static str, &'static str)>;
    let cases: Vec<(&str, Fields, &str, u64)> = vec![
        ("no policy", without("policy"), "sigv4examplebucket", 1),
        ("no key", without("key"), "sigv4examplebucket", 1),
        (
            "no signature",
            without("x-amz-signature"),
            "sigv4examplebucket",
            1,
        ),
        (
            "no credential",
            without("x-amz-credential"),
            "sigv4examplebucket",
            1,
        ),
        ("no date", without("x-amz-date"), "sigv4examplebucket", 1),
        (
            "repeated field",
            with(&fields, "ACL", "public-read")
                .into_iter()
                .chain([("acl", "public-read")])
                .collect(),
            "sigv4examplebucket",
            1,
        ),
        (
            "other algorithm",
            with(&fields, "x-amz-algorithm", "AWS4-HMAC-SHA512"),
            "sigv4examplebucket",
            1,
        ),
        (
            "credential layout",
            with(&fields, "x-amz-credential", "AKIAIOSFODNN7EXAMPLE/20151229"),
            "sigv4examplebucket",
            1,
        ),
        (
            "date layout",
            with(&fields, "x-amz-date", "2015-12-29T00:00:00Z"),
            "sigv4examplebucket",
            1,
        ),
        (
            "bucket field disagrees",
            with(&fields, "bucket", "other"),
            "sigv4examplebucket",
            1,
        ),
        ("invalid bucket", fields.clone(), "bad bucket", 1),
        (
            "key over 1024 bytes",
            with(&fields, "key", long_key),
            "sigv4examplebucket",
            1,
        ),
        (
            "over 5 GiB",
            fields.clone(),
            "sigv4examplebucket",
            5 * 1024 * 1024 * 1024 + 1,
        ),
        (
            "neither signature",
            without("x-amz-signature")
                .into_iter()
                .filter(|(n, _)| !n.eq_ignore_ascii_case("x-amz-algorithm"))
                .collect(),
            "sigv4examplebucket",
            1,
        ),
    ];
    for (what, fields, bucket, len) in &cases {
        match v.verify_post_form(bucket, fields, *len, now) {
            Err(VerifyError::Malformed { .. }) => {}
            other => panic!("{what}: {other:?}"),
        }
    }
    // Scope, key and signature problems have their own errors.
    assert_eq!(
        v.verify_post_form(
            "sigv4examplebucket",
            &with(
                &fields,
                "x-amz-credential",
                "AKIAIOSFODNN7EXAMPLE/20151229/eu-west-1/s3/aws4_request"
            ),
            1,
            now
        ),
        Err(VerifyError::WrongScope {
            region: "eu-west-1".into(),
            service: "s3".into()
        })
    );
    assert_eq!(
        v.verify_post_form(
            "sigv4examplebucket",
            &with(
                &fields,
                "x-amz-credential",
                "AKIDOTHER/20151229/us-east-1/s3/aws4_request"
            ),
            1,
            now
        ),
        Err(VerifyError::UnknownAccessKey {
            access_key_id: "AKIDOTHER".into()
        })
    );
    let mut policy = V4_POLICY.to_owned();
    policy.replace_range(10..11, "A");
    let tampered: &'static str = Box::leak(policy.into_boxed_str());
    for (name, value) in [
        ("policy", tampered),
        ("x-amz-signature", &V4_SIGNATURE[1..]),
    ] {
        assert_eq!(
            v.verify_post_form("sigv4examplebucket", &with(&fields, name, value), 1, now),
            Err(VerifyError::SignatureMismatch),
            "{name}"
        );
    }
    // The signature covers only the policy (the key is the same all day);
    // the policy's own condition pins x-amz-date.
    assert_eq!(
        v.verify_post_form(
            "sigv4examplebucket",
            &with(&fields, "x-amz-date", "20151229T000001Z"),
            1,
            now
        ),
        Err(VerifyError::PolicyConditionViolated {
            condition: r#"{"x-amz-date":"20151229T000000Z"}"#.into()
        })
    );
    assert_eq!(
        v.verify_post_form(
            "sigv4examplebucket",
            &with(&fields, "x-amz-security-token", "token"),
            1,
            now
        ),
        Err(VerifyError::SecurityTokenMismatch)
    );
}

/// Forms whose policies the verifier cannot read, signed properly (so the
/// signature check passes and the policy is what is refused).
#[test]
fn unreadable_policies_are_refused() {
    let creds = Credentials::new("AKIDEXAMPLE", "SECRET");
    let p = Presigner::builder()
        .region("us-east-1")
        .credentials(creds.clone())
        .build()
        .unwrap();
    let v = verifier_for(vec![creds]);
    let now = datetime!(2026-01-01 0:00 UTC);
    let post = |policy_json: &str| {
        let policy = STANDARD.encode(policy_json);
        let signature = p.sign_post_policy(&policy, now);
        let fields = [
            ("key", "k"),
            ("x-amz-algorithm", "AWS4-HMAC-SHA256"),
            (
                "x-amz-credential",
                "AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request",
            ),
            ("x-amz-date", "20260101T000000Z"),
            ("policy", policy.as_str()),
            ("x-amz-signature", signature.as_str()),
        ];
        v.verify_post_form("bucket", &fields, 1, now)
    };
    let covering = r#"{"key": "k"}, {"x-amz-algorithm": "AWS4-HMAC-SHA256"}, {"x-amz-credential": "AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request"}, {"x-amz-date": "20260101T000000Z"}"#;
    let ok = format!(r#"{{"expiration": "2026-01-01T01:00:00Z", "conditions": [{covering}]}}"#);
    assert!(post(&ok).is_ok(), "{:?}", post(&ok));
    for bad in [
        "not json".to_owned(),
        "[]".to_owned(),
        format!(r#"{{"conditions": [{covering}]}}"#),
        format!(r#"{{"expiration": "tomorrow", "conditions": [{covering}]}}"#),
        format!(r#"{{"expiration": 1767229200, "conditions": [{covering}]}}"#),
        r#"{"expiration": "2026-01-01T01:00:00Z"}"#.to_owned(),
        format!(
            r#"{{"expiration": "2026-01-01T01:00:00Z", "conditions": [{covering}, ["in", "$key", "k"]]}}"#
        ),
        format!(
            r#"{{"expiration": "2026-01-01T01:00:00Z", "conditions": [{covering}, {{"acl": 1}}]}}"#
        ),
        format!(
            r#"{{"expiration": "2026-01-01T01:00:00Z", "conditions": [{covering}, ["starts-with", "$key"]]}}"#
        ),
        format!(
            r#"{{"expiration": "2026-01-01T01:00:00Z", "conditions": [{covering}, ["content-length-range", -1, 5]]}}"#
        ),
        format!(r#"{{"expiration": "2026-01-01T01:00:00Z", "conditions": [{covering}, {{}}]}}"#),
        format!(r#"{{"expiration": "2026-01-01T01:00:00Z", "conditions": [{covering}, "key"]}}"#),
    ] {
        assert!(
            matches!(post(&bad), Err(VerifyError::Malformed { .. })),
            "{bad}: {:?}",
            post(&bad)
        );
    }
    // `eq` arrays, `$` names in any case and numbers as strings are read.
    let more = format!(
        r#"{{"expiration": "2026-01-01T01:00:00.999Z", "conditions": [["eq", "$KEY", "k"], {covering}, ["content-length-range", "0", "10"]]}}"#
    );
    assert!(post(&more).is_ok(), "{:?}", post(&more));
}

#[test]
fn forms_the_crate_signs_verify_and_their_conditions_hold() {
    let creds = Credentials::new("AKIDEXAMPLE", "SECRET").with_session_token("TOKEN");
    let p = Presigner::builder()
        .endpoint("http://localhost:9000")
        .region("eu-west-1")
        .credentials(creds.clone())
        .url_style(UrlStyle::Path)
        .build()
        .unwrap();
    let v = Verifier::builder()
        .credentials_lookup(move |_| Some(creds.clone()))
        .region("eu-west-1")
        .build()
        .unwrap();
    let signed_at = datetime!(2026-01-15 12:00 UTC);
    for v4 in [true, false] {
        let form = p
            .post_object("photos")
            .key("uploads/${filename}")
            .field("acl", "public-read")
            .form_field("Content-Type", "image/png")
            .condition(Condition::starts_with("Content-Type", "image/"))
            .condition(Condition::content_length_range(1024, 500 * 1024))
            .signed_at(signed_at);
        let form = if v4 { form.sign() } else { form.sign_v2() }.unwrap();
        let fields: Vec<(&str, &str)> = form
            .fields()
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str(),
                    if n == "key" {
                        "uploads/cat.png"
                    } else {
                        v.as_str()
                    },
                )
            })
            .collect();
        let now = signed_at + time::Duration::minutes(30);
        let ok = v.verify_post_form("photos", &fields, 2048, now).unwrap();
        assert_eq!(ok.key, "uploads/cat.png");
        assert_eq!(ok.expires_at, signed_at + time::Duration::hours(1));
        for len in [1023, 500 * 1024 + 1] {
            assert_eq!(
                v.verify_post_form("photos", &fields, len, now),
                Err(VerifyError::PolicyConditionViolated {
                    condition: r#"["content-length-range",1024,512000]"#.into()
                })
            );
        }
        let token_less: Vec<_> = fields
            .iter()
            .filter(|(n, _)| *n != "x-amz-security-token")
            .copied()
            .collect();
        assert_eq!(
            v.verify_post_form("photos", &token_less, 2048, now),
            Err(VerifyError::SecurityTokenMismatch)
        );
    }
}

/// The SigV2 query example of the Amazon S3 guide ("Query string request
/// authentication alternative"), verbatim.
#[test]
fn aws_documented_sigv2_url_verifies() {
    let url = "https://johnsmith.s3.amazonaws.com/photos/puppy.jpg?AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE\
               &Signature=NpgCjnDzrM%2BWFzoENXmpNDUsSn8%3D&Expires=1175139620";
    let v = Verifier::builder()
        .credentials_lookup(|id| {
            Some(Credentials::new(
                id,
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ))
        })
        .region("us-east-1")
        .url_style(UrlStyle::VirtualHosted)
        .build()
        .unwrap();
    let expires_at = OffsetDateTime::from_unix_timestamp(1_175_139_620).unwrap();
    let ok = v.verify_url(Method::Get, url, &[], expires_at).unwrap();
    assert_eq!(
        (ok.bucket.as_str(), ok.key.as_str()),
        ("johnsmith", "photos/puppy.jpg")
    );
    assert_eq!(ok.expires_at, expires_at);
    assert!(ok.signed_headers.is_empty());
    assert!(matches!(
        v.verify_url(Method::Get, url, &[], expires_at + time::Duration::SECOND),
        Err(VerifyError::Expired { .. })
    ));
    // S3 signs the x-amz-* and content headers the request carries.
    for header in [
        ("x-amz-acl", "public-read"),
        ("Content-Type", "text/plain"),
        ("Content-MD5", "x"),
    ] {
        assert_eq!(
            v.verify_url(Method::Get, url, &[header], expires_at),
            Err(VerifyError::SignatureMismatch),
            "{header:?}"
        );
    }
    // Other headers and parameters that are not sub-resources are not signed.
    let with_prefix = format!("{url}&prefix=anything");
    assert!(
        v.verify_url(
            Method::Get,
            &with_prefix,
            &[("range", "bytes=0-1")],
            expires_at
        )
        .is_ok()
    );
    for (what, url) in [
        ("missing Expires", url.replace("&Expires=1175139620", "")),
        (
            "leading zero",
            url.replace("Expires=1175139620", "Expires=01175139620"),
        ),
        ("misspelt", url.replace("Expires=", "expires=")),
        ("repeated", format!("{url}&Expires=1175139620")),
        (
            "empty key id",
            url.replace("AWSAccessKeyId=AKIAIOSFODNN7EXAMPLE", "AWSAccessKeyId="),
        ),
    ] {
        assert!(
            matches!(
                v.verify_url(Method::Get, &url, &[], expires_at),
                Err(VerifyError::Malformed { .. })
            ),
            "{what}"
        );
    }
    // A sub-resource is signed.
    assert_eq!(
        v.verify_url(Method::Get, &format!("{url}&versionId=1"), &[], expires_at),
        Err(VerifyError::SignatureMismatch)
    );
}

#[test]
fn sigv2_urls_the_crate_signs_verify_with_their_headers() {
    let creds = Credentials::new("AKIDEXAMPLE", "SECRET").with_session_token("TOKEN");
    let p = Presigner::builder()
        .endpoint("https://s3.example.com/prefix")
        .region("us-east-1")
        .credentials(creds.clone())
        .url_style(UrlStyle::Path)
        .build()
        .unwrap();
    let v = Verifier::builder()
        .credentials_lookup(move |_| Some(creds.clone()))
        .region("us-east-1")
        .endpoint("https://s3.example.com/prefix")
        .build()
        .unwrap();
    let signed_at = datetime!(2026-01-01 0:00 UTC);
    let url = p
        .put_object("bucket", "a b/c+d")
        .header("Content-Type", "image/png")
        .header("x-amz-meta-tag", "a")
        .query("uploadId", "u/1")
        .query("partNumber", "2")
        .query("prefix", "unsigned")
        .signed_at(signed_at)
        .sign_v2()
        .unwrap();
    let headers = [("content-type", " image/png "), ("X-Amz-Meta-Tag", "a")];
    let ok = v
        .verify_url(Method::Put, url.as_str(), &headers, signed_at)
        .unwrap();
    assert_eq!(ok.key, "a b/c+d");
    assert_eq!(ok.signed_headers, ["content-type", "x-amz-meta-tag"]);
    let mut query = ok.query.clone();
    query.sort();
    assert_eq!(
        query,
        [
            ("partNumber".to_owned(), "2".to_owned()),
            ("uploadId".to_owned(), "u/1".to_owned())
        ]
    );
    // The URL lists the headers; the client must send them.
    assert_eq!(
        v.verify_url(Method::Put, url.as_str(), &headers[..1], signed_at),
        Err(VerifyError::MissingSignedHeader {
            name: "x-amz-meta-tag".into()
        })
    );
    assert_eq!(
        v.verify_url(
            Method::Put,
            url.as_str(),
            &[headers[0], ("x-amz-meta-tag", "b")],
            signed_at
        ),
        Err(VerifyError::SignatureMismatch)
    );
    // The token can come as a header instead of in the query.
    let moved = url.as_str().replace("&x-amz-security-token=TOKEN", "");
    let mut with_token = headers.to_vec();
    with_token.push(("x-amz-security-token", "TOKEN"));
    assert!(
        v.verify_url(Method::Put, &moved, &with_token, signed_at)
            .is_ok()
    );
    assert_eq!(
        v.verify_url(Method::Put, &moved, &headers, signed_at),
        Err(VerifyError::SecurityTokenMismatch)
    );
}
