//! One presigned GET (`examplebucket`, `photos/2026/cat picture.jpg`, path
//! style, 3600 s) through presign, rusty-s3 and aws-sigv4, with the
//! cryptographic floor, in one run:
//! `cargo bench --manifest-path benches/peers/Cargo.toml`.
//!
//! The three must produce the same signature; that is checked once before
//! timing. Each peer gets its own natural inputs prepared outside the loop
//! (credentials, bucket, the unsigned URL for aws-sigv4); each iteration
//! returns the URL as a `String`.

#[path = "../../common/mod.rs"]
mod common;

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    PercentEncodingMode, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
    UriPathNormalizationMode,
};
use aws_smithy_runtime_api::client::identity::Identity;
use common::{
    ACCESS_KEY_ID, BUCKET, CryptoFloor, EXPIRES_IN, KEY, Medians, REGION, SECRET_ACCESS_KEY,
    UNSIGNED_URL, batch, credentials, presign_get, presigner, print_ratio, print_speedup,
    signature_of,
};
use criterion::Criterion;

fn main() {
    let medians = Medians::start();
    let mut c = Criterion::default().configure_from_args();
    same_signature_everywhere();
    common::bench_floor(&mut c, "peers_floor");
    presigned_get(&mut c);
    c.final_summary();
    summary(&medians);
    if !common::listing_or_testing() {
        interleaved();
    }
}

/// The signing time as each crate takes it.
fn unix_seconds() -> i64 {
    common::signed_at().unix_timestamp()
}

/// rusty-s3: a `Bucket` and `Credentials` made once, an action per URL.
struct RustyS3 {
    bucket: rusty_s3::Bucket,
    credentials: rusty_s3::Credentials,
    at: jiff::Timestamp,
}

impl RustyS3 {
    fn new() -> Self {
        let endpoint = url::Url::parse("https://s3.amazonaws.com").unwrap();
        Self {
            bucket: rusty_s3::Bucket::new(endpoint, rusty_s3::UrlStyle::Path, BUCKET, REGION)
                .unwrap(),
            credentials: rusty_s3::Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY),
            at: jiff::Timestamp::from_second(unix_seconds()).unwrap(),
        }
    }

    fn presign_get(&self, key: &str) -> String {
        use rusty_s3::S3Action;
        let action = self.bucket.get_object(Some(&self.credentials), key);
        action
            .sign_with_time(Duration::from_secs(EXPIRES_IN), &self.at)
            .into()
    }
}

/// aws-sigv4: an `Identity` made once; settings, parameters and the request
/// per URL, as its documentation shows, with S3's settings (no double
/// encoding, no path normalisation, unsigned payload).
struct AwsSigv4 {
    identity: Identity,
    at: SystemTime,
}

impl AwsSigv4 {
    fn new() -> Self {
        let credentials = aws_credential_types::Credentials::new(
            ACCESS_KEY_ID,
            SECRET_ACCESS_KEY,
            None,
            None,
            "bench",
        );
        Self {
            identity: credentials.into(),
            at: SystemTime::UNIX_EPOCH + Duration::from_secs(unix_seconds() as u64),
        }
    }

    /// Presigns [`UNSIGNED_URL`], whose key is already encoded: aws-sigv4
    /// takes a URL, not a bucket and a key.
    fn presign_get(&self, url: &str) -> String {
        let mut settings = SigningSettings::default();
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(EXPIRES_IN));
        settings.percent_encoding_mode = PercentEncodingMode::Single;
        settings.uri_path_normalization_mode = UriPathNormalizationMode::Disabled;
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&self.identity)
            .region(REGION)
            .name("s3")
            .time(self.at)
            .settings(settings)
            .build()
            .unwrap()
            .into();
        let signable = SignableRequest::new(
            "GET",
            url,
            std::iter::empty(),
            SignableBody::UnsignedPayload,
        )
        .unwrap();
        let (instructions, _) = aws_sigv4::http_request::sign(signable, &params)
            .unwrap()
            .into_parts();
        let mut request = http::Request::builder().uri(url).body(()).unwrap();
        instructions.apply_to_request_http1x(&mut request);
        request.uri().to_string()
    }
}

/// Checked once: presign, both peers and the floor agree on the signature.
fn same_signature_everywhere() {
    let ours = presign_get(&presigner(credentials()), KEY);
    let rusty = RustyS3::new().presign_get(KEY);
    let aws = AwsSigv4::new().presign_get(UNSIGNED_URL);
    let floor = CryptoFloor::plain_get().full();
    let signature = signature_of(&ours);
    assert_eq!(
        signature_of(&rusty),
        signature,
        "rusty-s3: {rusty}\npresign: {ours}"
    );
    assert_eq!(
        signature_of(&aws),
        signature,
        "aws-sigv4: {aws}\npresign: {ours}"
    );
    assert_eq!(std::str::from_utf8(&floor).unwrap(), signature, "floor");
    println!("all agree: X-Amz-Signature={signature}\n  {ours}");
}

fn presigned_get(c: &mut Criterion) {
    let ours = presigner(credentials());
    let rusty = RustyS3::new();
    let aws = AwsSigv4::new();
    let mut g = c.benchmark_group("peers_get");
    g.bench_function("presign", |b| b.iter(|| presign_get(&ours, black_box(KEY))));
    g.bench_function("rusty_s3", |b| b.iter(|| rusty.presign_get(black_box(KEY))));
    g.bench_function("aws_sigv4", |b| {
        b.iter(|| aws.presign_get(black_box(UNSIGNED_URL)))
    });
    g.finish();
}

fn summary(m: &Medians) {
    println!("\n== peers: ratios of criterion medians from this run ==");
    m.speedup(
        "presign vs rusty-s3",
        "peers_get/presign",
        "peers_get/rusty_s3",
        6.0,
    );
    m.speedup(
        "presign vs aws-sigv4",
        "peers_get/presign",
        "peers_get/aws_sigv4",
        10.0,
    );
    m.ratio(
        "presign (warm) / cached-key floor",
        "peers_get/presign",
        "peers_floor/cached_key",
        Some(1.25),
    );
    m.ratio(
        "rusty-s3 / full floor",
        "peers_get/rusty_s3",
        "peers_floor/full",
        None,
    );
    m.ratio(
        "aws-sigv4 / full floor",
        "peers_get/aws_sigv4",
        "peers_floor/full",
        None,
    );
}

/// The same comparisons from contenders timed in turn (see
/// [`common::Interleaved`]).
fn interleaved() {
    let floor = CryptoFloor::plain_get();
    let key = floor.signing_key();
    let ours = presigner(credentials());
    let rusty = RustyS3::new();
    let aws = AwsSigv4::new();
    let run = common::Interleaved::run(
        vec![
            ("floor/full", batch(|| floor.full())),
            (
                "floor/cached_key",
                batch(|| floor.signature(black_box(&key))),
            ),
            ("presign", batch(|| presign_get(&ours, black_box(KEY)))),
            ("rusty-s3", batch(|| rusty.presign_get(black_box(KEY)))),
            (
                "aws-sigv4",
                batch(|| aws.presign_get(black_box(UNSIGNED_URL))),
            ),
        ],
        201,
        Duration::from_millis(2),
    );
    println!("\n== peers: interleaved, median of per-round ratios (201 rounds) ==");
    run.print_times();
    print_speedup(&run, "presign vs rusty-s3", "presign", "rusty-s3", 6.0);
    print_speedup(&run, "presign vs aws-sigv4", "presign", "aws-sigv4", 10.0);
    print_ratio(
        &run,
        "presign (warm) / cached-key floor",
        "presign",
        "floor/cached_key",
        Some(1.25),
    );
    print_ratio(
        &run,
        "rusty-s3 / full floor",
        "rusty-s3",
        "floor/full",
        None,
    );
    print_ratio(
        &run,
        "aws-sigv4 / full floor",
        "aws-sigv4",
        "floor/full",
        None,
    );
}
