//! Prints a presigned URL, like `aws s3 presign` (which only does GET).
//!
//! ```text
//! cargo run --example presign -- s3://bucket/key [--method GET|PUT|DELETE|HEAD|POST]
//!     [--expires-in SECONDS] [--endpoint-url URL] [--region REGION] [--path-style]
//! ```
//!
//! Credentials come from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and
//! `AWS_SESSION_TOKEN`. With none set, it signs with AWS's documented example
//! keys (the URL then only shows the shape) and says so on stderr. The region
//! defaults to `AWS_REGION`, then `AWS_DEFAULT_REGION`, then `us-east-1`.

use std::process::ExitCode;
use std::time::Duration;

use presign::{Credentials, Method, Presigner, UrlStyle};

const USAGE: &str = "usage: presign s3://bucket/key [--method GET|PUT|DELETE|HEAD|POST] \
[--expires-in SECONDS] [--endpoint-url URL] [--region REGION] [--path-style]";

struct Args {
    bucket: String,
    key: String,
    method: Method,
    expires_in: u64,
    endpoint: Option<String>,
    region: Option<String>,
    path_style: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut target = None;
    let mut args = Args {
        bucket: String::new(),
        key: String::new(),
        method: Method::Get,
        expires_in: 3600,
        endpoint: None,
        region: None,
        path_style: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut value = |flag: &str| it.next().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "--method" => {
                args.method = match value("--method")?.to_ascii_uppercase().as_str() {
                    "GET" => Method::Get,
                    "PUT" => Method::Put,
                    "POST" => Method::Post,
                    "DELETE" => Method::Delete,
                    "HEAD" => Method::Head,
                    other => return Err(format!("unknown method {other:?}")),
                }
            }
            "--expires-in" => {
                let v = value("--expires-in")?;
                args.expires_in = v
                    .parse()
                    .map_err(|_| format!("--expires-in takes whole seconds, not {v:?}"))?;
            }
            "--endpoint-url" => args.endpoint = Some(value("--endpoint-url")?),
            "--region" => args.region = Some(value("--region")?),
            "--path-style" => args.path_style = true,
            "-h" | "--help" => return Err(String::new()),
            _ if target.is_none() && !arg.starts_with("--") => target = Some(arg),
            _ => return Err(format!("unexpected argument {arg:?}")),
        }
    }
    let target = target.ok_or("missing s3://bucket/key")?;
    let rest = target
        .strip_prefix("s3://")
        .ok_or(format!("{target:?} does not start with s3://"))?;
    let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
    (args.bucket, args.key) = (bucket.to_owned(), key.to_owned());
    Ok(args)
}

fn credentials() -> Credentials {
    Credentials::from_env().unwrap_or_else(|_| {
        eprintln!(
            "presign: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY not set; \
             signing with AWS's documented example keys (the URL shows the shape only)"
        );
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
    })
}

fn run(args: Args) -> Result<String, presign::Error> {
    let region = args
        .region
        .or_else(|| std::env::var("AWS_REGION").ok())
        .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
        .unwrap_or_else(|| "us-east-1".to_owned());
    let mut builder = Presigner::builder()
        .region(&region)
        .credentials(credentials());
    if let Some(endpoint) = &args.endpoint {
        builder = builder.endpoint(endpoint);
    }
    if args.path_style {
        builder = builder.url_style(UrlStyle::Path);
    }
    let presigner = builder.build()?;
    let url = presigner
        .request(args.method, &args.bucket, &args.key)
        .expires_in(Duration::from_secs(args.expires_in))
        .sign()?;
    Ok(url.into_string())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("presign: {message}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(url) => {
            println!("{url}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("presign: {e}");
            ExitCode::from(2)
        }
    }
}
