//! Helpers shared by the vector replay tests.
// Each test crate uses only part of this module.
#![allow(dead_code)]

use presign::{Credentials, Method, Presigner, UrlStyle, Verifier, VerifyError};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use time::OffsetDateTime;

/// A vector file written by `tests/vectors/gen_sigv2_post.py`.
#[derive(Deserialize)]
struct VectorFile<C> {
    generator: String,
    botocore: String,
    cases: Vec<C>,
}

/// The cases of a vector file, after checking which generator and botocore
/// version wrote it.
pub fn load_cases<C: DeserializeOwned>(text: &str) -> Vec<C> {
    let file: VectorFile<C> = serde_json::from_str(text).expect("the vector file parses");
    assert_eq!(file.generator, "tests/vectors/gen_sigv2_post.py");
    assert_eq!(file.botocore, "1.44.5");
    file.cases
}

/// Who signs a vector case, and where: the fields every case file carries.
#[derive(Deserialize)]
pub struct Signer {
    pub access_key: String,
    pub secret_key: String,
    pub session_token: Option<String>,
    pub region: String,
    pub endpoint: Option<String>,
    /// The addressing botocore used: `path` or `virtual_hosted`.
    pub url_style: String,
}

impl Signer {
    /// The credentials of the case.
    pub fn credentials(&self) -> Credentials {
        let creds = Credentials::new(self.access_key.as_str(), self.secret_key.as_str());
        match &self.session_token {
            Some(token) => creds.with_session_token(token.as_str()),
            None => creds,
        }
    }

    /// The presigner these settings describe.
    pub fn presigner(&self) -> Result<Presigner, String> {
        let creds = self.credentials();
        let style = match self.url_style.as_str() {
            "path" => UrlStyle::Path,
            "virtual_hosted" => UrlStyle::VirtualHosted,
            other => return Err(format!("unknown url_style {other:?} in the vectors")),
        };
        let mut builder = Presigner::builder()
            .region(&self.region)
            .credentials(creds)
            .url_style(style);
        if let Some(endpoint) = &self.endpoint {
            builder = builder.endpoint(endpoint);
        }
        builder.build().map_err(|e| format!("build: {e}"))
    }
}

/// A us-east-1 presigner with the given keys (for the published examples).
pub fn presigner(access_key: &str, secret_key: &str) -> Presigner {
    Presigner::builder()
        .region("us-east-1")
        .credentials(Credentials::new(access_key, secret_key))
        .build()
        .expect("a valid presigner")
}

/// The URL (or origin) as a server sees it: botocore keeps the endpoint's
/// case and an explicit default port (`:443`, `:80`); the crate writes the
/// host as signed. The path is left alone.
pub fn normalize_origin(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (host, path) = rest.split_at(end);
    let host = host.to_ascii_lowercase();
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        ":443"
    } else {
        ":80"
    };
    let host = host.strip_suffix(default_port).unwrap_or(&host);
    format!("{}://{host}{path}", scheme.to_ascii_lowercase())
}

/// A URL that verified at `expires_at` is refused a second later
/// ([`VerifyError::Expired`] at that expiry), and for another method
/// ([`VerifyError::SignatureMismatch`]) while still valid.
pub fn refused_late_and_for_another_method(
    verifier: &Verifier,
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    expires_at: OffsetDateTime,
) -> Result<(), String> {
    let late = expires_at + time::Duration::SECOND;
    match verifier.verify_url(method, url, headers, late) {
        Err(VerifyError::Expired { expires_at: e }) if e == expires_at => {}
        other => return Err(format!("a second late: {other:?}")),
    }
    let other_method = if method == Method::Get {
        Method::Head
    } else {
        Method::Get
    };
    match verifier.verify_url(other_method, url, headers, expires_at) {
        Err(VerifyError::SignatureMismatch) => Ok(()),
        other => Err(format!("other method: {other:?}")),
    }
}
