//! Criterion benches of presigning, against the cryptographic floor measured
//! in the same run. Run with
//! `cargo bench --features bench-internals --bench presign`;
//! the peer crates are compared in `benches/peers`.
//!
//! Each scheme is one function below, listed in `main`.

mod common;

use std::hint::black_box;

use common::{BUCKET, CryptoFloor, KEY, Medians, credentials, presign_get, presigner, signed_at};
use criterion::{BenchmarkId, Criterion, Throughput};
use presign::Presigner;
use presign::bench_internals;

/// Object key lengths for the scaling bench (S3 allows up to 1024 bytes).
const KEY_LENS: [usize; 5] = [16, 64, 256, 512, 1024];
/// Session token lengths for the scaling bench (STS tokens run to ~2 KiB).
const TOKEN_LENS: [usize; 5] = [256, 512, 1024, 2048, 4096];

fn main() {
    let medians = Medians::start();
    let mut c = Criterion::default().configure_from_args();
    floor(&mut c);
    sigv4_get(&mut c);
    hot_path(&mut c);
    key_len(&mut c);
    token_len(&mut c);
    c.final_summary();
    summary(&medians);
}

/// The cryptographic floor of the plain GET: the whole of it, and without
/// the signing key (what a warm cache leaves to do).
fn floor(c: &mut Criterion) {
    let floor = CryptoFloor::plain_get();
    let url = presign_get(&presigner(credentials()), KEY);
    assert_eq!(
        std::str::from_utf8(&floor.full()).unwrap(),
        common::signature_of(&url),
        "the floor must compute the very signature presign does"
    );
    let key = floor.signing_key();
    let mut g = c.benchmark_group("floor");
    g.bench_function("full", |b| b.iter(|| black_box(&floor).full()));
    g.bench_function("cached_key", |b| {
        b.iter(|| black_box(&floor).signature(black_box(&key)))
    });
    g.finish();
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
            p.get_object(BUCKET, black_box(KEY))
                .signed_at(days[i & 1])
                .sign()
                .map(|url| url.into_string())
        })
    });
    g.bench_function("session_token_1kib", |b| {
        b.iter(|| presign_get(&with_token, black_box(KEY)))
    });
    g.bench_function("params5_headers2", |b| {
        b.iter(|| {
            p.get_object(BUCKET, black_box(KEY))
                .query(
                    "response-content-disposition",
                    "attachment; filename=\"cat picture.jpg\"",
                )
                .query("response-content-type", "image/jpeg")
                .query("response-cache-control", "no-cache")
                .query(
                    "versionId",
                    "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo",
                )
                .query("partNumber", "1")
                .header("range", "bytes=0-1048575")
                .header("if-match", "\"9b2cf535f27731c974343645a3985328\"")
                .signed_at(signed_at())
                .sign()
        })
    });
    g.bench_function("key_1kib", |b| {
        b.iter(|| presign_get(&p, black_box(&long_key)))
    });
    g.finish();
}

/// Everything signing does but the HMACs: measure and write the URL up to
/// its signature, and hash the canonical request from it; and the writing
/// alone.
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
    g.bench_function("unsigned_url", |b| {
        b.iter(|| bench_internals::unsigned_url_len(&p, BUCKET, black_box(KEY), signed_at()))
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
            "URL written + canonical request hashed / GET",
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
