//! The `rest-json` wire: Glacier, IoT, Greengrass, Lambda, Managed
//! Blockchain, Ground Station... Members travel where the model binds them
//! (URI labels, query string, headers, header-prefix maps, the status code);
//! one member may be the whole body (`payload`: a structure as JSON, a blob or
//! string raw); the rest form the JSON body.
//!
//! Errors carry `x-amzn-ErrorType: Code` and a JSON body of the error
//! shape's members (the message, and for Glacier-style shapes `code` and
//! `type`); header-bound error members travel as headers.

use super::error_shape;
use super::json_shape::{self, BodyMembers, serialization_error};
use super::json_write::{self, ObjectWriter};
use super::reply;
use super::rest_bindings::{self as bindings, bound_name};
use super::timestamp::TimestampFormat;
use crate::{HttpRequest, HttpResponse, uri, validate};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{Operation, ServiceModel, Shape, ShapeRef, ShapeType};
use serde_json::Map;

/// Decode and validate the input of `op` from a request.
pub fn decode(model: &ServiceModel, op: &Operation, req: &HttpRequest) -> Result<Value, AwsError> {
    let Some(input) = &op.input else {
        return Ok(Value::Object(Map::new()));
    };
    let Some(shape) = model.shape(&input.shape) else {
        return Err(AwsError::internal(format!("the model has no shape {}", input.shape)));
    };
    let mut object = match payload_member(shape) {
        Some((name, member)) => read_payload(model, name, member, req.body())?,
        None => json_shape::read_body(model, shape, req.body(), BodyMembers::Unlocated)?,
    };
    read_labels(model, op, shape, req, &mut object)?;
    read_query(model, shape, req.uri().query().unwrap_or(""), &mut object)?;
    read_headers(model, shape, req.headers(), &mut object)?;
    let value = Value::Object(object);
    validate::check(model, &input.shape, &value, "ValidationException")?;
    Ok(value)
}

fn payload_member(shape: &Shape) -> Option<(&str, &ShapeRef)> {
    let name = shape.payload.as_deref()?;
    shape.members.get_key_value(name).map(|(k, m)| (k.as_str(), m))
}

/// The input when one member is the whole body. An empty body leaves it unset.
fn read_payload(
    model: &ServiceModel,
    name: &str,
    member: &ShapeRef,
    body: &[u8],
) -> Result<Map<String, Value>, AwsError> {
    let mut object = Map::new();
    let kind = model.shape(&member.shape).map(|s| s.shape_type);
    if body.is_empty() {
        return Ok(object);
    }
    let value = match kind {
        Some(ShapeType::Blob) => Value::String(STANDARD.encode(body)),
        Some(ShapeType::String) => match std::str::from_utf8(body) {
            Ok(text) => Value::String(text.to_string()),
            Err(_) => return Err(serialization_error("The request body is not valid UTF-8")),
        },
        _ => {
            let mut value: Value = serde_json::from_slice(body).map_err(|_| serialization_error(""))?;
            json_shape::read_value(model, member, &mut value)?;
            value
        }
    };
    // Clients send `{}` for an unset structure payload.
    let unset = kind == Some(ShapeType::Structure) && value.as_object().is_some_and(Map::is_empty);
    if !unset {
        object.insert(name.to_string(), value);
    }
    Ok(object)
}

fn read_labels(
    model: &ServiceModel,
    op: &Operation,
    shape: &Shape,
    req: &HttpRequest,
    object: &mut Map<String, Value>,
) -> Result<(), AwsError> {
    let mut bound = located(shape, "uri").peekable();
    if bound.peek().is_none() {
        return Ok(());
    }
    let labels = uri::match_template(&op.http.request_uri, req.uri().path(), req.uri().query().unwrap_or(""))
        .ok_or_else(|| {
            AwsError::new("UnknownOperationException", "The request path does not fit the operation", 404)
        })?;
    for (name, member) in bound {
        let wire = bound_name(name, member);
        if let Some((_, text)) = labels.iter().find(|(label, _)| label == wire) {
            object.insert(name.to_string(), bindings::read_text(model, member, text)?);
        }
    }
    Ok(())
}

fn read_query(model: &ServiceModel, shape: &Shape, raw: &str, object: &mut Map<String, Value>) -> Result<(), AwsError> {
    let mut bound = located(shape, "querystring").peekable();
    if bound.peek().is_none() || raw.is_empty() {
        return Ok(());
    }
    let params = bindings::query_params(raw);
    for (name, member) in bound {
        let Some(target) = model.shape(&member.shape) else { continue };
        let value = match target.shape_type {
            ShapeType::Map => Some(query_map(model, target, &params)),
            ShapeType::List => query_list(model, target, bound_name(name, member), &params)?,
            _ => match params.iter().find(|(k, _)| k == bound_name(name, member)) {
                Some((_, text)) => Some(bindings::read_text(model, member, text)?),
                None => None,
            },
        };
        if let Some(value) = value {
            object.insert(name.to_string(), value);
        }
    }
    Ok(())
}

fn query_list(
    model: &ServiceModel,
    list: &Shape,
    key: &str,
    params: &[(String, String)],
) -> Result<Option<Value>, AwsError> {
    let Some(element) = &list.member else { return Ok(None) };
    let items: Vec<Value> = params
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, text)| bindings::read_text(model, element, text))
        .collect::<Result<_, _>>()?;
    Ok((!items.is_empty()).then_some(Value::Array(items)))
}

/// A map bound to the whole query string takes every parameter: as a list
/// of its values when the map's values are lists, else its first value.
fn query_map(model: &ServiceModel, map: &Shape, params: &[(String, String)]) -> Value {
    let lists = map.value.as_ref().and_then(|v| model.shape(&v.shape)).is_some_and(|s| s.shape_type == ShapeType::List);
    let mut entries = Map::new();
    for (key, text) in params {
        if lists {
            let slot = entries.entry(key.clone()).or_insert_with(|| Value::Array(Vec::new()));
            if let Value::Array(items) = slot {
                items.push(Value::String(text.clone()));
            }
        } else if !entries.contains_key(key) {
            entries.insert(key.clone(), Value::String(text.clone()));
        }
    }
    Value::Object(entries)
}

fn read_headers(
    model: &ServiceModel,
    shape: &Shape,
    headers: &http::HeaderMap,
    object: &mut Map<String, Value>,
) -> Result<(), AwsError> {
    for (name, member) in located(shape, "header") {
        if let Some(value) = headers.get(bound_name(name, member)) {
            let text = String::from_utf8_lossy(value.as_bytes());
            object.insert(name.to_string(), bindings::read_header(model, member, &text)?);
        }
    }
    for (name, member) in located(shape, "headers") {
        let prefix = bound_name(name, member).to_ascii_lowercase();
        let entries: Map<String, Value> = headers
            .iter()
            .filter_map(|(key, value)| {
                let suffix = key.as_str().strip_prefix(prefix.as_str())?;
                Some((suffix.to_string(), Value::String(String::from_utf8_lossy(value.as_bytes()).into_owned())))
            })
            .collect();
        if !entries.is_empty() {
            object.insert(name.to_string(), Value::Object(entries));
        }
    }
    Ok(())
}

/// The members of `shape` bound to `location`.
fn located<'s>(shape: &'s Shape, location: &'s str) -> impl Iterator<Item = (&'s str, &'s ShapeRef)> + 's {
    shape.members.iter().filter(move |(_, m)| m.location.as_deref() == Some(location)).map(|(k, m)| (k.as_str(), m))
}

/// Encode the output of `op`.
pub fn encode_output(model: &ServiceModel, op: &Operation, output: &Value, request_id: &str) -> HttpResponse {
    let empty = Map::new();
    let object = output.as_object().unwrap_or(&empty);
    let Some(shape) = op.output.as_ref().and_then(|r| model.shape(&r.shape)) else {
        return reply::respond(op.http.response_code.unwrap_or(200), None, request_id, Vec::new());
    };
    let status = status_member(shape, object).or(op.http.response_code).unwrap_or(200);
    let mut response = reply::respond(status, None, request_id, Vec::new());
    write_headers(model, shape, object, &mut response);
    let (body, content_type) = match payload_member(shape) {
        Some((name, member)) => payload_body(model, member, object.get(name)),
        // A body that may carry no content is empty; otherwise it is a JSON
        // object, `{}` when no member travels in it.
        None if matches!(status, 204 | 304) => (Vec::new(), None),
        None => (body_bytes(model, shape, object), Some("application/json")),
    };
    if let Some(content_type) = content_type
        && !response.headers().contains_key(http::header::CONTENT_TYPE)
    {
        reply::set_header(&mut response, "content-type", content_type);
    }
    *response.body_mut() = body.into();
    response
}

fn status_member(shape: &Shape, object: &Map<String, Value>) -> Option<u16> {
    let (name, _) = shape.members.iter().find(|(_, m)| m.location.as_deref() == Some("statusCode"))?;
    object.get(name.as_str())?.as_u64().and_then(|n| u16::try_from(n).ok())
}

/// The body when one member is the whole of it, and its content type.
fn payload_body(model: &ServiceModel, member: &ShapeRef, value: Option<&Value>) -> (Vec<u8>, Option<&'static str>) {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return (Vec::new(), None);
    };
    match (model.shape(&member.shape).map(|s| s.shape_type), value) {
        (Some(ShapeType::Blob), Value::String(b64)) => {
            (STANDARD.decode(b64).unwrap_or_else(|_| b64.as_bytes().to_vec()), Some("application/octet-stream"))
        }
        (Some(ShapeType::String), Value::String(text)) => (text.as_bytes().to_vec(), Some("text/plain")),
        _ => {
            let mut out = Vec::with_capacity(128);
            json_write::write_value(model, member, value, &mut out);
            (out, Some("application/json"))
        }
    }
}

fn body_bytes(model: &ServiceModel, shape: &Shape, object: &Map<String, Value>) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    let mut writer = ObjectWriter::open(&mut out);
    writer.members(model, shape, object, BodyMembers::Unlocated);
    writer.close();
    out
}

fn write_headers(model: &ServiceModel, shape: &Shape, object: &Map<String, Value>, response: &mut HttpResponse) {
    for (name, member) in located(shape, "header") {
        let text = object.get(name).and_then(|value| bindings::header_text(model, member, value));
        if let Some(text) = text {
            reply::set_header(response, bound_name(name, member), &text);
        }
    }
    for (name, member) in located(shape, "headers") {
        let Some(Value::Object(entries)) = object.get(name) else { continue };
        let prefix = bound_name(name, member);
        for (key, value) in entries {
            let text = member_value_text(model, member, value);
            if let Some(text) = text {
                reply::append_header(response, &format!("{prefix}{key}"), &text);
            }
        }
    }
}

fn member_value_text(model: &ServiceModel, map_member: &ShapeRef, value: &Value) -> Option<String> {
    let value_ref = model.shape(&map_member.shape)?.value.as_ref()?;
    bindings::text_of(model, value_ref, value, TimestampFormat::HttpDate)
}

/// Encode an error: `x-amzn-ErrorType` and a JSON body of its members.
pub fn encode_error(model: &ServiceModel, err: &AwsError, request_id: &str) -> HttpResponse {
    let described = error_shape::describe(model, err);
    let members = described.members(err);
    let mut response = reply::respond(err.status, Some("application/json"), request_id, Vec::new());
    reply::set_header(&mut response, "x-amzn-errortype", described.name);
    let body = match described.shape {
        Some(shape) => {
            write_headers(model, shape, &members, &mut response);
            body_bytes(model, shape, &members)
        }
        None => {
            let mut out = Vec::with_capacity(128);
            let mut writer = ObjectWriter::open(&mut out);
            members.iter().for_each(|(k, v)| writer.plain(k, v));
            writer.close();
            out
        }
    };
    *response.body_mut() = body.into();
    response
}
