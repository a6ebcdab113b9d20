//! Property tests for POST forms built from arbitrary strings: the policy is
//! valid JSON holding exactly the conditions given, and the JSON and HTML
//! renderings give back every value unchanged (no value can end its HTML
//! attribute or open a tag).

use std::collections::BTreeMap;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use presign::{Condition, Credentials, PostForm, Presigner, UrlStyle};
use proptest::prelude::*;
use serde_json::{Value, json};

#[derive(Clone, Debug)]
enum Op {
    Field(String, String),
    FormField(String, String),
    Eq(String, String),
    StartsWith(String, String),
    Range(u64, u64),
}

/// Field names: anything without control characters (which the crate
/// refuses in names). Condition names: anything at all.
fn op() -> impl Strategy<Value = Op> {
    let field_name = "[^\\p{Cc}]{0,12}";
    prop_oneof![
        (field_name, any::<String>()).prop_map(|(n, v)| Op::Field(n, v)),
        (field_name, any::<String>()).prop_map(|(n, v)| Op::FormField(n, v)),
        (any::<String>(), any::<String>()).prop_map(|(n, v)| Op::Eq(n, v)),
        (any::<String>(), any::<String>()).prop_map(|(n, v)| Op::StartsWith(n, v)),
        (any::<u64>(), any::<u64>()).prop_map(|(a, b)| Op::Range(a.min(b), a.max(b))),
    ]
}

/// Makes names unique, non-empty, not reserved and without a leading `$`
/// by prefixing their position.
fn numbered(ops: Vec<Op>) -> Vec<Op> {
    ops.into_iter()
        .enumerate()
        .map(|(i, op)| match op {
            Op::Field(n, v) => Op::Field(format!("f{i}-{n}"), v),
            Op::FormField(n, v) => Op::FormField(format!("f{i}-{n}"), v),
            Op::Eq(n, v) => Op::Eq(format!("c{i}-{n}"), v),
            Op::StartsWith(n, v) => Op::StartsWith(format!("c{i}-{n}"), v),
            range => range,
        })
        .collect()
}

fn presigner(token: Option<String>) -> Presigner {
    let mut creds = Credentials::new("AKIDEXAMPLE", "secret");
    if let Some(token) = token {
        creds = creds.with_session_token(token);
    }
    Presigner::builder()
        .endpoint("https://s3.example.com:8443/prefix")
        .region("eu-west-1")
        .credentials(creds)
        .url_style(UrlStyle::Path)
        .build()
        .unwrap()
}

fn sign(p: &Presigner, key: &str, ops: &[Op], v4: bool) -> PostForm {
    let mut form = p
        .post_object("bucket")
        .key(key)
        .expires_in(Duration::from_secs(600))
        .signed_at(time::macros::datetime!(2026-03-03 10:00 UTC));
    for op in ops {
        form = match op {
            Op::Field(n, v) => form.field(n.as_str(), v.as_str()),
            Op::FormField(n, v) => form.form_field(n.as_str(), v.as_str()),
            Op::Eq(n, v) => form.condition(Condition::eq(n.as_str(), v.as_str())),
            Op::StartsWith(n, v) => form.condition(Condition::starts_with(n.as_str(), v.as_str())),
            Op::Range(a, b) => form.condition(Condition::content_length_range(*a, *b)),
        };
    }
    if v4 { form.sign() } else { form.sign_v2() }.unwrap()
}

/// The conditions the policy must hold, written independently of the crate.
fn expected_conditions(key: &str, ops: &[Op], token: Option<&str>, v4: bool) -> Vec<Value> {
    let mut out: Vec<Value> = ops
        .iter()
        .filter_map(|op| match op {
            Op::Field(n, v) | Op::Eq(n, v) => Some(json!({ n.as_str(): v })),
            Op::StartsWith(n, v) => Some(json!(["starts-with", format!("${n}"), v])),
            Op::Range(a, b) => Some(json!(["content-length-range", a, b])),
            Op::FormField(..) => None,
        })
        .collect();
    out.push(json!({"bucket": "bucket"}));
    out.push(match key.strip_suffix("${filename}") {
        Some(prefix) => json!(["starts-with", "$key", prefix]),
        None => json!({ "key": key }),
    });
    if v4 {
        out.push(json!({"x-amz-algorithm": "AWS4-HMAC-SHA256"}));
        out.push(json!({"x-amz-credential": "AKIDEXAMPLE/20260303/eu-west-1/s3/aws4_request"}));
        out.push(json!({"x-amz-date": "20260303T100000Z"}));
    }
    if let Some(token) = token {
        out.push(json!({ "x-amz-security-token": token }));
    }
    out
}

fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The tags of `html`, split at `"`: a tag ends at the first `>`, and an
/// attribute value at the first `"`, so an unescaped character in a value
/// shows up as a wrong count.
fn tags(html: &str) -> Vec<Vec<&str>> {
    html.split('<')
        .skip(1)
        .map(|rest| rest.split_once('>').map_or(rest, |(tag, _)| tag))
        .map(|tag| tag.split('"').collect())
        .collect()
}

fn key_strategy() -> impl Strategy<Value = String> {
    (any::<String>(), any::<bool>()).prop_map(|(k, filename)| {
        let k = format!("k{k}");
        if filename { k + "${filename}" } else { k }
    })
}

proptest! {
    #[test]
    fn policy_is_json_with_exactly_the_conditions_given(
        key in key_strategy(),
        ops in prop::collection::vec(op(), 0..8).prop_map(numbered),
        token in prop::option::of(any::<String>().prop_filter("a token", |t| !t.is_empty())),
        v4 in any::<bool>(),
    ) {
        let form = sign(&presigner(token.clone()), &key, &ops, v4);
        let policy_b64 = &form.fields().iter().find(|(n, _)| n == "policy").unwrap().1;
        let decoded = String::from_utf8(STANDARD.decode(policy_b64).unwrap()).unwrap();
        prop_assert_eq!(&decoded, form.policy_json());
        let policy: Value = serde_json::from_str(&decoded).unwrap();
        let object = policy.as_object().unwrap();
        prop_assert_eq!(object.len(), 2);
        prop_assert_eq!(&object["expiration"], &json!("2026-03-03T10:10:00Z"));
        let expected = expected_conditions(&key, &ops, token.as_deref(), v4);
        prop_assert_eq!(object["conditions"].as_array().unwrap(), &expected);
    }

    #[test]
    fn renderings_give_back_every_value(
        key in key_strategy(),
        ops in prop::collection::vec(op(), 0..8).prop_map(numbered),
        token in prop::option::of(any::<String>().prop_filter("a token", |t| !t.is_empty())),
    ) {
        let form = sign(&presigner(token), &key, &ops, true);

        let json: Value = serde_json::from_str(&form.to_json()).unwrap();
        prop_assert_eq!(&json["url"], &json!(form.url()));
        let expected: BTreeMap<&str, Value> =
            form.fields().iter().map(|(n, v)| (n.as_str(), json!(v))).collect();
        let fields: BTreeMap<&str, Value> = json["fields"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(n, v)| (n.as_str(), v.clone()))
            .collect();
        prop_assert_eq!(fields, expected);

        let html = form.to_html();
        let tags = tags(&html);
        // <form>, one input per field, the file input, <button>, </button>, </form>.
        prop_assert_eq!(tags.len(), form.fields().len() + 5);
        prop_assert_eq!(tags[0].len(), 7);
        prop_assert_eq!(html_unescape(tags[0][1]), form.url());
        for ((name, value), tag) in form.fields().iter().zip(&tags[1..]) {
            prop_assert_eq!(tag.len(), 7, "tag {:?}", tag);
            prop_assert_eq!(tag[0], "input type=");
            prop_assert_eq!(tag[1], "hidden");
            prop_assert_eq!(&html_unescape(tag[3]), name);
            prop_assert_eq!(&html_unescape(tag[5]), value);
        }
        let file = &tags[form.fields().len() + 1];
        prop_assert_eq!(file, &vec!["input type=", "file", " name=", "file", ""]);
    }
}
