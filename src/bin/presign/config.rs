//! Credentials, region, endpoint and addressing style, found where the AWS CLI
//! finds them and in the same order, so that `presign` signs with the keys
//! `aws s3 presign` would use.
//!
//! Only static keys are read: profiles that get credentials another way
//! (`role_arn`, `credential_process`, SSO, web identity) get a message that
//! says how to export their keys instead.

use std::io;
use std::path::{Path, PathBuf};

use ini::{Ini, ParseOption, Properties};
use presign::{Credentials, UrlStyle};

use crate::Failure;

/// The environment, as a function so tests can pass their own.
pub type Env<'a> = &'a dyn Fn(&str) -> Option<String>;

/// Reads a variable the way botocore does: unset and empty are the same.
fn var(env: Env<'_>, name: &str) -> Option<String> {
    env(name).filter(|v| !v.is_empty())
}

/// What the command line says, which wins over everything else.
#[derive(Debug, Default)]
pub struct Flags<'a> {
    /// `--profile`: unlike `AWS_PROFILE`, it also wins over credentials in
    /// the environment (botocore drops its environment provider when a
    /// profile is given explicitly).
    pub profile: Option<&'a str>,
    /// `--region`.
    pub region: Option<&'a str>,
    /// `--endpoint-url`.
    pub endpoint: Option<&'a str>,
}

/// Everything needed to build the [`presign::Presigner`].
#[derive(Debug)]
pub struct Settings {
    /// The keys to sign with.
    pub credentials: Credentials,
    /// The region, if one is configured.
    pub region: Option<String>,
    /// The endpoint, if one is configured.
    pub endpoint: Option<String>,
    /// `addressing_style` from the profile's `s3` settings.
    pub url_style: Option<UrlStyle>,
}

/// Finds credentials, region and endpoint:
///
/// - credentials: `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` /
///   `AWS_SESSION_TOKEN` (skipped when `--profile` is given), then the
///   profile in the shared credentials file, then in the config file;
/// - region: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's
///   `region`;
/// - endpoint: `--endpoint-url`, `AWS_ENDPOINT_URL_S3`, the `s3` entry of the
///   profile's `services` section, `AWS_ENDPOINT_URL`, the profile's
///   `endpoint_url`.
///
/// The profile is `--profile`, `AWS_PROFILE`, or `default`; files are
/// `AWS_SHARED_CREDENTIALS_FILE` (default `~/.aws/credentials`) and
/// `AWS_CONFIG_FILE` (default `~/.aws/config`).
pub fn resolve(flags: &Flags<'_>, env: Env<'_>) -> Result<Settings, Failure> {
    let (profile, named) = match (flags.profile, var(env, "AWS_PROFILE")) {
        (Some(p), _) => (p.to_owned(), true),
        (None, Some(p)) => (p, true),
        (None, None) => ("default".to_owned(), false),
    };
    let credentials_file =
        SharedFile::load(file_path(env, "AWS_SHARED_CREDENTIALS_FILE", "credentials"))?;
    let config_file = SharedFile::load(file_path(env, "AWS_CONFIG_FILE", "config"))?;
    let in_credentials = credentials_file
        .as_ref()
        .and_then(|f| f.credentials_section(&profile));
    let in_config = config_file
        .as_ref()
        .and_then(|f| f.config_section(&profile));
    if named && in_credentials.is_none() && in_config.is_none() && profile != "default" {
        return Err(Failure::config(format!(
            "profile {profile:?} is in neither {} nor {}; add it there or choose another with --profile / AWS_PROFILE",
            shown(
                credentials_file.as_ref(),
                env,
                "AWS_SHARED_CREDENTIALS_FILE",
                "credentials"
            ),
            shown(config_file.as_ref(), env, "AWS_CONFIG_FILE", "config"),
        )));
    }

    let from_env = if flags.profile.is_none() {
        env_credentials(env)?
    } else {
        None
    };
    let credentials = match from_env {
        Some(c) => c,
        None => {
            let found = [
                (credentials_file.as_ref(), in_credentials),
                (config_file.as_ref(), in_config),
            ]
            .into_iter()
            .find_map(|(file, section)| {
                let (file, section) = (file?, section?);
                profile_credentials(section, &profile, &file.path).transpose()
            })
            .transpose()?;
            match found {
                Some(found) => found,
                None => return Err(no_credentials(&profile, in_config, env)),
            }
        }
    };

    let region = flags
        .region
        .map(str::to_owned)
        .or_else(|| var(env, "AWS_REGION"))
        .or_else(|| var(env, "AWS_DEFAULT_REGION"))
        .or_else(|| {
            in_config
                .and_then(|s| value(s, "region"))
                .map(str::to_owned)
        });

    // botocore's order for service-specific endpoints: the service's own
    // variable and config entry beat the global ones.
    let services_s3 = || {
        let name = value(in_config?, "services")?;
        let section = config_file.as_ref()?.section(&format!("services {name}"))?;
        nested(section, "s3", "endpoint_url").map(str::to_owned)
    };
    let endpoint = flags
        .endpoint
        .map(str::to_owned)
        .or_else(|| var(env, "AWS_ENDPOINT_URL_S3"))
        .or_else(services_s3)
        .or_else(|| var(env, "AWS_ENDPOINT_URL"))
        .or_else(|| {
            in_config
                .and_then(|s| value(s, "endpoint_url"))
                .map(str::to_owned)
        });

    let url_style = match in_config.and_then(|s| nested(s, "s3", "addressing_style")) {
        None | Some("auto") => None,
        Some("path") => Some(UrlStyle::Path),
        Some("virtual") => Some(UrlStyle::VirtualHosted),
        Some(other) => {
            return Err(Failure::config(format!(
                "profile {profile:?}: s3 addressing_style {other:?} is not one of auto, path, virtual"
            )));
        }
    };

    Ok(Settings {
        credentials,
        region,
        endpoint,
        url_style,
    })
}

/// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` (with `AWS_SESSION_TOKEN`
/// if set); one without the other is an error, as in botocore.
fn env_credentials(env: Env<'_>) -> Result<Option<Credentials>, Failure> {
    match (
        var(env, "AWS_ACCESS_KEY_ID"),
        var(env, "AWS_SECRET_ACCESS_KEY"),
    ) {
        (None, None) => Ok(None),
        (Some(id), Some(secret)) => {
            let creds = Credentials::new(id, secret);
            Ok(Some(match var(env, "AWS_SESSION_TOKEN") {
                Some(token) => creds.with_session_token(token),
                None => creds,
            }))
        }
        (Some(_), None) => Err(Failure::config(
            "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not: set both, or unset both to use ~/.aws/credentials",
        )),
        (None, Some(_)) => Err(Failure::config(
            "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not: set both, or unset both to use ~/.aws/credentials",
        )),
    }
}

/// The keys in one profile section, if it has any.
fn profile_credentials(
    section: &Properties,
    profile: &str,
    path: &Path,
) -> Result<Option<Credentials>, Failure> {
    let id = value(section, "aws_access_key_id").filter(|v| !v.is_empty());
    let secret = value(section, "aws_secret_access_key").filter(|v| !v.is_empty());
    let creds = match (id, secret) {
        (None, None) => return Ok(None),
        (Some(id), Some(secret)) => Credentials::new(id, secret),
        (Some(_), None) | (None, Some(_)) => {
            return Err(Failure::config(format!(
                "profile {profile:?} in {} has only one of aws_access_key_id and aws_secret_access_key; add the other",
                path.display()
            )));
        }
    };
    let creds = match value(section, "aws_session_token").filter(|v| !v.is_empty()) {
        Some(token) => creds.with_session_token(token),
        None => creds,
    };
    Ok(Some(creds))
}

/// What to say when no keys were found: what to set, or, for a profile that
/// gets its keys in a way presign does not implement, how to export them.
fn no_credentials(profile: &str, in_config: Option<&Properties>, env: Env<'_>) -> Failure {
    const OTHER_SOURCES: &[&str] = &[
        "role_arn",
        "credential_process",
        "sso_session",
        "sso_start_url",
        "web_identity_token_file",
    ];
    if let Some(source) =
        in_config.and_then(|s| OTHER_SOURCES.iter().find(|k| value(s, k).is_some()))
    {
        return Failure::config(format!(
            "profile {profile:?} gets its credentials through {source}, which presign does not support; \
             export them first: eval \"$(aws configure export-credentials --profile {profile} --format env)\""
        ));
    }
    Failure::config(format!(
        "no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \
         (and AWS_SESSION_TOKEN for temporary keys), or add aws_access_key_id and \
         aws_secret_access_key to the [{profile}] section of {} (or choose another profile with --profile / AWS_PROFILE)",
        shown(None, env, "AWS_SHARED_CREDENTIALS_FILE", "credentials")
    ))
}

/// A top-level `key = value` of a section (nested lines are indented).
fn value<'a>(section: &'a Properties, key: &str) -> Option<&'a str> {
    section.get(key)
}

/// A nested value such as
///
/// ```ini
/// s3 =
///     addressing_style = path
/// ```
///
/// The parser keeps the indentation of nested keys, which tells them apart
/// from top-level ones.
fn nested<'a>(section: &'a Properties, key: &str, sub_key: &str) -> Option<&'a str> {
    let mut inside = false;
    for (k, v) in section {
        let indented = k.starts_with([' ', '\t']);
        if !indented {
            inside = k == key;
        } else if inside && k.trim_start() == sub_key {
            return Some(v);
        }
    }
    None
}

/// A shared credentials or config file that exists.
struct SharedFile {
    path: PathBuf,
    ini: Ini,
}

impl SharedFile {
    /// Reads `path`; a file that does not exist is no file.
    fn load(path: Option<PathBuf>) -> Result<Option<Self>, Failure> {
        let Some(path) = path else { return Ok(None) };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => {
                return Err(Failure::config(format!(
                    "cannot read {}: {e}",
                    path.display()
                )));
            }
        };
        // As botocore's configparser: no quote or escape processing (secret
        // keys may hold any character), nested keys kept apart.
        let options = ParseOption {
            enabled_quote: false,
            enabled_escape: false,
            enabled_indented_mutiline_value: false,
            enabled_preserve_key_leading_whitespace: true,
        };
        let ini = Ini::load_from_str_opt(&text, options).map_err(|e| {
            // The parser's message has a position but never the line's text,
            // so no secret is shown.
            Failure::config(format!(
                "cannot parse {}: line {}: {}",
                path.display(),
                e.line,
                e.msg
            ))
        })?;
        Ok(Some(Self { path, ini }))
    }

    /// A section by its name, ignoring spaces around it.
    fn section(&self, name: &str) -> Option<&Properties> {
        self.ini
            .iter()
            .find(|(n, _)| n.is_some_and(|n| n.trim() == name))
            .map(|(_, s)| s)
    }

    /// The credentials file names sections after the profile.
    fn credentials_section(&self, profile: &str) -> Option<&Properties> {
        self.section(profile)
    }

    /// The config file names them `[profile NAME]`, except `[default]`.
    fn config_section(&self, profile: &str) -> Option<&Properties> {
        let prefixed = self.ini.iter().find(|(n, _)| {
            n.and_then(|n| n.trim().strip_prefix("profile"))
                .is_some_and(|rest| rest.starts_with([' ', '\t']) && rest.trim() == profile)
        });
        match prefixed {
            Some((_, s)) => Some(s),
            None if profile == "default" => self.section("default"),
            None => None,
        }
    }
}

/// The file named by `variable` (a leading `~` is the home directory), or
/// `~/.aws/<name>`; `None` when neither is known.
fn file_path(env: Env<'_>, variable: &str, name: &str) -> Option<PathBuf> {
    let home = || var(env, "HOME").map(PathBuf::from);
    match var(env, variable) {
        Some(p) => match p.strip_prefix("~/") {
            Some(rest) => Some(home()?.join(rest)),
            None => Some(PathBuf::from(p)),
        },
        None => Some(home()?.join(".aws").join(name)),
    }
}

/// How to name a file in a message: its path when known.
fn shown(file: Option<&SharedFile>, env: Env<'_>, variable: &str, name: &str) -> String {
    match file
        .map(|f| f.path.clone())
        .or_else(|| file_path(env, variable, name))
    {
        Some(path) => path.display().to_string(),
        None => format!("~/.aws/{name} (HOME is not set)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// A home directory with the given `.aws/credentials` and `.aws/config`.
    struct Home {
        dir: tempfile::TempDir,
        vars: HashMap<String, String>,
    }

    impl Home {
        fn new(credentials: &str, config: &str) -> Self {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir(dir.path().join(".aws")).unwrap();
            std::fs::write(dir.path().join(".aws/credentials"), credentials).unwrap();
            std::fs::write(dir.path().join(".aws/config"), config).unwrap();
            let vars = HashMap::from([("HOME".to_owned(), dir.path().display().to_string())]);
            Self { dir, vars }
        }

        fn var(mut self, name: &str, value: &str) -> Self {
            self.vars.insert(name.to_owned(), value.to_owned());
            self
        }

        fn resolve(&self, flags: &Flags<'_>) -> Result<Settings, Failure> {
            resolve(flags, &|name| self.vars.get(name).cloned())
        }
    }

    fn profile(name: &str) -> Flags<'_> {
        Flags {
            profile: Some(name),
            ..Flags::default()
        }
    }

    const CREDENTIALS: &str = "\
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = secret/with+chars=\"and'quotes\\n;#
[work]
aws_access_key_id=AKIDWORK
aws_secret_access_key=worksecret
aws_session_token=worktoken
";
    const CONFIG: &str = "\
[default]
region = eu-west-3
[profile work]
region = ap-south-1
endpoint_url = https://s3.work.example
s3 =
    addressing_style = path
[profile   spaced  ]
aws_access_key_id = AKIDSPACED
aws_secret_access_key = spacedsecret
[profile svc]
services = local
endpoint_url = https://global.example
aws_access_key_id = AKIDSVC
aws_secret_access_key = svcsecret
[services local]
dynamodb =
  endpoint_url = http://localhost:8000
s3 =
  endpoint_url = http://localhost:9000
[profile role]
role_arn = arn:aws:iam::123456789012:role/x
source_profile = default
";

    #[test]
    fn default_profile_from_files() {
        let s = Home::new(CREDENTIALS, CONFIG)
            .resolve(&Flags::default())
            .unwrap();
        assert_eq!(s.credentials.access_key_id(), "AKIDDEFAULT");
        // No quote or escape processing: the value is taken as written.
        assert_eq!(
            s.credentials.secret_access_key(),
            "secret/with+chars=\"and'quotes\\n;#"
        );
        assert_eq!(s.credentials.session_token(), None);
        assert_eq!(s.region.as_deref(), Some("eu-west-3"));
        assert_eq!(s.endpoint, None);
        assert_eq!(s.url_style, None);
    }

    #[test]
    fn named_profile_reads_both_files_and_nested_s3_settings() {
        let home = Home::new(CREDENTIALS, CONFIG);
        let s = home.resolve(&profile("work")).unwrap();
        assert_eq!(s.credentials.access_key_id(), "AKIDWORK");
        assert_eq!(s.credentials.session_token(), Some("worktoken"));
        assert_eq!(s.region.as_deref(), Some("ap-south-1"));
        assert_eq!(s.endpoint.as_deref(), Some("https://s3.work.example"));
        assert_eq!(s.url_style, Some(UrlStyle::Path));
    }

    #[test]
    fn credentials_in_config_file_and_spaced_section_names() {
        let home = Home::new(CREDENTIALS, CONFIG).var("AWS_PROFILE", "spaced");
        let s = home.resolve(&Flags::default()).unwrap();
        assert_eq!(s.credentials.access_key_id(), "AKIDSPACED");
        // The config file's [default] region does not apply to another profile.
        assert_eq!(s.region, None);
    }

    #[test]
    fn services_section_beats_global_endpoint_but_not_s3_variable() {
        let home = Home::new(CREDENTIALS, CONFIG).var("AWS_PROFILE", "svc");
        let s = home.resolve(&Flags::default()).unwrap();
        assert_eq!(s.endpoint.as_deref(), Some("http://localhost:9000"));
        let home = home.var("AWS_ENDPOINT_URL", "https://env-global.example");
        let s = home.resolve(&Flags::default()).unwrap();
        assert_eq!(s.endpoint.as_deref(), Some("http://localhost:9000"));
        let home = home.var("AWS_ENDPOINT_URL_S3", "https://env-s3.example");
        let s = home.resolve(&Flags::default()).unwrap();
        assert_eq!(s.endpoint.as_deref(), Some("https://env-s3.example"));
        let flags = Flags {
            endpoint: Some("https://flag.example"),
            ..Flags::default()
        };
        assert_eq!(
            home.resolve(&flags).unwrap().endpoint.as_deref(),
            Some("https://flag.example")
        );
    }

    #[test]
    fn global_endpoint_variable_beats_profile_endpoint() {
        let home = Home::new(CREDENTIALS, CONFIG)
            .var("AWS_PROFILE", "work")
            .var("AWS_ENDPOINT_URL", "https://env-global.example");
        let s = home.resolve(&Flags::default()).unwrap();
        assert_eq!(s.endpoint.as_deref(), Some("https://env-global.example"));
    }

    #[test]
    fn environment_keys_beat_aws_profile_but_not_the_profile_flag() {
        let home = Home::new(CREDENTIALS, CONFIG)
            .var("AWS_ACCESS_KEY_ID", "AKIDENV")
            .var("AWS_SECRET_ACCESS_KEY", "envsecret")
            .var("AWS_SESSION_TOKEN", "envtoken")
            .var("AWS_PROFILE", "work");
        let s = home.resolve(&Flags::default()).unwrap();
        assert_eq!(s.credentials.access_key_id(), "AKIDENV");
        assert_eq!(s.credentials.session_token(), Some("envtoken"));
        // The region still comes from AWS_PROFILE's profile.
        assert_eq!(s.region.as_deref(), Some("ap-south-1"));
        let s = home.resolve(&profile("work")).unwrap();
        assert_eq!(s.credentials.access_key_id(), "AKIDWORK");
    }

    #[test]
    fn region_order() {
        let home = Home::new(CREDENTIALS, CONFIG);
        assert_eq!(
            home.resolve(&Flags::default()).unwrap().region.as_deref(),
            Some("eu-west-3")
        );
        let home = home.var("AWS_DEFAULT_REGION", "us-west-1");
        assert_eq!(
            home.resolve(&Flags::default()).unwrap().region.as_deref(),
            Some("us-west-1")
        );
        let home = home.var("AWS_REGION", "us-west-2");
        assert_eq!(
            home.resolve(&Flags::default()).unwrap().region.as_deref(),
            Some("us-west-2")
        );
        let flags = Flags {
            region: Some("sa-east-1"),
            ..Flags::default()
        };
        assert_eq!(
            home.resolve(&flags).unwrap().region.as_deref(),
            Some("sa-east-1")
        );
    }

    #[test]
    fn file_variables_and_tilde() {
        let home = Home::new("", "");
        std::fs::write(
            home.dir.path().join("creds.ini"),
            "[default]\naws_access_key_id=A\naws_secret_access_key=B\n",
        )
        .unwrap();
        std::fs::write(
            home.dir.path().join("conf.ini"),
            "[default]\nregion=ca-central-1\n",
        )
        .unwrap();
        let conf = home.dir.path().join("conf.ini").display().to_string();
        let home = home
            .var("AWS_SHARED_CREDENTIALS_FILE", "~/creds.ini")
            .var("AWS_CONFIG_FILE", &conf);
        let s = home.resolve(&Flags::default()).unwrap();
        assert_eq!(s.credentials.access_key_id(), "A");
        assert_eq!(s.region.as_deref(), Some("ca-central-1"));
    }

    #[test]
    fn missing_credentials_say_what_to_set() {
        let home = Home::new("", "");
        let e = home.resolve(&Flags::default()).unwrap_err();
        assert_eq!(e.code, 1);
        assert!(
            e.message.contains("AWS_ACCESS_KEY_ID") && e.message.contains("[default]"),
            "{}",
            e.message
        );
        assert!(e.message.contains(".aws/credentials"), "{}", e.message);
    }

    #[test]
    fn unknown_profile_is_an_error_even_with_environment_keys() {
        let home = Home::new(CREDENTIALS, CONFIG)
            .var("AWS_ACCESS_KEY_ID", "AKIDENV")
            .var("AWS_SECRET_ACCESS_KEY", "envsecret");
        let e = home.resolve(&profile("nope")).unwrap_err();
        assert!(e.message.contains("\"nope\""), "{}", e.message);
    }

    #[test]
    fn partial_keys_are_errors() {
        let home = Home::new("[default]\naws_access_key_id = A\n", "");
        let e = home.resolve(&Flags::default()).unwrap_err();
        assert!(e.message.contains("aws_secret_access_key"), "{}", e.message);
        let home = Home::new(CREDENTIALS, "").var("AWS_ACCESS_KEY_ID", "AKIDENV");
        let e = home.resolve(&Flags::default()).unwrap_err();
        assert!(e.message.contains("AWS_SECRET_ACCESS_KEY"), "{}", e.message);
    }

    #[test]
    fn role_profiles_are_pointed_to_export_credentials() {
        let home = Home::new(CREDENTIALS, CONFIG);
        let e = home.resolve(&profile("role")).unwrap_err();
        assert!(
            e.message.contains("role_arn") && e.message.contains("export-credentials"),
            "{}",
            e.message
        );
    }

    #[test]
    fn bad_addressing_style_and_malformed_files_are_reported() {
        let home = Home::new("", "[default]\ns3 =\n  addressing_style = sideways\n")
            .var("AWS_ACCESS_KEY_ID", "A")
            .var("AWS_SECRET_ACCESS_KEY", "B");
        let e = home.resolve(&Flags::default()).unwrap_err();
        assert!(e.message.contains("sideways"), "{}", e.message);
        let home = Home::new("[default\naws_secret_access_key = hunter2\n", "");
        let e = home.resolve(&Flags::default()).unwrap_err();
        assert!(
            e.message.contains("cannot parse") && !e.message.contains("hunter2"),
            "{}",
            e.message
        );
    }

    #[test]
    fn no_home_and_no_variables() {
        let e = resolve(&Flags::default(), &|_| None).unwrap_err();
        assert!(e.message.contains("HOME is not set"), "{}", e.message);
    }
}
