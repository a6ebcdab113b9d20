//! Formatting signing times as SigV4 wants them.

use arrayvec::ArrayString;
use time::OffsetDateTime;

use crate::Error;
use crate::signing::Sink;

/// A signing time as `YYYYMMDD'T'HHMMSS'Z'` (ISO 8601 basic format, UTC),
/// the form of `X-Amz-Date`; its first eight bytes are the scope date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct AmzDate(ArrayString<16>);

impl AmzDate {
    /// Seconds since 1970 of `0000-01-01T00:00:00Z`, the earliest time four
    /// year digits can write.
    pub(crate) const MIN_UNIX: i64 = -62_167_219_200;
    /// Seconds since 1970 of `9999-12-31T23:59:59Z`, the latest.
    pub(crate) const MAX_UNIX: i64 = 253_402_300_799;

    /// Formats `t` in UTC. Years outside `0..=9999` cannot be written in four
    /// digits and are an error.
    pub(crate) fn new(t: OffsetDateTime) -> Result<Self, Error> {
        Self::from_unix(t.unix_timestamp()).ok_or(Error::InvalidSigningTime {
            signed_at: t,
            reason: "its UTC year must be between 0 and 9999",
        })
    }

    /// Formats a time given in seconds since 1970 (UTC), or `None` if its
    /// year is outside `0..=9999`. Integer arithmetic only: this runs once
    /// per presigned URL.
    pub(crate) fn from_unix(secs: i64) -> Option<Self> {
        if !(Self::MIN_UNIX..=Self::MAX_UNIX).contains(&secs) {
            return None;
        }
        let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
        let second_of_day = secs.rem_euclid(86_400);
        let mut out = *b"00000000T000000Z";
        // Every field is in range here (years 0..=9999), so fits its digits.
        let fields = [
            (0, 4, year),
            (4, 2, month),
            (6, 2, day),
            (9, 2, second_of_day / 3600),
            (11, 2, second_of_day / 60 % 60),
            (13, 2, second_of_day % 60),
        ];
        for (start, width, mut value) in fields {
            for i in (start..start + width).rev() {
                out[i] = b'0' + (value % 10) as u8;
                value /= 10;
            }
        }
        // Only ASCII digits, 'T' and 'Z' were written.
        ArrayString::from_byte_string(&out).ok().map(Self)
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

/// The proleptic Gregorian (year, month, day) of a count of days since
/// 1970-01-01: Howard Hinnant's `civil_from_days`
/// (<https://howardhinnant.github.io/date_algorithms.html>), on 400-year eras
/// that start on March 1st so that leap days fall at the end of a year.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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

    /// The same time as the `time` crate formats it.
    fn formatted_by_time(secs: i64) -> String {
        let format =
            time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
        OffsetDateTime::from_unix_timestamp(secs)
            .unwrap()
            .format(&format)
            .unwrap()
    }

    #[test]
    fn from_unix_agrees_with_time_at_the_edges() {
        let edges = [
            AmzDate::MIN_UNIX,
            AmzDate::MAX_UNIX,
            -1,
            0,
            951_782_400,   // 2000-02-29, a leap day of a century year
            4_107_542_399, // 2100-02-28T23:59:59, a century year without one
            4_107_542_400,
        ];
        for secs in edges {
            let d = AmzDate::from_unix(secs).unwrap();
            assert_eq!(d.timestamp(), formatted_by_time(secs), "{secs}");
        }
        assert_eq!(AmzDate::from_unix(AmzDate::MIN_UNIX - 1), None);
        assert_eq!(AmzDate::from_unix(AmzDate::MAX_UNIX + 1), None);
    }

    proptest::proptest! {
        #[test]
        fn from_unix_agrees_with_time(secs in AmzDate::MIN_UNIX..=AmzDate::MAX_UNIX) {
            let d = AmzDate::from_unix(secs).unwrap();
            proptest::prop_assert_eq!(d.timestamp(), formatted_by_time(secs));
        }
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
