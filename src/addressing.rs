//! Where a request goes: the endpoint, path-style or virtual-hosted
//! addressing, and the bucket naming rules that decide between them.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::Error;
use crate::encoding::{put_key, put_normalized_path};
use crate::signing::Sink;

/// How the bucket appears in the URL.
///
/// ```
/// use presign::{Credentials, Presigner, UrlStyle};
///
/// let p = Presigner::builder()
///     .endpoint("http://localhost:9000")
///     .region("us-east-1")
///     .credentials(Credentials::new("AKID", "SECRET"))
///     .url_style(UrlStyle::Path)
///     .build()?;
/// let url = p.get_object("bucket", "key").sign()?;
/// assert!(url.as_str().starts_with("http://localhost:9000/bucket/key?"));
/// # Ok::<(), presign::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UrlStyle {
    /// Chosen per request, as botocore's `auto` does. On AWS's own endpoints
    /// (no [`endpoint`](crate::PresignerBuilder::endpoint) given):
    /// virtual-hosted when the bucket is DNS-compatible (3–63 characters of
    /// `a-z0-9.-`, starting and ending with a letter or digit, no `..`, not
    /// shaped like an IP address) and has no `.` (a dotted name would not
    /// match the `*.s3…amazonaws.com` TLS certificate), path style otherwise.
    ///
    /// With a custom endpoint, path style: S3-compatible servers (MinIO,
    /// Ceph, Garage, …) serve it without DNS set-up, and it is what
    /// `aws s3 presign --endpoint-url` produces. Choose
    /// [`VirtualHosted`](Self::VirtualHosted) for stores that want bucket
    /// host names.
    ///
    /// botocore's `auto` differs in one way: on AWS it uses the legacy
    /// global host `s3.amazonaws.com` in every region, which regions opened
    /// since 2019 do not serve; `Auto` uses the region's own host.
    #[default]
    Auto,
    /// `https://endpoint/bucket/key`. Works with every bucket name.
    Path,
    /// `https://bucket.endpoint/key`. Building a request for a bucket that is
    /// not DNS-compatible, or on an endpoint whose host is an IP address, is
    /// an error.
    VirtualHosted,
    /// `https://endpoint/key`: the endpoint's host *is* the bucket (a CNAME
    /// or bucket-bound hostname, a TOS custom domain, a GCS bucket-bound
    /// hostname), so neither host nor path carries the bucket.
    ///
    /// ```
    /// use presign::{Credentials, Presigner, UrlStyle};
    ///
    /// let p = Presigner::builder()
    ///     .endpoint("https://media.example.com")
    ///     .region("us-east-1")
    ///     .credentials(Credentials::new("AKID", "SECRET"))
    ///     .url_style(UrlStyle::CustomDomain)
    ///     .build()?;
    /// let url = p.get_object("media-bucket", "cat.jpg").sign()?;
    /// assert!(url.as_str().starts_with("https://media.example.com/cat.jpg?"));
    /// # Ok::<(), presign::Error>(())
    /// ```
    CustomDomain,
}

/// A parsed, validated endpoint.
#[derive(Clone, Debug)]
pub(crate) struct Endpoint {
    /// `http` or `https`.
    scheme: &'static str,
    /// The host as signed: lowercased, with the port unless it is the
    /// scheme's default. The URL uses the same form.
    host: String,
    host_is_ip: bool,
    /// Whether this is AWS's endpoint for the region, chosen by default.
    is_aws_default: bool,
    /// The endpoint's path as given, such as `/s3` or `/s3/`, or empty.
    path: String,
}

impl Endpoint {
    /// The AWS S3 endpoint of `region`: the global `s3.amazonaws.com` for
    /// `us-east-1`, `s3.<region>.amazonaws.com.cn` in China, else
    /// `s3.<region>.amazonaws.com` (botocore's endpoint ruleset).
    pub(crate) fn aws(region: &str) -> Self {
        let host = if region == "us-east-1" {
            "s3.amazonaws.com".to_owned()
        } else {
            format!("s3.{region}.{}", aws_dns_suffix(region))
        };
        Self {
            scheme: "https",
            host: host.to_ascii_lowercase(),
            host_is_ip: false,
            is_aws_default: true,
            path: String::new(),
        }
    }

    /// Parses `http[s]://host[:port][/path-prefix]`.
    ///
    /// The raw string is checked by hand rather than through `url::Url`,
    /// which repairs input such as `https:///host` instead of refusing it.
    pub(crate) fn parse(endpoint: &str) -> Result<Self, Error> {
        let fail = |reason| Error::InvalidEndpoint {
            endpoint: redact_user_info(endpoint),
            reason,
        };
        let (scheme, rest) = match endpoint.split_once("://") {
            Some((s, rest)) if s.eq_ignore_ascii_case("https") => ("https", rest),
            Some((s, rest)) if s.eq_ignore_ascii_case("http") => ("http", rest),
            Some(_) => return Err(fail("the scheme must be http:// or https://")),
            None => {
                return Err(fail(
                    "it needs a scheme: write it as https://host[:port][/prefix]",
                ));
            }
        };
        if endpoint.contains('?') || endpoint.contains('#') {
            return Err(fail(
                "it must not have a query or fragment; give only scheme, host, port and path prefix",
            ));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err(fail(
                "it must not carry user information; pass keys with .credentials()",
            ));
        }
        let (host, port) = split_host_port(authority).map_err(fail)?;
        let host_is_ip = if let Some(v6) = host.strip_prefix('[') {
            let inner = v6
                .strip_suffix(']')
                .ok_or_else(|| fail("an IPv6 host must be in brackets"))?;
            inner
                .parse::<Ipv6Addr>()
                .map_err(|_| fail("the IPv6 address in brackets is not valid"))?;
            true
        } else if host.is_empty() {
            return Err(fail("the host is empty"));
        } else if !host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_'))
            || host.starts_with('.')
            || host.contains("..")
        {
            return Err(fail(
                "the host must be a DNS name (letters, digits, '-', '.') or an IP address",
            ));
        } else {
            host.parse::<Ipv4Addr>().is_ok()
        };
        let default_port = if scheme == "https" { 443 } else { 80 };
        let mut canonical = host.to_ascii_lowercase();
        if let Some(port) = port.filter(|&p| p != default_port) {
            canonical.push(':');
            canonical.push_str(&port.to_string());
        }
        if !path
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/'))
        {
            return Err(fail(
                "the path prefix may only hold letters, digits, '-', '_', '.', '~' and '/'",
            ));
        }
        Ok(Self {
            scheme,
            host: canonical,
            host_is_ip,
            is_aws_default: false,
            path: path.to_owned(),
        })
    }

    /// Where a request for `bucket`/`key` goes under `style`.
    pub(crate) fn locate<'a>(
        &'a self,
        style: UrlStyle,
        bucket: &'a str,
        key: &'a str,
    ) -> Result<Location<'a>, Error> {
        validate_bucket(bucket)?;
        if key.len() > MAX_KEY_LEN {
            return Err(Error::KeyTooLong { len: key.len() });
        }
        let virtual_hosted = match style {
            UrlStyle::Path => false,
            UrlStyle::Auto => {
                self.is_aws_default && is_dns_compatible(bucket) && !bucket.contains('.')
            }
            UrlStyle::VirtualHosted if !is_dns_compatible(bucket) => {
                return Err(Error::InvalidBucket {
                    bucket: bucket.to_owned(),
                    reason: "virtual-hosted style needs a DNS-compatible name \
                             (3-63 of a-z 0-9 . -, no leading or trailing '-', no '..', not an IP address); \
                             use UrlStyle::Path or UrlStyle::Auto where the store allows path style",
                });
            }
            UrlStyle::VirtualHosted if self.host_is_ip => {
                return Err(Error::InvalidEndpoint {
                    endpoint: self.host.clone(),
                    reason: "virtual-hosted style needs a DNS host name, not an IP address; use UrlStyle::Path",
                });
            }
            UrlStyle::VirtualHosted => true,
            // The bucket stays known (SigV2 signs it in the resource) but
            // is written in neither host nor path.
            UrlStyle::CustomDomain => {
                return Ok(Location {
                    bucket,
                    ..self.locate_path(key)
                });
            }
        };
        Ok(Location {
            scheme: self.scheme,
            host: &self.host,
            endpoint_path: &self.path,
            bucket,
            bucket_in_host: virtual_hosted,
            bucket_in_path: !virtual_hosted,
            key,
            normalize_uri: false,
        })
    }

    /// A request for `path` (without its leading `/`) on this endpoint's
    /// host, with no bucket: custom domains and other services.
    pub(crate) fn locate_path<'a>(&'a self, path: &'a str) -> Location<'a> {
        Location {
            scheme: self.scheme,
            host: &self.host,
            endpoint_path: &self.path,
            bucket: "",
            bucket_in_host: false,
            bucket_in_path: false,
            key: path,
            normalize_uri: false,
        }
    }

    /// The host of a received request as [`Location::put_host`] writes it:
    /// `authority` (`host[:port]`) lowercased, without the default port of
    /// `scheme` (this endpoint's scheme when the request did not say).
    pub(crate) fn received_host(
        &self,
        scheme: Option<&str>,
        authority: &str,
    ) -> Result<String, Error> {
        let scheme = scheme.unwrap_or(self.scheme);
        // The same parser as the endpoint's, so both are canonical alike.
        Ok(Self::parse(&format!("{scheme}://{authority}"))?.host)
    }

    /// The inverse of [`locate`](Self::locate): where a request received
    /// for `host` (from [`received_host`](Self::received_host)) and the
    /// percent-decoded `path` goes, under `style` with the meaning it has for
    /// [`locate`](Self::locate), except that [`UrlStyle::Auto`] accepts both
    /// layouts: virtual-hosted when the host is a bucket under this
    /// endpoint's host, path style when it is the host itself. Under
    /// [`UrlStyle::CustomDomain`] the bucket is not in the request, and the
    /// location's bucket is empty.
    ///
    /// The result is checked to be the location `locate` gives for the
    /// bucket and key it names, so it writes back the same host and path.
    pub(crate) fn resolve<'a>(
        &'a self,
        style: UrlStyle,
        host: &'a str,
        path: &'a str,
    ) -> Result<Location<'a>, Error> {
        let wrong_host = || Error::InvalidEndpoint {
            endpoint: host.to_owned(),
            reason: "the request's host is not this endpoint's host (nor, virtual-hosted, a bucket under it)",
        };
        let bad_path = || Error::InvalidEndpoint {
            endpoint: path.to_owned(),
            reason: "the request's path is not [prefix]/bucket/key (path style) or [prefix]/key (virtual-hosted, custom domain) under this endpoint",
        };
        let bucket_host = host
            .strip_suffix(self.host.as_str())
            .and_then(|b| b.strip_suffix('.'))
            .filter(|b| !b.is_empty());
        let style = match style {
            UrlStyle::Auto if bucket_host.is_some() => UrlStyle::VirtualHosted,
            UrlStyle::Auto => UrlStyle::Path,
            other => other,
        };
        let prefix = self.path.trim_end_matches('/');
        let under_prefix = path.strip_prefix(prefix).and_then(|p| p.strip_prefix('/'));
        let location = match style {
            UrlStyle::VirtualHosted => {
                let bucket = bucket_host.ok_or_else(wrong_host)?;
                let root = if self.path.is_empty() {
                    "/"
                } else {
                    &self.path
                };
                let key = if path == root { Some("") } else { under_prefix };
                self.locate(style, bucket, key.ok_or_else(bad_path)?)?
            }
            _ if host != self.host => return Err(wrong_host()),
            UrlStyle::CustomDomain => {
                let key = under_prefix.ok_or_else(bad_path)?;
                if key.len() > MAX_KEY_LEN {
                    return Err(Error::KeyTooLong { len: key.len() });
                }
                self.locate_path(key)
            }
            _ => {
                let rest = under_prefix.ok_or_else(bad_path)?;
                let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
                self.locate(UrlStyle::Path, bucket, key)?
            }
        };
        let (mut written_host, mut written_path, mut received_path) =
            (String::new(), String::new(), String::new());
        location.put_host(&mut written_host);
        location.put_path(&mut written_path);
        put_key(&mut received_path, path);
        if written_host != host {
            return Err(wrong_host());
        }
        if written_path != received_path {
            return Err(bad_path());
        }
        Ok(location)
    }
}

/// The DNS suffix of AWS endpoints in `region`: `amazonaws.com.cn` in the
/// China partition (`cn-*`), else `amazonaws.com`.
pub(crate) fn aws_dns_suffix(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "amazonaws.com.cn"
    } else {
        "amazonaws.com"
    }
}

/// S3's longest object key, in bytes of UTF-8.
pub(crate) const MAX_KEY_LEN: usize = 1024;

/// `endpoint` with anything that may be user information
/// (`user:password@`) replaced, so that an error never repeats a password.
/// Everything up to the last `@` goes: a password may hold `/`, and no
/// valid endpoint has an `@` anywhere.
fn redact_user_info(endpoint: &str) -> String {
    let start = endpoint.find("://").map_or(0, |i| i + 3);
    match endpoint[start..].rfind('@') {
        Some(at) => format!(
            "{}<redacted>{}",
            &endpoint[..start],
            &endpoint[start + at..]
        ),
        None => endpoint.to_owned(),
    }
}

/// Splits `host[:port]` (or `[v6]:port`) and parses the port.
fn split_host_port(authority: &str) -> Result<(&str, Option<u16>), &'static str> {
    let colon = match authority.rfind(':') {
        Some(i) if !authority[i..].contains(']') => i,
        _ => return Ok((authority, None)),
    };
    let port = &authority[colon + 1..];
    if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err("the port must be a number from 1 to 65535");
    }
    match port.parse::<u16>() {
        Ok(p) if p > 0 => Ok((&authority[..colon], Some(p))),
        _ => Err("the port must be a number from 1 to 65535"),
    }
}

/// Checks what every addressing style needs: 1–255 characters of
/// `A-Za-z0-9._-` (S3's legacy naming rules still allow uppercase and `_`,
/// which path style can address).
pub(crate) fn validate_bucket(bucket: &str) -> Result<(), Error> {
    let reason = if bucket.is_empty() {
        "it is empty"
    } else if bucket.len() > 255 {
        "it is longer than 255 characters"
    } else if !bucket
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    {
        "it may only hold letters, digits, '.', '_' and '-'"
    } else {
        return Ok(());
    };
    Err(Error::InvalidBucket {
        bucket: bucket.to_owned(),
        reason,
    })
}

/// Whether `bucket` can be a host label (S3's virtual-hosting rules).
pub(crate) fn is_dns_compatible(bucket: &str) -> bool {
    let b = bucket.as_bytes();
    (3..=63).contains(&b.len())
        && b.iter()
            .all(|&c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'.' || c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && !bucket.contains("..")
        && !bucket.contains(".-")
        && !bucket.contains("-.")
        && bucket.parse::<Ipv4Addr>().is_err()
}

/// A resolved request target: origin and path, borrowed from the endpoint
/// and the request.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Location<'a> {
    scheme: &'static str,
    host: &'a str,
    endpoint_path: &'a str,
    bucket: &'a str,
    /// `bucket.host` (virtual-hosted).
    bucket_in_host: bool,
    /// `/bucket/key` (path style).
    bucket_in_path: bool,
    key: &'a str,
    /// The canonical URI is the path normalised and encoded a second time,
    /// as SigV4 wants for every service but S3.
    normalize_uri: bool,
}

impl<'a> Location<'a> {
    /// The bucket addressed.
    pub(crate) fn bucket(&self) -> &'a str {
        self.bucket
    }

    /// The object key addressed, decoded; empty for the bucket itself.
    pub(crate) fn key(&self) -> &'a str {
        self.key
    }

    /// Writes the host as signed and sent: `bucket.host` or `host`.
    pub(crate) fn put_host(&self, sink: &mut impl Sink) {
        if self.bucket_in_host {
            sink.put(self.bucket);
            sink.put(".");
        }
        sink.put(self.host);
    }

    /// Writes `scheme://host`.
    pub(crate) fn put_origin(&self, sink: &mut impl Sink) {
        sink.put(self.scheme);
        sink.put("://");
        self.put_host(sink);
    }

    /// Writes the SigV2 canonical resource: `/bucket/` and the encoded key,
    /// whatever the addressing style and without the endpoint's path prefix
    /// (botocore signs its `auth_path`, which never holds the prefix). A
    /// bucket-level request is `/bucket/`.
    pub(crate) fn put_resource(&self, sink: &mut impl Sink) {
        sink.put("/");
        sink.put(self.bucket);
        sink.put("/");
        put_key(sink, self.key);
    }

    /// Writes the path: the endpoint's path prefix (without trailing `/`),
    /// `/bucket` in path style, then `/` and the encoded key. A bucket-level
    /// request (empty key) is `/bucket` in path style; virtual-hosted, it is
    /// the endpoint's path as given, or `/` (botocore's choices); with the
    /// bucket in neither host nor path, the prefix and `/`.
    pub(crate) fn put_path(&self, sink: &mut impl Sink) {
        if self.bucket_in_host && self.key.is_empty() {
            let root = if self.endpoint_path.is_empty() {
                "/"
            } else {
                self.endpoint_path
            };
            sink.put(root);
            return;
        }
        sink.put(self.endpoint_path.trim_end_matches('/'));
        if self.bucket_in_path {
            sink.put("/");
            sink.put(self.bucket);
            if self.key.is_empty() {
                return;
            }
        }
        sink.put("/");
        put_key(sink, self.key);
    }

    /// Writes the canonical URI: the path itself for S3 and S3-like stores,
    /// or the path normalised and encoded again for other AWS services.
    pub(crate) fn put_canonical_uri(&self, sink: &mut impl Sink) {
        if self.normalize_uri {
            let mut path = String::new();
            self.put_path(&mut path);
            put_normalized_path(sink, &path);
        } else {
            self.put_path(sink);
        }
    }

    /// Whether the canonical URI is the URL's path.
    pub(crate) fn uri_is_path(&self) -> bool {
        !self.normalize_uri
    }

    /// This location, with the canonical URI of services other than S3.
    pub(crate) fn normalized(self) -> Self {
        Self {
            normalize_uri: true,
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_compatibility() {
        for ok in ["abc", "my-bucket", "a.b.c", "0bucket", &"a".repeat(63)] {
            assert!(is_dns_compatible(ok), "{ok}");
        }
        for bad in [
            "ab",
            "MyBucket",
            "under_score",
            "-ab",
            "ab-",
            "a..b",
            "192.168.1.1",
            &"a".repeat(64),
        ] {
            assert!(!is_dns_compatible(bad), "{bad}");
        }
    }

    #[test]
    fn endpoint_host_is_canonicalised() {
        let e = Endpoint::parse("HTTPS://S3.Example.COM:443/s3-prefix/").unwrap();
        assert_eq!(
            (e.scheme, e.host.as_str(), e.path.as_str()),
            ("https", "s3.example.com", "/s3-prefix/")
        );
        let e = Endpoint::parse("http://[::1]:9000").unwrap();
        assert_eq!((e.host.as_str(), e.host_is_ip), ("[::1]:9000", true));
        let e = Endpoint::parse("http://127.0.0.1:80").unwrap();
        assert_eq!((e.host.as_str(), e.host_is_ip), ("127.0.0.1", true));
    }
}
