//! The SigV4 signing key, derived once a day and shared by every request.
//!
//! Deriving `kSigning` costs four HMACs, more than the rest of a presigned
//! URL together; the key depends only on the secret, the date, the region
//! and the service, so a presigner keeps the latest one. The cache lives in
//! the presigner beside the credentials it was derived from, and those never
//! change, so a key can never be used with another secret.

use std::sync::Arc;

use arc_swap::ArcSwapOption;
use arrayvec::ArrayString;

use super::sigv4::{self, Dialect, SigningKey};

/// The latest signing key of one secret.
///
/// Reading is lock-free (an [`ArcSwapOption`] load); a miss derives the key
/// and replaces the entry. Threads that miss at the same moment each derive
/// the same key, and the last one stored wins, so no lock is needed there
/// either.
#[derive(Default)]
pub(crate) struct SigningKeyCache {
    latest: ArcSwapOption<CachedKey>,
}

/// A signing key and everything besides the secret that it was derived from,
/// in one allocation. Regions and services are short; a longer one is simply
/// not cached.
struct CachedKey {
    key_prefix: &'static str,
    terminator: &'static str,
    date: [u8; 8],
    region: ArrayString<64>,
    service: ArrayString<32>,
    key: SigningKey,
}

impl CachedKey {
    fn is_for(&self, dialect: &Dialect, date: &str, region: &str, service: &str) -> bool {
        <[u8; 8]>::try_from(date.as_bytes()).is_ok_and(|d| d == self.date)
            && self.region.as_str() == region
            && self.service.as_str() == service
            && self.key_prefix == dialect.key_prefix
            && self.terminator == dialect.terminator
    }
}

impl SigningKeyCache {
    /// The signing key of `secret` for `date` (`YYYYMMDD`), `region` and
    /// `service`, derived only when the cached one is for another scope.
    pub(crate) fn get(
        &self,
        dialect: &Dialect,
        secret: &str,
        date: &str,
        region: &str,
        service: &str,
    ) -> SigningKey {
        if let Some(cached) = &*self.latest.load()
            && cached.is_for(dialect, date, region, service)
        {
            return cached.key.clone();
        }
        let key = SigningKey::new(&sigv4::signing_key(dialect, secret, date, region, service));
        if let (Ok(date), Ok(region), Ok(service)) = (
            date.as_bytes().try_into(),
            ArrayString::from(region),
            ArrayString::from(service),
        ) {
            self.latest.store(Some(Arc::new(CachedKey {
                key_prefix: dialect.key_prefix,
                terminator: dialect.terminator,
                date,
                region,
                service,
                key: key.clone(),
            })));
        }
        key
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
                let got = cache.get(&sigv4::AWS, SECRET, date, region, service);
                let want = derived(&sigv4::AWS, date, region, service);
                assert_eq!(tag(&got), want, "{date} {region} {service}");
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
            let key = cache.get(&sigv4::AWS, SECRET, "20120215", "us-east-1", "iam");
            assert_eq!(tag(&key), hmac_sha256(&published, b"probe"));
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
            let got = cache.get(dialect, SECRET, "20260524", "auto", "storage");
            assert_eq!(tag(&got), derived(dialect, "20260524", "auto", "storage"));
        }
        assert_ne!(
            derived(&sigv4::AWS, "20260524", "auto", "storage"),
            derived(&other, "20260524", "auto", "storage")
        );
    }

    #[test]
    fn a_region_too_long_to_cache_still_gets_its_key() {
        let cache = SigningKeyCache::default();
        let region = "a-custom-region-name-much-longer-than-any-aws-region-name-so-far-x";
        assert!(region.len() > 64);
        for _ in 0..2 {
            let got = cache.get(&sigv4::AWS, SECRET, "20260524", region, "s3");
            assert_eq!(tag(&got), derived(&sigv4::AWS, "20260524", region, "s3"));
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
                        let got = cache.get(&sigv4::AWS, SECRET, date, "us-east-1", "s3");
                        assert_eq!(tag(&got), derived(&sigv4::AWS, date, "us-east-1", "s3"));
                    }
                });
            }
        });
    }
}
