//! End-to-end harness: a real S3 server (s3s-fs, which verifies signatures)
//! running inside the test process, and a plain HTTP/1.1 client that sends a
//! presigned request exactly as signed.
//!
//! Each test starts its own [`Server`]: a fresh temporary directory (a bucket
//! is a subdirectory) served on `127.0.0.1:0`. Dropping the server stops it
//! and deletes the directory, so nothing outlives the test.
//!
//! The server is configured with one access key ([`ACCESS_KEY`] /
//! [`SECRET_KEY`]) and a virtual-host domain ([`DOMAIN`] plus the port), so
//! both addressing styles reach it: path style via `Host: 127.0.0.1:port`
//! (s3s treats IP hosts as path style), virtual-hosted style via
//! `Host: bucket.s3.e2e.test:port` while the client still connects to
//! 127.0.0.1 (like `curl --connect-to`).
//!
//! [`Sig`] runs one test body for SigV4 and SigV2; [`url_cases`] holds the
//! presigned-URL cases both versions share.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::io;
use std::net::SocketAddr;
use std::path::PathBuf;

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full, combinators::BoxBody};
use hyper::header::{HOST, HeaderMap, HeaderName};
use hyper_util::rt::TokioIo;
use presign::{
    Credentials, PostForm, PostFormBuilder, PresignRequest, PresignedUrl, Presigner, UrlStyle,
};
use s3s::auth::SimpleAuth;
use s3s::host::SingleDomain;
use s3s::service::S3ServiceBuilder;
use tempfile::TempDir;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

pub mod url_cases;

/// The access key id the server knows.
pub const ACCESS_KEY: &str = "AKIAE2EEXAMPLEKEY0001";
/// Its secret. `/` and `+` on purpose: they must not be URL-encoded
/// anywhere, since the secret only feeds the HMAC.
pub const SECRET_KEY: &str = "e2e/Secret+Key/wJalrXUtnFEMIK7MDENGbPxRfiCY";
/// The region signed into requests. s3s accepts any region: it verifies
/// the signature with the region named in the credential scope.
pub const REGION: &str = "us-east-1";
/// The server's base domain for virtual-hosted requests (with the port
/// appended); never resolved, the client always connects to 127.0.0.1.
pub const DOMAIN: &str = "s3.e2e.test";

/// The bucket most tests use.
pub const BUCKET: &str = "e2e-bucket";

/// The signature versions `presign` signs with, so that one test body runs
/// for both.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sig {
    /// AWS Signature Version 4 ([`PresignRequest::sign`],
    /// [`PostFormBuilder::sign`]).
    V4,
    /// Legacy Signature Version 2 ([`PresignRequest::sign_v2`],
    /// [`PostFormBuilder::sign_v2`]).
    V2,
}

impl Sig {
    /// Signs a presigned URL with this version.
    pub fn sign(self, request: PresignRequest<'_>) -> PresignedUrl {
        match self {
            Sig::V4 => request.sign(),
            Sig::V2 => request.sign_v2(),
        }
        .expect("the tests sign valid requests")
    }

    /// Signs a POST form with this version.
    pub fn sign_form(self, form: PostFormBuilder<'_>) -> PostForm {
        match self {
            Sig::V4 => form.sign(),
            Sig::V2 => form.sign_v2(),
        }
        .expect("the tests sign valid forms")
    }

    /// The name of the form field holding the signature.
    pub fn signature_field(self) -> &'static str {
        match self {
            Sig::V4 => "x-amz-signature",
            Sig::V2 => "signature",
        }
    }

    /// `url` with one character of its signature parameter changed.
    pub fn tamper_url(self, url: &str) -> String {
        let name = match self {
            Sig::V4 => "X-Amz-Signature=",
            Sig::V2 => "Signature=",
        };
        let query = url.find('?').expect("a presigned URL has a query") + 1;
        let start = query
            + url[query..]
                .split('&')
                .scan(0, |offset, param| {
                    let at = *offset;
                    *offset += param.len() + 1;
                    Some((at, param))
                })
                .find(|(_, param)| param.starts_with(name))
                .map(|(at, _)| at + name.len())
                .expect("the URL carries its signature");
        let end = url[start..].find('&').map_or(url.len(), |len| start + len);
        format!(
            "{}{}{}",
            &url[..start],
            tamper(&url[start..end]),
            &url[end..]
        )
    }
}

/// `value` with its first ASCII letter or digit changed to `0` (or to `1`
/// if it is `0`): still a well-formed hex or base64 signature, but a wrong
/// one.
pub fn tamper(value: &str) -> String {
    let at = value
        .find(|c: char| c.is_ascii_alphanumeric())
        .expect("a signature has letters or digits");
    let new = if value[at..].starts_with('0') {
        "1"
    } else {
        "0"
    };
    format!("{}{new}{}", &value[..at], &value[at + 1..])
}

/// An s3s-fs server on `127.0.0.1:<random port>` over a temporary directory.
#[derive(Debug)]
pub struct Server {
    addr: SocketAddr,
    root: TempDir,
    accept_loop: JoinHandle<()>,
}

impl Server {
    /// Starts a server in the current tokio runtime with the given buckets
    /// (empty directories under the root).
    pub async fn start(buckets: &[&str]) -> io::Result<Server> {
        let root = tempfile::tempdir()?;
        for bucket in buckets {
            std::fs::create_dir(root.path().join(bucket))?;
        }
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;

        // s3s_fs::Error is not a std::error::Error; keep its Debug text.
        let fs = s3s_fs::FileSystem::new(root.path())
            .map_err(|e| io::Error::other(format!("s3s-fs: {e:?}")))?;
        let mut builder = S3ServiceBuilder::new(fs);
        builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
        // s3s compares the whole Host header (port included) with the domain.
        let domain = format!("{DOMAIN}:{}", addr.port());
        builder.set_host(SingleDomain::new(&domain).map_err(io::Error::other)?);
        let service = builder.build();

        let accept_loop = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let service = service.clone();
                tokio::spawn(async move {
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
        Ok(Server {
            addr,
            root,
            accept_loop,
        })
    }

    /// The path-style endpoint: `http://127.0.0.1:<port>`.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The virtual-host endpoint: `http://s3.e2e.test:<port>`; buckets are
    /// addressed as `http://<bucket>.s3.e2e.test:<port>`.
    pub fn domain_endpoint(&self) -> String {
        format!("http://{DOMAIN}:{}", self.addr.port())
    }

    /// A path-style presigner with the server's keys.
    pub fn presigner(&self) -> Presigner {
        self.presigner_with(
            &self.endpoint(),
            UrlStyle::Path,
            Credentials::new(ACCESS_KEY, SECRET_KEY),
        )
    }

    /// A presigner for `endpoint` with other credentials or addressing.
    pub fn presigner_with(
        &self,
        endpoint: &str,
        url_style: UrlStyle,
        credentials: Credentials,
    ) -> Presigner {
        Presigner::builder()
            .endpoint(endpoint)
            .region(REGION)
            .credentials(credentials)
            .url_style(url_style)
            .build()
            .expect("the harness configures a valid presigner")
    }

    /// Where s3s-fs stores `key` of `bucket` on disk.
    pub fn object_path(&self, bucket: &str, key: &str) -> PathBuf {
        self.root.path().join(bucket).join(key)
    }

    /// The bytes of `key` in `bucket` on disk, if s3s-fs stored it.
    pub fn stored(&self, bucket: &str, key: &str) -> Option<Vec<u8>> {
        std::fs::read(self.object_path(bucket, key)).ok()
    }

    /// Sends `method url` to this server with `headers` and `body`.
    ///
    /// The request target is the URL's path and query byte for byte, and the
    /// `Host` header is the URL's authority, whatever host the URL names:
    /// the connection always goes to this server. Nothing is added but
    /// `content-length` when there is a body.
    pub async fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: impl Into<Bytes>,
    ) -> Response {
        let (authority, target) = split_url(url);
        let body: Bytes = body.into();
        let body: BoxBody<Bytes, hyper::Error> = if body.is_empty() {
            Empty::new().map_err(|never| match never {}).boxed()
        } else {
            Full::new(body).map_err(|never| match never {}).boxed()
        };
        let mut request = hyper::Request::builder()
            .method(method)
            .uri(target)
            .header(HOST, authority);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let request = request.body(body).expect("a valid HTTP request");

        let stream = TcpStream::connect(self.addr)
            .await
            .expect("connect to the server");
        let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .expect("HTTP/1.1 handshake");
        let connection = tokio::spawn(connection);
        let response = sender.send_request(request).await.expect("a response");
        let (parts, body) = response.into_parts();
        let body = body.collect().await.expect("the response body").to_bytes();
        drop(sender);
        let _ = connection.await;
        Response {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body,
        }
    }

    /// Sends a [`presign::PresignedUrl`] as its method with the headers it
    /// requires.
    pub async fn send_presigned(
        &self,
        url: &presign::PresignedUrl,
        body: impl Into<Bytes>,
    ) -> Response {
        let headers: Vec<(&str, &str)> = url
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.send(url.method().as_str(), url.as_str(), &headers, body)
            .await
    }
}

/// A `multipart/form-data` body as a browser sends an HTML upload form:
/// the `fields` in order, then the `file` field last (S3 ignores fields
/// after it). Returns the `content-type` header value and the body.
pub fn multipart_form(fields: &[(&str, &str)], file_name: &str, file: &[u8]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "presign-e2e-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    assert!(
        !file
            .windows(BOUNDARY.len())
            .any(|w| w == BOUNDARY.as_bytes())
            && fields
                .iter()
                .all(|(n, v)| !n.contains(BOUNDARY) && !v.contains(BOUNDARY)),
        "the form's content holds the multipart boundary"
    );
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// Runs the `curl` binary (without blocking the runtime the server runs
/// on) and returns the response status it printed.
pub async fn curl(args: &[&str]) -> String {
    let output = tokio::process::Command::new("curl")
        // Only so the test reads the status; the request is curl's own.
        .args([
            "--silent",
            "--show-error",
            "--noproxy",
            "*",
            "--write-out",
            "%{http_code}",
        ])
        .args(args)
        .kill_on_drop(true)
        .output()
        .await
        .expect("run curl (installed by .ci/run)");
    assert!(
        output.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("curl prints the status in ASCII")
}

impl Drop for Server {
    fn drop(&mut self) {
        // Stop accepting; open connections end with the test's runtime. The
        // TempDir field then deletes the files.
        self.accept_loop.abort();
    }
}

/// `http://authority/target` → (`authority`, `/target`), without parsing
/// anything else, so the target is sent exactly as signed.
fn split_url(url: &str) -> (&str, &str) {
    let rest = url
        .strip_prefix("http://")
        .expect("the harness speaks plain http");
    let (authority, target) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    assert!(
        !authority.contains('?') && !target.is_empty(),
        "presigned URLs always have a path: {url}"
    );
    (authority, target)
}

/// Undoes XML's five predefined entities (all s3s escapes in keys).
fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// A server response, read whole.
#[derive(Debug)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

impl Response {
    /// The S3 error code (`<Code>…</Code>` in the XML error body), if any.
    pub fn error_code(&self) -> Option<&str> {
        let body = std::str::from_utf8(&self.body).ok()?;
        let start = body.find("<Code>")? + "<Code>".len();
        let len = body[start..].find("</Code>")?;
        Some(&body[start..start + len])
    }

    /// Asserts the response is an error with this status and S3 error code.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(self.status, status, "{}", self.text());
        assert_eq!(self.error_code(), Some(code), "{}", self.text());
    }

    /// The keys of a `ListBucketResult` body, unescaped, in listed order.
    pub fn listed_keys(&self) -> Vec<String> {
        let body = String::from_utf8_lossy(&self.body);
        body.split("<Key>")
            .skip(1)
            .filter_map(|s| s.split_once("</Key>"))
            .map(|(key, _)| unescape_xml(key))
            .collect()
    }

    /// A header's value as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        let name = HeaderName::from_bytes(name.as_bytes()).ok()?;
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The body as text (lossy), for assertion messages.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}
