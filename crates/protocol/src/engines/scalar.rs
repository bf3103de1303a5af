//! Scalars as text: form values, XML text, headers, query strings and URI
//! labels all carry a scalar as a string.
//!
//! [`parse`] turns such a string into a value-tree scalar guided by the
//! shape; [`format`] does the reverse. Timestamps parse in any of AWS's three
//! formats and format in the one the model asks for ([`super::timestamp`]).
//! Non-finite floats travel as the strings `NaN`, `Infinity` and `-Infinity`,
//! in the tree as on the wire; [`float_value`] and [`float_of`] convert them
//! for every engine, and [`integer_bounds`] gives every engine the range of
//! an integer type.

use super::timestamp::{self, Fractions, TimestampFormat};
use base64::Engine as _;
use cloudbox_core::Value;
use cloudbox_model::{Shape, ShapeType};
use std::borrow::Cow;

/// The names of the non-finite floats on the wire and in the value tree.
const NON_FINITE: [&str; 3] = ["NaN", "Infinity", "-Infinity"];

/// Parse `text` as a scalar of `shape`. `None` when the text is not a value
/// of that type (the caller knows which error its protocol gives).
pub fn parse(shape: &Shape, text: &str) -> Option<Value> {
    match shape.shape_type {
        ShapeType::String => Some(Value::String(text.to_string())),
        ShapeType::Boolean => parse_bool(text).map(Value::Bool),
        kind @ (ShapeType::Byte | ShapeType::Short | ShapeType::Integer | ShapeType::Long | ShapeType::BigInteger) => {
            parse_integer(text, integer_bounds(kind))
        }
        ShapeType::Float | ShapeType::Double | ShapeType::BigDecimal => parse_float(text),
        ShapeType::Timestamp => timestamp::parse(text).map(timestamp::seconds_value),
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

fn parse_integer(text: &str, (min, max): (i64, i64)) -> Option<Value> {
    let n: i64 = text.trim().parse().ok()?;
    (min..=max).contains(&n).then(|| Value::from(n))
}

/// The smallest and largest value of an integer type; `Long` and anything
/// wider as 64-bit.
pub fn integer_bounds(kind: ShapeType) -> (i64, i64) {
    match kind {
        ShapeType::Byte => (i8::MIN.into(), i8::MAX.into()),
        ShapeType::Short => (i16::MIN.into(), i16::MAX.into()),
        ShapeType::Integer => (i32::MIN.into(), i32::MAX.into()),
        _ => (i64::MIN, i64::MAX),
    }
}

fn parse_float(text: &str) -> Option<Value> {
    let text = text.trim();
    if is_non_finite_name(text) {
        return Some(Value::String(text.to_string()));
    }
    // Rust also reads `inf` and `nan`; AWS only the spellings above.
    if text.chars().any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return None;
    }
    let n: f64 = text.parse().ok()?;
    serde_json::Number::from_f64(n).map(Value::Number)
}

/// Whether `text` names a non-finite float.
pub fn is_non_finite_name(text: &str) -> bool {
    NON_FINITE.contains(&text)
}

/// A float as the value tree holds it: a number, or a non-finite one by name.
pub fn float_value(f: f64) -> Value {
    match serde_json::Number::from_f64(f) {
        Some(n) => Value::Number(n),
        None if f.is_nan() => Value::from(NON_FINITE[0]),
        None if f > 0.0 => Value::from(NON_FINITE[1]),
        None => Value::from(NON_FINITE[2]),
    }
}

/// The float a value-tree float holds, non-finite ones from their names.
pub fn float_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(name) if name == NON_FINITE[0] => Some(f64::NAN),
        Value::String(name) if name == NON_FINITE[1] => Some(f64::INFINITY),
        Value::String(name) if name == NON_FINITE[2] => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

fn valid_base64(text: &str) -> bool {
    base64::engine::general_purpose::STANDARD.decode(text).is_ok()
}

/// The text of a scalar value of `shape`, timestamps in `timestamps` with
/// `fractions`. `None` for values that are not scalars (or not of a scalar
/// shape).
pub fn format<'v>(
    shape: &Shape,
    value: &'v Value,
    timestamps: TimestampFormat,
    fractions: Fractions,
) -> Option<Cow<'v, str>> {
    let seconds = match (shape.shape_type, value) {
        (ShapeType::Timestamp, Value::Number(n)) => n.as_f64()?,
        (ShapeType::Timestamp, Value::String(s)) => timestamp::parse(s)?,
        (_, value) => return plain(value),
    };
    Some(Cow::Owned(timestamp::format(seconds, timestamps, fractions)))
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
    fn non_finite_floats_go_by_name() {
        for (f, name) in [(f64::INFINITY, "Infinity"), (f64::NEG_INFINITY, "-Infinity")] {
            assert_eq!(float_value(f), Value::from(name));
            assert_eq!(float_of(&Value::from(name)), Some(f));
        }
        assert_eq!(float_value(f64::NAN), Value::from("NaN"));
        assert!(float_of(&Value::from("NaN")).is_some_and(f64::is_nan));
        assert_eq!(float_value(1.5), serde_json::json!(1.5));
        assert_eq!(float_of(&Value::from("nan")), None);
    }
}
