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
use super::input_shape;
use super::json_shape::{self, BodyMembers, serialization_error};
use super::json_write::{self, ObjectWriter};
use super::reply;
use super::rest_bindings::{self as bindings, BindingError, QueryMapParams};
use super::timestamp::Fractions;
use crate::{HttpRequest, HttpResponse, validate};
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{Operation, ServiceModel, Shape, ShapeRef, ShapeType};
use serde_json::Map;

/// rest-json services write ISO 8601 timestamps with a fraction of a second
/// only when there is one.
const FRACTIONS: Fractions = Fractions::WhenPresent;

/// Decode and validate the input of `op` from a request.
pub fn decode(model: &ServiceModel, op: &Operation, req: &HttpRequest) -> Result<Value, AwsError> {
    let Some((input, shape)) = input_shape(model, op)? else {
        return Ok(Value::Object(Map::new()));
    };
    let mut object = match payload_member(shape) {
        Some((name, member)) => read_payload(model, name, member, req.body())?,
        None => json_shape::read_body(model, shape, req.body(), BodyMembers::Unlocated)?,
    };
    object.extend(bindings::read_members(model, op, shape, req, QueryMapParams::All).map_err(binding_error)?);
    let value = Value::Object(object);
    validate::check(model, input, &value, "ValidationException")?;
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
    let value = match kind.and_then(|kind| bindings::read_raw(kind, body)) {
        Some(raw) => raw.map_err(|bindings::NotUtf8| serialization_error("The request body is not valid UTF-8"))?,
        None => {
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

/// A bound member the request does not carry readably, in AWS's JSON words.
fn binding_error(error: BindingError) -> AwsError {
    match error {
        BindingError::Unreadable { text, expected, .. } => {
            serialization_error(format!("Cannot read '{text}' as a value of type {expected:?}"))
        }
        BindingError::QueryNotUtf8 => serialization_error("The query string is not valid UTF-8"),
        BindingError::PathMismatch => {
            AwsError::new("UnknownOperationException", "The request path does not fit the operation", 404)
        }
    }
}

/// Encode the output of `op`.
pub fn encode_output(model: &ServiceModel, op: &Operation, output: &Value, request_id: &str) -> HttpResponse {
    let empty = Map::new();
    let object = output.as_object().unwrap_or(&empty);
    let Some(shape) = op.output.as_ref().and_then(|r| model.shape(&r.shape)) else {
        return reply::respond(op.http.response_code.unwrap_or(200), None, request_id, Vec::new());
    };
    let mut response = reply::respond(op.http.response_code.unwrap_or(200), None, request_id, Vec::new());
    bindings::write_members(model, shape, object, FRACTIONS, &mut response);
    let (body, content_type) = match payload_member(shape) {
        Some((name, member)) => payload_body(model, member, object.get(name)),
        // A body that may carry no content is empty; otherwise it is a JSON
        // object, `{}` when no member travels in it.
        None if matches!(response.status().as_u16(), 204 | 304) => (Vec::new(), None),
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

/// The body when one member is the whole of it, and its content type.
fn payload_body(model: &ServiceModel, member: &ShapeRef, value: Option<&Value>) -> (Vec<u8>, Option<&'static str>) {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return (Vec::new(), None);
    };
    let raw = model.shape(&member.shape).and_then(|shape| bindings::raw_body(shape.shape_type, value));
    if let Some((bytes, content_type)) = raw {
        return (bytes, Some(content_type));
    }
    let mut out = Vec::with_capacity(128);
    json_write::write_value(model, member, value, &mut out);
    (out, Some("application/json"))
}

/// The JSON body of the members of `object` that travel in it.
fn body_bytes(model: &ServiceModel, shape: &Shape, object: &Map<String, Value>) -> Vec<u8> {
    json_write::structure_bytes(model, shape, object, BodyMembers::Unlocated)
}

/// Encode an error: `x-amzn-ErrorType` and a JSON body of its members.
pub fn encode_error(model: &ServiceModel, err: &AwsError, request_id: &str) -> HttpResponse {
    let described = error_shape::describe(model, err);
    let members = described.members(err);
    let mut response = reply::respond(err.status, Some("application/json"), request_id, Vec::new());
    reply::set_header(&mut response, "x-amzn-errortype", described.name);
    let body = match described.shape {
        Some(shape) => {
            bindings::write_members(model, shape, &members, FRACTIONS, &mut response);
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
