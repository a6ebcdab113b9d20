//! Formatting signing times as SigV4 wants them.

use arrayvec::ArrayString;
use time::{OffsetDateTime, UtcOffset};

use crate::Error;
use crate::signing::Sink;

/// A signing time as `YYYYMMDD'T'HHMMSS'Z'` (ISO 8601 basic format, UTC),
/// the form of `X-Amz-Date`; its first eight bytes are the scope date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AmzDate(ArrayString<16>);

impl AmzDate {
    /// Formats `t` in UTC. Years outside `0..=9999` cannot be written in four
    /// digits and are an error.
    pub(crate) fn new(t: OffsetDateTime) -> Result<Self, Error> {
        let invalid = |reason| Error::InvalidSigningTime {
            signed_at: t,
            reason,
        };
        let utc = t
            .checked_to_offset(UtcOffset::UTC)
            .filter(|u| (0..=9999).contains(&u.year()))
            .ok_or(invalid("its UTC year must be between 0 and 9999"))?;
        let mut out = *b"00000000T000000Z";
        // `year()` is in 0..=9999 here, so every field fits its digits.
        let fields = [
            (0, 4, utc.year() as u32),
            (4, 2, u32::from(u8::from(utc.month()))),
            (6, 2, u32::from(utc.day())),
            (9, 2, u32::from(utc.hour())),
            (11, 2, u32::from(utc.minute())),
            (13, 2, u32::from(utc.second())),
        ];
        for (start, width, mut value) in fields {
            for i in (start..start + width).rev() {
                out[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        }
        // Only ASCII digits, 'T' and 'Z' were written; checked once here so
        // that reading the text back is free.
        ArrayString::from_byte_string(&out)
            .map(Self)
            .map_err(|_| invalid("it could not be formatted"))
    }

    /// As [`new`](Self::new), but a time whose UTC year is outside
    /// `0..=9999` becomes the first or last second of that range.
    pub(crate) fn saturating(t: OffsetDateTime) -> Self {
        Self::new(t).unwrap_or_else(|_| {
            let bound = if t < OffsetDateTime::UNIX_EPOCH {
                "00000101T000000Z"
            } else {
                "99991231T235959Z"
            };
            // Both bounds are 16 bytes, the capacity.
            Self(ArrayString::from(bound).unwrap_or_default())
        })
    }

    /// Writes the time in ISO 8601 extended format, `2013-05-24T00:00:00Z`
    /// (the form of a POST policy's `expiration`).
    pub(crate) fn put_iso8601(&self, sink: &mut impl Sink) {
        let t = self.timestamp();
        let parts = [
            &t[0..4],
            "-",
            &t[4..6],
            "-",
            &t[6..8],
            "T",
            &t[9..11],
            ":",
            &t[11..13],
            ":",
            &t[13..15],
            "Z",
        ];
        for part in parts {
            sink.put(part);
        }
    }

    /// The full timestamp, e.g. `20130524T000000Z`.
    pub(crate) fn timestamp(&self) -> &str {
        &self.0
    }

    /// The scope date, e.g. `20130524`.
    pub(crate) fn date(&self) -> &str {
        &self.timestamp()[..8]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn formats_utc_basic_format() {
        let d = AmzDate::new(datetime!(2013-05-24 0:00 UTC)).unwrap();
        assert_eq!(d.timestamp(), "20130524T000000Z");
        assert_eq!(d.date(), "20130524");
        let d = AmzDate::new(datetime!(2024-02-29 23:59:59 -2)).unwrap();
        assert_eq!(d.timestamp(), "20240301T015959Z");
        let d = AmzDate::new(datetime!(0009-01-02 03:04:05 UTC)).unwrap();
        assert_eq!(d.timestamp(), "00090102T030405Z");
    }

    #[test]
    fn writes_iso8601_extended() {
        let d = AmzDate::new(datetime!(2015-12-30 12:00:59 UTC)).unwrap();
        let mut out = String::new();
        d.put_iso8601(&mut out);
        assert_eq!(out, "2015-12-30T12:00:59Z");
    }

    #[test]
    fn saturates_years_that_do_not_fit() {
        let d = AmzDate::saturating(datetime!(-0001-12-31 23:00 UTC));
        assert_eq!(d.timestamp(), "00000101T000000Z");
        let d = AmzDate::saturating(datetime!(9999-12-31 23:00 -2));
        assert_eq!(d.timestamp(), "99991231T235959Z");
        let d = AmzDate::saturating(datetime!(2015-12-29 0:00 UTC));
        assert_eq!(d.timestamp(), "20151229T000000Z");
    }

    #[test]
    fn rejects_years_that_do_not_fit() {
        assert!(AmzDate::new(datetime!(-0001-12-31 23:00 UTC)).is_err());
        assert!(AmzDate::new(datetime!(9999-12-31 23:00 -2)).is_err());
    }
}
