//! Heap allocations per presigned URL, counted by a global allocator that
//! wraps the system's. Counts, not times, so the results are exact and the
//! same on every machine.
//!
//! Each thread counts its own allocations, so tests running in parallel do
//! not disturb each other.

use std::alloc::{GlobalAlloc, Layout, System};
use std::borrow::Cow;
use std::cell::Cell;
use std::time::Duration;

use presign::{Credentials, Presigner, UrlStyle};

/// The benches' fixtures.
#[path = "../benches/common/mod.rs"]
mod common;
use time::macros::datetime;

thread_local! {
    // Const-initialised and without a destructor: reading it never
    // allocates, so the allocator below can use it.
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count_one() {
    // `try_with`: a thread being torn down may still free memory.
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
}

/// The system allocator, counting each allocation and reallocation.
struct Counting;

// `GlobalAlloc` is an unsafe trait, and the only way to observe every
// allocation. This impl forwards each call unchanged to `System`, so it
// keeps `System`'s guarantees. The library itself is `forbid(unsafe_code)`;
// this test binary is the one place that needs it.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: the caller's guarantees for `layout` are passed on as is.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_one();
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count_one();
        // SAFETY: `ptr` and `layout` come from this allocator, which is
        // `System`'s; the caller's guarantees are passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `realloc`.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result and the allocations it made.
fn counted<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let before = ALLOCATIONS.with(Cell::get);
    let result = f();
    (result, ALLOCATIONS.with(Cell::get) - before)
}

fn presigner(credentials: Credentials) -> Presigner {
    Presigner::builder()
        .region("us-east-1")
        .credentials(credentials)
        .url_style(UrlStyle::Path)
        .build()
        .unwrap()
}

fn credentials() -> Credentials {
    Credentials::new(
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    )
}

const DAY_1: time::OffsetDateTime = datetime!(2026-05-24 12:34:56 UTC);
const DAY_2: time::OffsetDateTime = datetime!(2026-05-25 08:00:00 UTC);

/// Signs a plain GET and returns the URL and the allocations signing made.
fn plain_get(p: &Presigner, key: &str, at: time::OffsetDateTime) -> (String, usize) {
    counted(|| {
        p.get_object("examplebucket", key)
            .expires_in(Duration::from_secs(3600))
            .signed_at(at)
            .sign()
            .unwrap()
            .into_string()
    })
}

/// Makes the first signing on this thread of some other presigner, so
/// per-thread set-up of the cache's lock-free reads is not counted.
fn warm_up_thread() {
    plain_get(&presigner(credentials()), "warm-up", DAY_1);
}

#[test]
fn the_counter_sees_every_allocation() {
    let (_, n) = counted(|| {
        let mut s = String::with_capacity(1);
        s.push_str("grows past its first capacity");
        s
    });
    assert_eq!(n, 2);
    assert!(storing(5) > 0);
}

#[test]
fn one_allocation_for_a_plain_get_sized_right() {
    warm_up_thread();
    let p = presigner(credentials());
    plain_get(&p, "photos/2026/cat picture.jpg", DAY_1);
    for key in ["photos/2026/cat picture.jpg", "", "a/b/../c d/é"] {
        let (url, allocations) = plain_get(&p, key, DAY_1);
        assert_eq!(allocations, 1, "{url}");
        assert_eq!(url.capacity(), url.len(), "{url}");
    }
}

#[test]
fn one_allocation_with_a_session_token() {
    warm_up_thread();
    let p = presigner(credentials().with_session_token("FwoGZXIvYXdzEB4aDH+/k2Jq8aLqQ0e=="));
    plain_get(&p, "cat.jpg", DAY_1);
    let (url, allocations) = plain_get(&p, "cat.jpg", DAY_1);
    assert_eq!(allocations, 1, "{url}");
    assert_eq!(url.capacity(), url.len());
}

#[test]
fn one_allocation_for_a_url_too_long_for_the_stack_buffer() {
    warm_up_thread();
    let token: String = "FwoGZXIvYXdzEB4aDH+/=".chars().cycle().take(4096).collect();
    let p = presigner(credentials().with_session_token(token));
    plain_get(&p, "cat.jpg", DAY_1);
    let (url, allocations) = plain_get(&p, "cat.jpg", DAY_1);
    assert!(url.len() > 4096, "the URL must not fit the stack buffer");
    assert_eq!(allocations, 1);
    assert_eq!(url.capacity(), url.len());
}

#[test]
fn a_new_signing_day_adds_only_the_cache_entry() {
    warm_up_thread();
    let p = presigner(credentials());
    let (_, first) = plain_get(&p, "cat.jpg", DAY_1);
    let (_, same_day) = plain_get(&p, "cat.jpg", DAY_1);
    let (_, next_day) = plain_get(&p, "cat.jpg", DAY_2);
    let (_, next_day_again) = plain_get(&p, "cat.jpg", DAY_2);
    // The URL, and the new cache entry: one `Arc` and the one `String` of
    // its scope texts.
    assert_eq!(first, 1 + 2);
    assert_eq!(next_day, 1 + 2);
    assert_eq!((same_day, next_day_again), (1, 1));
}

#[test]
fn clones_share_the_signing_key_cache() {
    warm_up_thread();
    let p = presigner(credentials());
    plain_get(&p, "cat.jpg", DAY_1);
    let clone = p.clone();
    assert_eq!(plain_get(&clone, "cat.jpg", DAY_1).1, 1);
}

/// The allocations of storing `n` pairs the way a request stores its
/// parameters and headers: pushed one by one into a `Vec`.
fn storing(n: usize) -> usize {
    counted(|| {
        let mut pairs: Vec<(Cow<'static, str>, Cow<'static, str>)> = Vec::new();
        for _ in 0..n {
            pairs.push((Cow::Borrowed("name"), Cow::Borrowed("value")));
        }
        pairs
    })
    .1
}

#[test]
fn parameters_cost_only_their_storage() {
    warm_up_thread();
    let p = presigner(credentials());
    plain_get(&p, "cat.jpg", DAY_1);
    let names: Vec<String> = (0..40).map(|i| format!("x-param-{i:02}")).collect();
    for n in [1, 2, 5, 16, 40] {
        let (url, allocations) = counted(|| {
            let mut request = p.get_object("examplebucket", "cat.jpg").signed_at(DAY_1);
            for name in &names[..n] {
                request = request.query(name.as_str(), "a value/with escapes");
            }
            request.sign().unwrap().into_string()
        });
        assert_eq!(allocations, 1 + storing(n), "{n} parameters");
        assert_eq!(url.capacity(), url.len());
    }
}

#[test]
fn headers_cost_only_their_storage_and_the_returned_copies() {
    warm_up_thread();
    let p = presigner(credentials());
    plain_get(&p, "cat.jpg", DAY_1);
    let names: Vec<String> = (0..20).map(|i| format!("x-amz-meta-h{i:02}")).collect();
    for n in [1, 2, 5, 20] {
        let (url, allocations) = counted(|| {
            let mut request = p.put_object("examplebucket", "cat.jpg").signed_at(DAY_1);
            for name in &names[..n] {
                request = request.header(name.as_str(), "  some   value ");
            }
            request.sign().unwrap()
        });
        // Stored in the request, then returned by `headers()`: one `Vec`
        // and each header's name and canonical value.
        let returned = 1 + 2 * n;
        assert_eq!(allocations, 1 + storing(n) + returned, "{n} headers");
        assert_eq!(url.headers().len(), n);
    }
}

#[test]
fn five_parameters_and_two_headers() {
    warm_up_thread();
    let p = presigner(credentials());
    plain_get(&p, "cat.jpg", DAY_1);
    let (url, allocations) = counted(|| common::get_with_params(&p, common::KEY).unwrap());
    assert_eq!(url.headers().len(), 2);
    assert_eq!(allocations, 1 + storing(5) + storing(2) + (1 + 2 * 2));
}
