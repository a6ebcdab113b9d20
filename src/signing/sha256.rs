//! SHA-256 and HMAC-SHA256 of whole messages, on RustCrypto's SHA-256
//! compression function (`sha2::block_api::compress256`).
//!
//! Presigning hashes two short messages per URL (the canonical request and
//! the string to sign, nine blocks in all, eight when the string to sign's
//! first block is memoised: `first_block.rs`). Through `sha2`'s and `hmac`'s
//! streaming types, their block buffers, state copies and finalisation cost
//! about a tenth of a presigned GET beyond the compression itself (the
//! interleaved bench, issue 5): here a message held whole is compressed in
//! place and only its padded tail is copied. HMAC keeps its two keyed
//! midstates (RFC 2104: the states after the `key ^ ipad` and `key ^ opad`
//! blocks), 64 bytes instead of `Hmac`'s buffers. Both are checked against
//! `sha2` and `hmac` in the tests below, and through whole signatures in
//! `tests/reference_impl.rs` and the botocore vectors.

use sha2::block_api::compress256;
use sha2::{Digest, Sha256};
use zeroize::Zeroize;

/// The SHA-256 initial hash value (FIPS 180-4, §5.3.3).
const INITIAL_STATE: [u32; 8] = [
    0x6a09_e667,
    0xbb67_ae85,
    0x3c6e_f372,
    0xa54f_f53a,
    0x510e_527f,
    0x9b05_688c,
    0x1f83_d9ab,
    0x5be0_cd19,
];

/// SHA-256 of `message`.
pub(crate) fn sha256(message: &[u8]) -> [u8; 32] {
    digest_bytes(finish(INITIAL_STATE, 0, message))
}

/// Hashes `message` onwards from `state`, the midstate after `absorbed`
/// whole blocks' worth of bytes, and returns the final state, the digest as
/// words (FIPS 180-4 §5.1.1 padding: a `1` bit, zeros, and the message
/// length in bits, big-endian, ending the last block).
fn finish(mut state: [u32; 8], absorbed: u64, message: &[u8]) -> [u32; 8] {
    let (blocks, tail) = message.as_chunks::<64>();
    if !blocks.is_empty() {
        compress256(&mut state, blocks);
    }
    let mut last = [[0u8; 64]; 2];
    let padded = last.as_flattened_mut();
    padded[..tail.len()].copy_from_slice(tail);
    padded[tail.len()] = 0x80;
    // The length takes the last 8 bytes: a tail of more than 55 bytes needs
    // a second block.
    let count = if tail.len() < 56 { 1 } else { 2 };
    let bits = (absorbed + message.len() as u64) * 8;
    padded[count * 64 - 8..count * 64].copy_from_slice(&bits.to_be_bytes());
    compress256(&mut state, &last[..count]);
    state
}

/// The bytes of a digest given as words.
fn digest_bytes(words: [u32; 8]) -> [u8; 32] {
    let mut digest = [0u8; 32];
    for (bytes, word) in digest.chunks_exact_mut(4).zip(words) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    digest
}

/// An HMAC-SHA256 key, held as its two keyed midstates (RFC 2104: the
/// states after the `key ^ ipad` and `key ^ opad` blocks): keying costs two
/// compressions, done once per key instead of per message. Wiped when
/// dropped.
///
/// Keys are handled as 32-bit words rather than bytes, so that wiping their
/// copies takes a few word stores: wiping byte arrays one volatile byte at a
/// time cost a cold presigned GET a tenth of its time (issue 5's notes).
pub(crate) struct HmacKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

/// A key zero-padded to one block, as big-endian words.
type BlockWords = [u32; 16];

impl HmacKey {
    /// Keys HMAC-SHA256 with `key`, of any length.
    #[cfg(test)]
    pub(crate) fn new(key: &[u8]) -> Self {
        Self::concatenated(key, b"")
    }

    /// Keys HMAC-SHA256 with `first` followed by `second`, without writing
    /// the two out together (SigV4's first key is `"AWS4"` + the secret).
    /// RFC 2104 §2: a key longer than a block is hashed first; a shorter
    /// one is padded with zeros.
    pub(crate) fn concatenated(first: &[u8], second: &[u8]) -> Self {
        let mut words: BlockWords = [0; 16];
        if first.len() + second.len() > 64 {
            let mut hasher = Sha256::new();
            hasher.update(first);
            hasher.update(second);
            let mut digest: [u8; 32] = hasher.finalize().into();
            put_words(&mut words, 0, &digest);
            digest.zeroize();
        } else {
            put_words(&mut words, 0, first);
            put_words(&mut words, first.len(), second);
        }
        let key = Self::from_words(&words);
        words.zeroize();
        key
    }

    /// Keys HMAC-SHA256 with a 32-byte key given as the words of a digest,
    /// as [`sign_words`](Self::sign_words) returns it.
    pub(crate) fn from_digest(key: &[u32; 8]) -> Self {
        Self::from_words(key)
    }

    /// Keys HMAC-SHA256 with a key of at most a block, given as big-endian
    /// words (zero-padded to the block). The `key ^ pad` blocks on the stack
    /// are not wiped (nor are they by `hmac`); the keyed states are.
    fn from_words(words: &[u32]) -> Self {
        // `0 ^ ipad` where the key has no words.
        let mut block = [[0x36u8; 64]];
        for (bytes, word) in block[0].chunks_exact_mut(4).zip(words) {
            bytes.copy_from_slice(&(word ^ 0x3636_3636).to_be_bytes());
        }
        let mut inner = INITIAL_STATE;
        compress256(&mut inner, &block);
        // `key ^ opad` from `key ^ ipad`, a byte-wise XOR the compiler
        // vectorises.
        for byte in &mut block[0] {
            *byte ^= 0x36 ^ 0x5c;
        }
        let mut outer = INITIAL_STATE;
        compress256(&mut outer, &block);
        Self { inner, outer }
    }

    /// HMAC-SHA256 of `message` under this key.
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 32] {
        digest_bytes(self.sign_words(message))
    }

    /// HMAC-SHA256 of `message` under this key, as the words of the digest.
    pub(crate) fn sign_words(&self, message: &[u8]) -> [u32; 8] {
        self.outer_hash(finish(self.inner, 64, message))
    }

    /// The inner hash's state after the key block and `block`, the first
    /// block of a message: what [`sign_rest`](Self::sign_rest) continues
    /// from.
    pub(crate) fn absorb_first_block(&self, block: &[u8; 64]) -> [u32; 8] {
        let mut state = self.inner;
        compress256(&mut state, std::slice::from_ref(block));
        state
    }

    /// HMAC-SHA256 of a message whose first 64 bytes gave `absorbed`
    /// ([`absorb_first_block`](Self::absorb_first_block)) and whose other
    /// bytes are `rest`.
    pub(crate) fn sign_rest(&self, absorbed: [u32; 8], rest: &[u8]) -> [u8; 32] {
        digest_bytes(self.outer_hash(finish(absorbed, 128, rest)))
    }

    /// The outer hash of RFC 2104, given the inner one's final state.
    fn outer_hash(&self, inner: [u32; 8]) -> [u32; 8] {
        finish(self.outer, 64, &digest_bytes(inner))
    }
}

/// Packs `bytes` into big-endian words from byte `at` on (`at + bytes.len()`
/// is at most 64): whole words at once where they line up.
fn put_words(words: &mut BlockWords, at: usize, bytes: &[u8]) {
    // Up to the next word boundary, byte by byte.
    let lead = ((4 - at % 4) % 4).min(bytes.len());
    let (head, rest) = bytes.split_at(lead);
    let put_byte = |words: &mut BlockWords, i: usize, byte: u8| {
        words[i / 4] |= u32::from(byte) << (24 - 8 * (i % 4));
    };
    for (i, &byte) in head.iter().enumerate() {
        put_byte(words, at + i, byte);
    }
    let at = at + lead;
    let (whole, tail) = rest.as_chunks::<4>();
    for (word, chunk) in words[at / 4..].iter_mut().zip(whole) {
        *word = u32::from_be_bytes(*chunk);
    }
    let at = at + 4 * whole.len();
    for (i, &byte) in tail.iter().enumerate() {
        put_byte(words, at + i, byte);
    }
}

impl Drop for HmacKey {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};

    /// Every message length from 0 to 300 bytes: every tail length, the
    /// one-or-two-block padding boundary (55/56) and several whole blocks.
    fn messages() -> impl Iterator<Item = Vec<u8>> {
        (0..=300).map(|n| (0..n).map(|i| (i * 7 + n) as u8).collect())
    }

    #[test]
    fn sha256_agrees_with_sha2() {
        for message in messages() {
            let want: [u8; 32] = Sha256::digest(&message).into();
            assert_eq!(sha256(&message), want, "{} bytes", message.len());
        }
    }

    #[test]
    fn hmac_agrees_with_hmac() {
        // Keys shorter than, as long as and longer than a block.
        for key_len in [0, 1, 32, 44, 63, 64, 65, 200] {
            let key: Vec<u8> = (0..key_len).map(|i| (i * 31 + 5) as u8).collect();
            let ours = HmacKey::new(&key);
            for message in messages() {
                let mut theirs = <Hmac<Sha256> as KeyInit>::new_from_slice(&key).unwrap();
                theirs.update(&message);
                let want: [u8; 32] = theirs.finalize().into_bytes().into();
                let len = message.len();
                assert_eq!(
                    ours.sign(&message),
                    want,
                    "key {key_len} B, message {len} B"
                );
            }
        }
    }

    #[test]
    fn a_concatenated_key_is_the_key_written_out() {
        let lengths = [
            (4, 40),
            (0, 64),
            (4, 60),
            (4, 61),
            (30, 100),
            (64, 0),
            (3, 20),
            (5, 59),
            (1, 1),
            (2, 0),
            (7, 6),
        ];
        for (first, second) in lengths {
            let a: Vec<u8> = (0..first).map(|i| i as u8 ^ 0xa5).collect();
            let b: Vec<u8> = (0..second).map(|i| (i * 3) as u8).collect();
            let joined = [a.clone(), b.clone()].concat();
            let message = b"message";
            assert_eq!(
                HmacKey::concatenated(&a, &b).sign(message),
                HmacKey::new(&joined).sign(message),
                "{first} + {second} bytes"
            );
        }
    }

    #[test]
    fn signing_the_rest_after_the_first_block_is_signing_the_whole() {
        let ours = HmacKey::new(b"key");
        for message in messages().filter(|m| m.len() >= 64) {
            let (first, rest) = message.split_first_chunk::<64>().unwrap();
            let mut theirs = <Hmac<Sha256> as KeyInit>::new_from_slice(b"key").unwrap();
            theirs.update(&message);
            let want: [u8; 32] = theirs.finalize().into_bytes().into();
            let absorbed = ours.absorb_first_block(first);
            assert_eq!(ours.sign_rest(absorbed, rest), want, "{} B", message.len());
        }
    }

    #[test]
    fn a_digest_key_is_its_bytes() {
        let digest: [u32; 8] = std::array::from_fn(|i| 0x0102_0304 * (i as u32 + 1));
        assert_eq!(
            HmacKey::from_digest(&digest).sign(b"m"),
            HmacKey::new(&digest_bytes(digest)).sign(b"m")
        );
    }

    #[test]
    fn published_vectors() {
        // FIPS 180-4 examples (NIST CSRC "SHA256.pdf"): "abc" and the
        // 56-byte message that needs a second padding block.
        assert_eq!(
            hex::encode(sha256(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(
            hex::encode(sha256(
                b"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
            )),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
        );
        // RFC 4231 test cases 2 (a short key) and 6 (a key longer than a
        // block).
        assert_eq!(
            hex::encode(HmacKey::new(b"Jefe").sign(b"what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            hex::encode(
                HmacKey::new(&[0xaa; 131])
                    .sign(b"Test Using Larger Than Block-Size Key - Hash Key First")
            ),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }
}
