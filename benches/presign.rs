//! Criterion benches of presigning, against the cryptographic floor measured
//! in the same run. Run with
//! `cargo bench --features bench-internals --bench presign`;
//! the peer crates are compared in `benches/peers`.
//!
//! Each scheme is one function below, listed in `main`.

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::{
    BUCKET, CryptoFloor, KEY, Medians, batch, credentials, presign_get, presigner, print_ratio,
    signed_at,
};
use criterion::{BenchmarkId, Criterion, Throughput};
use presign::Presigner;
use presign::bench_internals;

/// Object key lengths for the scaling bench (S3 allows up to 1024 bytes).
const KEY_LENS: [usize; 5] = [16, 64, 256, 512, 1024];
/// Session token lengths for the scaling bench (STS tokens run to ~2 KiB).
/// URLs past the 4 KiB stack buffer (here a token of ~3.5 KiB) are written
/// twice, a step up from this line; the allocation test covers that path.
const TOKEN_LENS: [usize; 5] = [256, 512, 1024, 1536, 2048];

fn main() {
    let medians = Medians::start();
    let mut c = Criterion::default().configure_from_args();
    common::bench_floor(&mut c, "floor");
    sigv4_get(&mut c);
    sigv2_get(&mut c);
    post_v4(&mut c);
    verify(&mut c);
    hot_path(&mut c);
    key_len(&mut c);
    token_len(&mut c);
    c.final_summary();
    summary(&medians);
    if !common::listing_or_testing() {
        interleaved();
        interleaved_scaling();
    }
}

/// Presigned GETs: plain (warm signing-key cache), cold cache, with a
/// session token, with 5 parameters and 2 headers, with a 1 KiB key.
fn sigv4_get(c: &mut Criterion) {
    let p = presigner(credentials());
    let with_token = presigner(credentials().with_session_token(token(1024)));
    let long_key = object_key(1024);
    let mut g = c.benchmark_group("sigv4_get");
    g.bench_function("plain", |b| b.iter(|| presign_get(&p, black_box(KEY))));
    g.bench_function("cold_cache", |b| {
        // Two signing days in turn: every request derives its key.
        let days = [signed_at(), signed_at() - time::Duration::days(1)];
        let mut i = 0;
        b.iter(|| {
            i += 1;
            presign_get_at(&p, black_box(KEY), days[i & 1])
        })
    });
    g.bench_function("session_token_1kib", |b| {
        b.iter(|| presign_get(&with_token, black_box(KEY)))
    });
    g.bench_function("params5_headers2", |b| {
        b.iter(|| common::get_with_params(&p, black_box(KEY)))
    });
    g.bench_function("key_1kib", |b| {
        b.iter(|| presign_get(&p, black_box(&long_key)))
    });
    g.finish();
}

/// The same GET with legacy SigV2 (HMAC-SHA1, no canonical request).
fn sigv2_get(c: &mut Criterion) {
    let p = presigner(credentials());
    let mut g = c.benchmark_group("sigv2_get");
    g.bench_function("plain", |b| {
        b.iter(|| {
            p.get_object(BUCKET, black_box(KEY))
                .signed_at(signed_at())
                .sign_v2()
        })
    });
    g.finish();
}

/// A browser upload form for the same key, SigV4 policy (warm cache).
fn post_v4(c: &mut Criterion) {
    let p = presigner(credentials());
    let mut g = c.benchmark_group("post_v4");
    g.bench_function("form", |b| {
        b.iter(|| {
            p.post_object(BUCKET)
                .key(black_box(KEY))
                .signed_at(signed_at())
                .sign()
        })
    });
    g.finish();
}

/// Verifying the plain presigned GET (a server checking every request),
/// with one verifier used again and again, as a server does.
fn verify(c: &mut Criterion) {
    let url = presign_get(&presigner(credentials()), KEY);
    let verifier = presign::Verifier::builder()
        .credentials_lookup(|id| (id == common::ACCESS_KEY_ID).then(credentials))
        .region(common::REGION)
        .build()
        .expect("a valid configuration");
    let now = signed_at() + time::Duration::minutes(1);
    verifier
        .verify_url(presign::Method::Get, &url, &[], now)
        .expect("the URL presign signed verifies");
    let mut g = c.benchmark_group("verify");
    g.bench_function("sigv4_get", |b| {
        b.iter(|| verifier.verify_url(presign::Method::Get, black_box(&url), &[], now))
    });
    g.finish();
}

/// Everything signing does but the HMACs and the URL: write the canonical
/// request and hash it; and the writing alone.
fn hot_path(c: &mut Criterion) {
    let p = presigner(credentials());
    assert_eq!(
        bench_internals::canonical_request_sha256(&p, BUCKET, KEY, signed_at()),
        Some(CryptoFloor::plain_get().canonical_request_sha256()),
        "the hot path must hash the canonical request the floor hashes"
    );
    let mut g = c.benchmark_group("hot_path");
    g.bench_function("canonical_request_sha256", |b| {
        b.iter(|| {
            bench_internals::canonical_request_sha256(&p, BUCKET, black_box(KEY), signed_at())
        })
    });
    g.bench_function("canonical_request_text", |b| {
        b.iter(|| bench_internals::canonical_request_len(&p, BUCKET, black_box(KEY), signed_at()))
    });
    g.finish();
}

/// Plain GET cost against the object key's length.
fn key_len(c: &mut Criterion) {
    let p = presigner(credentials());
    let mut g = c.benchmark_group("key_len");
    for n in KEY_LENS {
        let key = object_key(n);
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &key, |b, key| {
            b.iter(|| presign_get(&p, black_box(key)))
        });
    }
    g.finish();
}

/// Plain GET cost against the session token's length.
fn token_len(c: &mut Criterion) {
    let mut g = c.benchmark_group("token_len");
    for n in TOKEN_LENS {
        let p: Presigner = presigner(credentials().with_session_token(token(n)));
        g.throughput(Throughput::Bytes(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &p, |b, p| {
            b.iter(|| presign_get(p, black_box(KEY)))
        });
    }
    g.finish();
}

/// The ratios the performance targets are stated in.
fn summary(m: &Medians) {
    println!("\n== presign: ratios of criterion medians from this run ==");
    let targets = [
        (
            "warm GET / cached-key floor",
            "sigv4_get/plain",
            "floor/cached_key",
            Some(1.25),
        ),
        (
            "cold GET / full floor",
            "sigv4_get/cold_cache",
            "floor/full",
            Some(1.25),
        ),
        (
            "cold GET / warm GET",
            "sigv4_get/cold_cache",
            "sigv4_get/plain",
            None,
        ),
        (
            "GET + 1 KiB token / plain GET",
            "sigv4_get/session_token_1kib",
            "sigv4_get/plain",
            None,
        ),
        (
            "GET + 5 params, 2 headers / plain GET",
            "sigv4_get/params5_headers2",
            "sigv4_get/plain",
            None,
        ),
        (
            "GET of a 1 KiB key / plain GET",
            "sigv4_get/key_1kib",
            "sigv4_get/plain",
            None,
        ),
        (
            "SigV2 GET / SigV4 GET",
            "sigv2_get/plain",
            "sigv4_get/plain",
            None,
        ),
        (
            "POST V4 form / SigV4 GET",
            "post_v4/form",
            "sigv4_get/plain",
            Some(2.0),
        ),
        (
            "canonical request written + hashed / GET",
            "hot_path/canonical_request_sha256",
            "sigv4_get/plain",
            None,
        ),
        (
            "canonical request text / plain GET",
            "hot_path/canonical_request_text",
            "sigv4_get/plain",
            None,
        ),
    ];
    for (label, id, base, max) in targets {
        m.ratio(label, id, base, max);
    }
    m.linear("key_len", &KEY_LENS);
    m.linear("token_len", &TOKEN_LENS);
}

/// The target ratios again, from contenders timed in turn (see
/// [`common::Interleaved`]).
fn interleaved() {
    let floor = CryptoFloor::plain_get();
    let p = presigner(credentials());
    let cold = presigner(credentials());
    let days = [signed_at(), signed_at() - time::Duration::days(1)];
    let mut i = 0;
    let mut second = 0;
    let new_seconds = presigner(credentials());
    let mut contenders = common::floor_contenders(&floor, &floor.signing_key());
    contenders.extend([
        ("get/warm", batch(|| presign_get(&p, black_box(KEY)))),
        (
            // Each URL in a signing second of its own (same day): the
            // string to sign's first block is hashed every time.
            "get/warm_new_second",
            batch(move || {
                second = (second + 1) % 3600;
                presign_get_at(
                    &new_seconds,
                    black_box(KEY),
                    signed_at() + Duration::from_secs(second),
                )
            }),
        ),
        (
            "post_v4/form",
            batch(|| {
                p.post_object(BUCKET)
                    .key(black_box(KEY))
                    .signed_at(signed_at())
                    .sign()
            }),
        ),
        (
            "get/cold",
            batch(move || {
                i += 1;
                presign_get_at(&cold, black_box(KEY), days[i & 1])
            }),
        ),
    ]);
    let run = common::Interleaved::run(contenders, 201, Duration::from_millis(2));
    println!("\n== presign: interleaved, median of per-round ratios (201 rounds) ==");
    run.print_times();
    print_ratio(
        &run,
        "warm GET / cached-key floor",
        "get/warm",
        "floor/cached_key",
        Some(1.25),
    );
    print_ratio(
        &run,
        "cold GET / full floor",
        "get/cold",
        "floor/full",
        Some(1.25),
    );
    print_ratio(
        &run,
        "warm GET, new second each / cached-key floor",
        "get/warm_new_second",
        "floor/cached_key",
        None,
    );
    print_ratio(&run, "cold GET / warm GET", "get/cold", "get/warm", None);
    print_ratio(
        &run,
        "POST V4 form / warm GET",
        "post_v4/form",
        "get/warm",
        Some(2.0),
    );
}

/// Cost against key and token length, from lengths timed in turn (see
/// [`common::Interleaved`]): the line should fit.
fn interleaved_scaling() {
    let p = presigner(credentials());
    let keys: Vec<(usize, String)> = KEY_LENS.iter().map(|&n| (n, object_key(n))).collect();
    let with_tokens: Vec<(usize, Presigner)> = TOKEN_LENS
        .iter()
        .map(|&n| (n, presigner(credentials().with_session_token(token(n)))))
        .collect();
    let label = |group: &str, n: usize| -> &'static str { format!("{group}/{n}").leak() };
    let mut contenders = Vec::new();
    for (n, key) in &keys {
        contenders.push((
            label("key_len", *n),
            batch(|| presign_get(&p, black_box(key))),
        ));
    }
    for (n, with_token) in &with_tokens {
        contenders.push((
            label("token_len", *n),
            batch(|| presign_get(with_token, black_box(KEY))),
        ));
    }
    let run = common::Interleaved::run(contenders, 101, Duration::from_millis(2));
    println!("\n== presign: scaling, interleaved medians (101 rounds) ==");
    for (group, lens) in [("key_len", &KEY_LENS), ("token_len", &TOKEN_LENS)] {
        let points: Vec<(f64, f64)> = lens
            .iter()
            .map(|&n| (n as f64, run.ns(&format!("{group}/{n}"))))
            .collect();
        common::print_linear(group, &points);
    }
}

/// The plain GET of `key` signed at `at`.
fn presign_get_at(p: &Presigner, key: &str, at: time::OffsetDateTime) -> String {
    p.get_object(BUCKET, key)
        .signed_at(at)
        .sign()
        .expect("a valid request")
        .into_string()
}

/// An object key of `n` bytes: path segments with spaces and digits, so
/// part of it is percent-encoded as in real keys.
fn object_key(n: usize) -> String {
    "photos/2026/cat picture 0123.jpg/"
        .chars()
        .cycle()
        .take(n)
        .collect()
}

/// A session token of `n` bytes of base64, whose `+`, `/` and `=` are
/// percent-encoded in the query as in real STS tokens.
fn token(n: usize) -> String {
    "FwoGZXIvYXdzEB4aDH+/k2Jq8aLqQ0ejEyLIAVn3/9Tzx+Q=="
        .chars()
        .cycle()
        .take(n)
        .collect()
}
