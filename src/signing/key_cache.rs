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

/// The latest signing key of one set of credentials in one region, with the
/// texts of its scope.
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
    dialect: &'static Dialect,
    date: [u8; 8],
    service: &'static str,
    pub(crate) key: SigningKey,
    pub(crate) texts: ScopeTexts,
}

impl SigningScope {
    /// The scope of `date` and `service` under `dialect`; its texts are
    /// `previous`'s with the date replaced when only the date differs.
    fn new(
        dialect: &'static Dialect,
        credentials: &Credentials,
        region: &str,
        date: [u8; 8],
        service: &'static str,
        previous: Option<&SigningScope>,
    ) -> Self {
        // `date` is the ASCII digits of an `AmzDate`.
        let date_text = std::str::from_utf8(&date).unwrap_or_default();
        let secret = credentials.secret_access_key();
        let texts = match previous {
            Some(previous) if previous.is_for_service(dialect, service) => {
                previous.texts.for_date(date_text)
            }
            _ => ScopeTexts::new(
                dialect,
                credentials.access_key_id(),
                credentials.session_token(),
                date_text,
                region,
                service,
            ),
        };
        Self {
            dialect,
            date,
            service,
            key: sigv4::signing_key(dialect, secret, date_text, region, service),
            texts,
        }
    }

    /// Whether this is the scope of `date` and `service` under `dialect`
    /// (the region is the cache's own). Dialects are statics, compared by
    /// address.
    fn is_for(&self, dialect: &'static Dialect, date: [u8; 8], service: &str) -> bool {
        self.date == date && self.is_for_service(dialect, service)
    }

    /// Whether this is a scope of `service` under `dialect`, on any date.
    fn is_for_service(&self, dialect: &'static Dialect, service: &str) -> bool {
        std::ptr::eq(self.dialect, dialect) && self.service == service
    }
}

impl SigningKeyCache {
    /// Runs `f` on the signing scope of `credentials` in `region` for `date`
    /// (`YYYYMMDD`, as `AmzDate::date` writes it) and `service`, derived
    /// only when the cached one is for another scope. A cache must only ever
    /// see the same credentials and region (its presigner's): they are not
    /// compared.
    pub(crate) fn with<R>(
        &self,
        dialect: &'static Dialect,
        credentials: &Credentials,
        region: &str,
        date: &str,
        service: &'static str,
        f: impl FnOnce(&SigningScope) -> R,
    ) -> R {
        let date = <[u8; 8]>::try_from(date.as_bytes()).unwrap_or_default();
        let latest = self.latest.load();
        if let Some(cached) = &*latest
            && cached.is_for(dialect, date, service)
        {
            return f(cached);
        }
        let scope = Arc::new(SigningScope::new(
            dialect,
            credentials,
            region,
            date,
            service,
            latest.as_deref(),
        ));
        drop(latest);
        self.latest.store(Some(Arc::clone(&scope)));
        f(&scope)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, KeyInit, Mac};
    use sha2::Sha256;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    /// What a key signs `probe` as: keys are compared by what they do.
    fn tag(key: &SigningKey) -> [u8; 32] {
        key.sign(b"probe")
    }

    /// The tag of the cached key of a scope, after checking the texts
    /// cached with it are that scope's.
    fn probe(
        cache: &SigningKeyCache,
        dialect: &'static Dialect,
        region: &str,
        date: &str,
        service: &'static str,
    ) -> [u8; 32] {
        let credentials = Credentials::new("AKID", SECRET);
        cache.with(dialect, &credentials, region, date, service, |scope| {
            let want = format!("{date}/{region}/{service}/{}", dialect.terminator);
            assert_eq!(scope.texts.scope(), want);
            let name = &dialect.query_texts[sigv4::Param::Credential as usize];
            let want = format!("{name}AKID%2F{}", want.replace('/', "%2F"));
            assert_eq!(scope.texts.credential(), want);
            tag(&scope.key)
        })
    }

    /// HMAC-SHA256 by the `hmac` crate.
    fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).unwrap();
        mac.update(data);
        mac.finalize().into_bytes().into()
    }

    /// The tag of the key derived without the cache, straight from the
    /// SigV4 formula with the `hmac` crate.
    fn derived(dialect: &Dialect, region: &str, date: &str, service: &str) -> [u8; 32] {
        let mut key = hmac_sha256(
            format!("{}{SECRET}", dialect.key_prefix).as_bytes(),
            date.as_bytes(),
        );
        for part in [region, service, dialect.terminator] {
            key = hmac_sha256(&key, part.as_bytes());
        }
        hmac_sha256(&key, b"probe")
    }

    #[test]
    fn every_scope_part_selects_its_own_key() {
        let scopes = [
            ("20150830", "iam"),
            ("20150830", "s3"),
            ("20150831", "s3"),
            ("20150830", "iam"),
        ];
        // A cache serves one region (its presigner's).
        for region in ["us-east-1", "eu-west-1"] {
            let cache = SigningKeyCache::default();
            for (date, service) in scopes {
                for _ in 0..2 {
                    let got = probe(&cache, &sigv4::AWS, region, date, service);
                    let want = derived(&sigv4::AWS, region, date, service);
                    assert_eq!(got, want, "{date} {region} {service}");
                }
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
            let key = probe(&cache, &sigv4::AWS, "us-east-1", "20120215", "iam");
            assert_eq!(key, hmac_sha256(&published, b"probe"));
        }
    }

    #[test]
    fn a_dialect_with_other_prefixes_gets_its_own_key() {
        let other: &'static Dialect = Box::leak(Box::new(Dialect {
            key_prefix: "GOOG4",
            terminator: "goog4_request",
            ..sigv4::AWS
        }));
        let cache = SigningKeyCache::default();
        for dialect in [&sigv4::AWS, other, &sigv4::AWS] {
            let got = probe(&cache, dialect, "auto", "20260524", "storage");
            assert_eq!(got, derived(dialect, "auto", "20260524", "storage"));
        }
        assert_ne!(
            derived(&sigv4::AWS, "auto", "20260524", "storage"),
            derived(other, "auto", "20260524", "storage")
        );
    }

    #[test]
    fn a_long_region_gets_its_key() {
        let cache = SigningKeyCache::default();
        let region = "a-custom-region-name-much-longer-than-any-aws-region-name-so-far-x";
        for _ in 0..2 {
            let got = probe(&cache, &sigv4::AWS, region, "20260524", "s3");
            assert_eq!(got, derived(&sigv4::AWS, region, "20260524", "s3"));
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
                        let got = probe(cache, &sigv4::AWS, "us-east-1", date, "s3");
                        assert_eq!(got, derived(&sigv4::AWS, "us-east-1", date, "s3"));
                    }
                });
            }
        });
    }
}
