//! `presign`: prints presigned S3 URLs, like `aws s3 presign`, for any
//! method, with signed headers and query parameters, and as a ready `curl`
//! command. Built with `--features cli`.
#![forbid(unsafe_code)]

mod config;
mod curl;

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, ValueEnum};
use presign::{Method, Presigner, UrlStyle};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::config::{Env, Flags};

const EXAMPLES: &str = "\
Examples:
  # A download link for 10 minutes (credentials and region as the AWS CLI finds them)
  presign s3://my-bucket/photos/cat.jpg --expires-in 600

  # An upload to MinIO, as a curl command that sends the signed content type
  presign s3://my-bucket/cat.jpg --endpoint-url http://localhost:9000 --path-style \\
      --upload-file cat.jpg --header 'Content-Type: image/jpeg'

  # A download that saves under another name, with another profile
  presign s3://reports/q3.pdf --profile work \\
      --query 'response-content-disposition=attachment; filename=\"q3.pdf\"'

  # A fixed signing time: the AWS documentation's example URL
  AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \\
  AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \\
      presign s3://examplebucket/test.txt --at 2013-05-24T00:00:00Z --expires-in 86400

Credentials: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN; then the profile
(--profile, AWS_PROFILE, or default) in ~/.aws/credentials (AWS_SHARED_CREDENTIALS_FILE) and
~/.aws/config (AWS_CONFIG_FILE). --profile skips the environment's keys, as in the AWS CLI.
Region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region, us-east-1.
Endpoint: --endpoint-url, AWS_ENDPOINT_URL_S3, the profile's services s3 endpoint_url,
AWS_ENDPOINT_URL, the profile's endpoint_url; default: AWS S3 in the region.

Exit status: 0 on success, 1 when credentials or configuration files are missing or unusable,
2 for invalid arguments.";

/// Prints a presigned URL for an S3 object (or a `curl` command that uses
/// it), signed with AWS Signature Version 4.
#[derive(Debug, Parser)]
#[command(name = "presign", version, after_help = EXAMPLES)]
struct Cli {
    /// The object, as s3://BUCKET/KEY; s3://BUCKET/ for the bucket itself.
    /// The key is used as written (no percent-decoding).
    #[arg(value_name = "S3_URI", value_parser = parse_s3_uri)]
    target: S3Uri,

    /// The HTTP method the URL allows [default: GET, or PUT with --upload-file].
    #[arg(long, value_enum, ignore_case = true)]
    method: Option<MethodArg>,

    /// A header the client must send with exactly this value (signed); repeatable.
    #[arg(long = "header", value_name = "NAME:VALUE", value_parser = parse_header)]
    headers: Vec<(String, String)>,

    /// An extra query parameter (signed), given decoded; NAME alone gives
    /// `NAME=` (as for `uploads`); repeatable.
    #[arg(long = "query", value_name = "NAME=VALUE", value_parser = parse_query)]
    query: Vec<(String, String)>,

    /// Print a curl command that makes the request instead of the URL.
    #[arg(long)]
    curl: bool,

    /// The file the curl command uploads; implies --curl and --method PUT.
    #[arg(long, value_name = "FILE")]
    upload_file: Option<String>,

    #[command(flatten)]
    common: Common,
}

/// Options shared by every kind of presigned request.
#[derive(Debug, Args)]
struct Common {
    /// The store's endpoint: http[s]://host[:port][/prefix] (MinIO, Ceph, R2, …).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,

    /// The region in the signature.
    #[arg(long)]
    region: Option<String>,

    /// The profile in ~/.aws/credentials and ~/.aws/config.
    #[arg(long)]
    profile: Option<String>,

    /// Seconds until the URL expires (1 to 604800).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    expires_in: u64,

    /// Address the bucket in the path: https://host/bucket/key.
    #[arg(long, conflicts_with = "virtual_hosted")]
    path_style: bool,

    /// Address the bucket in the host name: https://bucket.host/key.
    #[arg(long)]
    virtual_hosted: bool,

    /// Sign as of this time (RFC 3339, e.g. 2026-01-31T12:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339", value_parser = parse_at)]
    at: Option<OffsetDateTime>,
}

/// The methods a presigned URL can allow.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum MethodArg {
    #[value(name = "GET")]
    Get,
    #[value(name = "PUT")]
    Put,
    #[value(name = "DELETE")]
    Delete,
    #[value(name = "HEAD")]
    Head,
    #[value(name = "POST")]
    Post,
}

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Self {
        match m {
            MethodArg::Get => Method::Get,
            MethodArg::Put => Method::Put,
            MethodArg::Delete => Method::Delete,
            MethodArg::Head => Method::Head,
            MethodArg::Post => Method::Post,
        }
    }
}

/// A bucket and key from `s3://bucket/key`.
#[derive(Clone, Debug, PartialEq, Eq)]
struct S3Uri {
    bucket: String,
    key: String,
}

/// `s3://bucket/key`: everything after the first `/` is the key, unchanged
/// (as `aws s3 presign` takes it).
fn parse_s3_uri(s: &str) -> Result<S3Uri, String> {
    let rest = s
        .strip_prefix("s3://")
        .ok_or_else(|| "expected s3://BUCKET/KEY".to_owned())?;
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    Ok(S3Uri {
        bucket: bucket.to_owned(),
        key: key.to_owned(),
    })
}

/// `Name: value` (as curl's `-H`); spaces around the value are dropped.
fn parse_header(s: &str) -> Result<(String, String), String> {
    let (name, value) = s
        .split_once(':')
        .ok_or_else(|| "expected NAME:VALUE, such as 'Content-Type: image/png'".to_owned())?;
    Ok((name.to_owned(), value.trim().to_owned()))
}

/// `name=value`, split at the first `=`; `name` alone has an empty value.
fn parse_query(s: &str) -> Result<(String, String), String> {
    let (name, value) = s.split_once('=').unwrap_or((s, ""));
    Ok((name.to_owned(), value.to_owned()))
}

fn parse_at(s: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|e| format!("{e}; expected RFC 3339, such as 2026-01-31T12:00:00Z"))
}

/// Why the command failed: the message and the exit status.
#[derive(Debug)]
pub struct Failure {
    /// 1: missing or unusable configuration; 2: invalid arguments.
    pub code: u8,
    /// What went wrong and what to do about it.
    pub message: String,
}

impl Failure {
    /// Credentials or configuration files are missing or unusable.
    pub fn config(message: impl Into<String>) -> Self {
        Self {
            code: 1,
            message: message.into(),
        }
    }

    /// The arguments cannot make a presigned request.
    pub fn input(message: impl Into<String>) -> Self {
        Self {
            code: 2,
            message: message.into(),
        }
    }
}

impl From<presign::Error> for Failure {
    fn from(e: presign::Error) -> Self {
        Self::input(e.to_string())
    }
}

impl Common {
    /// The presigner the options and the AWS configuration describe.
    fn presigner(&self, env: Env<'_>) -> Result<Presigner, Failure> {
        let flags = Flags {
            profile: self.profile.as_deref(),
            region: self.region.as_deref(),
            endpoint: self.endpoint_url.as_deref(),
        };
        let settings = config::resolve(&flags, env)?;
        let url_style = match (self.path_style, self.virtual_hosted) {
            (true, _) => UrlStyle::Path,
            (_, true) => UrlStyle::VirtualHosted,
            _ => settings.url_style.unwrap_or_default(),
        };
        let mut builder = Presigner::builder()
            .region(&settings.region)
            .credentials(settings.credentials)
            .url_style(url_style);
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.endpoint(endpoint);
        }
        Ok(builder.build()?)
    }
}

/// Runs the command; returns what to print.
fn run(cli: &Cli, env: Env<'_>) -> Result<String, Failure> {
    let method = match (cli.method, &cli.upload_file) {
        (Some(m), _) => m.into(),
        (None, Some(_)) => Method::Put,
        (None, None) => Method::Get,
    };
    let presigner = cli.common.presigner(env)?;
    let mut request = presigner
        .request(method, &cli.target.bucket, &cli.target.key)
        .expires_in(Duration::from_secs(cli.common.expires_in));
    for (name, value) in &cli.query {
        request = request.query(name.as_str(), value.as_str());
    }
    for (name, value) in &cli.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    if let Some(at) = cli.common.at {
        request = request.signed_at(at);
    }
    let url = request.sign()?;
    if cli.curl || cli.upload_file.is_some() {
        curl::command(&url, cli.upload_file.as_deref())
    } else {
        Ok(url.into_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli, &|name| std::env::var(name).ok()) {
        Ok(output) => {
            println!("{output}");
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("presign: {}", failure.message);
            ExitCode::from(failure.code)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn s3_uris() {
        let uri = |bucket: &str, key: &str| S3Uri {
            bucket: bucket.into(),
            key: key.into(),
        };
        assert_eq!(parse_s3_uri("s3://b/k"), Ok(uri("b", "k")));
        assert_eq!(parse_s3_uri("s3://b/a//b c%20"), Ok(uri("b", "a//b c%20")));
        assert_eq!(parse_s3_uri("s3://b//lead"), Ok(uri("b", "/lead")));
        assert_eq!(parse_s3_uri("s3://b/"), Ok(uri("b", "")));
        assert_eq!(parse_s3_uri("s3://b"), Ok(uri("b", "")));
        assert!(parse_s3_uri("https://b/k").is_err());
        assert!(parse_s3_uri("b/k").is_err());
    }

    #[test]
    fn headers_and_query() {
        assert_eq!(
            parse_header("Content-Type: image/png"),
            Ok(("Content-Type".into(), "image/png".into()))
        );
        assert_eq!(
            parse_header("x-amz-meta-t:a:b "),
            Ok(("x-amz-meta-t".into(), "a:b".into()))
        );
        assert!(parse_header("Content-Type=image/png").is_err());
        assert_eq!(parse_query("a=b=c"), Ok(("a".into(), "b=c".into())));
        assert_eq!(parse_query("uploads"), Ok(("uploads".into(), "".into())));
        assert_eq!(parse_query("p="), Ok(("p".into(), "".into())));
    }

    #[test]
    fn signing_times() {
        let t = parse_at("2013-05-24T02:00:00+02:00").unwrap();
        assert_eq!(t.unix_timestamp(), 1_369_353_600);
        assert!(parse_at("2013-05-24").is_err());
        assert!(parse_at("yesterday").is_err());
    }
}
