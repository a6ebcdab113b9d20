//! The reference vectors in `tests/vectors/`, replayed through the `presign`
//! binary with `--at`: every case the command line can express must give the
//! reference signature (botocore 1.44.5 for SigV4, SigV2 and POST forms, the
//! `tos` SDK for TOS, Google's conformance cases for GCS) and path. This
//! checks the CLI's mapping of flags to the library; the library's own replay
//! tests check the signing.
#![cfg(feature = "cli")]

mod cli_support;
mod replay_support;

use assert_cmd::Command;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use cli_support::{Home, stdout};
use percent_encoding::percent_decode_str;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

fn vectors(name: &str) -> Vec<Value> {
    let path = format!("{}/tests/vectors/{name}", env!("CARGO_MANIFEST_DIR"));
    let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    file["cases"].as_array().unwrap().clone()
}

fn str_of<'a>(case: &'a Value, field: &str) -> &'a str {
    case[field]
        .as_str()
        .unwrap_or_else(|| panic!("{field} in {case}"))
}

fn pairs(case: &Value, field: &str) -> Vec<(String, String)> {
    serde_json::from_value(case[field].clone()).unwrap()
}

/// `presign` for one case: keys in the environment, then the flags shared by
/// URLs and forms.
struct Invocation {
    cmd: Command,
}

impl Invocation {
    fn new(home: &Home, access_key: &str, secret_key: &str, token: Option<&str>) -> Self {
        let mut cmd = home.presign();
        cmd.env("AWS_ACCESS_KEY_ID", access_key)
            .env("AWS_SECRET_ACCESS_KEY", secret_key);
        if let Some(token) = token {
            cmd.env("AWS_SESSION_TOKEN", token);
        }
        Self { cmd }
    }

    fn common(&mut self, region: &str, endpoint: Option<&str>, style: &str, at: i64) -> &mut Self {
        let at = OffsetDateTime::from_unix_timestamp(at).unwrap();
        self.cmd
            .args(["--region", region, "--at", &at.format(&Rfc3339).unwrap()]);
        if let Some(endpoint) = endpoint {
            self.cmd.args(["--endpoint-url", endpoint]);
        }
        match style {
            "auto" => {}
            "path" => {
                self.cmd.arg("--path-style");
            }
            "virtual_hosted" => {
                self.cmd.arg("--virtual-hosted");
            }
            "custom_domain" => {
                self.cmd.arg("--custom-domain");
            }
            other => panic!("unknown url style {other:?} in the vectors"),
        }
        self
    }

    /// Adds the request's flags; `None` when the command line cannot express
    /// the case (`--query NAME=VALUE` splits at the first '='; no argument
    /// can hold a NUL).
    fn request(
        &mut self,
        uri: String,
        method: &str,
        query: &[(String, String)],
        headers: &[(String, String)],
        expires_in: u64,
    ) -> Option<&mut Self> {
        let mut texts = query.iter().chain(headers).flat_map(|(n, v)| [n, v]);
        if query.iter().any(|(name, _)| name.contains('='))
            || uri.contains('\0')
            || texts.any(|t| t.contains('\0'))
        {
            return None;
        }
        self.cmd
            .arg(uri)
            .args(["--method", method, "--expires-in", &expires_in.to_string()]);
        for (name, value) in query {
            self.cmd.args(["--query", &format!("{name}={value}")]);
        }
        for (name, value) in headers {
            self.cmd.args(["--header", &format!("{name}:{value}")]);
        }
        Some(self)
    }
}

/// A URL case: what to run and what it must print.
struct UrlCase {
    name: String,
    invocation: Invocation,
    /// The query parameter holding the signature.
    signature_param: &'static str,
    signature: String,
    path: String,
}

/// The raw path of a URL, not normalised.
fn path_of(url: &str) -> &str {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let rest = &rest[rest.find(['/', '?']).unwrap_or(rest.len())..];
    // An empty path is "/" (RFC 9110 §4.2.3): the tos SDK writes `host?query`.
    match rest.split_once('?').map_or(rest, |(path, _)| path) {
        "" => "/",
        path => path,
    }
}

/// The decoded value of query parameter `name`.
fn param(url: &str, name: &str) -> Option<String> {
    let (_, query) = url.split_once('?')?;
    query.split('&').find_map(|pair| {
        let (n, v) = pair.split_once('=')?;
        (n == name).then(|| percent_decode_str(v).decode_utf8().unwrap().into_owned())
    })
}

/// Runs every case; all must match, and at least `min` must have run.
fn replay(cases: Vec<UrlCase>, min: usize) {
    assert!(cases.len() >= min, "only {} cases expressible", cases.len());
    let mut failures = Vec::new();
    for mut case in cases {
        let output = case.invocation.cmd.output().unwrap();
        let got = stdout(&output);
        let got = got.trim_end();
        if !output.status.success()
            || param(got, case.signature_param).as_deref() != Some(case.signature.as_str())
            || path_of(got) != case.path
        {
            failures.push(format!(
                "{}: expected path {:?}, signature {:?}; got {output:?}",
                case.name, case.path, case.signature
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Where a vector file keeps each input, and what else to pass.
struct Layout {
    file: &'static str,
    access_key: &'static str,
    secret_key: &'static str,
    signed_at: &'static str,
    expires_in: &'static str,
    name: &'static str,
    extra: &'static [&'static str],
    signature_param: &'static str,
    /// The addressing style of a case.
    style: fn(&Value) -> &str,
    /// The expected signature (decoded) and path of a case.
    expected: fn(&Value) -> (String, String),
}

/// The URL cases of a vector file that the command line can express.
fn url_cases(layout: &Layout) -> Vec<UrlCase> {
    let home = Home::empty();
    vectors(layout.file)
        .iter()
        .filter_map(|c| {
            let mut invocation = Invocation::new(
                &home,
                str_of(c, layout.access_key),
                str_of(c, layout.secret_key),
                c["session_token"].as_str(),
            );
            invocation
                .common(
                    str_of(c, "region"),
                    c["endpoint"].as_str(),
                    (layout.style)(c),
                    c[layout.signed_at].as_i64().unwrap(),
                )
                .request(
                    format!("s3://{}/{}", str_of(c, "bucket"), str_of(c, "key")),
                    str_of(c, "method"),
                    &pairs(c, "query"),
                    &pairs(c, "headers"),
                    c[layout.expires_in].as_u64().unwrap(),
                )?
                .cmd
                .args(layout.extra);
            let (signature, path) = (layout.expected)(c);
            Some(UrlCase {
                name: str_of(c, layout.name).to_owned(),
                invocation,
                signature_param: layout.signature_param,
                signature,
                path,
            })
        })
        .collect()
}

/// botocore's files (`sigv4.json`, `sigv2.json`) share a layout.
fn botocore(file: &'static str, extra: &'static [&'static str], param: &'static str) -> Layout {
    Layout {
        file,
        access_key: "access_key",
        secret_key: "secret_key",
        signed_at: "signed_at",
        expires_in: "expires_in",
        name: "name",
        extra,
        signature_param: param,
        style: |c| str_of(c, "url_style"),
        expected: |c| {
            let e = &c["expected"];
            (
                str_of(e, "signature").to_owned(),
                str_of(e, "path").to_owned(),
            )
        },
    }
}

#[test]
fn sigv4_vectors() {
    replay(
        url_cases(&botocore("sigv4.json", &[], "X-Amz-Signature")),
        500,
    );
}

#[test]
fn sigv2_vectors() {
    replay(
        url_cases(&botocore("sigv2.json", &["--sigv2"], "Signature")),
        200,
    );
}

#[test]
fn tos_vectors() {
    let layout = Layout {
        file: "tos.json",
        access_key: "access_key",
        secret_key: "secret_key",
        signed_at: "signed_at_unix",
        expires_in: "expires",
        name: "description",
        extra: &["--provider", "tos"],
        signature_param: "X-Tos-Signature",
        style: |c| match c["custom_domain"].as_bool() {
            Some(true) => "custom_domain",
            _ => "auto",
        },
        expected: |c| {
            let url = str_of(&c["expected"], "url");
            (
                param(url, "X-Tos-Signature").unwrap(),
                path_of(url).to_owned(),
            )
        },
    };
    replay(url_cases(&layout), 60);
}

#[test]
fn gcs_vectors() {
    let layout = Layout {
        file: "gcs.json",
        access_key: "access_id",
        secret_key: "secret",
        signed_at: "signed_at_unix",
        expires_in: "expires",
        name: "description",
        extra: &["--provider", "gcs"],
        signature_param: "X-Goog-Signature",
        style: |c| str_of(c, "url_style"),
        expected: |c| {
            let e = &c["expected"];
            (
                str_of(e, "signature").to_owned(),
                path_of(str_of(e, "url")).to_owned(),
            )
        },
    };
    replay(url_cases(&layout), 20);
}

/// The S3 URI and flags for a POST case, if the command line can express it:
/// `--field`s, then `--form-field`s, then `--starts-with`, then the
/// `--content-length-range` (the order the CLI applies them, so the policy
/// lists conditions as botocore does); no condition-only equality, no NUL.
fn post_args(case: &Value) -> Option<Vec<String>> {
    let (bucket, key) = (str_of(case, "bucket"), str_of(case, "key"));
    if key.contains('\0') {
        return None;
    }
    let uri = match key.strip_suffix("${filename}") {
        Some(prefix) if prefix.is_empty() || prefix.ends_with('/') => {
            format!("s3://{bucket}/{prefix}")
        }
        Some(_) => return None,
        None if key.is_empty() || key.ends_with('/') => return None,
        None => format!("s3://{bucket}/{key}"),
    };
    let mut args = vec!["post".to_owned(), uri];
    let mut last_rank = 0;
    for op in case["ops"].as_array().unwrap() {
        let op = op.as_array().unwrap();
        let text = |i: usize| op[i].as_str().unwrap().to_owned();
        let (rank, flag, value) = match op[0].as_str().unwrap() {
            "field" => (0, "--field", format!("{}={}", text(1), text(2))),
            "form_field" => (1, "--form-field", format!("{}={}", text(1), text(2))),
            "starts_with" => (2, "--starts-with", format!("{}={}", text(1), text(2))),
            "content_length_range" => (
                3,
                "--content-length-range",
                format!("{}:{}", op[1].as_u64().unwrap(), op[2].as_u64().unwrap()),
            ),
            _ => return None,
        };
        if rank < last_rank || value.contains('\0') {
            return None;
        }
        last_rank = rank;
        args.extend([flag.to_owned(), value]);
    }
    if str_of(case, "version") == "v2" {
        args.push("--sigv2".into());
    }
    Some(args)
}

/// botocore's POST forms through `presign post --format json`: the same
/// fields (names and values, the policy and signature aside), a policy that
/// means the same, and where the policy is byte-identical to botocore's
/// (ASCII policies, conditions in botocore's order), botocore's signature.
#[test]
fn post_vectors() {
    let home = Home::empty();
    let (mut replayed, mut same_bytes, mut failures) = (0, 0, Vec::new());
    for c in vectors("post.json") {
        let Some(args) = post_args(&c) else { continue };
        let mut invocation = Invocation::new(
            &home,
            str_of(&c, "access_key"),
            str_of(&c, "secret_key"),
            c["session_token"].as_str(),
        );
        // The subcommand first, then its options.
        invocation.cmd.args(&args);
        invocation
            .common(
                str_of(&c, "region"),
                c["endpoint"].as_str(),
                str_of(&c, "url_style"),
                c["signed_at"].as_i64().unwrap(),
            )
            .cmd
            .args(["--expires-in", &c["expires_in"].to_string()]);
        let output = invocation.cmd.output().unwrap();
        replayed += 1;
        let name = str_of(&c, "name");
        if !output.status.success() {
            failures.push(format!("{name}: {output:?}"));
            continue;
        }
        let form: Value = serde_json::from_str(&stdout(&output)).unwrap();
        let expected = &c["expected"];
        let signature_field = if str_of(&c, "version") == "v2" {
            "signature"
        } else {
            "x-amz-signature"
        };
        let got_fields = form["fields"].as_object().unwrap();
        let mut got: Vec<(String, String)> = got_fields
            .iter()
            .map(|(n, v)| (n.clone(), v.as_str().unwrap().to_owned()))
            .collect();
        let mut want = pairs(expected, "fields");
        for list in [&mut got, &mut want] {
            list.retain(|(n, _)| n != "policy" && n != signature_field);
            list.sort();
        }
        let policy_b64 = got_fields["policy"].as_str().unwrap();
        let policy_bytes = STANDARD.decode(policy_b64).unwrap();
        let policy: Value = serde_json::from_slice(&policy_bytes).unwrap();
        let expected_json = str_of(expected, "policy_json");
        let expected_policy: Value = serde_json::from_str(expected_json).unwrap();
        let mut problems = Vec::new();
        // botocore keeps the endpoint's case and default port; the crate
        // writes the host as signed.
        let expected_url = replay_support::normalize_origin(str_of(expected, "url"));
        if form["url"] != expected_url.as_str() {
            problems.push(format!("url {} != {expected_url}", form["url"]));
        }
        if got != want {
            problems.push(format!("fields {got:?} != {want:?}"));
        }
        if policy != expected_policy {
            problems.push(format!("policy {policy} != {expected_policy}"));
        }
        if policy_bytes == expected_json.as_bytes() {
            same_bytes += 1;
            if got_fields[signature_field] != expected["signature"] {
                problems.push(format!("signature of the same policy differs: {form}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{name}: {}", problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(replayed >= 100, "only {replayed} cases expressible");
    assert!(
        same_bytes >= 80,
        "only {same_bytes} policies byte-identical"
    );
}
