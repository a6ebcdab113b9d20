//! Helpers shared by the provider and AWS-token vector tests: reading the
//! committed JSON, and taking a URL apart without normalising it.

#![allow(dead_code)]

use std::path::Path;

use percent_encoding::percent_decode_str;
use serde::de::DeserializeOwned;

/// The `cases` of `tests/vectors/<name>`.
pub fn cases<C: DeserializeOwned>(name: &str) -> Vec<C> {
    #[derive(serde::Deserialize)]
    #[serde(bound = "C: DeserializeOwned")]
    struct File<C> {
        cases: Vec<C>,
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors")
        .join(name);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    let file: File<C> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()));
    file.cases
}

/// A URL split as sent: origin, raw path, and decoded query pairs.
#[derive(Debug, PartialEq, Eq)]
pub struct Parts {
    /// `scheme://host[:port]`.
    pub origin: String,
    /// The path as written (still encoded); `/` when the URL has none.
    pub path: String,
    /// The query parameters, percent-decoded, sorted (a bare `k` is `k=`).
    pub query: Vec<(String, String)>,
}

impl Parts {
    /// The value of the query parameter `name`.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn decode(s: &str) -> String {
    percent_decode_str(s)
        .decode_utf8()
        .unwrap_or_else(|e| panic!("{s:?} is not percent-encoded UTF-8: {e}"))
        .into_owned()
}

/// Splits `url` (with or without a scheme) without resolving `.`/`..`.
pub fn split(url: &str) -> Parts {
    let (before_query, query) = url.split_once('?').unwrap_or((url, ""));
    let host_start = before_query.find("://").map_or(0, |i| i + 3);
    let path_start = before_query[host_start..]
        .find('/')
        .map_or(before_query.len(), |i| host_start + i);
    let path = &before_query[path_start..];
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(n), decode(v))
        })
        .collect();
    pairs.sort();
    Parts {
        origin: before_query[..path_start].to_owned(),
        path: if path.is_empty() {
            "/".to_owned()
        } else {
            path.to_owned()
        },
        query: pairs,
    }
}

/// The signing time of a vector, from its Unix timestamp.
pub fn time(unix: i64) -> time::OffsetDateTime {
    time::OffsetDateTime::from_unix_timestamp(unix).expect("vector times are in range")
}

/// The crate's method for its name.
pub fn method(name: &str) -> presign::Method {
    match name {
        "GET" => presign::Method::Get,
        "PUT" => presign::Method::Put,
        "POST" => presign::Method::Post,
        "DELETE" => presign::Method::Delete,
        "HEAD" => presign::Method::Head,
        other => panic!("unknown method {other}"),
    }
}

/// The variant of an error (and, for `InvalidArgument`, which argument), to
/// check many errors in one table.
pub fn what(e: &presign::Error) -> String {
    match e {
        presign::Error::InvalidArgument { argument, .. } => format!("InvalidArgument({argument})"),
        other => format!("{other:?}")
            .split([' ', '{', '('])
            .next()
            .unwrap_or_default()
            .to_owned(),
    }
}

/// Adds a vector's query parameters and headers to a request.
pub fn with_parts<'a>(
    mut req: presign::PresignRequest<'a>,
    query: &'a [(String, String)],
    headers: &'a [(String, String)],
) -> presign::PresignRequest<'a> {
    for (n, v) in query {
        req = req.query(n.as_str(), v.as_str());
    }
    for (n, v) in headers {
        req = req.header(n.as_str(), v.as_str());
    }
    req
}
