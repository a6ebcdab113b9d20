//! Access keys, kept out of logs.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Error;

/// An access key id, its secret, and an optional session token.
///
/// `Debug` and `Display` show the access key id only; the secret and the
/// token are never printed. Both are overwritten with zeros when the value
/// is dropped ([`zeroize`]), so they do not linger in freed memory.
///
/// ```
/// use presign::Credentials;
///
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
///     .with_session_token("FQoGZXIvYXdzE...");
/// assert_eq!(creds.access_key_id(), "AKIDEXAMPLE");
/// let shown = format!("{creds:?} {creds}");
/// assert!(!shown.contains("wJalr") && !shown.contains("FQoG"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Long-term credentials: an access key id and its secret.
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }

    /// Adds the session token of temporary credentials (STS). It is signed
    /// into every request as `X-Amz-Security-Token`.
    #[must_use]
    pub fn with_session_token(mut self, session_token: impl Into<String>) -> Self {
        self.session_token = Some(session_token.into());
        self
    }

    /// Reads `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, if set and not
    /// empty, `AWS_SESSION_TOKEN`.
    ///
    /// ```no_run
    /// let creds = presign::Credentials::from_env()?;
    /// # Ok::<(), presign::Error>(())
    /// ```
    pub fn from_env() -> Result<Self, Error> {
        let var = |name: &'static str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.is_empty())
                .ok_or(Error::MissingEnvVar { name })
        };
        let creds = Self::new(var("AWS_ACCESS_KEY_ID")?, var("AWS_SECRET_ACCESS_KEY")?);
        Ok(match var("AWS_SESSION_TOKEN") {
            Ok(token) => creds.with_session_token(token),
            Err(_) => creds,
        })
    }

    /// The access key id (public: it appears in every presigned URL).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }

    /// Checks what every signer needs: a non-empty key id and secret, and a
    /// session token that is not empty if there is one. botocore drops an
    /// empty token without a word, and the server then refuses the URL as
    /// signed with a temporary key but no token; saying so here is clearer.
    pub(crate) fn validate(&self) -> Result<(), Error> {
        let reason = if self.access_key_id.is_empty() {
            "the access key id is empty"
        } else if self.secret_access_key.is_empty() {
            "the secret access key is empty"
        } else if self.session_token.as_deref() == Some("") {
            "the session token is empty (leave out with_session_token for long-term keys)"
        } else {
            return Ok(());
        };
        Err(Error::InvalidCredentials { reason })
    }
}

impl Drop for Credentials {
    fn drop(&mut self) {
        self.secret_access_key.zeroize();
        self.session_token.zeroize();
    }
}

impl ZeroizeOnDrop for Credentials {}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

impl fmt::Display for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.access_key_id)
    }
}
