//! Timestamps on every wire, in one place: the formats AWS writes them in,
//! reading text in any of them, writing the one a member asks for, and the
//! epoch seconds the value tree holds.
//!
//! ISO 8601 text differs in one respect between services: whether it shows
//! fractions of a second ([`Fractions`]). The XML wires always write
//! milliseconds (`2019-12-16T23:48:18.000Z`), the JSON wires only when there
//! are some, and IAM never.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use cloudbox_core::Value;
use cloudbox_model::{Shape, ShapeRef};

/// The wire formats of a timestamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// `2024-01-01T00:00:00.000Z`
    Iso8601,
    /// `1704067200` (fractions allowed)
    EpochSeconds,
    /// `Mon, 01 Jan 2024 00:00:00 GMT`
    HttpDate,
}

impl TimestampFormat {
    /// The format a reference asks for (the member's trait wins over the
    /// shape's), or `default` when neither names one.
    pub fn of(member: &ShapeRef, shape: &Shape, default: TimestampFormat) -> TimestampFormat {
        let named = member.timestamp_format.as_deref().or(shape.timestamp_format.as_deref());
        match named {
            Some("iso8601") => TimestampFormat::Iso8601,
            Some("unixTimestamp") => TimestampFormat::EpochSeconds,
            Some("rfc822") => TimestampFormat::HttpDate,
            _ => default,
        }
    }
}

/// How ISO 8601 text shows the fraction of a second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fractions {
    /// Always to the millisecond: `2019-12-16T23:48:18.000Z`.
    Milliseconds,
    /// To the millisecond when there is one: `2019-12-16T23:48:18Z`,
    /// `2000-01-02T20:34:56.123Z`.
    WhenPresent,
    /// Never; a fraction is dropped: `2019-12-16T23:48:18Z`.
    Never,
}

/// Read a timestamp in any of AWS's formats: epoch seconds, ISO 8601 (with
/// or without fraction and offset, or a bare date) or an HTTP date.
pub fn parse(text: &str) -> Option<f64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if text.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') && !text[1..].contains('-') {
        return text.parse::<f64>().ok().filter(|n| n.is_finite());
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(instant_seconds(t.with_timezone(&Utc)));
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Some(instant_seconds(t.with_timezone(&Utc)));
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(instant_seconds(t.and_utc()));
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    Some(instant_seconds(date.and_hms_opt(0, 0, 0)?.and_utc()))
}

fn instant_seconds(t: DateTime<Utc>) -> f64 {
    t.timestamp() as f64 + f64::from(t.timestamp_subsec_millis()) / 1000.0
}

/// Seconds since the epoch as the value tree holds them: whole seconds as an
/// integer, anything else as a float.
pub fn seconds_value(seconds: f64) -> Value {
    if seconds.fract() == 0.0 && seconds.abs() < 9.0e15 {
        Value::from(seconds as i64)
    } else {
        serde_json::Number::from_f64(seconds).map_or(Value::Null, Value::Number)
    }
}

/// Write `seconds` since the epoch in `format`, ISO 8601 with `fractions`.
pub fn format(seconds: f64, format: TimestampFormat, fractions: Fractions) -> String {
    let millis = (seconds * 1000.0).round() as i64;
    let Some(t) = DateTime::<Utc>::from_timestamp_millis(millis) else {
        return format_epoch(seconds);
    };
    match format {
        TimestampFormat::Iso8601 => format_iso8601(t, millis, fractions),
        TimestampFormat::HttpDate => t.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
        TimestampFormat::EpochSeconds => format_epoch(seconds),
    }
}

fn format_iso8601(t: DateTime<Utc>, millis: i64, fractions: Fractions) -> String {
    let whole_second = millis.rem_euclid(1000) == 0;
    match fractions {
        Fractions::Milliseconds => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Fractions::WhenPresent if !whole_second => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        Fractions::WhenPresent | Fractions::Never => t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

fn format_epoch(seconds: f64) -> String {
    if seconds.fract() == 0.0 {
        format!("{}", seconds as i64)
    } else {
        let text = format!("{seconds:.3}");
        text.trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_reads() {
        let want = Some(1576540098.0);
        assert_eq!(parse("2019-12-16T23:48:18Z"), want);
        assert_eq!(parse("2019-12-17T00:48:18+01:00"), want);
        assert_eq!(parse("Mon, 16 Dec 2019 23:48:18 GMT"), want);
        assert_eq!(parse("1576540098"), want);
        assert_eq!(parse("2019-12-16T23:48:18"), want);
        assert_eq!(parse("2000-01-02T20:34:56.123Z"), Some(946845296.123));
        assert_eq!(parse("yesterday"), None);
    }

    #[test]
    fn the_asked_format_writes() {
        let http_date = format(1576540098.0, TimestampFormat::HttpDate, Fractions::Milliseconds);
        assert_eq!(http_date, "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(format(1576540098.5, TimestampFormat::EpochSeconds, Fractions::WhenPresent), "1576540098.5");
        assert_eq!(format(1576540098.0, TimestampFormat::EpochSeconds, Fractions::Milliseconds), "1576540098");
    }

    #[test]
    fn iso8601_fractions_follow_the_service() {
        let iso = |seconds, fractions| format(seconds, TimestampFormat::Iso8601, fractions);
        assert_eq!(iso(1576540098.0, Fractions::Milliseconds), "2019-12-16T23:48:18.000Z");
        assert_eq!(iso(946845296.123, Fractions::Milliseconds), "2000-01-02T20:34:56.123Z");
        assert_eq!(iso(1576540098.0, Fractions::WhenPresent), "2019-12-16T23:48:18Z");
        assert_eq!(iso(946845296.123, Fractions::WhenPresent), "2000-01-02T20:34:56.123Z");
        assert_eq!(iso(1576540098.0, Fractions::Never), "2019-12-16T23:48:18Z");
        assert_eq!(iso(946845296.999, Fractions::Never), "2000-01-02T20:34:56Z");
    }
}
