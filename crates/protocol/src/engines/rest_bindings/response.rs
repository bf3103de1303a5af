//! Writing the output members a REST response carries outside its body:
//! headers (lists joined, timestamps as HTTP dates unless the model says
//! otherwise), header-prefix maps and the status code.

use super::header_list;
use crate::HttpResponse;
use crate::engines::reply;
use crate::engines::scalar;
use crate::engines::timestamp::{Fractions, TimestampFormat};
use crate::engines::wire_name;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudbox_core::Value;
use cloudbox_model::{ServiceModel, Shape, ShapeRef, ShapeType};
use serde_json::Map;
use std::borrow::Cow;

/// Write the members of `fields` that `shape` binds to headers, header
/// prefixes and the status code into `response`; ISO 8601 timestamps show
/// `fractions`.
pub(crate) fn write_members(
    model: &ServiceModel,
    shape: &Shape,
    fields: &Map<String, Value>,
    fractions: Fractions,
    response: &mut HttpResponse,
) {
    for (name, member) in &shape.members {
        let Some(value) = fields.get(name).filter(|v| !v.is_null()) else { continue };
        let wire = wire_name(name, member);
        match member.location.as_deref() {
            Some("header") => {
                if let Some(text) = header_value(model, member, value, fractions) {
                    reply::set_header(response, wire, &text);
                }
            }
            Some("headers") => write_prefixed(model, member, value, wire, fractions, response),
            Some("statusCode") => write_status(value, response),
            _ => {}
        }
    }
}

/// The header text of a member value: a scalar, a list of them joined, or
/// (for `jsonvalue` members) its JSON text base64-encoded.
fn header_value(model: &ServiceModel, member: &ShapeRef, value: &Value, fractions: Fractions) -> Option<String> {
    if member.json_value {
        let json = match value {
            Value::String(text) => Cow::Borrowed(text.as_str()),
            other => Cow::Owned(other.to_string()),
        };
        return Some(STANDARD.encode(json.as_bytes()));
    }
    let shape = model.shape(&member.shape)?;
    let (ShapeType::List, Value::Array(items), Some(item_ref)) = (shape.shape_type, value, &shape.member) else {
        return scalar_text(model, member, value, fractions).map(Cow::into_owned);
    };
    let quotable = model.shape(&item_ref.shape).is_some_and(|s| s.shape_type == ShapeType::String);
    let texts = items.iter().filter_map(|item| scalar_text(model, item_ref, item, fractions));
    Some(header_list::join(texts.map(|text| (text.into_owned(), quotable))))
}

/// One header per entry of a header-prefix map: `{prefix}{key}`.
fn write_prefixed(
    model: &ServiceModel,
    member: &ShapeRef,
    value: &Value,
    prefix: &str,
    fractions: Fractions,
    response: &mut HttpResponse,
) {
    let (Value::Object(entries), Some(value_ref)) = (value, model.shape(&member.shape).and_then(|s| s.value.as_ref()))
    else {
        return;
    };
    for (key, item) in entries {
        if let Some(text) = scalar_text(model, value_ref, item, fractions) {
            reply::append_header(response, &format!("{prefix}{key}"), &text);
        }
    }
}

fn write_status(value: &Value, response: &mut HttpResponse) {
    if let Some(status) = value.as_u64().and_then(|s| u16::try_from(s).ok())
        && let Ok(status) = http::StatusCode::from_u16(status)
    {
        *response.status_mut() = status;
    }
}

fn scalar_text<'v>(
    model: &ServiceModel,
    member: &ShapeRef,
    value: &'v Value,
    fractions: Fractions,
) -> Option<Cow<'v, str>> {
    let shape = model.shape(&member.shape)?;
    let format = TimestampFormat::of(member, shape, TimestampFormat::HttpDate);
    scalar::format(shape, value, format, fractions)
}
