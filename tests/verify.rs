//! The verifier: the published AWS example verifies, and every way a
//! presigned URL can be wrong is refused with the error that says why.
//!
//! Most refusals start from the AWS documentation's example URL
//! ("Authenticating Requests: Using Query Parameters", examplebucket /
//! test.txt, 2013-05-24, signature `aeeed9bb…`) changed by hand, so they do
//! not depend on this crate's signer; the rest sign with the crate.

use std::time::Duration;

use presign::{Credentials, Method, Presigner, UrlStyle, Verified, Verifier, VerifyError};
use time::OffsetDateTime;
use time::macros::datetime;

const AKID: &str = "AKIAIOSFODNN7EXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "SESSION-TOKEN-SECRET";
const SIGNATURE: &str = "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
/// The AWS documentation's example, verbatim.
const AWS_EXAMPLE: &str = "https://examplebucket.s3.amazonaws.com/test.txt\
    ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
    &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
    &X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host\
    &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
const SIGNED_AT: OffsetDateTime = datetime!(2013-05-24 0:00 UTC);

fn lookup(creds: Credentials) -> impl Fn(&str) -> Option<Credentials> + Send + Sync + 'static {
    move |id| (id == creds.access_key_id()).then(|| creds.clone())
}

/// A verifier for AWS's own endpoints in us-east-1 that knows the example key.
fn aws_verifier(style: UrlStyle) -> Verifier {
    Verifier::builder()
        .credentials_lookup(lookup(Credentials::new(AKID, SECRET)))
        .region("us-east-1")
        .url_style(style)
        .build()
        .unwrap()
}

fn verify_example(url: &str, now: OffsetDateTime) -> Result<Verified, VerifyError> {
    aws_verifier(UrlStyle::VirtualHosted).verify_url(Method::Get, url, &[], now)
}

#[test]
fn aws_documentation_example_verifies() {
    for style in [UrlStyle::VirtualHosted, UrlStyle::Auto] {
        let ok = aws_verifier(style)
            .verify_url(Method::Get, AWS_EXAMPLE, &[], SIGNED_AT)
            .unwrap();
        assert_eq!(ok.access_key_id, AKID);
        assert_eq!(
            (ok.bucket.as_str(), ok.key.as_str()),
            ("examplebucket", "test.txt")
        );
        assert_eq!(ok.expires_at, datetime!(2013-05-25 0:00 UTC));
        assert_eq!(ok.signed_headers, ["host"]);
        assert!(ok.query.is_empty());
    }
    // Path style reads the bucket from the path, and this host is not the
    // endpoint's.
    let err = aws_verifier(UrlStyle::Path)
        .verify_url(Method::Get, AWS_EXAMPLE, &[], SIGNED_AT)
        .unwrap_err();
    assert!(matches!(err, VerifyError::Malformed { .. }), "{err:?}");
}

#[test]
fn validity_window_follows_s3() {
    let expires_at = datetime!(2013-05-25 0:00 UTC);
    // Valid through the last second, not after; skew does not extend it.
    assert!(verify_example(AWS_EXAMPLE, expires_at).is_ok());
    assert_eq!(
        verify_example(AWS_EXAMPLE, expires_at + time::Duration::SECOND),
        Err(VerifyError::Expired { expires_at })
    );
    // Up to the skew (15 minutes by default) before the signing time.
    let skew = time::Duration::minutes(15);
    assert!(verify_example(AWS_EXAMPLE, SIGNED_AT - skew).is_ok());
    assert_eq!(
        verify_example(AWS_EXAMPLE, SIGNED_AT - skew - time::Duration::SECOND),
        Err(VerifyError::NotYetValid {
            signed_at: SIGNED_AT
        })
    );
    // A configured skew, and a zero one.
    for (skew, early_ok, early_bad) in [
        (300, 300, 301),
        (0, 0, 1),
        (86_400 * 365, 86_400 * 365, 86_400 * 365 + 1),
    ] {
        let v = Verifier::builder()
            .credentials_lookup(lookup(Credentials::new(AKID, SECRET)))
            .region("us-east-1")
            .url_style(UrlStyle::Auto)
            .clock_skew(Duration::from_secs(skew))
            .build()
            .unwrap();
        let at = |secs_before: i64| SIGNED_AT - time::Duration::seconds(secs_before);
        assert!(
            v.verify_url(Method::Get, AWS_EXAMPLE, &[], at(early_ok))
                .is_ok()
        );
        assert!(matches!(
            v.verify_url(Method::Get, AWS_EXAMPLE, &[], at(early_bad)),
            Err(VerifyError::NotYetValid { .. })
        ));
    }
    // A skew too large to add to any time accepts every signing time.
    let v = Verifier::builder()
        .credentials_lookup(lookup(Credentials::new(AKID, SECRET)))
        .region("us-east-1")
        .url_style(UrlStyle::Auto)
        .clock_skew(Duration::MAX)
        .build()
        .unwrap();
    assert!(
        v.verify_url(
            Method::Get,
            AWS_EXAMPLE,
            &[],
            datetime!(0000-01-01 0:00 UTC)
        )
        .is_ok()
    );
    // `now` in any offset is the same instant.
    assert!(verify_example(AWS_EXAMPLE, datetime!(2013-05-24 2:00 +02:00)).is_ok());
}

/// The example URL with `from` replaced by `to` (which must occur).
fn edited(from: &str, to: &str) -> String {
    assert!(AWS_EXAMPLE.contains(from), "{from}");
    AWS_EXAMPLE.replacen(from, to, 1)
}

#[test]
fn malformed_urls_are_refused_as_such() {
    let cases: Vec<(&str, String)> = vec![
        (
            "no query",
            AWS_EXAMPLE.split('?').next().unwrap().to_owned(),
        ),
        ("not a URL", "examplebucket/test.txt".to_owned()),
        ("ftp", edited("https://", "ftp://")),
        ("user info", edited("https://", "https://user@")),
        ("fragment", format!("{AWS_EXAMPLE}#x")),
        ("space", edited("test.txt", "te st.txt")),
        ("tab", edited("test.txt", "te\tst.txt")),
        ("non-ASCII", edited("test.txt", "tést.txt")),
        ("broken escape", edited("test.txt", "te%zzst.txt")),
        ("truncated escape", edited("test.txt", "test.txt%2")),
        ("escape not UTF-8", edited("test.txt", "test%FF.txt")),
        ("empty parameter", edited("&X-Amz-Date", "&&X-Amz-Date")),
        (
            "missing algorithm",
            edited("X-Amz-Algorithm=AWS4-HMAC-SHA256&", ""),
        ),
        (
            "missing credential",
            edited(
                "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request",
                "",
            ),
        ),
        ("missing date", edited("&X-Amz-Date=20130524T000000Z", "")),
        ("missing expires", edited("&X-Amz-Expires=86400", "")),
        (
            "missing signed headers",
            edited("&X-Amz-SignedHeaders=host", ""),
        ),
        (
            "missing signature",
            AWS_EXAMPLE.rsplit_once('&').unwrap().0.to_owned(),
        ),
        (
            "duplicate parameter",
            format!("{AWS_EXAMPLE}&X-Amz-Expires=86400"),
        ),
        ("misspelt parameter", edited("X-Amz-Date=", "x-amz-date=")),
        (
            "other algorithm",
            edited("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA512"),
        ),
        (
            "scope without terminator",
            edited("%2Fs3%2Faws4_request", "%2Fs3%2Faws5_request"),
        ),
        ("short scope", edited("%2F20130524%2Fus-east-1", "")),
        ("empty access key", edited("AKIAIOSFODNN7EXAMPLE%2F", "%2F")),
        (
            "scope date differs",
            edited("%2F20130524%2F", "%2F20130525%2F"),
        ),
        (
            "date layout",
            edited("20130524T000000Z", "2013-05-24T000000Z"),
        ),
        (
            "impossible date",
            edited("20130524T000000Z", "20130532T000000Z"),
        ),
        (
            "expiry zero",
            edited("X-Amz-Expires=86400", "X-Amz-Expires=0"),
        ),
        (
            "expiry over 7 days",
            edited("X-Amz-Expires=86400", "X-Amz-Expires=604801"),
        ),
        (
            "expiry leading zero",
            edited("X-Amz-Expires=86400", "X-Amz-Expires=086400"),
        ),
        (
            "expiry sign",
            edited("X-Amz-Expires=86400", "X-Amz-Expires=%2B86400"),
        ),
        (
            "expiry not a number",
            edited("X-Amz-Expires=86400", "X-Amz-Expires=1d"),
        ),
        (
            "expiry huge",
            edited(
                "X-Amz-Expires=86400",
                "X-Amz-Expires=99999999999999999999999",
            ),
        ),
        (
            "signed headers uppercase",
            edited("SignedHeaders=host", "SignedHeaders=Host"),
        ),
        (
            "signed headers without host",
            edited("SignedHeaders=host", "SignedHeaders=range"),
        ),
        (
            "signed headers unsorted",
            edited("SignedHeaders=host", "SignedHeaders=range%3Bhost"),
        ),
        (
            "signed headers repeated",
            edited("SignedHeaders=host", "SignedHeaders=host%3Bhost"),
        ),
        (
            "signed headers empty name",
            edited("SignedHeaders=host", "SignedHeaders=%3Bhost"),
        ),
        (
            "another host",
            edited(
                "examplebucket.s3.amazonaws.com",
                "examplebucket.s3.example.com",
            ),
        ),
        (
            "bucket not DNS-compatible",
            edited("examplebucket.", "Example_Bucket."),
        ),
        ("virtual host without bucket", edited("examplebucket.", "")),
        ("key over 1024 bytes", edited("test.txt", &"k".repeat(1025))),
    ];
    for (what, url) in &cases {
        match verify_example(url, SIGNED_AT) {
            Err(VerifyError::Malformed { reason }) => assert!(!reason.is_empty(), "{what}"),
            other => panic!("{what}: {url}\n  gave {other:?}"),
        }
    }
    let err = verify_example(&edited("test.txt", &"k".repeat(1025)), SIGNED_AT).unwrap_err();
    assert!(err.to_string().contains("1024"), "{err}");
}

#[test]
fn scope_must_name_s3_in_an_accepted_region() {
    for (from, to, region, service) in [
        ("%2Fus-east-1%2F", "%2Feu-west-1%2F", "eu-west-1", "s3"),
        ("%2Fs3%2F", "%2Fec2%2F", "us-east-1", "ec2"),
        ("%2Fus-east-1%2F", "%2F%2F", "", "s3"),
    ] {
        assert_eq!(
            verify_example(&edited(from, to), SIGNED_AT),
            Err(VerifyError::WrongScope {
                region: region.into(),
                service: service.into()
            })
        );
    }
}

#[test]
fn unknown_keys_and_wrong_signatures() {
    assert_eq!(
        verify_example(&edited("AKIAIOSFODNN7EXAMPLE", "AKIDOTHER"), SIGNED_AT),
        Err(VerifyError::UnknownAccessKey {
            access_key_id: "AKIDOTHER".into()
        })
    );
    let flipped = format!("{}5", &SIGNATURE[..63]);
    for bad_signature in [
        flipped.as_str(),
        &SIGNATURE.to_uppercase(),
        &SIGNATURE[..63],
        "",
        "not-hex",
    ] {
        assert_eq!(
            verify_example(&edited(SIGNATURE, bad_signature), SIGNED_AT),
            Err(VerifyError::SignatureMismatch),
            "{bad_signature}"
        );
    }
    // Another secret for the same key id.
    let v = Verifier::builder()
        .credentials_lookup(|id| Some(Credentials::new(id, "another secret")))
        .region("us-east-1")
        .url_style(UrlStyle::Auto)
        .build()
        .unwrap();
    assert_eq!(
        v.verify_url(Method::Get, AWS_EXAMPLE, &[], SIGNED_AT),
        Err(VerifyError::SignatureMismatch)
    );
    // Each signed part matters: method, key, bucket, expiry, an added parameter.
    for (method, url) in [
        (Method::Head, AWS_EXAMPLE.to_owned()),
        (Method::Get, edited("test.txt", "test.txT")),
        (Method::Get, edited("test.txt", "test%2Etxt%2F")),
        (Method::Get, edited("examplebucket", "examplebuckex")),
        (
            Method::Get,
            edited("X-Amz-Expires=86400", "X-Amz-Expires=86401"),
        ),
        (Method::Get, format!("{AWS_EXAMPLE}&versionId=1")),
        (Method::Get, format!("{AWS_EXAMPLE}&versionId")),
    ] {
        assert_eq!(
            aws_verifier(UrlStyle::VirtualHosted).verify_url(method, &url, &[], SIGNED_AT),
            Err(VerifyError::SignatureMismatch),
            "{method} {url}"
        );
    }
}

#[test]
fn equivalent_spellings_of_the_same_request_verify() {
    // Percent-escapes in either hex case and characters left literal decode
    // to the same key; host names are case-insensitive; a default port is no
    // port. S3 reads them all as the same request.
    for url in [
        edited("test.txt", "test%2Etxt"),
        edited("test.txt", "%74est.txt"),
        edited("%2F20130524%2F", "%2f20130524/"),
        edited(
            "examplebucket.s3.amazonaws.com",
            "examplebucket.S3.AmazonAWS.com:443",
        ),
        edited("https://", "HTTPS://"),
    ] {
        assert!(verify_example(&url, SIGNED_AT).is_ok(), "{url}");
    }
}

fn presigner(endpoint: &str, style: UrlStyle, creds: Credentials) -> Presigner {
    Presigner::builder()
        .endpoint(endpoint)
        .region("us-east-1")
        .credentials(creds)
        .url_style(style)
        .build()
        .unwrap()
}

fn verifier(endpoint: &str, style: UrlStyle, creds: Credentials) -> Verifier {
    Verifier::builder()
        .credentials_lookup(lookup(creds))
        .region("us-east-1")
        .endpoint(endpoint)
        .url_style(style)
        .build()
        .unwrap()
}

#[test]
fn signed_headers_must_be_sent_and_x_amz_headers_signed() {
    let creds = Credentials::new(AKID, SECRET);
    let p = presigner("https://s3.example.com", UrlStyle::Path, creds.clone());
    let v = verifier("https://s3.example.com", UrlStyle::Path, creds);
    let url = p
        .put_object("bucket", "key")
        .header("Content-Type", "text/plain;  charset=utf-8")
        .header("x-amz-acl", "private")
        .signed_at(SIGNED_AT)
        .sign()
        .unwrap();
    let url = url.as_str();
    let put = |headers: &[(&str, &str)]| v.verify_url(Method::Put, url, headers, SIGNED_AT);
    // Names in any case, values with other whitespace: canonically equal.
    let ok = put(&[
        ("X-AMZ-ACL", "private"),
        ("content-type", " text/plain;\tcharset=utf-8 "),
        ("user-agent", "curl"),
    ])
    .unwrap();
    assert_eq!(ok.signed_headers, ["content-type", "host", "x-amz-acl"]);
    assert_eq!(
        put(&[("x-amz-acl", "private")]),
        Err(VerifyError::MissingSignedHeader {
            name: "content-type".into()
        })
    );
    assert_eq!(
        put(&[
            ("x-amz-acl", "public-read"),
            ("content-type", "text/plain; charset=utf-8")
        ]),
        Err(VerifyError::SignatureMismatch)
    );
    // An unsigned x-amz-* header would change what the request does.
    assert_eq!(
        put(&[
            ("x-amz-acl", "private"),
            ("content-type", "text/plain; charset=utf-8"),
            ("X-Amz-Server-Side-Encryption", "AES256"),
        ]),
        Err(VerifyError::UnsignedHeader {
            name: "x-amz-server-side-encryption".into()
        })
    );
}

#[test]
fn a_header_received_twice_is_signed_joined_with_commas() {
    // SigV4 (and botocore) sign repeated headers as their trimmed values
    // joined with ','; a client that signs the joined value and sends two
    // header lines verifies.
    let creds = Credentials::new(AKID, SECRET);
    let p = presigner("https://s3.example.com", UrlStyle::Path, creds.clone());
    let v = verifier("https://s3.example.com", UrlStyle::Path, creds);
    let url = p
        .get_object("bucket", "key")
        .header("x-amz-meta-tag", "a,b c")
        .signed_at(SIGNED_AT)
        .sign()
        .unwrap();
    let two_lines = [("x-amz-meta-tag", " a "), ("X-Amz-Meta-Tag", "b   c")];
    assert!(
        v.verify_url(Method::Get, url.as_str(), &two_lines, SIGNED_AT)
            .is_ok()
    );
    let other_order = [two_lines[1], two_lines[0]];
    assert_eq!(
        v.verify_url(Method::Get, url.as_str(), &other_order, SIGNED_AT),
        Err(VerifyError::SignatureMismatch)
    );
}

#[test]
fn session_tokens_must_belong_to_the_key() {
    let with_token = Credentials::new(AKID, SECRET).with_session_token(TOKEN);
    let p = presigner("https://s3.example.com", UrlStyle::Path, with_token.clone());
    let url = p
        .get_object("bucket", "key")
        .signed_at(SIGNED_AT)
        .sign()
        .unwrap();
    let check = |creds: Credentials| {
        verifier("https://s3.example.com", UrlStyle::Path, creds).verify_url(
            Method::Get,
            url.as_str(),
            &[],
            SIGNED_AT,
        )
    };
    assert!(check(with_token).is_ok());
    for creds in [
        Credentials::new(AKID, SECRET),
        Credentials::new(AKID, SECRET).with_session_token("another token"),
    ] {
        assert_eq!(check(creds), Err(VerifyError::SecurityTokenMismatch));
    }
    // And a token sent for long-term credentials.
    let without = presigner(
        "https://s3.example.com",
        UrlStyle::Path,
        Credentials::new(AKID, SECRET),
    )
    .get_object("bucket", "key")
    .signed_at(SIGNED_AT)
    .sign()
    .unwrap();
    let with_added_token = format!("{without}&X-Amz-Security-Token=x");
    assert_eq!(
        verifier(
            "https://s3.example.com",
            UrlStyle::Path,
            Credentials::new(AKID, SECRET).with_session_token("x")
        )
        .verify_url(Method::Get, without.as_str(), &[], SIGNED_AT),
        Err(VerifyError::SecurityTokenMismatch)
    );
    assert_eq!(
        verifier(
            "https://s3.example.com",
            UrlStyle::Path,
            Credentials::new(AKID, SECRET)
        )
        .verify_url(Method::Get, &with_added_token, &[], SIGNED_AT),
        Err(VerifyError::SecurityTokenMismatch)
    );
}

#[test]
fn several_regions_each_on_its_aws_endpoint() {
    let creds = Credentials::new(AKID, SECRET);
    let v = Verifier::builder()
        .credentials_lookup(lookup(creds.clone()))
        .region("eu-west-1")
        .regions(["cn-north-1", "us-east-1"])
        .url_style(UrlStyle::Auto)
        .build()
        .unwrap();
    for region in ["eu-west-1", "cn-north-1", "us-east-1"] {
        let p = Presigner::builder()
            .region(region)
            .credentials(creds.clone())
            .build()
            .unwrap();
        for bucket in ["bucket", "dotted.bucket", "Legacy_Bucket"] {
            let url = p
                .get_object(bucket, "k")
                .signed_at(SIGNED_AT)
                .sign()
                .unwrap();
            let ok = v
                .verify_url(Method::Get, url.as_str(), &[], SIGNED_AT)
                .unwrap_or_else(|e| panic!("{url}: {e}"));
            assert_eq!(ok.bucket, bucket);
        }
    }
    let p = Presigner::builder()
        .region("ap-south-1")
        .credentials(creds)
        .build()
        .unwrap();
    let url = p
        .get_object("bucket", "k")
        .signed_at(SIGNED_AT)
        .sign()
        .unwrap();
    assert_eq!(
        v.verify_url(Method::Get, url.as_str(), &[], SIGNED_AT),
        Err(VerifyError::WrongScope {
            region: "ap-south-1".into(),
            service: "s3".into()
        })
    );
}

#[test]
fn addressing_styles_prefixes_and_bucket_level_requests() {
    let creds = Credentials::new(AKID, SECRET);
    for endpoint in [
        "https://s3.example.com",
        "http://localhost:9000",
        "https://gw.example.com:8443/s3",
        "https://gw.example.com/s3/",
    ] {
        for style in [UrlStyle::Path, UrlStyle::VirtualHosted] {
            let p = presigner(endpoint, style, creds.clone());
            for (bucket, key) in [
                ("bucket", "key"),
                ("bucket", ""),
                ("bucket", "/lead//dots/./../x/"),
                ("bucket", "a b+c%d?e#f"),
                ("my.bucket", "日本/🎉"),
            ] {
                let url = p
                    .request(Method::Get, bucket, key)
                    .signed_at(SIGNED_AT)
                    .sign()
                    .unwrap();
                for verifier_style in [style, UrlStyle::Auto] {
                    let v = verifier(endpoint, verifier_style, creds.clone());
                    let ok = v
                        .verify_url(Method::Get, url.as_str(), &[], SIGNED_AT)
                        .unwrap_or_else(|e| panic!("{verifier_style:?} {url}: {e}"));
                    assert_eq!((ok.bucket.as_str(), ok.key.as_str()), (bucket, key));
                }
                // The other fixed style reads bucket and key elsewhere.
                let other = match style {
                    UrlStyle::Path => UrlStyle::VirtualHosted,
                    _ => UrlStyle::Path,
                };
                assert!(
                    verifier(endpoint, other, creds.clone())
                        .verify_url(Method::Get, url.as_str(), &[], SIGNED_AT)
                        .is_err(),
                    "{other:?} {url}"
                );
            }
        }
    }
    // A path-style bucket-level URL with a trailing slash is another path.
    let p = presigner("https://s3.example.com", UrlStyle::Path, creds.clone());
    let url = p
        .get_object("bucket", "")
        .signed_at(SIGNED_AT)
        .sign()
        .unwrap();
    let slashed = url.as_str().replacen("/bucket?", "/bucket/?", 1);
    assert!(matches!(
        verifier("https://s3.example.com", UrlStyle::Path, creds).verify_url(
            Method::Get,
            &slashed,
            &[],
            SIGNED_AT
        ),
        Err(VerifyError::Malformed { .. })
    ));
}

#[test]
fn request_targets_as_a_server_reads_them() {
    let creds = Credentials::new(AKID, SECRET);
    let endpoint = "http://localhost:9000";
    let url = presigner(endpoint, UrlStyle::Path, creds.clone())
        .get_object("bucket", "key")
        .signed_at(SIGNED_AT)
        .sign()
        .unwrap();
    let target = url.as_str().strip_prefix(endpoint).unwrap();
    let v = verifier(endpoint, UrlStyle::Path, creds);
    let ok = v
        .verify_url(
            Method::Get,
            target,
            &[("Host", "localhost:9000")],
            SIGNED_AT,
        )
        .unwrap();
    assert_eq!(ok.key, "key");
    for headers in [
        &[][..],
        &[("host", "localhost:9000"), ("host", "localhost:9000")][..],
    ] {
        assert!(matches!(
            v.verify_url(Method::Get, target, headers, SIGNED_AT),
            Err(VerifyError::Malformed { .. })
        ));
    }
    assert!(matches!(
        v.verify_url(
            Method::Get,
            target,
            &[("host", "localhost:9001")],
            SIGNED_AT
        ),
        Err(VerifyError::Malformed { .. })
    ));
}

#[test]
fn query_values_and_keys_with_any_characters_round_trip() {
    let creds = Credentials::new(AKID, SECRET);
    let p = presigner("https://s3.example.com", UrlStyle::Path, creds.clone());
    let v = verifier("https://s3.example.com", UrlStyle::Path, creds);
    let odd = "cr\r lf\n nul\0 hash# question? amp& eq= plus+ pct% slash/ é😀";
    let url = p
        .get_object("bucket", odd)
        .query(odd, odd)
        .query(
            "response-content-disposition",
            "attachment; filename=\"a b.txt\"",
        )
        .query("empty", "")
        .signed_at(SIGNED_AT)
        .sign()
        .unwrap();
    // The URL is plain ASCII with every such character escaped.
    assert!(url.as_str().bytes().all(|b| b.is_ascii_graphic()));
    assert_eq!(url.as_str().matches('?').count(), 1);
    assert!(!url.as_str().contains('#'));
    let ok = v
        .verify_url(Method::Get, url.as_str(), &[], SIGNED_AT)
        .unwrap();
    assert_eq!(ok.key, odd);
    let mut want = vec![
        (odd.to_owned(), odd.to_owned()),
        (
            "response-content-disposition".to_owned(),
            "attachment; filename=\"a b.txt\"".to_owned(),
        ),
        ("empty".to_owned(), String::new()),
    ];
    want.sort();
    let mut got = ok.query.clone();
    got.sort();
    assert_eq!(got, want);
    // A general-purpose URL parser reads the same parameters back.
    let parsed: Vec<(String, String)> = url
        .to_url()
        .query_pairs()
        .filter(|(n, _)| !n.starts_with("X-Amz-"))
        .map(|(n, v)| (n.into_owned(), v.into_owned()))
        .collect();
    let mut parsed_sorted = parsed;
    parsed_sorted.sort();
    assert_eq!(parsed_sorted, want);
}

#[test]
fn errors_and_debug_output_never_carry_secrets() {
    let creds = Credentials::new(AKID, SECRET).with_session_token(TOKEN);
    let p = presigner("https://s3.example.com", UrlStyle::Path, creds.clone());
    let v = verifier("https://s3.example.com", UrlStyle::Path, creds.clone());
    let url = p
        .get_object("bucket", "key")
        .signed_at(SIGNED_AT)
        .sign()
        .unwrap();
    let good_signature = url.as_str().rsplit_once('=').unwrap().1.to_owned();
    let tampered = url.as_str().replacen("/key?", "/kez?", 1);
    let wrong_token = verifier(
        "https://s3.example.com",
        UrlStyle::Path,
        Credentials::new(AKID, SECRET).with_session_token("other"),
    );
    let errors = [
        v.verify_url(Method::Get, &tampered, &[], SIGNED_AT),
        v.verify_url(Method::Put, url.as_str(), &[], SIGNED_AT),
        v.verify_url(
            Method::Get,
            url.as_str(),
            &[],
            datetime!(2020-01-01 0:00 UTC),
        ),
        wrong_token.verify_url(Method::Get, url.as_str(), &[], SIGNED_AT),
    ];
    let mut shown = vec![
        format!("{v:?}"),
        format!(
            "{:?}",
            Verifier::builder().credentials_lookup(lookup(creds))
        ),
    ];
    for e in errors {
        let e = e.unwrap_err();
        shown.push(format!("{e} {e:?}"));
    }
    for s in &shown {
        for secret in [SECRET, TOKEN, good_signature.as_str()] {
            assert!(!s.contains(secret), "{secret} in {s}");
        }
    }
}

#[test]
fn verifiers_are_shareable() {
    fn shareable<T: Send + Sync + Clone + 'static>() {}
    shareable::<Verifier>();
    shareable::<VerifyError>();
    shareable::<Verified>();
}
