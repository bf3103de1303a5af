//! The timestamps SigV4 carries: ISO 8601 basic format (`20260101T120000Z`)
//! in `X-Amz-Date`, or an HTTP date in `Date`.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};

/// A request's signing time, and the ISO 8601 basic form that goes into the
/// string to sign.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SigningTime {
    pub at: DateTime<Utc>,
    pub basic: String,
}

impl SigningTime {
    pub fn new(at: DateTime<Utc>) -> Self {
        SigningTime { at, basic: format_basic(at) }
    }

    /// From an `X-Amz-Date` value: exactly `YYYYMMDDTHHMMSSZ`.
    pub fn from_amz_date(value: &str) -> Option<Self> {
        let at = parse_basic(value)?;
        Some(SigningTime { at, basic: value.to_string() })
    }

    /// From a `Date` header (RFC 7231 / RFC 2822 form).
    pub fn from_http_date(value: &str) -> Option<Self> {
        let at = DateTime::parse_from_rfc2822(value.trim()).ok()?.with_timezone(&Utc);
        Some(SigningTime::new(at))
    }

    /// The `YYYYMMDD` date a credential scope must carry.
    pub fn date(&self) -> &str {
        &self.basic[..8]
    }
}

fn parse_basic(value: &str) -> Option<DateTime<Utc>> {
    let bytes = value.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = bytes.get(range)?;
        digits.iter().try_fold(0u32, |acc, &b| b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0')))
    };
    let date = NaiveDate::from_ymd_opt(number(0..4)? as i32, number(4..6)?, number(6..8)?)?;
    let time = date.and_hms_opt(number(9..11)?, number(11..13)?, number(13..15)?)?;
    Some(time.and_utc())
}

/// `YYYYMMDDTHHMMSSZ`, written digit by digit (it is on every signature's path).
pub(crate) fn format_basic(at: DateTime<Utc>) -> String {
    let mut text = *b"00000000T000000Z";
    let year = u32::try_from(at.year()).unwrap_or(0).min(9999);
    let fields = [
        (0..4, year),
        (4..6, at.month()),
        (6..8, at.day()),
        (9..11, at.hour()),
        (11..13, at.minute()),
        (13..15, at.second()),
    ];
    for (range, mut value) in fields {
        for digit in text[range].iter_mut().rev() {
            *digit = b'0' + (value % 10) as u8;
            value /= 10;
        }
    }
    super::canonical::ascii_text(&text)
}

/// `YYYY-MM-DDTHH:MM:SSZ`, as S3 prints times in its error bodies.
pub(crate) fn format_extended(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn basic_format_round_trips_and_rejects_near_misses() {
        let t = SigningTime::from_amz_date("20260101T120000Z").unwrap();
        assert_eq!(format_basic(t.at), "20260101T120000Z");
        assert_eq!(t.date(), "20260101");
        for bad in ["20260101T120000", "2026-01-01T12:00:00Z", "20261301T120000Z", "2026010xT120000Z", ""] {
            assert!(SigningTime::from_amz_date(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn basic_format_pads_every_field_as_chrono_would() {
        for seconds in [0, 951_782_400, 1_709_210_096, 1_767_225_599, 4_102_444_800] {
            let at = DateTime::from_timestamp(seconds, 0).unwrap();
            assert_eq!(format_basic(at), at.format("%Y%m%dT%H%M%SZ").to_string(), "{seconds}");
        }
    }

    #[test]
    fn http_dates_in_both_zone_spellings() {
        let gmt = SigningTime::from_http_date("Thu, 01 Jan 2026 12:00:00 GMT").unwrap();
        let numeric = SigningTime::from_http_date("Thu, 01 Jan 2026 12:00:00 -0000").unwrap();
        assert_eq!(gmt.basic, "20260101T120000Z");
        assert_eq!(numeric, gmt);
        assert!(SigningTime::from_http_date("yesterday").is_none());
    }
}
