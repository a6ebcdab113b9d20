//! A memo of the HMAC state after the first block of the string to sign.
//!
//! A SigV4 string to sign starts `AWS4-HMAC-SHA256\n<time>\n<scope>\n`. For
//! one signing key (one scope) and one signing second its first 64 bytes are
//! the same for every URL, when the algorithm, time and scope fill them
//! (`us-east-1/s3` does, with 5 bytes to spare). A presigner signing many
//! URLs a second then hashes that block once a second instead of once a
//! URL: one SHA-256 compression of the nine a URL with a cached key costs
//! (issue 5). A URL signed in a new second costs what it did without the
//! memo, plus writing it.
//!
//! The memo maps one block to its state, so whatever it returns is right for
//! the block asked about; it is only worth asking when the block repeats.
//!
//! It is a sequence lock built of atomics (H.-J. Boehm, "Can seqlocks get
//! along with programming language memory models?", MSPC 2012, figure 6):
//! readers never wait and never write; a reader that overlaps a writer, and
//! a writer that finds another one writing, compute the state themselves.

use std::sync::atomic::{AtomicU32, AtomicU64, Ordering, fence};

use zeroize::Zeroize;

/// The latest first block signed under one key, and the HMAC inner state
/// after it. Wiped when dropped: the state is as good as the key for
/// messages starting with that block.
#[derive(Default)]
pub(crate) struct FirstBlockMemo {
    /// Even and non-zero when `block` and `state` agree; odd while a writer
    /// changes them; zero before the first write.
    sequence: AtomicU32,
    block: [AtomicU64; 8],
    state: [AtomicU32; 8],
}

impl FirstBlockMemo {
    /// The memoised state, if it is `block`'s and no writer interfered.
    pub(crate) fn get(&self, block: &[u8; 64]) -> Option<[u32; 8]> {
        let before = self.sequence.load(Ordering::Acquire);
        if before == 0 || before % 2 == 1 {
            return None;
        }
        let same_block = self
            .block
            .iter()
            .zip(block.as_chunks::<8>().0)
            .all(|(memo, bytes)| memo.load(Ordering::Relaxed) == u64::from_ne_bytes(*bytes));
        let state = self
            .state
            .each_ref()
            .map(|word| word.load(Ordering::Relaxed));
        // Orders the loads above before the check below: if any of them saw
        // a writer's store, the sequence has moved on.
        fence(Ordering::Acquire);
        let unchanged = self.sequence.load(Ordering::Relaxed) == before;
        (same_block && unchanged).then_some(state)
    }

    /// Memoises `state` as `block`'s, unless another writer is at it.
    pub(crate) fn put(&self, block: &[u8; 64], state: &[u32; 8]) {
        let before = self.sequence.load(Ordering::Relaxed);
        if before % 2 == 1
            || self
                .sequence
                .compare_exchange(
                    before,
                    before.wrapping_add(1),
                    Ordering::Relaxed,
                    Ordering::Relaxed,
                )
                .is_err()
        {
            return;
        }
        // Orders the odd sequence before the stores below, for readers.
        fence(Ordering::Release);
        for (memo, bytes) in self.block.iter().zip(block.as_chunks::<8>().0) {
            memo.store(u64::from_ne_bytes(*bytes), Ordering::Relaxed);
        }
        for (memo, &word) in self.state.iter().zip(state) {
            memo.store(word, Ordering::Relaxed);
        }
        // Even again (zero after wrapping reads as empty, which is safe).
        self.sequence
            .store(before.wrapping_add(2), Ordering::Release);
    }
}

impl Drop for FirstBlockMemo {
    fn drop(&mut self) {
        for word in &mut self.state {
            word.get_mut().zeroize();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(fill: u8) -> [u8; 64] {
        std::array::from_fn(|i| fill.wrapping_add(i as u8))
    }

    fn state(fill: u32) -> [u32; 8] {
        std::array::from_fn(|i| fill.wrapping_mul(31).wrapping_add(i as u32))
    }

    #[test]
    fn returns_only_the_state_of_the_block_asked_about() {
        let memo = FirstBlockMemo::default();
        assert_eq!(memo.get(&block(0)), None, "empty");
        assert_eq!(memo.get(&[0; 64]), None, "empty, all-zero block");
        memo.put(&block(1), &state(1));
        assert_eq!(memo.get(&block(1)), Some(state(1)));
        assert_eq!(memo.get(&block(2)), None);
        let mut last_byte_differs = block(1);
        last_byte_differs[63] ^= 1;
        assert_eq!(memo.get(&last_byte_differs), None);
        memo.put(&block(2), &state(2));
        assert_eq!(memo.get(&block(1)), None);
        assert_eq!(memo.get(&block(2)), Some(state(2)));
    }

    #[test]
    fn concurrent_readers_never_see_a_torn_entry() {
        // Writers put pairs (block(i), state(i)); any state a reader gets
        // must be the one put with the block it asked about.
        let memo = FirstBlockMemo::default();
        std::thread::scope(|s| {
            for t in 0..4u8 {
                let memo = &memo;
                s.spawn(move || {
                    for i in 0..20_000u32 {
                        let fill = ((i + u32::from(t)) % 3) as u8;
                        if i % 2 == 0 {
                            memo.put(&block(fill), &state(u32::from(fill)));
                        } else if let Some(got) = memo.get(&block(fill)) {
                            assert_eq!(got, state(u32::from(fill)));
                        }
                    }
                });
            }
        });
    }
}
