//! SHA-256 and HMAC-SHA256 of whole messages, on RustCrypto's SHA-256
//! compression function (`sha2::block_api::compress256`).
//!
//! Presigning hashes two short messages per URL (the canonical request and
//! the string to sign, nine blocks in all). Through `sha2`'s and `hmac`'s
//! streaming types, their block buffers, state copies and finalisation cost
//! about a tenth of a presigned GET beyond the compression itself (criterion
//! medians, issue 5's notes): here a message held whole is compressed in
//! place and only its padded tail is copied. HMAC keeps its two keyed
//! midstates (RFC 2104: the states after the `key ^ ipad` and `key ^ opad`
//! blocks), 64 bytes instead of `Hmac`'s buffers. Both are checked against
//! `sha2` and `hmac` in the tests below and in `tests/reference_impl.rs`.

use sha2::block_api::compress256;
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
    finish(INITIAL_STATE, 0, message)
}

/// Hashes `message` onwards from `state`, the midstate after `absorbed`
/// whole blocks' worth of bytes, and returns the digest (FIPS 180-4 §5.1.1:
/// a `1` bit, zeros, and the message length in bits, big-endian, ending the
/// last block).
fn finish(mut state: [u32; 8], absorbed: u64, message: &[u8]) -> [u8; 32] {
    let (blocks, tail) = message.as_chunks::<64>();
    compress256(&mut state, blocks);
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
    let mut digest = [0u8; 32];
    for (bytes, word) in digest.chunks_exact_mut(4).zip(state) {
        bytes.copy_from_slice(&word.to_be_bytes());
    }
    // The state of a keyed hash stands for its key; the padded tail holds
    // only the message.
    state.zeroize();
    digest
}

/// An HMAC-SHA256 key, held as its two keyed midstates: keying costs two
/// compressions, done once per key instead of per message. Wiped when
/// dropped.
#[derive(Clone)]
pub(crate) struct HmacKey {
    inner: [u32; 8],
    outer: [u32; 8],
}

impl HmacKey {
    /// Keys HMAC-SHA256 with `key`, of any length (RFC 2104 §2: a key longer
    /// than a block is hashed first; a shorter one is padded with zeros).
    pub(crate) fn new(key: &[u8]) -> Self {
        let mut padded = [0u8; 64];
        if key.len() > 64 {
            padded[..32].copy_from_slice(&sha256(key));
        } else {
            padded[..key.len()].copy_from_slice(key);
        }
        let keyed = |pad: u8| {
            let block = [padded.map(|byte| byte ^ pad)];
            let mut state = INITIAL_STATE;
            compress256(&mut state, &block);
            state
        };
        let key = Self {
            inner: keyed(0x36),
            outer: keyed(0x5c),
        };
        // As `hmac` does, the keyed states are wiped (on drop); the padded
        // key blocks on the stack are not.
        padded.zeroize();
        key
    }

    /// HMAC-SHA256 of `message` under this key.
    pub(crate) fn sign(&self, message: &[u8]) -> [u8; 32] {
        let inner = finish(self.inner, 64, message);
        finish(self.outer, 64, &inner)
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
    use sha2::{Digest, Sha256};

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
