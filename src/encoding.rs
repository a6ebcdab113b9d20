//! How S3 percent-encodes object keys and query strings.
//!
//! Both rules follow botocore (`quote(key, safe='/~')` for paths,
//! `quote(v, safe='-_.~')` for query components): UTF-8, uppercase `%XX`,
//! and only the RFC 3986 unreserved characters left literal. They are the
//! SigV4 `UriEncode()` rules; S3 canonical URIs are not encoded twice.

use std::borrow::Cow;
use std::cmp::Ordering;

use percent_encoding::{percent_decode_str, percent_encode_byte};

use crate::signing::Sink;

/// The bytes escaped in a query name or value: all but `A-Za-z0-9-_.~`.
const QUERY: Escapes = Escapes::all_but_unreserved_and(b"");

/// The bytes escaped in an object key: as [`QUERY`], but `/` stays literal.
const KEY: Escapes = Escapes::all_but_unreserved_and(b"/");

/// Which bytes a percent-encoding escapes, one flag per byte value, so the
/// encoder tests a byte with one load.
struct Escapes([bool; 256]);

impl Escapes {
    /// Escapes every byte but the unreserved ones and `literal`.
    const fn all_but_unreserved_and(literal: &[u8]) -> Self {
        let mut escapes = [true; 256];
        let mut b = 0;
        while b < 256 {
            escapes[b] = !is_unreserved(b as u8);
            b += 1;
        }
        let mut i = 0;
        while i < literal.len() {
            escapes[literal[i] as usize] = false;
            i += 1;
        }
        Self(escapes)
    }
}

/// Writes `s` percent-encoded into `sink`, without allocating: each run of
/// literal bytes in one piece, each escaped byte as `%XX`.
fn put_encoded(sink: &mut impl Sink, s: &str, escapes: &Escapes) {
    let mut literal_from = 0;
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if escapes.0[usize::from(b)] {
            // A run of literal bytes is ASCII, and every non-ASCII byte is
            // escaped, so a non-empty run starts and ends on character
            // boundaries.
            if literal_from < i {
                sink.put(&s[literal_from..i]);
            }
            sink.put(percent_encode_byte(b));
            literal_from = i + 1;
        }
    }
    if literal_from < s.len() {
        sink.put(&s[literal_from..]);
    }
}

/// Writes an object key as it appears in the URL path and the canonical URI.
///
/// The key is not normalised: `//`, a leading `/`, `./` and `../` are kept,
/// as S3 stores keys byte for byte (botocore behaves the same).
pub(crate) fn put_key(sink: &mut impl Sink, key: &str) {
    put_encoded(sink, key, &KEY);
}

/// Writes a query name or value in its encoded form.
pub(crate) fn put_query_component(sink: &mut impl Sink, s: &str) {
    put_encoded(sink, s, &QUERY);
}

/// Decodes a percent-encoded path or query component as received, the
/// inverse of [`put_key`] and [`put_query_component`] for every encoder that
/// follows RFC 3986 (escapes in either hex case, characters left literal).
///
/// `None` when a `%` does not start a `%XX` escape or the bytes are not
/// UTF-8 (S3 keys and SigV4 canonical strings are UTF-8). `+` is a literal
/// plus: the signers this crate matches write a space as `%20`.
pub(crate) fn decode(s: &str) -> Option<Cow<'_, str>> {
    let b = s.as_bytes();
    let well_formed = b.iter().enumerate().all(|(i, &c)| {
        c != b'%'
            || (b.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                && b.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
    });
    if !well_formed {
        return None;
    }
    percent_decode_str(s).decode_utf8().ok()
}

/// Writes the canonical URI of a request to an AWS service other than S3,
/// given its URL path (already encoded once).
///
/// SigV4 ("Create a canonical request"): "Normalize URI paths according to
/// RFC 3986. Remove redundant and relative path components. Each path
/// segment must be URI-encoded twice (except for Amazon S3 which only gets
/// URI-encoded once)." botocore does exactly this: `quote(normalize_url_path(
/// path), safe='/~')` on the encoded path, where normalising removes `.` and
/// empty segments and resolves `..` (RFC 3986 §5.2.4), keeping a leading and
/// (if any segment is left) a trailing `/`.
pub(crate) fn put_normalized_path(sink: &mut impl Sink, encoded_path: &str) {
    let mut segments: Vec<&str> = Vec::new();
    for segment in encoded_path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            _ => segments.push(segment),
        }
    }
    if encoded_path.starts_with('/') || encoded_path.is_empty() {
        sink.put("/");
    }
    for (i, segment) in segments.iter().enumerate() {
        if i > 0 {
            sink.put("/");
        }
        put_encoded(sink, segment, &KEY);
    }
    if encoded_path.ends_with('/') && !segments.is_empty() {
        sink.put("/");
    }
}

/// Compares two strings by their query-encoded bytes, without encoding them.
///
/// The canonical query string is sorted by encoded name, then encoded value
/// (SigV4: "sort the parameter names by character code point in ascending
/// order"), which differs from sorting the raw strings when a name contains
/// characters that are escaped.
pub(crate) fn cmp_query_encoded(a: &str, b: &str) -> Ordering {
    encoded_bytes(a).cmp(encoded_bytes(b))
}

/// Whether [`QUERY`] leaves `b` literal: `A-Za-z0-9-_.~` (RFC 3986
/// unreserved characters).
const fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// The bytes of `s` as [`QUERY`] would encode it.
fn encoded_bytes(s: &str) -> impl Iterator<Item = u8> + '_ {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    s.bytes().flat_map(|b| {
        let escaped = !is_unreserved(b);
        let bytes = if escaped {
            [b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]
        } else {
            [b, 0, 0]
        };
        bytes.into_iter().take(if escaped { 3 } else { 1 })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> String {
        let mut out = String::new();
        put_key(&mut out, s);
        out
    }

    fn query(s: &str) -> String {
        let mut out = String::new();
        put_query_component(&mut out, s);
        out
    }

    #[test]
    fn key_encoding_matches_python_quote_with_safe_slash_tilde() {
        // Expected strings are Python's urllib.parse.quote(k, safe='/~').
        assert_eq!(key("a b+c%d"), "a%20b%2Bc%25d");
        assert_eq!(key("!*'()"), "%21%2A%27%28%29");
        assert_eq!(key("/a//./../~x"), "/a//./../~x");
        assert_eq!(key("é"), "%C3%A9");
    }

    #[test]
    fn normalized_path_matches_botocore() {
        // Expected strings are botocore's
        // quote(normalize_url_path(p), safe='/~') (botocore 1.44.5).
        for (path, expected) in [
            ("", "/"),
            ("/", "/"),
            ("//a//b/", "/a/b/"),
            ("/a/./b/../c", "/a/c"),
            ("/../..", "/"),
            ("/a/..", "/"),
            ("/a%20b/%C3%A9~", "/a%2520b/%25C3%25A9~"),
        ] {
            let mut out = String::new();
            put_normalized_path(&mut out, path);
            assert_eq!(out, expected, "{path:?}");
        }
    }

    #[test]
    fn query_encoding_escapes_slash() {
        // urllib.parse.quote(v, safe='-_.~')
        assert_eq!(query("a/b;c=d&e"), "a%2Fb%3Bc%3Dd%26e");
        assert_eq!(query("-_.~"), "-_.~");
    }

    /// The percent-encoding crate's encoder with the same sets, as the
    /// reference.
    const REFERENCE_QUERY: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    const REFERENCE_KEY: &percent_encoding::AsciiSet = &REFERENCE_QUERY.remove(b'/');

    fn reference(s: &str, set: &'static percent_encoding::AsciiSet) -> String {
        percent_encoding::utf8_percent_encode(s, set).to_string()
    }

    #[test]
    fn every_byte_agrees_with_the_percent_encoding_crate() {
        for c in (0..=0x7f_u8).map(char::from).chain(['é', '€', '😀']) {
            let s = format!("a{c}b{c}{c}");
            assert_eq!(query(&s), reference(&s, REFERENCE_QUERY), "{c:?}");
            assert_eq!(key(&s), reference(&s, REFERENCE_KEY), "{c:?}");
        }
        for s in ["", "%", "é", "plain", "/lead/and/trail/"] {
            assert_eq!(query(s), reference(s, REFERENCE_QUERY), "{s:?}");
            assert_eq!(key(s), reference(s, REFERENCE_KEY), "{s:?}");
        }
    }

    #[test]
    fn decode_inverts_the_encoders_and_refuses_broken_escapes() {
        for s in ["", "a b+c%d", "é/~/../x", "\r\n\0#?&=", "😀"] {
            assert_eq!(decode(&key(s)).as_deref(), Some(s));
            assert_eq!(decode(&query(s)).as_deref(), Some(s));
        }
        assert_eq!(decode("%2f%2F+").as_deref(), Some("//+"));
        for bad in ["%", "%2", "%zz", "a%g0", "%C3", "%FF"] {
            assert_eq!(decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn is_unreserved_agrees_with_query_set() {
        for b in 0..=255u8 {
            let encoded = percent_encoding::percent_encode(&[b], REFERENCE_QUERY).to_string();
            assert_eq!(is_unreserved(b), encoded.len() == 1, "byte {b:#x}");
        }
    }

    #[test]
    fn encoded_order_differs_from_raw_order() {
        // Raw: '~' (0x7E) > 'a'; encoded '~' stays '~'. Raw ' ' < 'A', encoded "%20" < "A" too,
        // but raw 'é' (0xC3..) > 'z' while encoded "%C3%A9" < "A".
        assert_eq!(cmp_query_encoded("é", "A"), Ordering::Less);
        assert_eq!(cmp_query_encoded("a", "é"), Ordering::Greater);
        assert_eq!(
            cmp_query_encoded("X-Amz-Date", "X-Amz-Date"),
            Ordering::Equal
        );
        for (a, b) in [("a b", "a+b"), ("x/y", "x-y"), ("é", "ê"), ("", "a")] {
            assert_eq!(
                cmp_query_encoded(a, b),
                query(a).cmp(&query(b)),
                "{a} vs {b}"
            );
        }
    }
}
