//! Secrets are wiped before their memory is freed.
//!
//! This test binary's allocator looks at every block just before it is
//! freed and counts the blocks that still hold a secret. Credentials are
//! then used the way a program does (cloned, signed with, verified with)
//! and dropped; no freed block may still hold the secret, the session token
//! or the `AWS4`-prefixed secret that long keys are copied into.
//!
//! Only blocks of exactly the marker's size are read, so every byte read
//! was written (`String`s made from a `&str` of that length, and the
//! signer's exact-size copy).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use presign::{Credentials, Method, Presigner, Verifier};
use time::macros::datetime;

/// 45 bytes; no other allocation in this test has that content.
const SECRET: &str = "zeroize-test-secret-0123456789abcdefghijklmno";
/// Same length, other content.
const TOKEN: &str = "zeroize-test-token--0123456789abcdefghijklmno";
/// Longer than the signer's stack buffer, so it takes the heap copy path.
const LONG_SECRET: &str = "zeroize-test-long-secret-padding-padding-padding-padding-\
    padding-padding-padding-padding-padding-padding-padding-padding-padding-padding";

static SCANNING: AtomicBool = AtomicBool::new(false);
static FOUND: AtomicUsize = AtomicUsize::new(0);

struct Scanner;

fn holds(block: &[u8], needle: &[u8]) -> bool {
    block.windows(needle.len()).any(|w| w == needle)
}

// SAFETY: every call is passed straight to the system allocator; `dealloc`
// only reads the block it is about to free, which is valid for
// `layout.size()` bytes.
unsafe impl GlobalAlloc for Scanner {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let size = layout.size();
        let watched = [SECRET.len(), LONG_SECRET.len(), LONG_SECRET.len() + 4];
        if SCANNING.load(Ordering::SeqCst) && watched.contains(&size) {
            // SAFETY: the block is still allocated and `size` bytes long.
            let block = unsafe { std::slice::from_raw_parts(ptr, size) };
            if [SECRET, TOKEN, LONG_SECRET]
                .iter()
                .any(|s| holds(block, s.as_bytes()))
            {
                FOUND.fetch_add(1, Ordering::SeqCst);
            }
        }
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Scanner = Scanner;

/// Signs and verifies with `creds`, cloning them along the way, then drops
/// everything.
fn use_and_drop(creds: Credentials) {
    let presigner = Presigner::builder()
        .endpoint("https://s3.example.com")
        .region("us-east-1")
        .credentials(creds.clone())
        .build()
        .unwrap();
    let url = presigner
        .get_object("bucket", "key")
        .signed_at(datetime!(2026-01-01 0:00 UTC))
        .sign()
        .unwrap();
    let verifier = Verifier::builder()
        .credentials_lookup(move |_| Some(creds.clone()))
        .region("us-east-1")
        .endpoint("https://s3.example.com")
        .build()
        .unwrap();
    let _ = verifier
        .verify_url(
            Method::Get,
            url.as_str(),
            &[],
            datetime!(2026-01-01 0:01 UTC),
        )
        .unwrap();
    drop((presigner, verifier));
}

#[test]
fn secrets_are_wiped_before_their_memory_is_freed() {
    SCANNING.store(true, Ordering::SeqCst);

    // The scanner sees a secret that is freed without being wiped...
    drop(std::hint::black_box(SECRET.to_owned()));
    assert_eq!(FOUND.swap(0, Ordering::SeqCst), 1, "the scanner works");

    // ...and none from credentials.
    use_and_drop(Credentials::new("AKIDEXAMPLE", SECRET).with_session_token(TOKEN));
    use_and_drop(Credentials::new("AKIDEXAMPLE", LONG_SECRET));
    SCANNING.store(false, Ordering::SeqCst);
    assert_eq!(
        FOUND.load(Ordering::SeqCst),
        0,
        "blocks freed while still holding a secret"
    );
}
