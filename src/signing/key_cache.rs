//! The SigV4 signing key, derived once a day and shared by every request.
//!
//! Deriving `kSigning` costs four HMACs, more than the rest of a presigned
//! URL together; the key depends only on the secret, the date, the region
//! and the service, so a presigner keeps the latest one. The cache lives in
//! the presigner beside the credentials it was derived from, and those never
//! change, so a key can never be used with another secret.

use std::sync::Arc;

use arc_swap::ArcSwapOption;

use super::sigv4::{self, Dialect, ScopeTexts, SigningKey};
use crate::Credentials;

/// The latest signing key of one set of credentials, with the texts of its
/// scope.
///
/// Reading is lock-free (an [`ArcSwapOption`] load); a miss derives the key
/// and replaces the entry. Threads that miss at the same moment each derive
/// the same key, and the last one stored wins, so no lock is needed there
/// either.
#[derive(Default)]
pub(crate) struct SigningKeyCache {
    latest: ArcSwapOption<SigningScope>,
}

/// A signing key and the texts of the scope it signs for, in one entry.
pub(crate) struct SigningScope {
    key_prefix: &'static str,
    pub(crate) key: SigningKey,
    pub(crate) texts: ScopeTexts,
}

impl SigningScope {
    fn new(
        dialect: &Dialect,
        credentials: &Credentials,
        date: &str,
        region: &str,
        service: &str,
    ) -> Self {
        let secret = credentials.secret_access_key();
        Self {
            key_prefix: dialect.key_prefix,
            key: SigningKey::new(&sigv4::signing_key(dialect, secret, date, region, service)),
            texts: ScopeTexts::new(
                dialect,
                credentials.access_key_id(),
                credentials.session_token(),
                date,
                region,
                service,
            ),
        }
    }

    fn is_for(&self, dialect: &Dialect, date: &str, region: &str, service: &str) -> bool {
        self.key_prefix == dialect.key_prefix && self.texts.is_scope(dialect, date, region, service)
    }
}

impl SigningKeyCache {
    /// Runs `f` on the signing scope of `credentials` for `date`
    /// (`YYYYMMDD`), `region` and `service`, derived only when the cached
    /// one is for another scope. The cache must only ever see the same
    /// credentials (the presigner's).
    pub(crate) fn with<R>(
        &self,
        dialect: &Dialect,
        credentials: &Credentials,
        date: &str,
        region: &str,
        service: &str,
        f: impl FnOnce(&SigningScope) -> R,
    ) -> R {
        if let Some(cached) = &*self.latest.load()
            && cached.is_for(dialect, date, region, service)
        {
            return f(cached);
        }
        let scope = Arc::new(SigningScope::new(
            dialect,
            credentials,
            date,
            region,
            service,
        ));
        self.latest.store(Some(Arc::clone(&scope)));
        f(&scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signing::hmac_sha256;
    use hmac::Mac;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// What a key signs `probe` as: keys are compared by what they do.
    fn tag(key: &SigningKey) -> [u8; 32] {
        let mut mac = key.mac();
        mac.update(b"probe");
        mac.finalize().into_bytes().into()
    }

    /// The tag of the cached key of a scope, after checking the texts
    /// cached with it are that scope's.
    fn probe(
        cache: &SigningKeyCache,
        dialect: &Dialect,
        date: &str,
        region: &str,
        service: &str,
    ) -> [u8; 32] {
        let credentials = Credentials::new("AKID", SECRET);
        cache.with(dialect, &credentials, date, region, service, |scope| {
            let want = format!("{date}/{region}/{service}/{}", dialect.terminator);
            assert_eq!(scope.texts.scope(), want);
            tag(&scope.key)
        })
    }

    /// The tag of the key derived without the cache, straight from the
    /// SigV4 formula.
    fn derived(dialect: &Dialect, date: &str, region: &str, service: &str) -> [u8; 32] {
        let key = sigv4::signing_key(dialect, SECRET, date, region, service);
        hmac_sha256(&key, b"probe")
    }

    #[test]
    fn every_scope_part_selects_its_own_key() {
        let cache = SigningKeyCache::default();
        let scopes = [
            ("20150830", "us-east-1", "iam"),
            ("20150830", "us-east-1", "s3"),
            ("20150831", "us-east-1", "s3"),
            ("20150831", "eu-west-1", "s3"),
            ("20150830", "us-east-1", "iam"),
        ];
        for (date, region, service) in scopes {
            for _ in 0..2 {
                let got = probe(&cache, &sigv4::AWS, date, region, service);
                let want = derived(&sigv4::AWS, date, region, service);
                assert_eq!(got, want, "{date} {region} {service}");
            }
        }
    }

    #[test]
    fn published_signing_key() {
        // AWS General Reference, "Examples of how to derive a signing key for
        // Signature Version 4": this secret, 20120215, us-east-1, iam.
        let published =
            hex::decode("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
                .unwrap();
        let cache = SigningKeyCache::default();
        for _ in 0..2 {
            let key = probe(&cache, &sigv4::AWS, "20120215", "us-east-1", "iam");
            assert_eq!(key, hmac_sha256(&published, b"probe"));
        }
    }

    #[test]
    fn a_dialect_with_other_prefixes_gets_its_own_key() {
        let other = Dialect {
            key_prefix: "GOOG4",
            terminator: "goog4_request",
            ..sigv4::AWS
        };
        let cache = SigningKeyCache::default();
        for dialect in [&sigv4::AWS, &other, &sigv4::AWS] {
            let got = probe(&cache, dialect, "20260524", "auto", "storage");
            assert_eq!(got, derived(dialect, "20260524", "auto", "storage"));
        }
        assert_ne!(
            derived(&sigv4::AWS, "20260524", "auto", "storage"),
            derived(&other, "20260524", "auto", "storage")
        );
    }

    #[test]
    fn a_long_region_gets_its_key() {
        let cache = SigningKeyCache::default();
        let region = "a-custom-region-name-much-longer-than-any-aws-region-name-so-far-x";
        for _ in 0..2 {
            let got = probe(&cache, &sigv4::AWS, "20260524", region, "s3");
            assert_eq!(got, derived(&sigv4::AWS, "20260524", region, "s3"));
        }
    }

    #[test]
    fn concurrent_readers_and_writers_agree() {
        let cache = SigningKeyCache::default();
        let dates = ["20260101", "20260102", "20260103"];
        std::thread::scope(|s| {
            for t in 0..4 {
                let cache = &cache;
                s.spawn(move || {
                    for i in 0..200 {
                        let date = dates[(i + t) % dates.len()];
                        let got = probe(cache, &sigv4::AWS, date, "us-east-1", "s3");
                        assert_eq!(got, derived(&sigv4::AWS, date, "us-east-1", "s3"));
                    }
                });
            }
        });
    }
}
