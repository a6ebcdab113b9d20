//! Every public constructor and builder, fed bad input: each case returns
//! the specific `Error` (never a panic), and no message repeats a secret.
//!
//! Table-driven; `tests/errors.rs` holds the first cases of each kind and
//! is not repeated here. These are the edges: S3's 1024-byte key limit,
//! times at the ends of what `time` can represent, endpoints and names at
//! the borders of their grammar, the verifier's builder, and
//! `Credentials::from_env`.

use std::time::Duration;

use presign::{Credentials, Error, Presigner, UrlStyle, Verifier};
use time::macros::{datetime, offset};
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time};

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

fn creds() -> Credentials {
    Credentials::new("AKIDEXAMPLE", SECRET)
}

fn presigner(style: UrlStyle) -> Presigner {
    Presigner::builder()
        .region("us-east-1")
        .credentials(creds())
        .url_style(style)
        .build()
        .unwrap()
}

/// What a case should give: `Ok`, or an error of the kind the predicate
/// accepts.
type Expect = fn(&Result<(), Error>) -> bool;

fn ok(r: &Result<(), Error>) -> bool {
    r.is_ok()
}
fn bad_endpoint(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::InvalidEndpoint { .. }))
}
fn bad_region(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::InvalidRegion { .. }))
}
fn bad_bucket(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::InvalidBucket { .. }))
}
fn bad_header_name(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::InvalidHeaderName { .. }))
}
fn bad_header_value(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::InvalidHeaderValue { .. }))
}
fn bad_time(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::InvalidSigningTime { .. }))
}
fn key_too_long(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::KeyTooLong { .. }))
}
fn reserved_query(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::ReservedQueryParameter { .. }))
}
fn no_region(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::MissingRegion))
}
fn no_lookup(r: &Result<(), Error>) -> bool {
    matches!(r, Err(Error::MissingCredentialsLookup))
}

/// Runs the table: every case gives what it should, with a message that
/// says something and never shows the secret.
fn run(table: Vec<(String, Result<(), Error>, Expect)>) {
    let mut failures = Vec::new();
    for (what, result, expect) in &table {
        if !expect(result) {
            failures.push(format!("{what}: got {result:?}"));
        }
        if let Err(e) = result {
            let shown = format!("{e} {e:?}");
            if shown.contains(SECRET) || shown.contains("hunter2") || e.to_string().len() < 20 {
                failures.push(format!("{what}: message {shown:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn build(endpoint: &str, region: &str, creds: Credentials) -> Result<(), Error> {
    Presigner::builder()
        .endpoint(endpoint)
        .region(region)
        .credentials(creds)
        .build()
        .map(drop)
}

#[test]
fn presigner_builder() {
    let e = |endpoint: &str| build(endpoint, "us-east-1", creds());
    let r = |region: &str| build("https://s3.example.com", region, creds());
    let mut table: Vec<(String, Result<(), Error>, Expect)> = Vec::new();
    for endpoint in [
        "https://.example.com",
        "https://a..b.example.com",
        "https://host:0",
        "https://host:65536",
        "https://host:443:443",
        "https://[::1]x",
        "https://[::1]:",
        "https://exa\nmple.com",
        "https://example.com\0",
        "https://example.com/%2e",
        "https://example.com/a?",
        "https://example.com#",
        " https://example.com",
        "https://example.com ",
        "https:/example.com",
        "https//example.com",
        "://example.com",
        "file:///etc/passwd",
        "https://user:hunter2/x@example.com",
        "https://:hunter2@example.com",
    ] {
        table.push((format!("endpoint {endpoint:?}"), e(endpoint), bad_endpoint));
    }
    for endpoint in [
        "https://EXAMPLE.com:443",
        "http://host:65535",
        "http://10.0.0.1",
        "https://under_score.example.com",
        "https://example.com.",
    ] {
        table.push((format!("endpoint {endpoint:?}"), e(endpoint), ok));
    }
    for region in [
        "us-east-1\t",
        "\u{7f}",
        "eu:west",
        "a\\b",
        "us-east-1?",
        "reg ion",
        "eu..west",
        ".eu",
        "eu.",
        ".",
    ] {
        table.push((format!("region {region:?}"), r(region), bad_region));
    }
    for region in ["us-east-1", "garage", "local_1", "a.b"] {
        table.push((format!("region {region:?}"), r(region), ok));
    }
    run(table);
}

#[test]
fn request_builder() {
    let path = presigner(UrlStyle::Path);
    let virtual_hosted = presigner(UrlStyle::VirtualHosted);
    let sign = |p: &Presigner, bucket: &str, key: &str| p.get_object(bucket, key).sign().map(drop);
    let mut table: Vec<(String, Result<(), Error>, Expect)> = Vec::new();

    // S3 keys are at most 1024 bytes of UTF-8: bytes, not characters.
    let wide = "日"; // 3 bytes
    for (what, key, expect) in [
        ("1024 ASCII bytes", "k".repeat(1024), ok as Expect),
        ("1025 ASCII bytes", "k".repeat(1025), key_too_long),
        ("1024 bytes of UTF-8", wide.repeat(341) + "k", ok),
        ("342 characters, 1026 bytes", wide.repeat(342), key_too_long),
        ("64 KiB", "k".repeat(65536), key_too_long),
    ] {
        table.push((
            format!("key of {what}"),
            sign(&path, "bucket", &key),
            expect,
        ));
    }
    let err = sign(&path, "bucket", &wide.repeat(342)).unwrap_err();
    assert_eq!(err, Error::KeyTooLong { len: 1026 });
    // POST forms too, SigV4 and SigV2, `${filename}` counted as written.
    for (key, expect) in [
        ("k".repeat(1024), ok as Expect),
        ("k".repeat(1025), key_too_long),
        ("k".repeat(1013) + "${filename}", ok),
        ("k".repeat(1014) + "${filename}", key_too_long),
    ] {
        for v2 in [false, true] {
            let form = path.post_object("bucket").key(key.as_str());
            let signed = if v2 { form.sign_v2() } else { form.sign() };
            table.push((
                format!("POST key of {} bytes (v2: {v2})", key.len()),
                signed.map(drop),
                expect,
            ));
        }
    }

    let b63 = "b".repeat(63);
    let b64 = "b".repeat(64);
    let b255 = "b".repeat(255);
    for (bucket, p, expect) in [
        (b63.as_str(), &virtual_hosted, ok as Expect),
        (b64.as_str(), &virtual_hosted, bad_bucket),
        (b64.as_str(), &path, ok),
        (b255.as_str(), &path, ok),
        ("a.-b", &virtual_hosted, bad_bucket),
        ("a-.b", &virtual_hosted, bad_bucket),
        ("abc.", &virtual_hosted, bad_bucket),
        ("b\n", &path, bad_bucket),
        ("b\0", &path, bad_bucket),
        ("b%20", &path, bad_bucket),
        ("b#", &path, bad_bucket),
        (".", &path, ok),
    ] {
        let style = if std::ptr::eq(p, &path) {
            "path"
        } else {
            "virtual"
        };
        table.push((
            format!("{style} bucket {bucket:?}"),
            sign(p, bucket, "k"),
            expect,
        ));
    }

    let header = |name: &str, value: &str| {
        path.put_object("bucket", "k")
            .header(name.to_owned(), value.to_owned())
            .sign()
            .map(drop)
    };
    for name in [
        "x,y", "x;y", "x=y", "x\"y", "x{y}", "x/y", "[x]", "x@y", "\u{7f}", "x\ty", "x\0",
    ] {
        table.push((
            format!("header name {name:?}"),
            header(name, "v"),
            bad_header_name,
        ));
    }
    for name in ["x-amz-meta-!#$%&'*+.^_`|~", "X-AMZ-META-UPPER", "a"] {
        table.push((format!("header name {name:?}"), header(name, "v"), ok));
    }
    for value in ["\u{7f}", "\u{85}", "a\u{1b}[31m", "\r", "\n", "\u{0}"] {
        table.push((
            format!("header value {value:?}"),
            header("x-amz-meta-a", value),
            bad_header_value,
        ));
    }
    for value in ["", "  ", "日本", "a\tb  c"] {
        table.push((
            format!("header value {value:?}"),
            header("x-amz-meta-a", value),
            ok,
        ));
    }

    // A SigV2 URL carries its signed headers as query parameters, so a
    // parameter named like one would be read as such; SigV4 has no copies.
    for name in [
        "x-amz-meta-a",
        "X-Amz-Content-Sha256",
        "content-type",
        "Content-MD5",
    ] {
        let request = || path.get_object("bucket", "k").query(name, "v");
        table.push((
            format!("SigV2 query parameter {name:?}"),
            request().sign_v2().map(drop),
            reserved_query,
        ));
        table.push((
            format!("SigV4 query parameter {name:?}"),
            request().sign().map(drop),
            ok,
        ));
    }

    // Header names are tokens, which may hold characters a URL escapes:
    // SigV2 copies them into the query encoded.
    let url = path
        .put_object("bucket", "k")
        .header("x-amz-meta-#&%'", "v")
        .sign_v2()
        .unwrap();
    assert!(
        url.as_str().contains("&x-amz-meta-%23%26%25%27=v&"),
        "{url}"
    );

    // Signing times at the ends of what `time` represents, and expiries
    // that would run past the year 9999: checked arithmetic, no panic.
    let at = |t: OffsetDateTime, secs: u64| {
        path.get_object("bucket", "k")
            .signed_at(t)
            .expires_in(Duration::from_secs(secs))
            .sign()
            .map(drop)
    };
    let max = PrimitiveDateTime::new(Date::MAX, Time::MAX);
    let min = PrimitiveDateTime::new(Date::MIN, Time::MIDNIGHT);
    for (what, t, secs, expect) in [
        ("Date::MAX UTC", max.assume_utc(), 1, bad_time as Expect),
        ("Date::MIN UTC", min.assume_utc(), 1, bad_time),
        (
            "Date::MAX at -23:59:59",
            max.assume_offset(offset!(-23:59:59)),
            1,
            bad_time,
        ),
        (
            "Date::MIN at +23:59:59",
            min.assume_offset(offset!(+23:59:59)),
            1,
            bad_time,
        ),
        (
            "expiry ends 9999-12-31 23:59:59",
            datetime!(9999-12-31 22:59:59 UTC),
            3600,
            ok,
        ),
        (
            "expiry ends in 10000",
            datetime!(9999-12-31 22:59:59 UTC),
            3601,
            bad_time,
        ),
        (
            "7 days to the last second",
            datetime!(9999-12-24 23:59:59 UTC),
            604_800,
            ok,
        ),
        (
            "7 days past it",
            datetime!(9999-12-25 0:00 UTC),
            604_800,
            bad_time,
        ),
        ("year 0 in UTC", datetime!(0000-01-01 1:00 +01:00), 1, ok),
        (
            "year -1 in UTC",
            datetime!(0000-01-01 0:59 +01:00),
            1,
            bad_time,
        ),
    ] {
        table.push((format!("signed at {what}"), at(t, secs), expect));
    }
    run(table);
}

#[test]
fn verifier_builder() {
    let full = || {
        Verifier::builder()
            .credentials_lookup(|_| None)
            .region("us-east-1")
    };
    let built = |b: presign::VerifierBuilder| b.build().map(drop);
    let mut table: Vec<(String, Result<(), Error>, Expect)> = vec![
        ("complete".into(), built(full()), ok),
        (
            "no lookup".into(),
            built(Verifier::builder().region("us-east-1")),
            no_lookup,
        ),
        (
            "no region".into(),
            built(Verifier::builder().credentials_lookup(|_| None)),
            no_region,
        ),
        (
            "empty region list".into(),
            built(
                Verifier::builder()
                    .credentials_lookup(|_| None)
                    .regions(Vec::<String>::new()),
            ),
            no_region,
        ),
        (
            "zero skew".into(),
            built(full().clock_skew(Duration::ZERO)),
            ok,
        ),
        (
            "huge skew".into(),
            built(full().clock_skew(Duration::MAX)),
            ok,
        ),
    ];
    for region in ["", " ", "us-east-1/", "eu\n", "é", "a b"] {
        table.push((
            format!("second region {region:?}"),
            built(full().region(region)),
            bad_region,
        ));
        table.push((
            format!("region list with {region:?}"),
            built(full().regions(["eu-west-1", region])),
            bad_region,
        ));
    }
    for endpoint in [
        "s3.example.com",
        "ftp://s3.example.com",
        "https://s3.example.com?x=1",
        "https://s3.example.com#f",
        "https://user:hunter2@s3.example.com",
        "https:///bucket",
        "https://",
        "",
    ] {
        table.push((
            format!("endpoint {endpoint:?}"),
            built(full().endpoint(endpoint)),
            bad_endpoint,
        ));
    }
    for style in [UrlStyle::Path, UrlStyle::VirtualHosted, UrlStyle::Auto] {
        table.push((
            format!("style {style:?}"),
            built(full().endpoint("http://[::1]:9000").url_style(style)),
            ok,
        ));
    }
    run(table);
}

/// `Credentials::from_env` reads the process environment, which tests
/// share; so each case runs in a child process of this test binary, which
/// runs only [`from_env_child`] with the case's environment.
#[test]
fn credentials_from_env() {
    let exe = std::env::current_exe().unwrap();
    let cases: [(&[(&str, &str)], &str); 6] = [
        (&[], "Err(MissingEnvVar { name: \"AWS_ACCESS_KEY_ID\" })"),
        (
            &[("AWS_ACCESS_KEY_ID", "")],
            "Err(MissingEnvVar { name: \"AWS_ACCESS_KEY_ID\" })",
        ),
        (
            &[("AWS_ACCESS_KEY_ID", "AKID")],
            "Err(MissingEnvVar { name: \"AWS_SECRET_ACCESS_KEY\" })",
        ),
        (
            &[("AWS_ACCESS_KEY_ID", "AKID"), ("AWS_SECRET_ACCESS_KEY", "")],
            "Err(MissingEnvVar { name: \"AWS_SECRET_ACCESS_KEY\" })",
        ),
        (
            &[
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", "hunter2"),
                ("AWS_SESSION_TOKEN", ""),
            ],
            "Ok(AKID token=false)",
        ),
        (
            &[
                ("AWS_ACCESS_KEY_ID", "AKID"),
                ("AWS_SECRET_ACCESS_KEY", "hunter2"),
                ("AWS_SESSION_TOKEN", "tok"),
            ],
            "Ok(AKID token=true)",
        ),
    ];
    for (env, want) in cases {
        let mut cmd = std::process::Command::new(&exe);
        cmd.args([
            "--exact",
            "from_env_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env_remove("AWS_SESSION_TOKEN")
        .env("PRESIGN_FROM_ENV_CHILD", "1");
        for (k, v) in env {
            cmd.env(k, v);
        }
        let out = cmd.output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{env:?}: {stdout}");
        let line = stdout
            .lines()
            .find_map(|l| l.split_once("from_env: ").map(|(_, r)| r))
            .unwrap_or_else(|| panic!("{env:?}: child printed no result: {stdout}"));
        assert_eq!(line, want, "{env:?}");
        assert!(!stdout.contains("hunter2"), "{stdout}");
    }
}

/// The child side of [`credentials_from_env`]; does nothing in a normal run.
#[test]
fn from_env_child() {
    if std::env::var_os("PRESIGN_FROM_ENV_CHILD").is_none() {
        return;
    }
    let shown = match Credentials::from_env() {
        Ok(c) => format!(
            "Ok({} token={}) {c:?}",
            c.access_key_id(),
            c.session_token().is_some()
        ),
        Err(e) => format!("Err({e:?}) {e}"),
    };
    // The first part is compared; the rest (Debug, Display) is checked for
    // the secret by the parent.
    let (result, rest) = shown
        .split_once(") ")
        .map_or((shown.as_str(), ""), |(a, b)| (a, b));
    println!("from_env: {result})");
    println!("shown: {rest}");
}
