//! Property tests of the verifier: every URL the crate signs verifies, with
//! what it addresses read back; any single-byte change to a signed part
//! (the URL past its scheme, a signed header's value) is refused; and no
//! input makes it panic.
//!
//! Changes that leave the request the same are not counted as changes:
//! the case of the scheme and the host (case-insensitive, RFC 3986 §6.2.2.1),
//! the case of a `%XX` escape's hex digits (the same octet), and a space
//! turned into a tab in a header value (SigV4 collapses whitespace), and
//! the case of a SigV2 query parameter that stands for a header
//! (`x-amz-security-token`). S3 reads them as the same request, and so does
//! the verifier.

use std::time::Duration;

use presign::{Credentials, Method, Presigner, UrlStyle, Verifier};
use proptest::prelude::*;
use time::OffsetDateTime;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
/// Latest signing time tried: a week before the end of year 9999.
const LAST_SIGNING_TIME: i64 = 253_402_300_799 - 604_800;

#[derive(Debug, Clone)]
struct Input {
    method: Method,
    endpoint: &'static str,
    style: UrlStyle,
    bucket: String,
    key: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    token: Option<String>,
    expires_in: u64,
    signed_at: i64,
    /// Where `now` falls: 0 = 15 min before signing (the skew), 1 = expiry.
    now_fraction: f64,
}

fn method() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::Get),
        Just(Method::Put),
        Just(Method::Post),
        Just(Method::Delete),
        Just(Method::Head),
    ]
}

/// Any string, or one made mostly of the characters that matter in paths
/// and queries.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<char>(), 0..max).prop_map(String::from_iter),
        prop::collection::vec(
            prop::sample::select(vec![
                'a', 'Z', '0', '/', '.', '~', ' ', '+', '%', '?', '#', '&', '=', ';', '\r', '\n',
                '\0', 'é', '😀',
            ]),
            0..max
        )
        .prop_map(String::from_iter),
    ]
}

fn input() -> impl Strategy<Value = Input> {
    let endpoint = prop::sample::select(vec![
        "https://s3.example.com",
        "http://localhost:9000",
        "https://gw.example.com:8443/s3",
        "https://s3.example.com/pre/",
        "http://127.0.0.1:9000",
    ]);
    let style = prop::sample::select(vec![
        UrlStyle::Path,
        UrlStyle::VirtualHosted,
        UrlStyle::Auto,
    ]);
    let bucket = prop_oneof![
        "[a-z0-9][a-z0-9-]{1,14}[a-z0-9]",
        "[a-z0-9]{3,6}\\.[a-z0-9]{1,6}",
        "[A-Za-z0-9._-]{1,20}",
    ];
    let header = (
        prop::sample::select(vec![
            "content-type",
            "Content-MD5",
            "range",
            "x-amz-acl",
            "X-Amz-Meta-Name",
            "if-match",
            "cache-control",
        ]),
        "[ -~\t]{0,16}",
    );
    (
        (method(), endpoint, style, bucket, text(40)),
        (
            prop::collection::vec((text(12), text(12)), 0..4),
            prop::collection::vec(header, 0..4),
            prop::option::of("[ -~]{1,24}"),
            1..=604_800u64,
            0..=LAST_SIGNING_TIME,
            0.0..=1.0f64,
        ),
    )
        .prop_map(
            |(
                (method, endpoint, style, bucket, key),
                (query, headers, token, expires_in, signed_at, now_fraction),
            )| {
                let mut seen = Vec::new();
                let headers = headers
                    .into_iter()
                    .filter(|(n, _)| {
                        let lower = n.to_lowercase();
                        let fresh = !seen.contains(&lower);
                        seen.push(lower);
                        fresh
                    })
                    .map(|(n, v)| (n.to_owned(), v))
                    .collect();
                let query = query
                    .into_iter()
                    .filter(|(n, _)| !n.to_ascii_lowercase().starts_with("x-amz-"))
                    .collect();
                Input {
                    method,
                    endpoint,
                    style,
                    bucket,
                    key,
                    query,
                    headers,
                    token,
                    expires_in,
                    signed_at,
                    now_fraction,
                }
            },
        )
}

fn credentials(input: &Input) -> Credentials {
    let creds = Credentials::new(AKID, SECRET);
    match &input.token {
        Some(t) => creds.with_session_token(t.as_str()),
        None => creds,
    }
}

/// Signs `input` with SigV4; `None` when the bucket cannot be addressed in
/// its style (checked to be the reason).
fn sign(input: &Input) -> Option<presign::PresignedUrl> {
    sign_as(input, false)
}

/// Signs `input` with SigV4, or SigV2 when `v2`.
fn sign_as(input: &Input, v2: bool) -> Option<presign::PresignedUrl> {
    let p = Presigner::builder()
        .endpoint(input.endpoint)
        .region("us-east-1")
        .credentials(credentials(input))
        .url_style(input.style)
        .build()
        .unwrap();
    let mut request = p.request(input.method, &input.bucket, &input.key);
    for (n, v) in &input.query {
        request = request.query(n.as_str(), v.as_str());
    }
    for (n, v) in &input.headers {
        request = request.header(n.as_str(), v.as_str());
    }
    let request = request
        .expires_in(Duration::from_secs(input.expires_in))
        .signed_at(OffsetDateTime::from_unix_timestamp(input.signed_at).unwrap());
    let signed = if v2 {
        request.sign_v2()
    } else {
        request.sign()
    };
    match signed {
        Ok(url) => Some(url),
        Err(presign::Error::InvalidBucket { .. } | presign::Error::InvalidEndpoint { .. })
            if input.style == UrlStyle::VirtualHosted =>
        {
            None
        }
        Err(e) => panic!("{input:?}: {e}"),
    }
}

fn verifier(input: &Input) -> Verifier {
    let creds = credentials(input);
    Verifier::builder()
        .credentials_lookup(move |id| (id == AKID).then(|| creds.clone()))
        .region("us-east-1")
        .endpoint(input.endpoint)
        .url_style(input.style)
        .build()
        .unwrap()
}

/// A time within the validity window.
fn now(input: &Input) -> OffsetDateTime {
    let earliest = input.signed_at - 15 * 60;
    let span = (input.expires_in + 15 * 60) as f64;
    OffsetDateTime::from_unix_timestamp(earliest + (span * input.now_fraction) as i64).unwrap()
}

fn header_refs(headers: &[(String, String)]) -> Vec<(&str, &str)> {
    headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// Whether changing byte `i` of `url` to `new` leaves the same request (see
/// the module comment).
fn equivalent_url_change(url: &str, i: usize, new: u8) -> bool {
    let b = url.as_bytes();
    let case_only = b[i].eq_ignore_ascii_case(&new);
    let authority_end = url[8..].find('/').map_or(url.len(), |j| j + 8);
    let in_escape = (i >= 1 && b[i - 1] == b'%') || (i >= 2 && b[i - 2] == b'%');
    case_only && (i < authority_end || in_escape)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn every_signed_url_verifies(input in input()) {
        let Some(url) = sign(&input) else { return Ok(()) };
        let ok = verifier(&input)
            .verify_url(input.method, url.as_str(), &header_refs(&input.headers), now(&input))
            .map_err(|e| TestCaseError::fail(format!("{e}: {url}")))?;
        prop_assert_eq!(&ok.access_key_id, AKID);
        prop_assert_eq!(&ok.bucket, &input.bucket);
        prop_assert_eq!(&ok.key, &input.key);
        let expires_at = OffsetDateTime::from_unix_timestamp(
            input.signed_at + input.expires_in as i64,
        ).unwrap();
        prop_assert_eq!(ok.expires_at, expires_at);
        let mut signed: Vec<String> = input.headers.iter().map(|(n, _)| n.to_lowercase()).collect();
        signed.push("host".into());
        signed.sort();
        prop_assert_eq!(&ok.signed_headers, &signed);
        let (mut got, mut want) = (ok.query.clone(), input.query.clone());
        got.sort();
        want.sort();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn any_single_byte_change_to_the_url_is_refused(
        input in input(),
        changes in prop::collection::vec((any::<prop::sample::Index>(), 0u8..0x80), 8),
    ) {
        let Some(url) = sign(&input) else { return Ok(()) };
        let v = verifier(&input);
        let headers = header_refs(&input.headers);
        let now = now(&input);
        // Past "http://" or "https://": the scheme itself is not signed.
        let first = url.as_str().find("://").unwrap() + 3;
        for (index, new) in changes {
            let i = first + index.index(url.as_str().len() - first);
            if url.as_str().as_bytes()[i] == new || equivalent_url_change(url.as_str(), i, new) {
                continue;
            }
            let mut bytes = url.as_str().as_bytes().to_vec();
            bytes[i] = new;
            let changed = String::from_utf8(bytes).unwrap();
            let result = v.verify_url(input.method, &changed, &headers, now);
            prop_assert!(result.is_err(), "byte {} to {:?} verifies: {}", i, new as char, changed);
        }
    }

    #[test]
    fn any_single_byte_change_to_a_signed_header_is_refused(
        input in input(),
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        new in 0u8..0x80,
    ) {
        let Some(url) = sign(&input) else { return Ok(()) };
        let Some(h) = (!input.headers.is_empty()).then(|| which.index(input.headers.len())) else {
            return Ok(());
        };
        let value = input.headers[h].1.as_bytes();
        if value.is_empty() {
            return Ok(());
        }
        let i = at.index(value.len());
        // Python's `str.isspace()` on ASCII, by which botocore collapses.
        let is_space = |b: u8| b" \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f".contains(&b);
        if value[i] == new || (is_space(value[i]) && is_space(new)) {
            return Ok(());
        }
        let mut changed = value.to_vec();
        changed[i] = new;
        let mut headers = input.headers.clone();
        headers[h].1 = String::from_utf8(changed).unwrap();
        let result = verifier(&input)
            .verify_url(input.method, url.as_str(), &header_refs(&headers), now(&input));
        prop_assert!(result.is_err(), "{:?} verifies", headers[h]);
    }

    #[test]
    fn arbitrary_requests_never_panic(
        url in prop_oneof![
            text(200),
            "(https?://|/)[ -~]{0,120}",
            "https://s3\\.example\\.com/b/k\\?X-Amz-[A-Za-z]{4,13}=[ -~]{0,40}(&X-Amz-[A-Za-z]{4,13}=[ -~]{0,40}){0,7}",
        ],
        headers in prop::collection::vec((text(12), text(12)), 0..4),
        now in any::<i64>(),
    ) {
        let v = Verifier::builder()
            .credentials_lookup(|id| Some(Credentials::new(id, SECRET)))
            .region("us-east-1")
            .endpoint("https://s3.example.com")
            .url_style(UrlStyle::Auto)
            .build()
            .unwrap();
        let now = OffsetDateTime::from_unix_timestamp(now % 253_402_300_799)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let _ = v.verify_url(Method::Get, &url, &header_refs(&headers), now);
    }
}

/// Every position of a few URLs, each changed to several bytes: the
/// exhaustive form of the property above.
#[test]
fn every_byte_of_sample_urls_matters() {
    let samples = [
        (
            "https://s3.example.com",
            UrlStyle::Path,
            "dir/file name+1.txt",
            Some("TOKEN"),
        ),
        (
            "https://gw.example.com:8443/s3",
            UrlStyle::VirtualHosted,
            "k%/é",
            None,
        ),
        ("http://localhost:9000", UrlStyle::Auto, "", None),
    ];
    for (endpoint, style, key, token) in samples {
        let input = Input {
            method: Method::Put,
            endpoint,
            style,
            bucket: "my-bucket".into(),
            key: key.into(),
            query: vec![
                ("uploadId".into(), "a/b c".into()),
                ("partNumber".into(), "2".into()),
            ],
            headers: vec![("content-type".into(), "text/plain".into())],
            token: token.map(Into::into),
            expires_in: 3600,
            signed_at: 1_700_000_000,
            now_fraction: 0.5,
        };
        let url = sign(&input).unwrap();
        let url = url.as_str();
        let v = verifier(&input);
        let headers = header_refs(&input.headers);
        let now = now(&input);
        assert!(v.verify_url(input.method, url, &headers, now).is_ok());
        let first = url.find("://").unwrap() + 3;
        let mut tried = 0;
        for i in first..url.len() {
            for new in [b'0', b'a', b'A', b'%', b'&', b'=', b'/', b'.', b'~', b'-'] {
                if url.as_bytes()[i] == new || equivalent_url_change(url, i, new) {
                    continue;
                }
                let mut bytes = url.as_bytes().to_vec();
                bytes[i] = new;
                let changed = String::from_utf8(bytes).unwrap();
                tried += 1;
                assert!(
                    v.verify_url(input.method, &changed, &headers, now).is_err(),
                    "{changed}"
                );
            }
        }
        assert!(tried > 1000, "{tried}");
    }
}

/// SigV2: the sub-resources S3 signs (any others are sent unsigned).
const SUB_RESOURCES: [&str; 6] = [
    "uploadId",
    "partNumber",
    "versionId",
    "response-content-type",
    "response-content-disposition",
    "tagging",
];

/// A request SigV2 can sign in full: only headers and query parameters it
/// covers.
fn v2_input() -> impl Strategy<Value = Input> {
    let header = (
        prop::sample::select(vec![
            "content-type",
            "Content-MD5",
            "x-amz-acl",
            "X-Amz-Meta-Name",
        ]),
        "[ -~\t]{0,16}",
    );
    (
        input(),
        prop::collection::vec(
            (prop::sample::select(SUB_RESOURCES.to_vec()), text(12)),
            0..3,
        ),
        prop::collection::vec(header, 0..3),
    )
        .prop_map(|(mut input, query, headers)| {
            input.query = query.into_iter().map(|(n, v)| (n.to_owned(), v)).collect();
            let mut seen = Vec::new();
            input.headers = headers
                .into_iter()
                .filter(|(n, _)| {
                    let fresh = !seen.contains(&n.to_lowercase());
                    seen.push(n.to_lowercase());
                    fresh
                })
                .map(|(n, v)| (n.to_owned(), v))
                .collect();
            input
        })
}

/// The byte ranges of `url` where SigV2 lets a change through: the
/// `unsigned` query parameters (the copies of the signed headers botocore
/// writes into the query), and the `header_names` of every query parameter
/// that stands for a header. S3 reads those names as header names, in any
/// case, so only a case-only change there is the same request
/// (`x-amz-Security-token` is still the session token).
struct V2Ranges {
    unsigned: Vec<std::ops::Range<usize>>,
    header_names: Vec<std::ops::Range<usize>>,
}

fn v2_ranges(url: &str) -> V2Ranges {
    let mut ranges = V2Ranges {
        unsigned: Vec::new(),
        header_names: Vec::new(),
    };
    let Some(q) = url.find('?') else {
        return ranges;
    };
    let mut start = q + 1;
    for piece in url[q + 1..].split('&') {
        let raw_name = piece.split('=').next().unwrap_or_default();
        let name = raw_name.to_ascii_lowercase();
        let is_header =
            name == "content-type" || name == "content-md5" || name.starts_with("x-amz-");
        if is_header && name != "x-amz-security-token" {
            ranges.unsigned.push(start..start + piece.len());
        } else if is_header {
            ranges.header_names.push(start..start + raw_name.len());
        }
        start += piece.len() + 1;
    }
    ranges
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_signed_sigv2_url_verifies_and_every_signed_byte_matters(
        input in v2_input(),
        changes in prop::collection::vec((any::<prop::sample::Index>(), 0u8..0x80), 8),
    ) {
        let Some(url) = sign_as(&input, true) else { return Ok(()) };
        let url = url.as_str();
        let v = verifier(&input);
        let headers = header_refs(&input.headers);
        let expires_at = OffsetDateTime::from_unix_timestamp(
            input.signed_at + input.expires_in as i64,
        ).unwrap();
        let ok = v
            .verify_url(input.method, url, &headers, expires_at)
            .map_err(|e| TestCaseError::fail(format!("{e}: {url}")))?;
        prop_assert_eq!(&ok.bucket, &input.bucket);
        prop_assert_eq!(&ok.key, &input.key);
        prop_assert_eq!(ok.expires_at, expires_at);
        let (mut got, mut want) = (ok.query.clone(), input.query.clone());
        got.sort();
        want.sort();
        prop_assert_eq!(got, want);

        let first = url.find("://").unwrap() + 3;
        let ranges = v2_ranges(url);
        for (index, new) in changes {
            let i = first + index.index(url.len() - first);
            let header_name_case = url.as_bytes()[i].eq_ignore_ascii_case(&new)
                && ranges.header_names.iter().any(|r| r.contains(&i));
            if url.as_bytes()[i] == new
                || equivalent_url_change(url, i, new)
                || header_name_case
                || ranges.unsigned.iter().any(|r| r.contains(&i))
            {
                continue;
            }
            let mut bytes = url.as_bytes().to_vec();
            bytes[i] = new;
            let changed = String::from_utf8(bytes).unwrap();
            let result = v.verify_url(input.method, &changed, &headers, expires_at);
            prop_assert!(result.is_err(), "byte {} to {:?} verifies: {}", i, new as char, changed);
        }
    }
}

fn posted(fields: &[(String, String)]) -> Vec<(&str, &str)> {
    fields
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect()
}

/// A POST form to sign: exact-match fields, a prefix-matched field, a size
/// range, a key (exact, or a prefix with `${filename}`), a token, a version.
#[derive(Debug, Clone)]
struct FormInput {
    v4: bool,
    key: String,
    filename_key: bool,
    fields: Vec<(String, String)>,
    prefixed: Option<(String, String, String)>,
    range: Option<(u64, u64)>,
    token: Option<String>,
    signed_at: i64,
}

fn form_input() -> impl Strategy<Value = FormInput> {
    (
        any::<bool>(),
        text(30).prop_filter("a key", |k| !k.is_empty()),
        any::<bool>(),
        prop::collection::vec(("[a-z][a-z0-9-]{0,8}", text(16)), 0..4),
        prop::option::of((text(6), text(6))),
        prop::option::of((0..10_000u64, 0..10_000u64)),
        prop::option::of("[ -~]{1,24}"),
        0..=LAST_SIGNING_TIME,
    )
        .prop_map(
            |(v4, key, filename_key, fields, prefixed, range, token, signed_at)| {
                let mut seen = Vec::new();
                let fields = fields
                    .into_iter()
                    .filter(|(n, _)| {
                        let fresh = !seen.contains(n);
                        seen.push(n.clone());
                        fresh
                    })
                    .map(|(n, v)| (format!("x-amz-meta-{n}"), v))
                    .collect();
                FormInput {
                    v4,
                    key,
                    filename_key,
                    fields,
                    prefixed: prefixed.map(|(p, rest)| ("Content-Disposition".to_owned(), p, rest)),
                    range: range.map(|(a, b)| (a.min(b), a.max(b))),
                    token,
                    signed_at,
                }
            },
        )
}

/// Signs the form; returns the fields a browser posts (with `${filename}`
/// replaced and the prefixed field filled in), the key, and a valid size.
fn sign_form(input: &FormInput) -> (Vec<(String, String)>, String, u64) {
    let mut creds = Credentials::new(AKID, SECRET);
    if let Some(t) = &input.token {
        creds = creds.with_session_token(t.as_str());
    }
    let p = Presigner::builder()
        .region("us-east-1")
        .credentials(creds)
        .build()
        .unwrap();
    let key = if input.filename_key {
        format!("{}${{filename}}", input.key)
    } else {
        input.key.clone()
    };
    let mut form = p.post_object("bucket").key(key.as_str());
    for (n, v) in &input.fields {
        form = form.field(n.as_str(), v.as_str());
    }
    if let Some((name, prefix, rest)) = &input.prefixed {
        form = form
            .form_field(name.as_str(), format!("{prefix}{rest}"))
            .condition(presign::Condition::starts_with(
                name.as_str(),
                prefix.as_str(),
            ));
    }
    if let Some((min, max)) = input.range {
        form = form.condition(presign::Condition::content_length_range(min, max));
    }
    let form = form.signed_at(OffsetDateTime::from_unix_timestamp(input.signed_at).unwrap());
    let form = if input.v4 {
        form.sign()
    } else {
        form.sign_v2()
    }
    .unwrap();
    let posted_key = key.replace("${filename}", "file.txt");
    let fields = form
        .fields()
        .iter()
        .map(|(n, v)| {
            (
                n.clone(),
                if n == "key" {
                    posted_key.clone()
                } else {
                    v.clone()
                },
            )
        })
        .collect();
    (fields, posted_key, input.range.map_or(1, |(min, _)| min))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn every_signed_form_verifies_and_every_signed_field_matters(
        input in form_input(),
        which in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        new in 0x20u8..0x7f,
    ) {
        let (fields, key, len) = sign_form(&input);
        let creds = {
            let c = Credentials::new(AKID, SECRET);
            match &input.token { Some(t) => c.with_session_token(t.as_str()), None => c }
        };
        let v = Verifier::builder()
            .credentials_lookup(move |id| (id == AKID).then(|| creds.clone()))
            .region("us-east-1")
            .build()
            .unwrap();
        let now = OffsetDateTime::from_unix_timestamp(input.signed_at).unwrap();
        let ok = v
            .verify_post_form("bucket", &posted(&fields), len, now)
            .map_err(|e| TestCaseError::fail(format!("{e}: {fields:?}")))?;
        prop_assert_eq!(&ok.key, &key);
        prop_assert_eq!(ok.expires_at, now + time::Duration::hours(1));

        // Every field an exact condition, the signature or the policy
        // covers: the prefixed field past its prefix and a `${filename}`
        // key are free by design.
        let pinned: Vec<usize> = fields
            .iter()
            .enumerate()
            .filter(|(_, (n, v))| {
                !v.is_empty()
                    && n != "Content-Disposition"
                    && !(n == "key" && input.filename_key)
            })
            .map(|(i, _)| i)
            .collect();
        let f = pinned[which.index(pinned.len())];
        let chars: Vec<char> = fields[f].1.chars().collect();
        let c = at.index(chars.len());
        prop_assume!(chars[c] != new as char);
        let mut changed = fields.clone();
        changed[f].1 = chars
            .iter()
            .enumerate()
            .map(|(i, &ch)| if i == c { new as char } else { ch })
            .collect();
        let result = v.verify_post_form("bucket", &posted(&changed), len, now);
        prop_assert!(result.is_err(), "{:?} verifies", changed[f]);
    }

    #[test]
    fn arbitrary_forms_never_panic(
        fields in prop::collection::vec(
            (
                prop_oneof![
                    prop::sample::select(vec![
                        "key", "policy", "x-amz-signature", "x-amz-algorithm", "x-amz-credential",
                        "x-amz-date", "signature", "AWSAccessKeyId", "x-amz-security-token", "file",
                    ]).prop_map(str::to_owned),
                    text(10),
                ],
                prop_oneof![
                    text(40),
                    "[A-Za-z0-9+/=]{0,80}",
                    Just("AKIDEXAMPLE/20260101/us-east-1/s3/aws4_request".to_owned()),
                    Just("AWS4-HMAC-SHA256".to_owned()),
                    Just("20260101T000000Z".to_owned()),
                ],
            ),
            0..8,
        ),
        len in any::<u64>(),
        now in any::<i64>(),
    ) {
        let v = Verifier::builder()
            .credentials_lookup(|id| Some(Credentials::new(id, SECRET)))
            .region("us-east-1")
            .build()
            .unwrap();
        let now = OffsetDateTime::from_unix_timestamp(now % 253_402_300_799)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        let posted: Vec<(&str, &str)> = fields.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
        let _ = v.verify_post_form("bucket", &posted, len, now);
    }
}
