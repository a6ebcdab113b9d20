//! Signing schemes, as pure functions over borrowed request parts.
//!
//! Each scheme writes the strings it signs (canonical request, string to
//! sign) into a [`Sink`]: a hasher on the hot path, so nothing is built only
//! to be hashed, or a `String` when a caller wants to see them. The URL is
//! written the same way, once into a length counter and once into a `String`
//! of exactly that capacity.

pub(crate) mod post_policy;
pub(crate) mod sigv2;
pub(crate) mod sigv4;

use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Somewhere to write the text of a request: a `String`, a hash, or a counter.
pub(crate) trait Sink {
    /// Appends `s`.
    fn put(&mut self, s: &str);
}

impl Sink for String {
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

impl Sink for Sha256 {
    fn put(&mut self, s: &str) {
        Digest::update(self, s.as_bytes());
    }
}

impl Sink for Hmac<Sha256> {
    fn put(&mut self, s: &str) {
        Mac::update(self, s.as_bytes());
    }
}

impl Sink for Hmac<Sha1> {
    fn put(&mut self, s: &str) {
        Mac::update(self, s.as_bytes());
    }
}

/// Counts the bytes written, to size a `String` before writing into it.
#[derive(Default)]
pub(crate) struct Len(pub(crate) usize);

impl Sink for Len {
    fn put(&mut self, s: &str) {
        self.0 += s.len();
    }
}

/// Writes `n` in decimal without allocating.
pub(crate) fn put_u64(sink: &mut impl Sink, mut n: u64) {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    sink.put(std::str::from_utf8(&buf[i..]).unwrap_or_default());
}

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = new_hmac_sha256(key);
    Mac::update(&mut mac, data);
    mac.finalize().into_bytes().into()
}

/// A keyed HMAC-SHA256, ready for [`Sink::put`].
pub(crate) fn new_hmac_sha256(key: &[u8]) -> Hmac<Sha256> {
    // HMAC is defined for keys of any length (longer ones are hashed first),
    // so this cannot fail.
    <Hmac<Sha256> as hmac::KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// A keyed HMAC-SHA1 (SigV2), ready for [`Sink::put`].
pub(crate) fn new_hmac_sha1(key: &[u8]) -> Hmac<Sha1> {
    // As for SHA-256: HMAC takes keys of any length.
    <Hmac<Sha1> as hmac::KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// Lowercase hex of a 32-byte digest, without allocating.
pub(crate) fn hex32(bytes: &[u8; 32]) -> Hex64 {
    let mut out = [0u8; 64];
    // The output buffer is exactly twice the input length.
    hex::encode_to_slice(bytes, &mut out).expect("64 bytes hold 32 bytes of hex");
    Hex64(out)
}

/// 64 lowercase hex digits.
#[derive(Clone, Copy)]
pub(crate) struct Hex64([u8; 64]);

impl Hex64 {
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII hex digits were written.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }
}
