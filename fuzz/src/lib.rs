//! The fuzz targets' bodies, shared by the cargo-fuzz binaries in
//! `fuzz_targets/` and by `tests/fuzz_corpus.rs`, which replays the
//! committed corpus through them in every `cargo test`.
//!
//! Each body panics only on a finding: a panic inside the crate, or a
//! broken property (a signed URL that does not parse or does not verify, a
//! request that verifies although it is expired).

use std::borrow::Cow;
use std::sync::OnceLock;
use std::time::Duration;

use arbitrary::{Arbitrary, Unstructured};
use presign::{Credentials, Method, Presigner, UrlStyle, Verifier};
use time::{OffsetDateTime, UtcOffset};

/// The secret every fuzzed verifier knows, for any access key id.
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// The access key id whose credentials carry a session token.
const TOKEN_AKID: &str = "AKIDTOKEN";
const TOKEN: &str = "FQoGZXIvYXdzEXAMPLETOKEN";
/// The time the `verify_url` seeds were signed at and are verified at:
/// 2026-01-01T00:00:00Z.
pub const SEED_TIME: i64 = 1_767_225_600;

const METHODS: [Method; 5] = [
    Method::Get,
    Method::Put,
    Method::Post,
    Method::Delete,
    Method::Head,
];
const STYLES: [UrlStyle; 3] = [UrlStyle::Auto, UrlStyle::Path, UrlStyle::VirtualHosted];
const ENDPOINTS: [&str; 5] = [
    "https://s3.example.com",
    "http://localhost:9000",
    "https://gw.example.com:8443/s3/",
    "http://[::1]:9000",
    "http://127.0.0.1",
];
const REGIONS: [&str; 3] = ["us-east-1", "eu-west-1", "cn-north-1"];
const BUCKETS: [&str; 5] = ["bucket", "my.bucket", "MyBucket", "a-b-c", "ab"];

/// A known value most of the time, so that inputs get past validation,
/// and any string the rest of the time.
#[derive(Arbitrary, Debug)]
enum Choice<'a> {
    Known(u8),
    Raw(&'a str),
}

impl<'a> Choice<'a> {
    fn pick(&self, known: &[&'a str]) -> &'a str {
        match *self {
            Choice::Known(i) => known[usize::from(i) % known.len()],
            Choice::Raw(s) => s,
        }
    }
}

#[derive(Arbitrary, Debug)]
struct SignInput<'a> {
    /// `None`: AWS's endpoint for the region.
    endpoint: Option<Choice<'a>>,
    region: Choice<'a>,
    style: u8,
    access_key_id: &'a str,
    secret: &'a str,
    token: Option<&'a str>,
    method: u8,
    bucket: Choice<'a>,
    key: &'a str,
    query: Vec<(&'a str, &'a str)>,
    headers: Vec<(&'a str, &'a str)>,
    expires_secs: u32,
    expires_nanos: bool,
    /// Unix seconds; `None`: [`SEED_TIME`].
    signed_at: Option<i64>,
    offset_secs: i32,
}

/// Signs arbitrary input. Whatever signs must give a URL that parses and
/// that a verifier configured the same way accepts, reading back the same
/// bucket and key. Returns whether the input signed.
pub fn sign(data: &[u8]) -> bool {
    let Ok(input) = SignInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return false;
    };
    let region = input.region.pick(&REGIONS);
    let endpoint = input.endpoint.as_ref().map(|e| e.pick(&ENDPOINTS));
    let style = STYLES[usize::from(input.style) % STYLES.len()];
    let mut creds = Credentials::new(input.access_key_id, input.secret);
    if let Some(token) = input.token {
        creds = creds.with_session_token(token);
    }
    let mut builder = Presigner::builder()
        .region(region)
        .credentials(creds.clone())
        .url_style(style);
    if let Some(e) = endpoint {
        builder = builder.endpoint(e);
    }
    let Ok(presigner) = builder.build() else {
        return false;
    };
    let method = METHODS[usize::from(input.method) % METHODS.len()];
    let bucket = input.bucket.pick(&BUCKETS);
    let mut request = presigner.request(method, bucket, input.key);
    for &(name, value) in &input.query {
        request = request.query(name, value);
    }
    for &(name, value) in &input.headers {
        request = request.header(name, value);
    }
    let Ok(offset) = UtcOffset::from_whole_seconds(input.offset_secs) else {
        return false;
    };
    let Some(signed_at) = OffsetDateTime::from_unix_timestamp(input.signed_at.unwrap_or(SEED_TIME))
        .ok()
        .and_then(|t| t.checked_to_offset(offset))
    else {
        return false;
    };
    let expires_in = Duration::new(
        u64::from(input.expires_secs),
        if input.expires_nanos { 1 } else { 0 },
    );
    let Ok(url) = request.expires_in(expires_in).signed_at(signed_at).sign() else {
        return false;
    };

    // The URL parses (to_url panics if not) as the same origin.
    let parsed = url.to_url();
    assert!(
        url.as_str()
            .starts_with(parsed.origin().ascii_serialization().as_str()),
        "{url}"
    );

    let akid = input.access_key_id.to_owned();
    let mut verifier = Verifier::builder()
        .credentials_lookup(move |id| (id == akid).then(|| creds.clone()))
        .region(region)
        .url_style(style);
    if let Some(e) = endpoint {
        verifier = verifier.endpoint(e);
    }
    let verifier = verifier
        .build()
        .expect("a presigner's configuration builds a verifier");
    let ok = verifier
        .verify_url(method, url.as_str(), &input.headers, signed_at)
        .unwrap_or_else(|e| panic!("{url} does not verify: {e}"));
    assert_eq!((ok.bucket.as_str(), ok.key.as_str()), (bucket, input.key));
    true
}

/// Verifiers for [`verify_url`]: several endpoints and styles, knowing
/// every access key id with [`SECRET`].
fn verifiers() -> &'static [Verifier] {
    static VERIFIERS: OnceLock<Vec<Verifier>> = OnceLock::new();
    VERIFIERS.get_or_init(|| {
        let configs: [(Option<&str>, UrlStyle); 4] = [
            (Some("https://s3.example.com"), UrlStyle::Path),
            (Some("https://s3.example.com"), UrlStyle::VirtualHosted),
            (None, UrlStyle::Auto),
            (Some("http://localhost:9000/prefix"), UrlStyle::Auto),
        ];
        configs
            .into_iter()
            .map(|(endpoint, style)| {
                let mut b = Verifier::builder()
                    .credentials_lookup(|id| {
                        let creds = Credentials::new(id, SECRET);
                        Some(if id == TOKEN_AKID {
                            creds.with_session_token(TOKEN)
                        } else {
                            creds
                        })
                    })
                    .regions(["us-east-1", "eu-west-1"])
                    .url_style(style);
                if let Some(e) = endpoint {
                    b = b.endpoint(e);
                }
                b.build().expect("fixed configuration")
            })
            .collect()
    })
}

/// Verifies an arbitrary request: byte 0 picks the verifier (low 2 bits)
/// and the method (the rest); then, as text, the URL on the first line and
/// `name: value` headers on the next ones. Checked at [`SEED_TIME`]: what
/// verifies must not be expired. Returns whether it verified.
pub fn verify_url(data: &[u8]) -> bool {
    let Some((&control, rest)) = data.split_first() else {
        return false;
    };
    let verifier = &verifiers()[usize::from(control & 3)];
    let method = METHODS[usize::from(control >> 2) % METHODS.len()];
    let text: Cow<'_, str> = String::from_utf8_lossy(rest);
    let mut lines = text.split('\n');
    let url = lines.next().unwrap_or_default();
    let headers: Vec<(&str, &str)> = lines.filter_map(|l| l.split_once(": ")).collect();
    let now = OffsetDateTime::from_unix_timestamp(SEED_TIME).expect("a valid time");
    match verifier.verify_url(method, url, &headers, now) {
        Ok(ok) => {
            assert!(now <= ok.expires_at, "{url} verifies after expiring");
            true
        }
        Err(_) => false,
    }
}
