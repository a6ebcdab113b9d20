//! Signing schemes, as pure functions over borrowed request parts.
//!
//! Each scheme writes the strings it signs (canonical request, string to
//! sign) into a [`Sink`]: a buffer on the stack that is then hashed in one
//! call (the URL is copied from it), a hasher when they do not fit there, or
//! a `String` when a caller wants to see them. URLs are written the same way,
//! once into a length counter and once into a `String` of exactly that
//! capacity.

pub(crate) mod first_block;
pub(crate) mod key_cache;
pub(crate) mod post_policy;
pub(crate) mod sha256;
pub(crate) mod sigv2;
pub(crate) mod sigv4;

use arrayvec::ArrayString;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use sha1::Sha1;
use sha2::{Digest, Sha256};

/// Somewhere to write the text of a request: a `String`, a hash, or a counter.
pub(crate) trait Sink {
    /// Appends `s`.
    fn put(&mut self, s: &str);

    /// Appends the lowercase hex of a 32-byte digest.
    fn put_hex32(&mut self, digest: &[u8; 32]) {
        self.put(hex32(digest).as_str());
    }
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

/// A sink that knows how many bytes it holds, so a writer can tell where
/// each part it writes starts.
pub(crate) trait Counted: Sink {
    /// The bytes written so far.
    fn count(&self) -> usize;
}

impl Counted for String {
    fn count(&self) -> usize {
        self.len()
    }
}

impl Counted for Len {
    fn count(&self) -> usize {
        self.0
    }
}

/// Room on the stack for a whole canonical request of usual size (one with a
/// session token, a 1 KiB key or a few extra parameters still fits).
pub(crate) const STACK_BUF_LEN: usize = 4096;

/// A buffer on the stack; what does not fit is dropped, and remembered.
pub(crate) struct StackBuf {
    text: ArrayString<STACK_BUF_LEN>,
    overflowed: bool,
}

impl StackBuf {
    pub(crate) fn new() -> Self {
        Self {
            text: ArrayString::new(),
            overflowed: false,
        }
    }

    /// Everything written, or `None` if some of it did not fit: the
    /// canonical request is written out whole, hashed in one call, and the
    /// URL copied from it.
    pub(crate) fn text(&self) -> Option<&str> {
        (!self.overflowed).then_some(&self.text)
    }
}

impl Sink for StackBuf {
    #[inline(always)]
    fn put(&mut self, s: &str) {
        if self.text.try_push_str(s).is_err() {
            self.overflowed = true;
        }
    }
}

impl Counted for StackBuf {
    fn count(&self) -> usize {
        self.text.len()
    }
}

/// Room on the stack for a string to sign: its scope's region and service
/// may be 70 bytes together. 192 bytes are zeroed with a few stores, 256
/// with a call.
const HASH_INPUT_LEN: usize = 192;

/// A message written on the stack only to be hashed: bytes rather than text,
/// so that a digest's hex is encoded straight into it (the string to sign).
/// What does not fit is dropped, and remembered.
pub(crate) struct HashInput {
    bytes: [u8; HASH_INPUT_LEN],
    len: usize,
    overflowed: bool,
}

impl HashInput {
    pub(crate) fn new() -> Self {
        Self {
            bytes: [0; HASH_INPUT_LEN],
            len: 0,
            overflowed: false,
        }
    }

    /// Everything written, or `None` if some of it did not fit.
    pub(crate) fn bytes(&self) -> Option<&[u8]> {
        (!self.overflowed).then_some(&self.bytes[..self.len])
    }

    /// The next `n` bytes of room, marking the input overflowed if there
    /// are not that many.
    fn room(&mut self, n: usize) -> Option<&mut [u8]> {
        let room = self.bytes.get_mut(self.len..self.len + n);
        match room {
            Some(_) => self.len += n,
            None => self.overflowed = true,
        }
        room
    }
}

impl Sink for HashInput {
    fn put(&mut self, s: &str) {
        if let Some(room) = self.room(s.len()) {
            room.copy_from_slice(s.as_bytes());
        }
    }

    fn put_hex32(&mut self, digest: &[u8; 32]) {
        if let Some(room) = self.room(64) {
            // Cannot fail: the room is twice the digest's length.
            const_hex::encode_to_slice(digest, room).unwrap_or_default();
        }
    }
}

/// SHA-256 that counts what it hashed: the canonical request of a URL too
/// long for a [`StackBuf`] is hashed as it is written.
#[derive(Default)]
pub(crate) struct CountingSha256 {
    pub(crate) hasher: Sha256,
    count: usize,
}

impl Sink for CountingSha256 {
    fn put(&mut self, s: &str) {
        self.count += s.len();
        self.hasher.put(s);
    }
}

impl Counted for CountingSha256 {
    fn count(&self) -> usize {
        self.count
    }
}

/// Whether Python's `str.isspace()` holds for `c`, which is what botocore
/// splits (SigV4 header values, `value.split()`) and strips (SigV2,
/// `value.strip()`) on: Unicode `White_Space` (`char::is_whitespace`) and
/// the separators U+001C..=U+001F. The signer refuses control characters in
/// header values, but the verifier reads whatever a request carries.
pub(crate) fn is_python_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// `value` without surrounding whitespace, as Python's `str.strip()` leaves
/// it (botocore's SigV2 header values).
pub(crate) fn python_strip(value: &str) -> &str {
    value.trim_matches(is_python_space)
}

/// Writes `n` in decimal without allocating.
pub(crate) fn put_u64(sink: &mut impl Sink, n: u64) {
    sink.put(itoa::Buffer::new().format(n));
}

/// A keyed HMAC-SHA1 (SigV2), ready for [`Sink::put`].
pub(crate) fn new_hmac_sha1(key: &[u8]) -> Hmac<Sha1> {
    // As for SHA-256: HMAC takes keys of any length.
    <Hmac<Sha1> as hmac::KeyInit>::new_from_slice(key).expect("HMAC accepts keys of any length")
}

/// Standard base64 (RFC 4648 §4, padded) of `bytes`, in a `String` of
/// exactly its length.
///
/// Not `Engine::encode`: that allocates with `calloc`, which glibc serves
/// outside its per-thread cache, and freeing such buffers coalesced them into
/// the heap's top and consolidated the fast bins on every POST form (5-13%
/// of a form in `perf`, issue 5).
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(base64::encoded_len(bytes.len(), true).unwrap_or(0));
    STANDARD.encode_string(bytes, &mut out);
    out
}

/// Lowercase hex of a 32-byte digest, without allocating.
pub(crate) fn hex32(bytes: &[u8; 32]) -> Hex64 {
    let mut hex = const_hex::Buffer::new();
    hex.format(bytes);
    Hex64(hex)
}

/// 64 lowercase hex digits.
#[derive(Clone)]
pub(crate) struct Hex64(const_hex::Buffer<32>);

impl Hex64 {
    pub(crate) fn as_str(&self) -> &str {
        self.0.as_str()
    }
}
