//! Shared by `benches/presign.rs` and the peer comparison in `benches/peers`:
//! the request every bench signs, the cryptographic floor it is measured
//! against, and the ratio summary printed after criterion's own report.
// Each bench crate uses part of this module.
#![allow(dead_code)]

use std::path::PathBuf;
use std::time::SystemTime;

use hmac::{Hmac, KeyInit, Mac};
use presign::{Credentials, Presigner, UrlStyle};
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

/// The `X-Amz-Signature` of a presigned URL.
pub fn signature_of(url: &str) -> &str {
    url.split_once("X-Amz-Signature=")
        .map(|(_, rest)| &rest[..64])
        .expect("a SigV4 presigned URL")
}

/// The cryptographic work a presigned GET cannot avoid, on texts prepared
/// in advance: SHA-256 of the canonical request, hex, the four HMACs of the
/// signing key, the HMAC of the string to sign, hex.
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
        println!("{group}: t = {intercept:.1} ns + {slope:.3} ns/byte x n   (R^2 = {r2:.4})");
        for (n, t) in points {
            let fit = intercept + slope * n;
            println!(
                "    n = {n:>5}: {t:>9.1} ns, fit {fit:>9.1} ns ({:+.1}%)",
                (t - fit) / fit * 100.0
            );
        }
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
