//! How the JSON-family wires spell a timestamp they write as text: RFC 3339
//! without a fraction when the time has none (`2019-12-16T23:48:18Z`), to
//! the millisecond when it has one. Reading, and the other formats, are
//! [`super::scalar`]'s.

use super::scalar::{self, TimestampFormat};
use chrono::{DateTime, Utc};

/// Write `seconds` since the epoch in `format`.
pub(crate) fn format(seconds: f64, format: TimestampFormat) -> String {
    let millis = (seconds * 1000.0).round() as i64;
    match (format, DateTime::<Utc>::from_timestamp_millis(millis)) {
        (TimestampFormat::Iso8601, Some(t)) if millis % 1000 == 0 => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        _ => scalar::format_timestamp(seconds, format),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_seconds_have_no_fraction() {
        assert_eq!(format(1576540098.0, TimestampFormat::Iso8601), "2019-12-16T23:48:18Z");
        assert_eq!(format(946845296.123, TimestampFormat::Iso8601), "2000-01-02T20:34:56.123Z");
        assert_eq!(format(1576540098.0, TimestampFormat::HttpDate), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(format(1576540098.0, TimestampFormat::EpochSeconds), "1576540098");
    }
}
