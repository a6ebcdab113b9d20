//! Published AWS examples, reproduced exactly.

use std::time::Duration;

use presign::{Credentials, Presigner, UrlStyle};
use time::macros::datetime;

/// The example in "Authenticating Requests: Using Query Parameters (AWS
/// Signature Version 4)", Amazon S3 API Reference: a GET of
/// `examplebucket/test.txt` on 2013-05-24, valid 86400 s, with the
/// documentation's example keys. The document gives the full URL.
#[test]
fn aws_sigv4_query_example_examplebucket_test_txt() {
    let presigner = Presigner::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ))
        .build()
        .unwrap();
    let url = presigner
        .get_object("examplebucket", "test.txt")
        .expires_in(Duration::from_secs(86400))
        .signed_at(datetime!(2013-05-24 0:00 UTC))
        .sign()
        .unwrap();
    assert_eq!(
        url.as_str(),
        "https://examplebucket.s3.amazonaws.com/test.txt\
         ?X-Amz-Algorithm=AWS4-HMAC-SHA256\
         &X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request\
         &X-Amz-Date=20130524T000000Z\
         &X-Amz-Expires=86400\
         &X-Amz-SignedHeaders=host\
         &X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404"
    );
    assert!(url.headers().is_empty());

    // The same request in path style signs a different canonical URI.
    let path_style = Presigner::builder()
        .region("us-east-1")
        .credentials(Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        ))
        .url_style(UrlStyle::Path)
        .build()
        .unwrap()
        .get_object("examplebucket", "test.txt")
        .expires_in(Duration::from_secs(86400))
        .signed_at(datetime!(2013-05-24 0:00 UTC))
        .sign()
        .unwrap();
    assert!(
        path_style
            .as_str()
            .starts_with("https://s3.amazonaws.com/examplebucket/test.txt?")
    );
    assert!(!path_style.as_str().contains("aeeed9bb"));
}
