//! Replays tests/vectors/tos.json: Volcengine TOS presigned URLs made by the
//! `tos` Python SDK (`pre_signed_url(..., is_signed_all_headers=True)`, see
//! gen_tos.py). Every case must give the same signature, origin, path,
//! query parameters and signed headers.

mod provider_support;

use std::time::Duration;

use presign::{Credentials, Error, Presigner, Provider, UrlStyle};
use provider_support::{cases, method, split, time, what, with_parts};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    description: String,
    method: String,
    bucket: String,
    key: String,
    region: String,
    endpoint: Option<String>,
    custom_domain: bool,
    access_key: String,
    secret_key: String,
    session_token: Option<String>,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    expires: u64,
    signed_at_unix: i64,
    expected: Expected,
}

#[derive(Deserialize)]
struct Expected {
    url: String,
    signed_headers: Vec<(String, String)>,
}

fn presigner(c: &Case) -> Presigner {
    let mut creds = Credentials::new(&c.access_key, &c.secret_key);
    if let Some(token) = &c.session_token {
        creds = creds.with_session_token(token);
    }
    let mut builder = Presigner::builder()
        .provider(Provider::Tos)
        .region(&c.region)
        .credentials(creds);
    if let Some(endpoint) = &c.endpoint {
        builder = builder.endpoint(endpoint);
    }
    if c.custom_domain {
        builder = builder.url_style(UrlStyle::CustomDomain);
    }
    builder
        .build()
        .unwrap_or_else(|e| panic!("{}: {e}", c.description))
}

#[test]
fn every_tos_vector_matches_the_sdk() {
    let cases: Vec<Case> = cases("tos.json");
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for c in &cases {
        let p = presigner(c);
        let req = p
            .request(method(&c.method), &c.bucket, &c.key)
            .expires_in(Duration::from_secs(c.expires))
            .signed_at(time(c.signed_at_unix));
        let url = with_parts(req, &c.query, &c.headers)
            .sign()
            .unwrap_or_else(|e| panic!("{}: {e}", c.description));
        let (ours, theirs) = (split(url.as_str()), split(&c.expected.url));
        assert_eq!(
            ours.param("X-Tos-Signature"),
            theirs.param("X-Tos-Signature"),
            "{}: signature\n ours:   {}\n theirs: {}",
            c.description,
            url.as_str(),
            c.expected.url
        );
        assert_eq!(ours, theirs, "{}", c.description);
        let host = theirs.origin.split_once("://").unwrap().1;
        let mut signed: Vec<(String, String)> = url.headers().to_vec();
        signed.push(("host".into(), host.into()));
        signed.sort();
        assert_eq!(signed, c.expected.signed_headers, "{}", c.description);
    }
}

/// Volcengine TOS documentation, "URL 中包含签名" (Including a signature in
/// the URL), <https://www.volcengine.com/docs/6349/129226>: GET
/// examplebucket/exampleobject in cn-beijing with testAK/testSK at
/// 2022-01-01T00:00:00Z for 86400 s.
#[test]
fn tos_documentation_example() {
    let p = Presigner::builder()
        .provider(Provider::Tos)
        .region("cn-beijing")
        .credentials(Credentials::new("testAK", "testSK"))
        .build()
        .unwrap();
    let url = p
        .get_object("examplebucket", "exampleobject")
        .expires_in(Duration::from_secs(86400))
        .signed_at(time::macros::datetime!(2022-01-01 0:00 UTC))
        .sign()
        .unwrap();
    assert_eq!(
        url.as_str(),
        "https://examplebucket.tos-cn-beijing.volces.com/exampleobject\
         ?X-Tos-Algorithm=TOS4-HMAC-SHA256\
         &X-Tos-Credential=testAK%2F20220101%2Fcn-beijing%2Ftos%2Frequest\
         &X-Tos-Date=20220101T000000Z&X-Tos-Expires=86400&X-Tos-SignedHeaders=host\
         &X-Tos-Signature=353aa55583eceb222aad4bdcb70d4045a202a4af9a3096f25a656b82c8ec2f56"
    );
}

fn tos() -> Presigner {
    Presigner::builder()
        .provider(Provider::Tos)
        .region("cn-beijing")
        .credentials(Credentials::new("AK", "SK"))
        .build()
        .unwrap()
}

#[test]
fn tos_refuses_path_style() {
    let err = Presigner::builder()
        .provider(Provider::Tos)
        .region("cn-beijing")
        .credentials(Credentials::new("AK", "SK"))
        .url_style(UrlStyle::Path)
        .build()
        .unwrap_err();
    assert!(matches!(
        err,
        Error::UnsupportedByProvider {
            provider: Provider::Tos,
            ..
        }
    ));
    assert!(err.to_string().contains("UrlStyle::CustomDomain"), "{err}");
}

#[test]
fn tos_refuses_what_it_cannot_sign() {
    let p = tos();
    assert_eq!(p.url_style(), UrlStyle::VirtualHosted);
    let secs = Duration::from_secs;
    let cases = [
        (p.get_object("Upper", "k"), "InvalidBucket"),
        (p.get_object("under_score", "k"), "InvalidBucket"),
        (p.get_object("ab", "k"), "InvalidBucket"),
        (
            p.get_object("bucket", "k")
                .query("x-tos-signature", "forged"),
            "ReservedQueryParameter",
        ),
        (
            p.get_object("bucket", "k").expires_in(secs(0)),
            "InvalidExpiry",
        ),
        (
            p.get_object("bucket", "k").expires_in(secs(604_801)),
            "InvalidExpiry",
        ),
    ];
    for (i, (request, expected)) in cases.into_iter().enumerate() {
        assert_eq!(what(&request.sign().unwrap_err()), expected, "case {i}");
    }
    // SigV2 and S3 POST forms are AWS schemes.
    let err = p.get_object("bucket", "k").sign_v2().unwrap_err();
    assert_eq!(what(&err), "UnsupportedByProvider");
    let err = p.post_object("bucket").key("k").sign().unwrap_err();
    assert_eq!(what(&err), "UnsupportedByProvider");
    // The AWS names are ordinary parameters on TOS.
    assert!(
        p.get_object("bucket", "k")
            .query("X-Amz-Date", "x")
            .sign()
            .is_ok()
    );
}
