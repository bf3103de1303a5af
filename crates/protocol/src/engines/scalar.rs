//! Scalars as text, for the XML-family wires: form values, XML text,
//! headers, query strings and URI labels all carry a scalar as a string.
//!
//! [`parse`] turns such a string into a value-tree scalar guided by the
//! shape; [`format`] does the reverse. Timestamps parse in any of AWS's three
//! formats and format in the one the model asks for. Non-finite floats travel
//! as the strings `NaN`, `Infinity` and `-Infinity`, in the tree as on the wire.

use base64::Engine as _;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use cloudbox_core::Value;
use cloudbox_model::{Shape, ShapeRef, ShapeType};
use std::borrow::Cow;

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

/// The names of the non-finite floats on the wire and in the value tree.
const NON_FINITE: [&str; 3] = ["NaN", "Infinity", "-Infinity"];

/// Parse `text` as a scalar of `shape`. `None` when the text is not a value
/// of that type (the caller knows which error its protocol gives).
pub fn parse(shape: &Shape, text: &str) -> Option<Value> {
    match shape.shape_type {
        ShapeType::String => Some(Value::String(text.to_string())),
        ShapeType::Boolean => parse_bool(text).map(Value::Bool),
        ShapeType::Byte => parse_integer(text, i8::MIN.into(), i8::MAX.into()),
        ShapeType::Short => parse_integer(text, i16::MIN.into(), i16::MAX.into()),
        ShapeType::Integer => parse_integer(text, i32::MIN.into(), i32::MAX.into()),
        ShapeType::Long | ShapeType::BigInteger => parse_integer(text, i64::MIN, i64::MAX),
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => parse_float(text),
        ShapeType::Timestamp => parse_timestamp(text).map(seconds_value),
        ShapeType::Blob => valid_base64(text.trim()).then(|| Value::String(text.trim().to_string())),
        _ => None,
    }
}

fn parse_bool(text: &str) -> Option<bool> {
    if text.eq_ignore_ascii_case("true") {
        Some(true)
    } else if text.eq_ignore_ascii_case("false") {
        Some(false)
    } else {
        None
    }
}

fn parse_integer(text: &str, min: i64, max: i64) -> Option<Value> {
    let n: i64 = text.trim().parse().ok()?;
    (min..=max).contains(&n).then(|| Value::from(n))
}

fn parse_float(text: &str) -> Option<Value> {
    let text = text.trim();
    if let Some(name) = NON_FINITE.iter().find(|n| **n == text) {
        return Some(Value::String((*name).to_string()));
    }
    // Rust also reads `inf` and `nan`; AWS only the spellings above.
    if text.chars().any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return None;
    }
    let n: f64 = text.parse().ok()?;
    serde_json::Number::from_f64(n).map(Value::Number)
}

fn valid_base64(text: &str) -> bool {
    base64::engine::general_purpose::STANDARD.decode(text).is_ok()
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

/// Read a timestamp in any of AWS's formats: epoch seconds, ISO 8601 (with
/// or without fraction and offset, or a bare date) or an HTTP date.
pub fn parse_timestamp(text: &str) -> Option<f64> {
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

/// Write a timestamp (seconds since the epoch) in `format`.
pub fn format_timestamp(seconds: f64, format: TimestampFormat) -> String {
    let millis = (seconds * 1000.0).round() as i64;
    let Some(t) = DateTime::<Utc>::from_timestamp_millis(millis) else {
        return format_epoch(seconds);
    };
    match format {
        TimestampFormat::Iso8601 => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
        TimestampFormat::HttpDate => t.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
        TimestampFormat::EpochSeconds => format_epoch(seconds),
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

/// The text of a scalar value of `shape`, timestamps in `timestamps`. `None`
/// for values that are not scalars (or not of a scalar shape).
pub fn format<'v>(shape: &Shape, value: &'v Value, timestamps: TimestampFormat) -> Option<Cow<'v, str>> {
    match (shape.shape_type, value) {
        (ShapeType::Timestamp, Value::Number(n)) => Some(Cow::Owned(format_timestamp(n.as_f64()?, timestamps))),
        (ShapeType::Timestamp, Value::String(s)) => {
            parse_timestamp(s).map(|secs| Cow::Owned(format_timestamp(secs, timestamps)))
        }
        (_, value) => plain(value),
    }
}

/// The text of a scalar value without a shape to guide it.
pub fn plain(value: &Value) -> Option<Cow<'_, str>> {
    match value {
        Value::String(s) => Some(Cow::Borrowed(s)),
        Value::Bool(true) => Some(Cow::Borrowed("true")),
        Value::Bool(false) => Some(Cow::Borrowed("false")),
        Value::Number(n) => Some(Cow::Owned(n.to_string())),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(shape_type: &str) -> Shape {
        serde_json::from_value(serde_json::json!({ "type": shape_type })).unwrap()
    }

    #[test]
    fn numbers_parse_within_their_type() {
        assert_eq!(parse(&shape("integer"), "42"), Some(Value::from(42)));
        assert_eq!(parse(&shape("integer"), "abc"), None);
        assert_eq!(parse(&shape("integer"), "4294967296"), None);
        assert_eq!(parse(&shape("long"), "4294967296"), Some(Value::from(4294967296i64)));
        assert_eq!(parse(&shape("double"), "10.8"), Some(serde_json::json!(10.8)));
        assert_eq!(parse(&shape("float"), "-Infinity"), Some(Value::from("-Infinity")));
        assert_eq!(parse(&shape("float"), "inf"), None);
        assert_eq!(parse(&shape("boolean"), "yes"), None);
    }

    #[test]
    fn timestamps_read_every_format_and_write_the_asked_one() {
        let want = Some(1576540098.0);
        assert_eq!(parse_timestamp("2019-12-16T23:48:18Z"), want);
        assert_eq!(parse_timestamp("2019-12-17T00:48:18+01:00"), want);
        assert_eq!(parse_timestamp("Mon, 16 Dec 2019 23:48:18 GMT"), want);
        assert_eq!(parse_timestamp("1576540098"), want);
        assert_eq!(parse_timestamp("2019-12-16T23:48:18"), want);
        assert_eq!(parse_timestamp("2000-01-02T20:34:56.123Z"), Some(946845296.123));
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(format_timestamp(1576540098.0, TimestampFormat::Iso8601), "2019-12-16T23:48:18.000Z");
        assert_eq!(format_timestamp(946845296.123, TimestampFormat::Iso8601), "2000-01-02T20:34:56.123Z");
        assert_eq!(format_timestamp(1576540098.0, TimestampFormat::HttpDate), "Mon, 16 Dec 2019 23:48:18 GMT");
        assert_eq!(format_timestamp(1576540098.5, TimestampFormat::EpochSeconds), "1576540098.5");
    }
}
