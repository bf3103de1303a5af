//! The HTTP bindings of the `rest-json` wire: members that travel in URI
//! labels, query-string parameters and headers, read into the value tree and
//! written back out.
//!
//! Scalars travel as text ([`super::scalar`] reads them). Lists in headers
//! are comma-separated, with quoted strings where an item holds a comma or a
//! quote; HTTP-date lists are not quoted, so they split at every second
//! comma. `jsonvalue` headers carry their JSON text base64-encoded.
//! Timestamps default to HTTP dates in headers and to RFC 3339 elsewhere.

use super::json_shape::serialization_error;
use super::scalar;
use super::timestamp::{self, Fractions, TimestampFormat};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{ServiceModel, Shape, ShapeRef, ShapeType};
use percent_encoding::percent_decode_str;

/// The wire name of a bound member: its `locationName`, else its own name.
pub(crate) fn bound_name<'a>(name: &'a str, member: &'a ShapeRef) -> &'a str {
    member.location_name.as_deref().unwrap_or(name)
}

/// A raw query string's parameters, decoded, in order (`+` reads as a space,
/// as form decoding has it).
pub(crate) fn query_params(raw: &str) -> Vec<(String, String)> {
    raw.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(key), decode_component(value))
        })
        .collect()
}

fn decode_component(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

/// Read one scalar, or a list of scalars, from label or query text.
pub(crate) fn read_text(model: &ServiceModel, member: &ShapeRef, text: &str) -> Result<Value, AwsError> {
    let shape = target(model, member)?;
    scalar::parse(shape, text).ok_or_else(|| unreadable(text, shape))
}

/// Read a header-bound member from the header's text.
pub(crate) fn read_header(model: &ServiceModel, member: &ShapeRef, text: &str) -> Result<Value, AwsError> {
    let shape = target(model, member)?;
    if member.json_value {
        let bytes = STANDARD.decode(text.trim()).map_err(|_| unreadable(text, shape))?;
        return String::from_utf8(bytes).map(Value::String).map_err(|_| unreadable(text, shape));
    }
    if shape.shape_type != ShapeType::List {
        return scalar::parse(shape, text).ok_or_else(|| unreadable(text, shape));
    }
    let Some(element) = &shape.member else {
        return Ok(Value::Array(Vec::new()));
    };
    let element_shape = target(model, element)?;
    let http_dates = element_shape.shape_type == ShapeType::Timestamp
        && TimestampFormat::of(element, element_shape, TimestampFormat::HttpDate) == TimestampFormat::HttpDate;
    split_header_list(text, http_dates)
        .iter()
        .map(|item| scalar::parse(element_shape, item).ok_or_else(|| unreadable(item, element_shape)))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

fn target<'m>(model: &'m ServiceModel, member: &ShapeRef) -> Result<&'m Shape, AwsError> {
    model.shape(&member.shape).ok_or_else(|| AwsError::internal(format!("the model has no shape {}", member.shape)))
}

fn unreadable(text: &str, shape: &Shape) -> AwsError {
    serialization_error(format!("Cannot read '{text}' as a value of type {:?}", shape.shape_type))
}

/// The items of a comma-separated header list.
pub(crate) fn split_header_list(text: &str, http_dates: bool) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    if http_dates {
        let parts: Vec<&str> = text.split(',').map(str::trim).collect();
        return parts.chunks(2).map(|pair| pair.join(", ")).collect();
    }
    let mut items = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let (item, after) = match rest.strip_prefix('"') {
            Some(quoted) => take_quoted(quoted),
            None => {
                let end = rest.find(',').unwrap_or(rest.len());
                (rest[..end].trim().to_string(), &rest[end..])
            }
        };
        items.push(item);
        match after.find(',') {
            Some(comma) => rest = after[comma + 1..].trim_start(),
            None => return items,
        }
    }
}

/// A quoted item (after its opening quote), unescaped, and the text after
/// its closing quote.
fn take_quoted(text: &str) -> (String, &str) {
    let mut item = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                if let Some((_, escaped)) = chars.next() {
                    item.push(escaped);
                }
            }
            '"' => return (item, &text[i + 1..]),
            other => item.push(other),
        }
    }
    (item, "")
}

/// The text of a label or query value (timestamps in RFC 3339 unless the
/// model says otherwise).
pub(crate) fn text_of(
    model: &ServiceModel,
    member: &ShapeRef,
    value: &Value,
    default: TimestampFormat,
) -> Option<String> {
    let shape = model.shape(&member.shape)?;
    match (shape.shape_type, value) {
        (ShapeType::Timestamp, Value::Number(n)) => {
            Some(timestamp::format(n.as_f64()?, TimestampFormat::of(member, shape, default), Fractions::WhenPresent))
        }
        (_, value) => scalar::plain(value).map(|text| text.into_owned()),
    }
}

/// The text of a header-bound member, or `None` for a value a header cannot carry.
pub(crate) fn header_text(model: &ServiceModel, member: &ShapeRef, value: &Value) -> Option<String> {
    if member.json_value {
        let text = match value {
            Value::String(json) => json.clone(),
            other => other.to_string(),
        };
        return Some(STANDARD.encode(text));
    }
    let shape = model.shape(&member.shape)?;
    let (Value::Array(items), Some(element)) = (value, &shape.member) else {
        return text_of(model, member, value, TimestampFormat::HttpDate);
    };
    let quote = model.shape(&element.shape).is_some_and(|s| s.shape_type == ShapeType::String);
    let texts: Option<Vec<String>> = items
        .iter()
        .map(|item| {
            let text = text_of(model, element, item, TimestampFormat::HttpDate)?;
            Some(if quote && text.contains([',', '"']) { quoted(&text) } else { text })
        })
        .collect();
    texts.map(|t| t.join(", "))
}

fn quoted(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_lists_split_like_aws() {
        assert_eq!(split_header_list("a, b,c", false), ["a", "b", "c"]);
        assert_eq!(split_header_list(r#""b,c", "\"def\"", a"#, false), ["b,c", "\"def\"", "a"]);
        assert_eq!(split_header_list("", false), Vec::<String>::new());
        assert_eq!(
            split_header_list("Mon, 16 Dec 2019 23:48:18 GMT, Mon, 16 Dec 2019 23:48:19 GMT", true),
            ["Mon, 16 Dec 2019 23:48:18 GMT", "Mon, 16 Dec 2019 23:48:19 GMT"]
        );
        assert_eq!(split_header_list(r#""unterminated"#, false), ["unterminated"]);
    }

    #[test]
    fn query_strings_decode() {
        assert_eq!(
            query_params("a=1&b=x%20y&c&d=p+q"),
            [("a".into(), "1".into()), ("b".into(), "x y".into()), ("c".into(), "".into()), ("d".into(), "p q".into())]
        );
    }
}
