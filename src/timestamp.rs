//! Formatting signing times as SigV4 wants them.

use arrayvec::ArrayString;
use time::{OffsetDateTime, UtcOffset};

use crate::Error;

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
    fn rejects_years_that_do_not_fit() {
        assert!(AmzDate::new(datetime!(-0001-12-31 23:00 UTC)).is_err());
        assert!(AmzDate::new(datetime!(9999-12-31 23:00 -2)).is_err());
    }
}
