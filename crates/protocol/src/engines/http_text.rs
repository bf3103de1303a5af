//! Members that REST wires bind to HTTP headers and the status code:
//! reading a header's text, splitting header lists (`a, "b,c", d`, with
//! HTTP dates that contain commas themselves), and writing output members
//! back into a response's head.

use super::scalar;
use super::timestamp::{Fractions, TimestampFormat};
use crate::HttpResponse;
use base64::Engine as _;
use cloudbox_core::Value;
use cloudbox_model::{ServiceModel, Shape, ShapeRef, ShapeType};
use http::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::Map;
use std::borrow::Cow;

/// A header value that is not UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotUtf8;

/// The text of header `name`, several lines joined by `, `. `None` when
/// the request does not carry it.
pub fn header_text<'h>(headers: &'h HeaderMap, name: &str) -> Option<Result<Cow<'h, str>, NotUtf8>> {
    let mut values = headers.get_all(name).iter();
    let first = values.next()?;
    let first = match std::str::from_utf8(first.as_bytes()) {
        Ok(text) => text,
        Err(_) => return Some(Err(NotUtf8)),
    };
    let mut joined = Cow::Borrowed(first);
    for more in values {
        let Ok(text) = std::str::from_utf8(more.as_bytes()) else { return Some(Err(NotUtf8)) };
        let out = joined.to_mut();
        out.push_str(", ");
        out.push_str(text);
    }
    Some(Ok(joined))
}

/// The items of a header list. Items may be quoted (`"a,b"`, with `\"`
/// escapes). With `http_dates`, each item is an HTTP date and the comma
/// after its weekday does not end it.
pub fn split_header_list(text: &str, http_dates: bool) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => current.extend(chars.next()),
            ',' if !quoted => pieces.push(std::mem::take(&mut current).trim().to_string()),
            c => current.push(c),
        }
    }
    let last = current.trim();
    if !last.is_empty() || !pieces.is_empty() {
        pieces.push(last.to_string());
    }
    if http_dates { join_weekdays(pieces) } else { pieces }
}

/// `["Mon", "16 Dec 2019 23:48:18 GMT"]` -> `["Mon, 16 Dec 2019 23:48:18 GMT"]`.
fn join_weekdays(pieces: Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(pieces.len() / 2 + 1);
    let mut pending: Option<String> = None;
    for piece in pieces {
        match pending.take() {
            Some(weekday) => out.push(format!("{weekday}, {piece}")),
            None if piece.len() == 3 && piece.chars().all(|c| c.is_ascii_alphabetic()) => pending = Some(piece),
            None => out.push(piece),
        }
    }
    out.extend(pending);
    out
}

/// A JSON document sent base64-encoded in a header (members with the
/// `jsonvalue` trait), kept as its JSON text: the model types it a string.
pub fn json_header(text: &str) -> Option<Value> {
    let json = base64::engine::general_purpose::STANDARD.decode(text.trim()).ok()?;
    String::from_utf8(json).ok().map(Value::String)
}

/// Write the output members bound to headers, prefixed headers and the
/// status code into `response`.
pub fn bind_members(model: &ServiceModel, shape: &Shape, fields: &Map<String, Value>, response: &mut HttpResponse) {
    for (name, member) in &shape.members {
        let Some(value) = fields.get(name).filter(|v| !v.is_null()) else { continue };
        let wire = member.location_name.as_deref().unwrap_or(name);
        match member.location.as_deref() {
            Some("header") => {
                if let Some(text) = header_value(model, member, value) {
                    set_header(response.headers_mut(), wire, &text);
                }
            }
            Some("headers") => {
                for (key, item) in value.as_object().into_iter().flatten() {
                    if let Some(text) = scalar::plain(item) {
                        set_header(response.headers_mut(), &format!("{wire}{key}"), &text);
                    }
                }
            }
            Some("statusCode") => {
                if let Some(status) = value.as_u64().and_then(|s| u16::try_from(s).ok())
                    && let Ok(status) = http::StatusCode::from_u16(status)
                {
                    *response.status_mut() = status;
                }
            }
            _ => {}
        }
    }
}

/// The header text of a member value: timestamps as HTTP dates unless the
/// model says otherwise, lists joined by `, ` with items quoted as needed.
fn header_value(model: &ServiceModel, member: &ShapeRef, value: &Value) -> Option<String> {
    if member.json_value {
        let json = match value {
            Value::String(text) => Cow::Borrowed(text.as_str()),
            other => Cow::Owned(other.to_string()),
        };
        return Some(base64::engine::general_purpose::STANDARD.encode(json.as_bytes()));
    }
    let shape = model.shape(&member.shape)?;
    if shape.shape_type != ShapeType::List {
        return header_scalar(model, member, value).map(Cow::into_owned);
    }
    let item = shape.member.as_ref()?;
    let texts: Vec<String> = value
        .as_array()?
        .iter()
        .filter_map(|v| header_scalar(model, item, v))
        .map(|text| {
            let is_date = model.shape(&item.shape).is_some_and(|s| s.shape_type == ShapeType::Timestamp);
            if !is_date && text.contains([',', '"']) {
                format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
            } else {
                text.into_owned()
            }
        })
        .collect();
    Some(texts.join(", "))
}

fn header_scalar<'v>(model: &ServiceModel, member: &ShapeRef, value: &'v Value) -> Option<Cow<'v, str>> {
    let shape = model.shape(&member.shape)?;
    let format = TimestampFormat::of(member, shape, TimestampFormat::HttpDate);
    scalar::format(shape, value, format, Fractions::Milliseconds)
}

fn set_header(headers: &mut HeaderMap, name: &str, text: &str) {
    if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(text.as_bytes())) {
        headers.insert(name, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_split_on_commas_outside_quotes() {
        assert_eq!(split_header_list("a, b,c", false), vec!["a", "b", "c"]);
        assert_eq!(split_header_list(r#""a,b", "say \"hi\"", c"#, false), vec!["a,b", r#"say "hi""#, "c"]);
        assert_eq!(split_header_list("", false), Vec::<String>::new());
        assert_eq!(split_header_list("a,", false), vec!["a", ""]);
    }

    #[test]
    fn http_dates_keep_their_weekday_comma() {
        let dates = split_header_list("Mon, 16 Dec 2019 23:48:18 GMT, Tue, 17 Dec 2019 23:48:18 GMT", true);
        assert_eq!(dates, vec!["Mon, 16 Dec 2019 23:48:18 GMT", "Tue, 17 Dec 2019 23:48:18 GMT"]);
    }
}
