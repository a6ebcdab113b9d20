//! Replays tests/vectors/aws_tokens.json: RDS, DSQL and EKS tokens, SigV4
//! query presigns for services other than S3, and S3 presigns whose payload
//! hash comes from an `x-amz-content-sha256` header, all made by botocore
//! (see gen_aws_tokens.py).
//!
//! botocore writes the caller's parameters in insertion order before its
//! own, puts `X-Amz-Security-Token` after `X-Amz-SignedHeaders`, and keeps an
//! explicit `:443` in a URL; the crate writes the canonical query order and
//! the host as signed. So URLs are compared as signature, origin, path and
//! decoded query parameters, and the tokens (whose parameters sort the same
//! in both) byte for byte when there is no session token.

mod provider_support;

use std::time::Duration;

use base64::Engine as _;
use presign::aws::{ServiceRequest, dsql_auth_token, eks_token, rds_auth_token};
use presign::{Credentials, Error, Method};
use provider_support::{cases, method, split, time, what, with_parts};
use serde::Deserialize;

#[derive(Deserialize)]
struct Case {
    kind: String,
    description: String,
    access_key: String,
    secret_key: String,
    session_token: Option<String>,
    signed_at_unix: i64,
    region: String,
    expected: String,
    hostname: Option<String>,
    port: Option<u16>,
    user: Option<String>,
    admin: Option<bool>,
    expires: Option<u64>,
    cluster: Option<String>,
    bucket: Option<String>,
    key: Option<String>,
    method: Option<String>,
    endpoint: Option<String>,
    service: Option<String>,
    path: Option<String>,
    #[serde(default)]
    query: Vec<(String, String)>,
    #[serde(default)]
    headers: Vec<(String, String)>,
}

impl Case {
    fn credentials(&self) -> Credentials {
        let creds = Credentials::new(&self.access_key, &self.secret_key);
        match &self.session_token {
            Some(token) => creds.with_session_token(token),
            None => creds,
        }
    }
}

/// Asserts that `ours` is the URL (or token URL) botocore made.
fn assert_same_url(ours: &str, theirs: &str, description: &str) {
    // Only URLs drop the default port: tokens (no scheme) keep it, as botocore does.
    let theirs_host_as_signed = if theirs.starts_with("https://") {
        theirs.replacen(":443/", "/", 1)
    } else {
        theirs.to_owned()
    };
    let (o, t) = (split(ours), split(&theirs_host_as_signed));
    assert_eq!(
        o.param("X-Amz-Signature"),
        t.param("X-Amz-Signature"),
        "{description}: signature\n ours:   {ours}\n theirs: {theirs}"
    );
    assert_eq!(o, t, "{description}");
}

/// Asserts byte equality for tokens signed without a session token.
fn assert_same_token(c: &Case, ours: &str) {
    if c.session_token.is_none() {
        assert_eq!(ours, c.expected, "{}", c.description);
    }
}

fn sign_service(c: &Case) -> String {
    let mut req = ServiceRequest::new(
        method(c.method.as_deref().unwrap()),
        c.endpoint.as_deref().unwrap(),
        c.service.as_deref().unwrap(),
        &c.region,
    )
    .path(c.path.as_deref().unwrap())
    .expires_in(Duration::from_secs(c.expires.unwrap()))
    .signed_at(time(c.signed_at_unix));
    for (n, v) in &c.query {
        req = req.query(n.as_str(), v.as_str());
    }
    for (n, v) in &c.headers {
        req = req.header(n.as_str(), v.as_str());
    }
    let url = req
        .sign(&c.credentials())
        .unwrap_or_else(|e| panic!("{}: {e}", c.description));
    // The headers to send are the ones given, canonicalised.
    assert_eq!(url.headers().len(), c.headers.len(), "{}", c.description);
    url.into_string()
}

fn eks_url(token: &str) -> String {
    let b64 = token
        .strip_prefix("k8s-aws-v1.")
        .unwrap_or_else(|| panic!("{token} lacks the k8s-aws-v1. prefix"));
    assert!(!b64.contains('='), "no padding: {token}");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(b64)
        .unwrap();
    String::from_utf8(bytes).unwrap()
}

#[test]
fn every_aws_token_vector_matches_botocore() {
    let cases: Vec<Case> = cases("aws_tokens.json");
    let mut counts = std::collections::BTreeMap::new();
    for c in &cases {
        *counts.entry(c.kind.as_str()).or_insert(0) += 1;
        let t = time(c.signed_at_unix);
        let fail = |e: Error| -> String { panic!("{}: {e}", c.description) };
        match c.kind.as_str() {
            "rds" => {
                let token = rds_auth_token(
                    &c.credentials(),
                    &c.region,
                    c.hostname.as_deref().unwrap(),
                    c.port.unwrap(),
                    c.user.as_deref().unwrap(),
                    t,
                )
                .unwrap_or_else(fail);
                assert_same_url(&token, &c.expected, &c.description);
                assert_same_token(c, &token);
            }
            "dsql" => {
                let token = dsql_auth_token(
                    &c.credentials(),
                    &c.region,
                    c.hostname.as_deref().unwrap(),
                    c.admin.unwrap(),
                    Duration::from_secs(c.expires.unwrap()),
                    t,
                )
                .unwrap_or_else(fail);
                assert_same_url(&token, &c.expected, &c.description);
                assert_same_token(c, &token);
            }
            "eks" => {
                let token = eks_token(
                    &c.credentials(),
                    &c.region,
                    c.cluster.as_deref().unwrap(),
                    t,
                )
                .unwrap_or_else(fail);
                assert_same_url(&eks_url(&token), &eks_url(&c.expected), &c.description);
                assert_same_token(c, &token);
            }
            "service" => assert_same_url(&sign_service(c), &c.expected, &c.description),
            "s3" => {
                let p = presign::Presigner::builder()
                    .region(&c.region)
                    .credentials(c.credentials())
                    .build()
                    .unwrap();
                let req = p
                    .put_object(c.bucket.as_deref().unwrap(), c.key.as_deref().unwrap())
                    .expires_in(Duration::from_secs(c.expires.unwrap()))
                    .signed_at(t);
                let url = with_parts(req, &[], &c.headers)
                    .sign()
                    .unwrap_or_else(|e| panic!("{}: {e}", c.description));
                assert_eq!(url.as_str(), c.expected, "{}", c.description);
            }
            other => panic!("unknown kind {other}"),
        }
    }
    for kind in ["rds", "dsql", "eks", "service"] {
        assert!(counts.get(kind).copied().unwrap_or(0) >= 5, "{counts:?}");
    }
    assert!(counts.contains_key("s3"), "{counts:?}");
}

#[test]
fn token_and_service_arguments_are_checked() {
    let creds = Credentials::new("AKID", "SECRET");
    let t = time(1_700_000_000);
    let secs = Duration::from_secs;
    let sts = |service| {
        ServiceRequest::new(
            Method::Get,
            "https://sts.amazonaws.com",
            service,
            "us-east-1",
        )
    };
    let cases = [
        (
            rds_auth_token(&creds, "us-east-1", "db.example.com", 5432, "", t),
            "InvalidArgument(database user)",
        ),
        (
            rds_auth_token(&creds, "us-east-1", "db.example.com", 0, "u", t),
            "InvalidEndpoint",
        ),
        (
            rds_auth_token(&creds, "us-east-1", "db example.com", 5432, "u", t),
            "InvalidEndpoint",
        ),
        (
            rds_auth_token(&creds, "", "db.example.com", 5432, "u", t),
            "InvalidRegion",
        ),
        (
            dsql_auth_token(&creds, "us-east-1", "c.example", true, Duration::ZERO, t),
            "InvalidExpiry",
        ),
        (
            dsql_auth_token(&creds, "us-east-1", "c.example", false, secs(604_801), t),
            "InvalidExpiry",
        ),
        (
            eks_token(&creds, "us-east-1", "", t),
            "InvalidArgument(cluster name)",
        ),
        (
            eks_token(&creds, "us-east-1", "bad\r\ncluster", t),
            "InvalidHeaderValue",
        ),
        (eks_token(&creds, "us east", "c", t), "InvalidRegion"),
        (
            eks_token(&Credentials::new("", "SECRET"), "us-east-1", "c", t),
            "InvalidCredentials",
        ),
    ];
    for (i, (result, expected)) in cases.into_iter().enumerate() {
        assert_eq!(what(&result.unwrap_err()), expected, "token case {i}");
    }
    let requests = [
        (sts("sts").path("no-slash"), "InvalidArgument(path)"),
        (sts(""), "InvalidArgument(service)"),
        (sts("a/b"), "InvalidArgument(service)"),
        (
            ServiceRequest::new(Method::Get, "sts.amazonaws.com", "sts", "us-east-1"),
            "InvalidEndpoint",
        ),
        (
            sts("sts").query("X-Amz-Signature", "x"),
            "ReservedQueryParameter",
        ),
        (sts("sts").header("bad name", "v"), "InvalidHeaderName"),
        (
            sts("sts").header("x-a", "1").header("X-A", "2"),
            "DuplicateHeader",
        ),
        (
            sts("sts").expires_in(Duration::from_millis(1500)),
            "InvalidExpiry",
        ),
    ];
    for (i, (request, expected)) in requests.into_iter().enumerate() {
        assert_eq!(
            what(&request.sign(&creds).unwrap_err()),
            expected,
            "request case {i}"
        );
    }
}

#[test]
fn service_request_debug_hides_header_values() {
    let req = ServiceRequest::new(Method::Get, "https://h.example", "sts", "us-east-1")
        .header("x-secret-header", "s3cr3t-value");
    let shown = format!("{req:?}");
    assert!(
        shown.contains("x-secret-header") && !shown.contains("s3cr3t-value"),
        "{shown}"
    );
}
