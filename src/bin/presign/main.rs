//! `presign`: prints presigned S3 URLs, like `aws s3 presign`, for any
//! method, with signed headers and query parameters, and as a ready `curl`
//! command. Built with `--features cli`.
#![forbid(unsafe_code)]

mod config;
mod curl;

use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use presign::{Condition, Method, Presigner, Provider, UrlStyle};
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

  # A browser upload form for images up to 500 KB under uploads/, as JSON
  presign post s3://my-bucket/uploads/ --content-length-range 1024:512000 \\
      --field acl=public-read --starts-with Content-Type=image/

  # Volcengine TOS's native signature; legacy SigV2 for an old gateway
  presign s3://my-bucket/cat.jpg --provider tos --region cn-beijing
  presign s3://my-bucket/cat.jpg --sigv2 --endpoint-url https://storage.example.com

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

const POST_EXAMPLES: &str = "\
Examples:
  # JSON for a web page's script (the shape of boto3's generate_presigned_post)
  presign post s3://my-bucket/uploads/ --content-length-range 1024:512000 \\
      --field acl=public-read --starts-with Content-Type=image/

  # A plain HTML page with the form
  presign post s3://my-bucket/uploads/ --format html --expires-in 600 > upload.html

  # Upload cat.png with curl through the form (the policy requires Content-Type image/*)
  presign post s3://my-bucket/uploads/ --starts-with Content-Type=image/ \\
      --form-field Content-Type=image/png --upload-file cat.png

The form carries the key (PREFIX/${filename} for s3://BUCKET/PREFIX/), the --field and
--form-field values, the signing fields, the policy and its signature; the file goes last.
A --starts-with field must be posted too: add it with --form-field, or in the page.";

/// Prints a presigned URL for an S3 object (or a `curl` command that uses
/// it), signed with AWS Signature Version 4; `presign post` prints a browser
/// upload form.
#[derive(Debug, Parser)]
#[command(
    name = "presign",
    version,
    after_help = EXAMPLES,
    max_term_width = 100,
    args_conflicts_with_subcommands = true,
    subcommand_negates_reqs = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    #[command(flatten)]
    url: UrlArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Print a browser upload form (a signed S3 POST policy) as JSON, an HTML
    /// page, or a curl command.
    #[command(after_help = POST_EXAMPLES)]
    Post(PostArgs),
}

/// `presign s3://bucket/key`: a presigned URL.
#[derive(Debug, Args)]
struct UrlArgs {
    /// The object, as s3://BUCKET/KEY; s3://BUCKET/ for the bucket itself.
    /// The key is used as written (no percent-decoding).
    #[arg(value_name = "S3_URI", value_parser = parse_s3_uri, required = true)]
    target: Option<S3Uri>,

    /// The HTTP method the URL allows [default: GET, or PUT with --upload-file].
    #[arg(long, value_enum, ignore_case = true)]
    method: Option<MethodArg>,

    /// A header the client must send with exactly this value (signed); repeatable.
    #[arg(long = "header", value_name = "NAME:VALUE", value_parser = parse_header, allow_hyphen_values = true)]
    headers: Vec<(String, String)>,

    /// An extra query parameter (signed), given decoded; NAME alone gives
    /// `NAME=` (as for `uploads`); repeatable.
    #[arg(long = "query", value_name = "NAME=VALUE", value_parser = parse_query, allow_hyphen_values = true)]
    query: Vec<(String, String)>,

    /// Print a curl command that makes the request instead of the URL.
    #[arg(long)]
    curl: bool,

    /// The file the curl command uploads; implies --curl and --method PUT.
    #[arg(long, value_name = "FILE")]
    upload_file: Option<String>,

    /// Sign with legacy Signature Version 2 (AWSAccessKeyId, Expires,
    /// Signature): only Content-MD5, Content-Type and x-amz-* headers can be
    /// signed, and query parameters other than S3 sub-resources are not.
    #[arg(long)]
    sigv2: bool,

    #[command(flatten)]
    common: Common,
}

/// `presign post s3://bucket/prefix/`: a browser upload form.
#[derive(Debug, Args)]
struct PostArgs {
    /// Where uploads go: s3://BUCKET/KEY for that key, s3://BUCKET/PREFIX/ (ending
    /// in /) for any file name under PREFIX/ (the key field is PREFIX/${filename}).
    #[arg(value_name = "S3_URI", value_parser = parse_s3_uri)]
    target: S3Uri,

    /// The smallest and largest upload allowed, in bytes.
    #[arg(long, value_name = "MIN:MAX", value_parser = parse_range)]
    content_length_range: Option<(u64, u64)>,

    /// A form field with a fixed value, also required by the policy
    /// (acl=public-read, success_action_status=201, x-amz-meta-*=…); repeatable.
    #[arg(long = "field", value_name = "NAME=VALUE", value_parser = parse_field, allow_hyphen_values = true)]
    fields: Vec<(String, String)>,

    /// A policy condition: field NAME must start with PREFIX (an empty PREFIX
    /// allows any value); the uploader sends the field; repeatable.
    #[arg(long = "starts-with", value_name = "NAME=PREFIX", value_parser = parse_field, allow_hyphen_values = true)]
    starts_with: Vec<(String, String)>,

    /// A form field without a condition of its own (pair it with
    /// --starts-with NAME=…); repeatable.
    #[arg(long = "form-field", value_name = "NAME=VALUE", value_parser = parse_field, allow_hyphen_values = true)]
    form_fields: Vec<(String, String)>,

    /// What to print [default: json, or curl with --upload-file].
    #[arg(long, value_enum)]
    format: Option<Format>,

    /// The file the curl command uploads; implies --format curl.
    #[arg(long, value_name = "FILE")]
    upload_file: Option<String>,

    /// Sign with legacy Signature Version 2 (AWSAccessKeyId, policy, signature).
    #[arg(long)]
    sigv2: bool,

    #[command(flatten)]
    common: Common,
}

/// How `presign post` prints the form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// {"url": …, "fields": {…}}, the shape of boto3's generate_presigned_post.
    Json,
    /// A minimal HTML page with the form.
    Html,
    /// A curl command that posts --upload-file FILE.
    Curl,
}

/// Options shared by every kind of presigned request.
#[derive(Debug, Args)]
struct Common {
    /// The store's endpoint: http[s]://host[:port][/prefix] (MinIO, Ceph, R2, …).
    #[arg(long, value_name = "URL")]
    endpoint_url: Option<String>,

    /// The region in the signature [default: us-east-1 for aws, auto for gcs].
    #[arg(long)]
    region: Option<String>,

    /// The profile in ~/.aws/credentials and ~/.aws/config.
    #[arg(long)]
    profile: Option<String>,

    /// Seconds until the URL or form expires (1 to 604800).
    #[arg(long, value_name = "SECONDS", default_value_t = 3600)]
    expires_in: u64,

    /// Address the bucket in the path: https://host/bucket/key.
    #[arg(long, group = "addressing")]
    path_style: bool,

    /// Address the bucket in the host name: https://bucket.host/key.
    #[arg(long, group = "addressing")]
    virtual_hosted: bool,

    /// The endpoint's host is the bucket (a CNAME, a TOS custom domain, a GCS
    /// bucket-bound hostname): https://endpoint/key.
    #[arg(long, group = "addressing")]
    custom_domain: bool,

    /// Sign as of this time (RFC 3339, e.g. 2026-01-31T12:00:00Z) instead of now.
    #[arg(long, value_name = "RFC3339", value_parser = parse_at)]
    at: Option<OffsetDateTime>,

    /// The store's signing scheme: aws (AWS SigV4, also for S3-compatible
    /// stores), tos (Volcengine TOS4-HMAC-SHA256), gcs (Google Cloud Storage
    /// GOOG4-HMAC-SHA256 with an HMAC key).
    #[arg(long, value_enum, default_value_t = ProviderArg::Aws)]
    provider: ProviderArg,
}

/// The providers the library signs for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum ProviderArg {
    Aws,
    Tos,
    Gcs,
}

impl From<ProviderArg> for Provider {
    fn from(p: ProviderArg) -> Self {
        match p {
            ProviderArg::Aws => Provider::Aws,
            ProviderArg::Tos => Provider::Tos,
            ProviderArg::Gcs => Provider::Gcs,
        }
    }
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

/// `name=value` for form fields and conditions: the `=` is required.
fn parse_field(s: &str) -> Result<(String, String), String> {
    let (name, value) = s
        .split_once('=')
        .ok_or_else(|| "expected NAME=VALUE, such as acl=public-read".to_owned())?;
    Ok((name.to_owned(), value.to_owned()))
}

/// `MIN:MAX` in bytes.
fn parse_range(s: &str) -> Result<(u64, u64), String> {
    let parse = |v: &str| v.trim().parse::<u64>();
    match s.split_once(':').map(|(min, max)| (parse(min), parse(max))) {
        Some((Ok(min), Ok(max))) => Ok((min, max)),
        _ => Err("expected MIN:MAX in bytes, such as 1024:512000".to_owned()),
    }
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
        let url_style = if self.path_style {
            UrlStyle::Path
        } else if self.virtual_hosted {
            UrlStyle::VirtualHosted
        } else if self.custom_domain {
            UrlStyle::CustomDomain
        } else {
            settings.url_style.unwrap_or_default()
        };
        let provider = Provider::from(self.provider);
        // The AWS CLI signs S3 requests for us-east-1 when no region is set;
        // other providers have their own default or need one.
        let region = match (settings.region, provider) {
            (Some(region), _) => Some(region),
            (None, Provider::Aws) => Some("us-east-1".to_owned()),
            (None, _) => None,
        };
        let mut builder = Presigner::builder()
            .provider(provider)
            .credentials(settings.credentials)
            .url_style(url_style);
        if let Some(region) = &region {
            builder = builder.region(region);
        }
        if let Some(endpoint) = &settings.endpoint {
            builder = builder.endpoint(endpoint);
        }
        builder.build().map_err(|e| match e {
            presign::Error::MissingRegion => Failure::input(
                "no region: pass --region (or set AWS_REGION, or region in the profile)",
            ),
            e => e.into(),
        })
    }
}

/// Runs the command; returns what to print.
fn run(cli: &Cli, env: Env<'_>) -> Result<String, Failure> {
    match &cli.command {
        Some(Command::Post(args)) => run_post(args, env),
        None => run_url(&cli.url, env),
    }
}

/// `presign s3://bucket/key`: the URL, or a curl command.
fn run_url(args: &UrlArgs, env: Env<'_>) -> Result<String, Failure> {
    let target = args
        .target
        .as_ref()
        .ok_or_else(|| Failure::input("give the object as s3://BUCKET/KEY"))?;
    let method = match (args.method, &args.upload_file) {
        (Some(m), _) => m.into(),
        (None, Some(_)) => Method::Put,
        (None, None) => Method::Get,
    };
    let presigner = args.common.presigner(env)?;
    let mut request = presigner
        .request(method, &target.bucket, &target.key)
        .expires_in(Duration::from_secs(args.common.expires_in));
    for (name, value) in &args.query {
        request = request.query(name.as_str(), value.as_str());
    }
    for (name, value) in &args.headers {
        request = request.header(name.as_str(), value.as_str());
    }
    if let Some(at) = args.common.at {
        request = request.signed_at(at);
    }
    let url = if args.sigv2 {
        request.sign_v2()?
    } else {
        request.sign()?
    };
    if args.curl || args.upload_file.is_some() {
        curl::command(&url, args.upload_file.as_deref())
    } else {
        Ok(url.into_string())
    }
}

/// `presign post s3://bucket/prefix/`: the form as JSON, HTML or curl.
fn run_post(args: &PostArgs, env: Env<'_>) -> Result<String, Failure> {
    let format = match (args.format, &args.upload_file) {
        (Some(Format::Curl) | None, Some(_)) => Format::Curl,
        (Some(format), None) => format,
        (None, None) => Format::Json,
        (Some(_), Some(_)) => {
            return Err(Failure::input(
                "--upload-file goes with --format curl (the default with it)",
            ));
        }
    };
    let presigner = args.common.presigner(env)?;
    let S3Uri { bucket, key } = &args.target;
    // s3://bucket/prefix/ lets the uploader choose the name under prefix/.
    let key = if key.is_empty() || key.ends_with('/') {
        format!("{key}${{filename}}")
    } else {
        key.clone()
    };
    let mut builder = presigner
        .post_object(bucket)
        .key(key)
        .expires_in(Duration::from_secs(args.common.expires_in));
    for (name, value) in &args.fields {
        builder = builder.field(name.as_str(), value.as_str());
    }
    for (name, value) in &args.form_fields {
        builder = builder.form_field(name.as_str(), value.as_str());
    }
    for (name, prefix) in &args.starts_with {
        builder = builder.condition(Condition::starts_with(name.as_str(), prefix.as_str()));
    }
    if let Some((min, max)) = args.content_length_range {
        builder = builder.condition(Condition::content_length_range(min, max));
    }
    if let Some(at) = args.common.at {
        builder = builder.signed_at(at);
    }
    let form = if args.sigv2 {
        builder.sign_v2()?
    } else {
        builder.sign()?
    };
    match format {
        Format::Json => Ok(form.to_json()),
        Format::Html => Ok(form.to_html().trim_end().to_owned()),
        Format::Curl => match &args.upload_file {
            Some(file) => curl::post_command(&form, file),
            None => Err(Failure::input(
                "--format curl needs the file to upload: add --upload-file FILE",
            )),
        },
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
