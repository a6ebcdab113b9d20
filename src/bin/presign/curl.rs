//! A ready-to-paste `curl` command for a presigned request.

use presign::{Method, PostForm, PresignedUrl};

use crate::Failure;

/// The `curl` command that makes the presigned request: the method, every
/// signed header as `-H`, the file to upload for `PUT`, and the URL, each
/// word quoted for POSIX shells.
///
/// `--fail-with-body` makes curl exit non-zero on an S3 error while still
/// printing S3's explanation (`SignatureDoesNotMatch`, …).
pub fn command(url: &PresignedUrl, upload_file: Option<&str>) -> Result<String, Failure> {
    let mut words: Vec<String> = vec!["curl".into(), "--fail-with-body".into()];
    match (url.method(), upload_file) {
        (Method::Put, Some(file)) => words.extend(["--upload-file".into(), file.into()]),
        (Method::Put, None) => {
            return Err(Failure::input(
                "--curl for a PUT needs the file to upload: add --upload-file FILE",
            ));
        }
        (_, Some(_)) => {
            return Err(Failure::input(
                "--upload-file is for PUT; drop --method or use --method PUT",
            ));
        }
        (Method::Get, None) => {}
        (Method::Head, None) => words.push("--head".into()),
        (method, None) => words.extend(["-X".into(), method.as_str().into()]),
    }
    for (name, value) in url.headers() {
        // `-H 'name:'` would make curl drop the header; `name;` sends it
        // empty (curl(1), --header).
        words.push("-H".into());
        words.push(if value.is_empty() {
            format!("{name};")
        } else {
            format!("{name}: {value}")
        });
    }
    words.push(url.as_str().into());
    join(&words)
}

/// The `curl` command that posts `file` through the form: every field with
/// `--form-string` (taken literally: a leading `@` or `<` reads no file), in
/// the form's order, then the file, last as S3 requires.
pub fn post_command(form: &PostForm, file: &str) -> Result<String, Failure> {
    let mut words: Vec<String> = vec!["curl".into(), "--fail-with-body".into()];
    for (name, value) in form.fields() {
        words.push("--form-string".into());
        words.push(format!("{name}={value}"));
    }
    // curl(1), --form: a file name in double quotes may hold ';' and ',';
    // double quotes and backslashes inside it are escaped with a backslash.
    let quoted = file.replace('\\', "\\\\").replace('"', "\\\"");
    words.push("-F".into());
    words.push(format!("file=@\"{quoted}\""));
    words.push(form.url().into());
    join(&words)
}

/// The words quoted for a POSIX shell and joined with spaces.
fn join(words: &[String]) -> Result<String, Failure> {
    shlex::try_join(words.iter().map(String::as_str))
        .map_err(|e| Failure::input(format!("cannot quote the curl command: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use presign::{Credentials, Presigner};

    fn presigner() -> Presigner {
        Presigner::builder()
            .region("us-east-1")
            .endpoint("http://127.0.0.1:9000")
            .credentials(Credentials::new("AKID", "SECRET"))
            .build()
            .unwrap()
    }

    /// The command splits back (as a POSIX shell would) into exactly the
    /// intended words, whatever the file name and header values hold.
    #[test]
    fn words_survive_the_shell() {
        let p = presigner();
        let url = p
            .put_object("bucket", "it's a \"key\" $HOME `x`.txt")
            .header("x-amz-meta-note", "it's $(rm -rf /) & \"more\"")
            .header("x-amz-meta-empty", "")
            .sign()
            .unwrap();
        let file = "my file's $PATH `name`.bin";
        let cmd = command(&url, Some(file)).unwrap();
        assert!(!cmd.contains('\n'));
        let words = shlex::split(&cmd).unwrap();
        assert_eq!(
            words,
            [
                "curl",
                "--fail-with-body",
                "--upload-file",
                file,
                "-H",
                "x-amz-meta-empty;",
                "-H",
                "x-amz-meta-note: it's $(rm -rf /) & \"more\"",
                url.as_str(),
            ]
        );
    }

    #[test]
    fn methods() {
        let p = presigner();
        let split = |url: PresignedUrl| shlex::split(&command(&url, None).unwrap()).unwrap();
        let get = p.get_object("b", "k").sign().unwrap();
        assert_eq!(
            split(get.clone()),
            ["curl", "--fail-with-body", get.as_str()]
        );
        let head = p.head_object("b", "k").sign().unwrap();
        assert_eq!(
            split(head.clone()),
            ["curl", "--fail-with-body", "--head", head.as_str()]
        );
        let delete = p.delete_object("b", "k").sign().unwrap();
        assert_eq!(
            split(delete.clone()),
            ["curl", "--fail-with-body", "-X", "DELETE", delete.as_str()]
        );
    }

    #[test]
    fn upload_file_goes_with_put_only() {
        let p = presigner();
        let put = p.put_object("b", "k").sign().unwrap();
        assert_eq!(command(&put, None).unwrap_err().code, 2);
        let get = p.get_object("b", "k").sign().unwrap();
        assert_eq!(command(&get, Some("f")).unwrap_err().code, 2);
    }
}
