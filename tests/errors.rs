//! Every bad input gets a specific `Error`, never a panic, and messages never
//! carry secrets.

use std::time::Duration;

use presign::{Credentials, Error, Presigner, UrlStyle};
use time::macros::datetime;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", SECRET).with_session_token("SESSIONTOKENSECRET")
}

fn presigner() -> Presigner {
    Presigner::builder()
        .region("us-east-1")
        .credentials(creds())
        .build()
        .unwrap()
}

fn build_with(
    endpoint: Option<&str>,
    region: Option<&str>,
    credentials: Option<Credentials>,
) -> Error {
    let mut b = Presigner::builder();
    if let Some(e) = endpoint {
        b = b.endpoint(e);
    }
    if let Some(r) = region {
        b = b.region(r);
    }
    if let Some(c) = credentials {
        b = b.credentials(c);
    }
    b.build().unwrap_err()
}

#[test]
fn builder_requires_region_and_credentials() {
    assert_eq!(build_with(None, None, Some(creds())), Error::MissingRegion);
    assert_eq!(
        build_with(None, Some("us-east-1"), None),
        Error::MissingCredentials
    );
    for (creds, what) in [
        (Credentials::new("", SECRET), "access key id"),
        (Credentials::new("AKID", ""), "secret access key"),
        (
            Credentials::new("AKID", SECRET).with_session_token(""),
            "session token is empty",
        ),
    ] {
        let err = build_with(None, Some("us-east-1"), Some(creds));
        assert!(matches!(err, Error::InvalidCredentials { .. }), "{err:?}");
        assert!(err.to_string().contains(what), "{err}");
    }
}

#[test]
fn invalid_regions() {
    for region in [
        "",
        " ",
        "us east 1",
        "us-east-1/",
        "eu\n",
        "us-east-1\u{0}",
        "é",
    ] {
        let err = build_with(None, Some(region), Some(creds()));
        assert!(
            matches!(err, Error::InvalidRegion { .. }),
            "{region:?}: {err:?}"
        );
    }
}

#[test]
fn invalid_endpoints() {
    for endpoint in [
        "s3.example.com",
        "ftp://s3.example.com",
        "https://s3.example.com?x=1",
        "https://s3.example.com/#frag",
        "https://user:pass@s3.example.com",
        "https://",
        "https:///bucket",
        "https://s3.example.com:99999",
        "https://s3.example.com:",
        "https://s3.example.com:abc",
        "https://s3 example.com",
        "https://[::1",
        "https://[zz::1]",
        "https://s3.example.com/pre fix",
        "",
    ] {
        let err = build_with(Some(endpoint), Some("us-east-1"), Some(creds()));
        assert!(
            matches!(err, Error::InvalidEndpoint { .. }),
            "{endpoint:?}: {err:?}"
        );
        assert!(!err.to_string().is_empty());
    }
    // The user-info case must not echo anything after it in a new form, and
    // the message says what to do instead.
    let err = build_with(
        Some("https://AKID:SECRET@host"),
        Some("us-east-1"),
        Some(creds()),
    );
    assert!(err.to_string().contains(".credentials()"), "{err}");
}

#[test]
fn valid_endpoints_are_accepted() {
    for endpoint in [
        "https://s3.filebase.com",
        "HTTP://LOCALHOST:9000",
        "http://127.0.0.1:9000/",
        "http://[::1]:9000",
        "https://gw.example.com/s3/prefix",
    ] {
        let mut b = Presigner::builder()
            .region("us-east-1")
            .credentials(creds());
        b = b.endpoint(endpoint);
        assert!(b.build().is_ok(), "{endpoint}");
    }
}

#[test]
fn invalid_buckets() {
    let p = presigner();
    let long = "a".repeat(256);
    for bucket in ["", long.as_str(), "a/b", "bucket name", "bück", "b?x"] {
        let err = p.get_object(bucket, "key").sign().unwrap_err();
        assert!(
            matches!(err, Error::InvalidBucket { .. }),
            "{bucket:?}: {err:?}"
        );
    }
    // Legacy names are addressable in path style (Auto falls back to it)...
    for bucket in ["MyBucket", "under_score", "ab", "a.b.c"] {
        assert!(p.get_object(bucket, "key").sign().is_ok(), "{bucket}");
    }
    // ...but cannot be a host name.
    let virtual_hosted = Presigner::builder()
        .region("us-east-1")
        .credentials(creds())
        .url_style(UrlStyle::VirtualHosted)
        .build()
        .unwrap();
    for bucket in [
        "MyBucket",
        "under_score",
        "ab",
        "-bucket",
        "a..b",
        "192.168.0.1",
    ] {
        let err = virtual_hosted.get_object(bucket, "key").sign().unwrap_err();
        assert!(
            matches!(err, Error::InvalidBucket { .. }),
            "{bucket:?}: {err:?}"
        );
    }
    // Virtual-hosted style on an IP endpoint has no host name to use.
    let on_ip = Presigner::builder()
        .endpoint("http://127.0.0.1:9000")
        .region("us-east-1")
        .credentials(creds())
        .url_style(UrlStyle::VirtualHosted)
        .build()
        .unwrap();
    let err = on_ip.get_object("bucket", "key").sign().unwrap_err();
    assert!(matches!(err, Error::InvalidEndpoint { .. }), "{err:?}");
}

#[test]
fn invalid_header_names() {
    let p = presigner();
    for name in [
        "",
        "content type",
        "x-amz-meta-é",
        "bad:name",
        "a\nb",
        "(x)",
        "host",
        "Host",
    ] {
        let err = p
            .put_object("bucket", "key")
            .header(name, "v")
            .sign()
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidHeaderName { .. }),
            "{name:?}: {err:?}"
        );
    }
}

#[test]
fn invalid_header_values_are_refused_without_echoing_them() {
    let p = presigner();
    for value in [
        "a\r\nx-injected: 1",
        "line\nbreak",
        "cr\r",
        "nul\0",
        "bell\u{7}",
    ] {
        let err = p
            .put_object("bucket", "key")
            .header("x-amz-meta-a", value)
            .sign()
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidHeaderValue { .. }),
            "{value:?}: {err:?}"
        );
        assert!(!err.to_string().contains(value), "{err}");
    }
    // Tabs are whitespace, not control characters to refuse.
    assert!(
        p.put_object("bucket", "key")
            .header("x-amz-meta-a", "a\tb")
            .sign()
            .is_ok()
    );
}

#[test]
fn duplicate_headers_are_refused() {
    let err = presigner()
        .put_object("bucket", "key")
        .header("Content-Type", "a")
        .header("content-type", "b")
        .sign()
        .unwrap_err();
    assert_eq!(
        err,
        Error::DuplicateHeader {
            name: "content-type".into()
        }
    );
}

#[test]
fn reserved_query_parameters_are_refused() {
    for name in [
        "X-Amz-Signature",
        "x-amz-date",
        "X-Amz-Expires",
        "X-Amz-Security-Token",
    ] {
        let err = presigner()
            .get_object("bucket", "key")
            .query(name, "1")
            .sign()
            .unwrap_err();
        assert!(
            matches!(err, Error::ReservedQueryParameter { .. }),
            "{name}: {err:?}"
        );
    }
    // Any other name, with any characters, is fine.
    assert!(
        presigner()
            .get_object("b-1", "k")
            .query("x-amz-meta\r\n#?", "\0")
            .sign()
            .is_ok()
    );
}

#[test]
fn expiry_bounds() {
    let p = presigner();
    for secs in [1, 60, 604_800] {
        assert!(
            p.get_object("bucket", "key")
                .expires_in(Duration::from_secs(secs))
                .sign()
                .is_ok()
        );
    }
    for expiry in [
        Duration::ZERO,
        Duration::from_millis(999),
        Duration::from_millis(1500),
        Duration::from_secs(604_801),
        Duration::MAX,
    ] {
        let err = p
            .get_object("bucket", "key")
            .expires_in(expiry)
            .sign()
            .unwrap_err();
        assert_eq!(err, Error::InvalidExpiry { expires_in: expiry });
        assert!(err.to_string().contains("604800"), "{err}");
    }
}

#[test]
fn signing_times_that_cannot_be_written() {
    let p = presigner();
    for t in [
        datetime!(-0001-06-01 0:00 UTC),
        datetime!(9999-12-31 23:00 -05:00), // 10000-01-01 in UTC
        datetime!(9999-12-31 23:00 UTC),    // expires in the year 10000
        datetime!(9999-12-31 18:30 -05:00), // expires in 10000 in UTC only
    ] {
        let err = p
            .get_object("bucket", "key")
            .signed_at(t)
            .sign()
            .unwrap_err();
        assert!(
            matches!(err, Error::InvalidSigningTime { .. }),
            "{t}: {err:?}"
        );
    }
    assert!(
        p.get_object("bucket", "key")
            .signed_at(datetime!(0000-01-01 0:00 UTC))
            .sign()
            .is_ok()
    );
}

#[test]
fn secrets_never_appear_in_debug_or_display() {
    let creds = creds();
    let p = Presigner::builder()
        .region("us-east-1")
        .credentials(creds.clone())
        .build()
        .unwrap();
    for shown in [
        format!("{creds:?}"),
        format!("{creds}"),
        format!("{p:?}"),
        format!(
            "{:?}",
            p.put_object("b", "k")
                .header("x-amz-server-side-encryption-customer-key", "SSECKEYSECRET")
        ),
    ] {
        assert!(!shown.contains(SECRET), "{shown}");
        assert!(!shown.contains("SESSIONTOKENSECRET"), "{shown}");
        assert!(!shown.contains("SSECKEYSECRET"), "{shown}");
    }
    assert!(format!("{creds:?}").contains("AKIDEXAMPLE"));
}
