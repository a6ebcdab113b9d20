//! Shared by `benches/presign.rs` and the peer comparison in `benches/peers`:
//! the request every bench signs, the cryptographic floor it is measured
//! against, and the ratio summary printed after criterion's own report.
// Each bench crate uses part of this module.
#![allow(dead_code)]

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime};

use criterion::Criterion;
use hmac::{Hmac, KeyInit, Mac};
use presign::{Credentials, Error, PresignedUrl, Presigner, UrlStyle};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// AWS's documented example keys.
pub const ACCESS_KEY_ID: &str = "AKIAIOSFODNN7EXAMPLE";
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
pub const REGION: &str = "us-east-1";
pub const BUCKET: &str = "examplebucket";
pub const KEY: &str = "photos/2026/cat picture.jpg";
pub const EXPIRES_IN: u64 = 3600;
/// The URL every peer signs: path style on the default us-east-1 endpoint.
pub const UNSIGNED_URL: &str =
    "https://s3.amazonaws.com/examplebucket/photos/2026/cat%20picture.jpg";
/// The signing time, as `X-Amz-Date` writes it.
pub const AMZ_DATE: &str = "20260524T123456Z";

/// The signing time of every bench.
pub fn signed_at() -> OffsetDateTime {
    time::macros::datetime!(2026-05-24 12:34:56 UTC)
}

/// The presigner every bench uses: path style, default endpoint.
pub fn presigner(credentials: Credentials) -> Presigner {
    Presigner::builder()
        .region(REGION)
        .credentials(credentials)
        .url_style(UrlStyle::Path)
        .build()
        .expect("a valid configuration")
}

/// The example credentials, without a session token.
pub fn credentials() -> Credentials {
    Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY)
}

/// The plain presigned GET of [`KEY`], as a `String`.
pub fn presign_get(presigner: &Presigner, key: &str) -> String {
    presigner
        .get_object(BUCKET, key)
        .expires_in(std::time::Duration::from_secs(EXPIRES_IN))
        .signed_at(signed_at())
        .sign()
        .expect("a valid request")
        .into_string()
}

/// A GET of `key` with 5 extra query parameters and 2 signed headers.
pub fn get_with_params(p: &Presigner, key: &str) -> Result<PresignedUrl, Error> {
    p.get_object(BUCKET, key)
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
}

/// Benches the cryptographic floor of the plain GET as `group`: the whole of
/// it, and without the signing key (what a warm cache leaves to do), after
/// checking it computes the very signature presign does.
pub fn bench_floor(c: &mut Criterion, group: &str) {
    let floor = CryptoFloor::plain_get();
    let url = presign_get(&presigner(credentials()), KEY);
    assert_eq!(
        std::str::from_utf8(&floor.full()).unwrap(),
        signature_of(&url),
        "the floor must compute the very signature presign does"
    );
    let key = floor.signing_key();
    let mut g = c.benchmark_group(group);
    g.bench_function("full", |b| b.iter(|| black_box(&floor).full()));
    g.bench_function("cached_key", |b| {
        b.iter(|| black_box(&floor).signature(black_box(&key)))
    });
    g.finish();
}

/// The two floors as contenders of an [`Interleaved`] run:
/// `floor/full` and `floor/cached_key`.
pub fn floor_contenders(
    floor: &CryptoFloor,
    key: &[u8; 32],
) -> Vec<(&'static str, Batch<'static>)> {
    let (full, cached) = (floor.clone(), floor.clone());
    let key = *key;
    vec![
        ("floor/full", batch(move || full.full())),
        (
            "floor/cached_key",
            batch(move || cached.signature(black_box(&key))),
        ),
    ]
}

/// The `X-Amz-Signature` of a presigned URL.
pub fn signature_of(url: &str) -> &str {
    url.split_once("X-Amz-Signature=")
        .map(|(_, rest)| &rest[..64])
        .expect("a SigV4 presigned URL")
}

/// The cryptographic work a presigned GET cannot avoid, on texts prepared
/// in advance: SHA-256 of the canonical request, hex, the four HMACs of the
/// signing key, the HMAC of the string to sign, hex.
#[derive(Clone)]
pub struct CryptoFloor {
    canonical_request: String,
    /// The string to sign up to the hashed canonical request.
    string_to_sign_head: String,
    /// `AWS4` + secret.
    k_secret: Vec<u8>,
    date: &'static str,
}

impl CryptoFloor {
    /// The floor of the plain presigned GET of [`KEY`].
    pub fn plain_get() -> Self {
        let date = &AMZ_DATE[..8];
        let scope = format!("{date}/{REGION}/s3/aws4_request");
        let query = format!(
            "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={ACCESS_KEY_ID}%2F{}\
             &X-Amz-Date={AMZ_DATE}&X-Amz-Expires={EXPIRES_IN}&X-Amz-SignedHeaders=host",
            scope.replace('/', "%2F")
        );
        let path = UNSIGNED_URL.trim_start_matches("https://s3.amazonaws.com");
        Self {
            canonical_request: format!(
                "GET\n{path}\n{query}\nhost:s3.amazonaws.com\n\nhost\nUNSIGNED-PAYLOAD"
            ),
            string_to_sign_head: format!("AWS4-HMAC-SHA256\n{AMZ_DATE}\n{scope}\n"),
            k_secret: format!("AWS4{SECRET_ACCESS_KEY}").into_bytes(),
            date: &AMZ_DATE[..8],
        }
    }

    /// The four HMACs of the signing key.
    pub fn signing_key(&self) -> [u8; 32] {
        let k_date = hmac(&self.k_secret, self.date.as_bytes());
        let k_region = hmac(&k_date, REGION.as_bytes());
        let k_service = hmac(&k_region, b"s3");
        hmac(&k_service, b"aws4_request")
    }

    /// Everything after the signing key: hash, hex, HMAC, hex.
    pub fn signature(&self, signing_key: &[u8; 32]) -> [u8; 64] {
        let hashed = hex64(&Sha256::digest(self.canonical_request.as_bytes()).into());
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(signing_key).expect("any key");
        mac.update(self.string_to_sign_head.as_bytes());
        mac.update(&hashed);
        hex64(&mac.finalize().into_bytes().into())
    }

    /// The whole floor: signing key, then signature.
    pub fn full(&self) -> [u8; 64] {
        self.signature(&self.signing_key())
    }

    /// The SHA-256 of the canonical request.
    pub fn canonical_request_sha256(&self) -> [u8; 32] {
        Sha256::digest(self.canonical_request.as_bytes()).into()
    }
}

fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("any key");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

fn hex64(bytes: &[u8; 32]) -> [u8; 64] {
    let mut out = [0u8; 64];
    hex::encode_to_slice(bytes, &mut out).expect("64 bytes of room");
    out
}

/// Medians criterion measured in this process, read back from the
/// `estimates.json` files it writes, for the ratio summary.
pub struct Medians {
    dir: PathBuf,
    started: SystemTime,
}

impl Medians {
    /// Call before the first benchmark: only estimates written after this
    /// are read, so a filtered run never mixes in an older run's figures.
    pub fn start() -> Self {
        Self {
            dir: criterion_dir(),
            started: SystemTime::now(),
        }
    }

    /// The median time of benchmark `id` (`group/function[/parameter]`), in
    /// nanoseconds, if it ran in this process.
    pub fn ns(&self, id: &str) -> Option<f64> {
        let path = self.dir.join(id).join("new/estimates.json");
        let modified = std::fs::metadata(&path).and_then(|m| m.modified()).ok()?;
        if modified < self.started {
            return None;
        }
        let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
        json["median"]["point_estimate"].as_f64()
    }

    /// Prints `id / base`, with a target when there is one: `max` for a
    /// ratio that must stay at or below it.
    pub fn ratio(&self, label: &str, id: &str, base: &str, max: Option<f64>) {
        let (Some(a), Some(b)) = (self.ns(id), self.ns(base)) else {
            return;
        };
        let r = a / b;
        let target = match max {
            Some(max) if r <= max => format!("  (target <= {max:.2}: met)"),
            Some(max) => format!("  (target <= {max:.2}: NOT met)"),
            None => String::new(),
        };
        println!("{label:<44} {a:>9.1} ns / {b:>9.1} ns = {r:>6.2}x{target}");
    }

    /// Prints how much faster `id` is than `peer`, with the target factor.
    pub fn speedup(&self, label: &str, id: &str, peer: &str, min: f64) {
        let (Some(a), Some(b)) = (self.ns(id), self.ns(peer)) else {
            return;
        };
        let r = b / a;
        let met = if r >= min { "met" } else { "NOT met" };
        println!(
            "{label:<44} {b:>9.1} ns / {a:>9.1} ns = {r:>6.2}x faster  (target >= {min:.0}x: {met})"
        );
    }

    /// Fits `t = a + b * n` by least squares over the parameters of `group`
    /// and prints the fit and how far each median is from it.
    pub fn linear(&self, group: &str, params: &[usize]) {
        let points: Vec<(f64, f64)> = params
            .iter()
            .filter_map(|&n| Some((n as f64, self.ns(&format!("{group}/{n}"))?)))
            .collect();
        print_linear(group, &points);
    }
}

/// Fits `t = a + b * n` by least squares to `(n, t)` points and prints the
/// fit and how far each point is from it.
pub fn print_linear(label: &str, points: &[(f64, f64)]) {
    if points.len() < 3 {
        return;
    }
    let count = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / count;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / count;
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let syy: f64 = points.iter().map(|p| (p.1 - mean_y).powi(2)).sum();
    let slope = sxy / sxx;
    let intercept = mean_y - slope * mean_x;
    let r2 = sxy * sxy / (sxx * syy);
    println!("{label}: t = {intercept:.1} ns + {slope:.3} ns/byte x n   (R^2 = {r2:.4})");
    for &(n, t) in points {
        let fit = intercept + slope * n;
        println!(
            "    n = {n:>5}: {t:>9.1} ns, fit {fit:>9.1} ns ({:+.1}%)",
            (t - fit) / fit * 100.0
        );
    }
}

/// Where criterion writes its estimates: `$CRITERION_HOME`, else
/// `$CARGO_TARGET_DIR/criterion`, else `criterion/` in the target directory
/// this bench binary was built in (`target/release/deps/<bench>`).
fn criterion_dir() -> PathBuf {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return home.into();
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(target).join("criterion");
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.join("criterion")))
        .unwrap_or_else(|| PathBuf::from("target/criterion"))
}

/// Whether criterion was asked only to list the benchmarks or to run each
/// once as a test (`cargo test --benches`): then the interleaved pass is
/// skipped too.
pub fn listing_or_testing() -> bool {
    std::env::args().any(|a| a == "--list" || a == "--test")
}

/// One contender of an [`Interleaved`] run: runs its code `n` times.
pub type Batch<'a> = Box<dyn FnMut(u64) + 'a>;

/// Wraps `f` as a [`Batch`].
pub fn batch<'a, T>(mut f: impl FnMut() -> T + 'a) -> Batch<'a> {
    Box::new(move |n| {
        for _ in 0..n {
            black_box(f());
        }
    })
}

/// Times contenders in turn, a short batch each, round after round, so the
/// load of a shared machine falls on all of them alike; ratios are taken
/// within each round and their median reported. Criterion times each
/// benchmark on its own, seconds apart, which on a busy machine can skew a
/// ratio either way; this pass is the check on it.
pub struct Interleaved {
    names: Vec<&'static str>,
    /// ns per call, `[round][contender]`.
    rounds: Vec<Vec<f64>>,
}

impl Interleaved {
    /// Runs `rounds` rounds of batches of about `batch_time` each.
    pub fn run(
        mut contenders: Vec<(&'static str, Batch<'_>)>,
        rounds: usize,
        batch_time: Duration,
    ) -> Self {
        let sizes: Vec<u64> = contenders
            .iter_mut()
            .map(|(_, run)| calibrate(run, batch_time))
            .collect();
        let rounds = (0..rounds)
            .map(|_| {
                contenders
                    .iter_mut()
                    .zip(&sizes)
                    .map(|((_, run), &n)| {
                        let start = Instant::now();
                        run(n);
                        start.elapsed().as_nanos() as f64 / n as f64
                    })
                    .collect()
            })
            .collect();
        Self {
            names: contenders.iter().map(|(name, _)| *name).collect(),
            rounds,
        }
    }

    fn index(&self, name: &str) -> usize {
        self.names
            .iter()
            .position(|n| *n == name)
            .expect("a contender's name")
    }

    /// The median over rounds of `a`'s time divided by `b`'s.
    pub fn ratio(&self, a: &str, b: &str) -> f64 {
        let (a, b) = (self.index(a), self.index(b));
        median(self.rounds.iter().map(|r| r[a] / r[b]).collect())
    }

    /// The median time per call of `name`, in nanoseconds.
    pub fn ns(&self, name: &str) -> f64 {
        let i = self.index(name);
        median(self.rounds.iter().map(|r| r[i]).collect())
    }

    /// Prints every contender's median time.
    pub fn print_times(&self) {
        for name in &self.names {
            println!("    {name:<40} {:>9.1} ns", self.ns(name));
        }
    }
}

/// How many calls of `run` take about `batch_time`.
fn calibrate(run: &mut Batch<'_>, batch_time: Duration) -> u64 {
    let mut n = 1;
    loop {
        let start = Instant::now();
        run(n);
        let elapsed = start.elapsed();
        if elapsed >= batch_time / 4 || n >= 1 << 30 {
            let per_call = elapsed.as_secs_f64() / n as f64;
            return ((batch_time.as_secs_f64() / per_call) as u64).max(1);
        }
        n *= 2;
    }
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs[xs.len() / 2]
}

/// Prints `a / b` from an interleaved run, against a maximum if there is one.
pub fn print_ratio(run: &Interleaved, label: &str, a: &str, b: &str, max: Option<f64>) {
    let r = run.ratio(a, b);
    let target = match max {
        Some(max) if r <= max => format!("  (target <= {max:.2}: met)"),
        Some(max) => format!("  (target <= {max:.2}: NOT met)"),
        None => String::new(),
    };
    println!("{label:<44} {r:>6.2}x{target}");
}

/// Prints how much faster `ours` is than `peer` in an interleaved run.
pub fn print_speedup(run: &Interleaved, label: &str, ours: &str, peer: &str, min: f64) {
    let r = run.ratio(peer, ours);
    let met = if r >= min { "met" } else { "NOT met" };
    println!("{label:<44} {r:>6.2}x faster  (target >= {min:.0}x: {met})");
}
