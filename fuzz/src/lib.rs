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
    /// Sign with SigV2 instead of SigV4.
    v2: bool,
}

/// Signs arbitrary input, with SigV4 or SigV2. Whatever signs must give a
/// URL that parses and that a verifier configured the same way accepts,
/// reading back the same bucket and key. Returns whether the input signed.
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
    let request = request.expires_in(expires_in).signed_at(signed_at);
    let signed = if input.v2 {
        request.sign_v2()
    } else {
        request.sign()
    };
    let Ok(url) = signed else {
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

/// Verifies an arbitrary POST form: byte 0 picks the bucket and whether
/// the file is small or huge; then, as text, one `name=value` field per
/// line. Checked at [`SEED_TIME`]: what verifies must not be expired.
/// Returns whether it verified.
pub fn verify_post_form(data: &[u8]) -> bool {
    let Some((&control, rest)) = data.split_first() else {
        return false;
    };
    let bucket = ["bucket", "other-bucket", "Bad Bucket"][usize::from(control & 3) % 3];
    let file_len = if control & 4 == 0 { 1024 } else { u64::MAX };
    let text = String::from_utf8_lossy(rest);
    let fields: Vec<(&str, &str)> = text
        .split('\n')
        .map(|l| l.split_once('=').unwrap_or((l, "")))
        .collect();
    let now = OffsetDateTime::from_unix_timestamp(SEED_TIME).expect("a valid time");
    match verifiers()[0].verify_post_form(bucket, &fields, file_len, now) {
        Ok(ok) => {
            assert!(now <= ok.expires_at, "a form verifies after expiring");
            true
        }
        Err(_) => false,
    }
}

#[derive(Arbitrary, Debug)]
enum FormOp<'a> {
    /// `.field("x-amz-meta-<name>", value)`: a field and an exact condition.
    Field(&'a str, &'a str),
    /// `.form_field` and `.condition(starts_with)` on `x-amz-meta-<name>`:
    /// the value is the prefix and the rest.
    Prefixed(&'a str, &'a str, &'a str),
    /// `.condition(content_length_range(min, max))`.
    Range(u64, u64),
    /// Any condition, on any name.
    Eq(&'a str, &'a str),
    StartsWith(&'a str, &'a str),
    /// Any field, on any name.
    FormField(&'a str, &'a str),
}

#[derive(Arbitrary, Debug)]
struct FormInput<'a> {
    v2: bool,
    key: &'a str,
    filename: bool,
    ops: Vec<FormOp<'a>>,
    token: Option<&'a str>,
    expires_secs: u32,
    /// Unix seconds; `None`: [`SEED_TIME`].
    signed_at: Option<i64>,
}

/// Builds and signs an arbitrary POST form. Whatever signs must give a
/// policy that is JSON with the conditions' count, renderings that parse,
/// and, when every field is one the policy names and the size ranges
/// overlap, a form the verifier accepts as the browser would post it.
/// Returns whether the input signed.
pub fn post_policy(data: &[u8]) -> bool {
    let Ok(input) = FormInput::arbitrary_take_rest(Unstructured::new(data)) else {
        return false;
    };
    let mut creds = Credentials::new("AKIDEXAMPLE", SECRET);
    // An empty token is refused when the presigner is built (the `sign`
    // target covers that); this target is about the forms.
    if let Some(token) = input.token.filter(|t| !t.is_empty()) {
        creds = creds.with_session_token(token);
    }
    let presigner = Presigner::builder()
        .region("us-east-1")
        .credentials(creds.clone())
        .build()
        .expect("fixed configuration");
    let key = if input.filename {
        format!("{}${{filename}}", input.key)
    } else {
        input.key.to_owned()
    };
    let meta = |name: &str| format!("x-amz-meta-{name}");
    let mut form = presigner.post_object("bucket").key(key.as_str());
    // Only fields and conditions on x-amz-meta-* names make a form whose
    // outcome is known without evaluating the policy here.
    let mut plain = true;
    let (mut min, mut max) = (0u64, u64::MAX);
    let mut extra_fields: Vec<(String, String)> = Vec::new();
    for op in &input.ops {
        form = match *op {
            FormOp::Field(name, value) => form.field(meta(name), value),
            FormOp::Prefixed(name, prefix, rest) => form
                .form_field(meta(name), format!("{prefix}{rest}"))
                .condition(presign::Condition::starts_with(meta(name), prefix)),
            FormOp::Range(a, b) => {
                min = min.max(a);
                max = max.min(b);
                form.condition(presign::Condition::content_length_range(a, b))
            }
            FormOp::Eq(name, value) => {
                plain = false;
                extra_fields.push((name.to_owned(), value.to_owned()));
                form.condition(presign::Condition::eq(name, value))
            }
            FormOp::StartsWith(name, prefix) => {
                plain = false;
                form.condition(presign::Condition::starts_with(name, prefix))
            }
            FormOp::FormField(name, value) => {
                plain = false;
                form.form_field(name, value)
            }
        };
    }
    let signed_at = match OffsetDateTime::from_unix_timestamp(input.signed_at.unwrap_or(SEED_TIME))
    {
        Ok(t) => t,
        Err(_) => return false,
    };
    let form = form
        .expires_in(Duration::from_secs(u64::from(input.expires_secs)))
        .signed_at(signed_at);
    let Ok(form) = (if input.v2 {
        form.sign_v2()
    } else {
        form.sign()
    }) else {
        return false;
    };

    let policy: serde_json::Value =
        serde_json::from_str(form.policy_json()).expect("the policy is JSON");
    assert!(policy["expiration"].is_string(), "{}", form.policy_json());
    let conditions = policy["conditions"].as_array().expect("a conditions list");
    assert!(conditions.len() >= 2, "{}", form.policy_json());
    let rendered: serde_json::Value =
        serde_json::from_str(&form.to_json()).expect("to_json is JSON");
    assert_eq!(rendered["url"], form.url());
    let html = form.to_html();
    assert!(
        html.ends_with("</form>") || html.trim_end().ends_with("</form>"),
        "{html}"
    );

    // Past the checks that need the policy evaluated here.
    // A `${filename}` before the end stays in the policy's key condition
    // (botocore's layout) and cannot match once S3 replaces it.
    let key_in_middle =
        key.matches("${filename}").count() > usize::from(key.ends_with("${filename}"));
    if !plain || key_in_middle || min > max || min > 5 * 1024 * 1024 * 1024 {
        return true;
    }
    let posted_key = key.replace("${filename}", "file.txt");
    let fields: Vec<(&str, &str)> = form
        .fields()
        .iter()
        .map(|(n, v)| {
            let v = if n == "key" {
                posted_key.as_str()
            } else {
                v.as_str()
            };
            (n.as_str(), v)
        })
        .chain(extra_fields.iter().map(|(n, v)| (n.as_str(), v.as_str())))
        .collect();
    let verifier = Verifier::builder()
        .credentials_lookup(move |_| Some(creds.clone()))
        .region("us-east-1")
        .build()
        .expect("fixed configuration");
    let ok = verifier
        .verify_post_form("bucket", &fields, min, signed_at)
        .unwrap_or_else(|e| panic!("a signed form does not verify: {e}\n{fields:?}"));
    assert_eq!(ok.key, posted_key);
    true
}
