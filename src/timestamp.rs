//! Formatting signing times as SigV4 wants them.

use arrayvec::ArrayString;
use time::{Date, Month, OffsetDateTime, Time, UtcOffset};

use crate::Error;
use crate::signing::Sink;

/// `00` to `99`: a pair of digits is one lookup, not a division (issue 5).
const DIGIT_PAIRS: [[u8; 2]; 100] = {
    let mut pairs = [[0; 2]; 100];
    let mut n = 0;
    while n < 100 {
        pairs[n] = [b'0' + (n / 10) as u8, b'0' + (n % 10) as u8];
        n += 1;
    }
    pairs
};

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
        let (year, month, day) = utc.to_calendar_date();
        let (hour, minute, second) = utc.to_hms();
        // The year is in 0..=9999 here: two pairs of digits. Every other
        // field is one pair.
        let year = year as u16;
        let pairs = [
            (0, (year / 100) as u8),
            (2, (year % 100) as u8),
            (4, u8::from(month)),
            (6, day),
            (9, hour),
            (11, minute),
            (13, second),
        ];
        let mut out = *b"00000000T000000Z";
        for (at, n) in pairs {
            out[at..at + 2].copy_from_slice(&DIGIT_PAIRS[usize::from(n)]);
        }
        // Only ASCII digits, 'T' and 'Z' were written; checked once here so
        // that reading the text back is free.
        ArrayString::from_byte_string(&out)
            .map(Self)
            .map_err(|_| invalid("it could not be formatted"))
    }

    /// Parses a timestamp as [`new`](Self::new) writes it, returning it with
    /// the time it stands for; anything else (another layout, an impossible
    /// date such as `20230230`) is `None`. Used to read back `X-Amz-Date`.
    pub(crate) fn parse(s: &str) -> Option<(Self, OffsetDateTime)> {
        let b = s.as_bytes();
        let digits = |range: std::ops::Range<usize>| -> Option<u32> {
            b.get(range)?.iter().try_fold(0u32, |n, &c| {
                c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
            })
        };
        if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
            return None;
        }
        let two = |start| digits(start..start + 2).and_then(|n| u8::try_from(n).ok());
        let year = i32::try_from(digits(0..4)?).ok()?;
        let month = Month::try_from(two(4)?).ok()?;
        let date = Date::from_calendar_date(year, month, two(6)?).ok()?;
        let time = Time::from_hms(two(9)?, two(11)?, two(13)?).ok()?;
        let t = date.with_time(time).assume_utc();
        Some((Self::new(t).ok()?, t))
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

    /// Reads a POST policy's `expiration`: ISO 8601 extended format in UTC,
    /// as [`put_iso8601`](Self::put_iso8601) writes it, optionally with
    /// fractional seconds (`2015-12-30T12:00:00.000Z`, the form of AWS's
    /// examples). Anything else is `None`.
    pub(crate) fn parse_iso8601(s: &str) -> Option<OffsetDateTime> {
        let b = s.as_bytes();
        let (whole, rest) = (b.get(..19)?, &b[19..]);
        let separators = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
        if separators.iter().any(|&(i, c)| whole[i] != c) {
            return None;
        }
        let mut basic = [0u8; 16];
        let mut n = 0;
        for (i, &c) in whole.iter().enumerate() {
            if !separators.iter().any(|&(j, _)| j == i) || i == 10 {
                basic[n] = c;
                n += 1;
            }
        }
        basic[15] = b'Z';
        let (_, t) = Self::parse(std::str::from_utf8(&basic).ok()?)?;
        let nanos = match rest {
            [b'Z'] => 0,
            [b'.', digits @ .., b'Z'] if (1..=9).contains(&digits.len()) => {
                let mut nanos = 0u32;
                for i in 0..9 {
                    let d = digits.get(i).copied().unwrap_or(b'0');
                    if !d.is_ascii_digit() {
                        return None;
                    }
                    nanos = nanos * 10 + u32::from(d - b'0');
                }
                nanos
            }
            _ => return None,
        };
        t.replace_nanosecond(nanos).ok()
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
    fn parses_what_it_writes_and_nothing_else() {
        for t in [
            datetime!(2013-05-24 0:00 UTC),
            datetime!(0000-01-01 0:00 UTC),
            datetime!(9999-12-31 23:59:59 UTC),
            datetime!(2024-02-29 12:34:56 UTC),
        ] {
            let written = AmzDate::new(t).unwrap();
            assert_eq!(AmzDate::parse(written.timestamp()), Some((written, t)));
        }
        for bad in [
            "",
            "20130524T000000",
            "20130524T000000z",
            "20130524 000000Z",
            "2013052AT000000Z",
            "20130230T000000Z",
            "20131324T000000Z",
            "20130524T240000Z",
            "20130524T235960Z",
            "+0130524T000000Z",
            "20130524T000000ZZ",
        ] {
            assert_eq!(AmzDate::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_iso8601_extended() {
        for (s, t) in [
            ("2015-12-30T12:00:59Z", datetime!(2015-12-30 12:00:59 UTC)),
            ("2015-12-30T12:00:00.000Z", datetime!(2015-12-30 12:00 UTC)),
            (
                "2015-12-30T12:00:00.5Z",
                datetime!(2015-12-30 12:00:00.5 UTC),
            ),
            ("0000-01-01T00:00:00Z", datetime!(0000-01-01 0:00 UTC)),
        ] {
            assert_eq!(AmzDate::parse_iso8601(s), Some(t), "{s}");
        }
        for bad in [
            "",
            "2015-12-30T12:00:59",
            "2015-12-30 12:00:59Z",
            "2015/12/30T12:00:59Z",
            "2015-12-30T12:00:59+00:00",
            "2015-12-30T12:00:59.Z",
            "2015-12-30T12:00:59.1234567890Z",
            "2015-12-30T12:00:59.1aZ",
            "2015-02-30T12:00:59Z",
            "20151230T120059Z",
        ] {
            assert_eq!(AmzDate::parse_iso8601(bad), None, "{bad}");
        }
        let d = AmzDate::new(datetime!(2015-12-30 12:00:59 UTC)).unwrap();
        let mut out = String::new();
        d.put_iso8601(&mut out);
        assert_eq!(
            AmzDate::parse_iso8601(&out),
            Some(datetime!(2015-12-30 12:00:59 UTC))
        );
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
