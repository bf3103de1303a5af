//! Output and error cases of botocore's protocol vectors for the JSON-family
//! wires (json, rest-json, smithy-rpc-v2-cbor), in the server's direction.
//! Input cases are [`crate::common::input`]'s.
//!
//! Output cases: the case's result is encoded and must give the listed
//! status and headers and a body equal, member by member and numbers by
//! value, to the listed one. Error cases: the error is encoded from its
//! shape; a client must read the same error code from it, and its status,
//! headers and members must match.

#![allow(dead_code)]

use super::common;
use crate::common::input::{same, tree_of};
use crate::common::suite::{Skip, run_suite};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cloudbox_core::{AwsError, Value};
use cloudbox_model::ServiceModel;
use cloudbox_protocol::{Dialect, HttpResponse, Wire};
use serde_json::{Map, json};

/// Run every output and error case of `file` through `wire`'s encoder.
pub fn run_output_suite(file: &str, wire: Wire, skips: &[Skip]) {
    run_suite(file, skips, |suite, case| output_case(suite, case, wire));
}

fn output_case(suite: &Value, case: &Value, wire: Wire) -> Result<(), String> {
    let model = common::case_model(suite, case);
    let op = model.operations.values().next().ok_or("no operation")?;
    let dialect = Dialect { wire, query_compatible: suite["metadata"].get("awsQueryCompatible").is_some() };
    let expected = &case["response"];
    let request_id = request_id_of(expected);
    if case.get("error").is_some() {
        let err = error_of(&model, op, case, expected)?;
        let response = cloudbox_protocol::encode_error(&model, dialect, &err, &request_id);
        return check_error(case, &response, expected, wire);
    }
    let result = match &op.output {
        Some(output) => tree_of(&model, &output.shape, &case["result"]),
        None => json!({}),
    };
    let response = cloudbox_protocol::encode_output(&model, op, dialect, &result, &request_id);
    check_status(&response, expected)?;
    check_headers(&response, expected, &[])?;
    check_body(&response, expected, wire)
}

/// The request id the gateway would pass: the listed one, if any.
fn request_id_of(expected: &Value) -> String {
    let headers = expected["headers"].as_object();
    let listed = headers.into_iter().flatten().find(|(k, _)| k.eq_ignore_ascii_case("x-amzn-requestid"));
    listed.and_then(|(_, v)| v.as_str()).unwrap_or("request-1").to_string()
}

/// The error a handler would raise for an error case: named by its shape,
/// with the case's status, message and other members.
fn error_of(
    model: &ServiceModel,
    op: &cloudbox_model::Operation,
    case: &Value,
    expected: &Value,
) -> Result<AwsError, String> {
    let shape_name = op.errors.first().map(|e| e.shape.clone()).ok_or("error case without an error shape")?;
    let status = expected["status_code"].as_u64().unwrap_or(400) as u16;
    let members = tree_of(model, &shape_name, &case["error"]);
    let mut err = AwsError::new(shape_name, "", status);
    for (name, value) in members.as_object().into_iter().flatten() {
        if name.eq_ignore_ascii_case("message") {
            err.message = value.as_str().unwrap_or("").to_string();
        } else {
            err = err.with_member(name, value.clone());
        }
    }
    Ok(err)
}

fn check_error(case: &Value, response: &HttpResponse, expected: &Value, wire: Wire) -> Result<(), String> {
    check_status(response, expected)?;
    check_headers(response, expected, &["x-amzn-errortype"])?;
    let body = body_value(response.body(), wire)?;
    let code = client_error_code(response, &body);
    let wanted = case["errorCode"].as_str().unwrap_or("");
    if code.as_deref() != Some(wanted) {
        return Err(format!("a client reads error code {code:?}, expected {wanted:?} (body {body})"));
    }
    let listed = expected["body"].as_str().filter(|b| !b.is_empty());
    if let Some(listed) = listed {
        let listed = parse_body(listed, wire)?;
        same(&members_only(&body), &members_only(&listed)).map_err(|why| format!("error body: {why}"))?;
    }
    Ok(())
}

/// The error code as botocore reads it: the query-compatible header first,
/// then `x-amzn-ErrorType`, then `__type` or `code` in the body, without
/// namespace or URI.
fn client_error_code(response: &HttpResponse, body: &Value) -> Option<String> {
    let header = |name: &str| response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
    if let Some(query) = header("x-amzn-query-error") {
        return query.split(';').next().map(str::to_string);
    }
    let raw = header("x-amzn-errortype")
        .or_else(|| body["__type"].as_str().map(str::to_string))
        .or_else(|| body["code"].as_str().map(str::to_string))?;
    let without_uri = raw.split(':').next().unwrap_or("");
    Some(without_uri.rsplit('#').next().unwrap_or("").to_string())
}

fn members_only(body: &Value) -> Value {
    let mut members = body.as_object().cloned().unwrap_or_default();
    members.remove("__type");
    members.remove("code");
    Value::Object(members)
}

fn check_status(response: &HttpResponse, expected: &Value) -> Result<(), String> {
    let want = expected["status_code"].as_u64().unwrap_or(200);
    let got = u64::from(response.status().as_u16());
    if got == want { Ok(()) } else { Err(format!("status {got}, expected {want}")) }
}

/// Every listed header must be present with the listed value, except
/// `Content-Length` (the transport's business) and `ignored` ones.
fn check_headers(response: &HttpResponse, expected: &Value, ignored: &[&str]) -> Result<(), String> {
    for (name, value) in expected["headers"].as_object().into_iter().flatten() {
        let lower = name.to_ascii_lowercase();
        if lower == "content-length" || lower == "x-amz-target" || ignored.contains(&lower.as_str()) {
            continue;
        }
        let got = response.headers().get(lower.as_str()).and_then(|v| v.to_str().ok());
        if got != value.as_str() {
            return Err(format!("header {name}: {got:?}, expected {value}"));
        }
    }
    Ok(())
}

fn check_body(response: &HttpResponse, expected: &Value, wire: Wire) -> Result<(), String> {
    let listed = expected["body"].as_str().unwrap_or("");
    let ours = response.body();
    let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or("");
    let structured = content_type.contains("json") || content_type.contains("cbor");
    if !structured {
        return if ours.as_ref() == listed.as_bytes() {
            Ok(())
        } else {
            Err(format!("body {:?}, expected {listed:?}", String::from_utf8_lossy(ours)))
        };
    }
    let got = body_value(ours, wire)?;
    let want = if listed.trim().is_empty() { json!({}) } else { parse_body(listed, wire)? };
    same(&got, &want).map_err(|why| format!("body: {why}\n  ours:     {got}\n  expected: {want}"))
}

/// A response body as a value: empty is `{}`.
fn body_value(body: &[u8], wire: Wire) -> Result<Value, String> {
    if body.is_empty() {
        return Ok(json!({}));
    }
    match wire {
        Wire::Cbor => cbor_value(body),
        _ => serde_json::from_slice(body).map_err(|e| format!("our body is not JSON: {e}")),
    }
}

/// A body as the vectors list it (CBOR ones base64-encoded).
fn parse_body(listed: &str, wire: Wire) -> Result<Value, String> {
    match wire {
        Wire::Cbor => cbor_value(&STANDARD.decode(listed).map_err(|e| format!("listed body not base64: {e}"))?),
        _ => serde_json::from_str(listed).map_err(|e| format!("listed body not JSON: {e}")),
    }
}

/// Any CBOR item as a value: byte strings as base64, tagged epoch times as
/// their number, non-finite floats by name.
pub fn cbor_value(bytes: &[u8]) -> Result<Value, String> {
    let mut dec = minicbor::Decoder::new(bytes);
    let value = cbor_item(&mut dec)?;
    if dec.position() != bytes.len() { Err("trailing bytes after the CBOR item".into()) } else { Ok(value) }
}

fn cbor_item(dec: &mut minicbor::Decoder) -> Result<Value, String> {
    use minicbor::data::Type;
    let e = |e: minicbor::decode::Error| e.to_string();
    Ok(match dec.datatype().map_err(e)? {
        Type::Null | Type::Undefined => {
            dec.skip().map_err(e)?;
            Value::Null
        }
        Type::Bool => Value::Bool(dec.bool().map_err(e)?),
        Type::String | Type::StringIndef => {
            let mut s = String::new();
            for chunk in dec.str_iter().map_err(e)? {
                s.push_str(chunk.map_err(e)?);
            }
            Value::String(s)
        }
        Type::Bytes | Type::BytesIndef => {
            let mut b = Vec::new();
            for chunk in dec.bytes_iter().map_err(e)? {
                b.extend_from_slice(chunk.map_err(e)?);
            }
            Value::String(STANDARD.encode(b))
        }
        Type::Array | Type::ArrayIndef => {
            let len = dec.array().map_err(e)?;
            let mut items = Vec::new();
            repeat(dec, len, |dec| cbor_item(dec).map(|v| items.push(v)))?;
            Value::Array(items)
        }
        Type::Map | Type::MapIndef => {
            let len = dec.map().map_err(e)?;
            let mut entries = Map::new();
            repeat(dec, len, |dec| {
                let key = cbor_item(dec)?;
                let value = cbor_item(dec)?;
                entries.insert(key.as_str().unwrap_or("").to_string(), value);
                Ok(())
            })?;
            Value::Object(entries)
        }
        Type::Tag => {
            dec.tag().map_err(e)?;
            cbor_item(dec)?
        }
        Type::F16 | Type::F32 | Type::F64 => {
            let f = match dec.datatype().map_err(e)? {
                Type::F16 => f64::from(dec.f16().map_err(e)?),
                Type::F32 => f64::from(dec.f32().map_err(e)?),
                _ => dec.f64().map_err(e)?,
            };
            match serde_json::Number::from_f64(f) {
                Some(n) => Value::Number(n),
                None if f.is_nan() => json!("NaN"),
                None if f > 0.0 => json!("Infinity"),
                None => json!("-Infinity"),
            }
        }
        _ => {
            let i = dec.i128().map_err(e)?;
            i64::try_from(i)
                .map(Value::from)
                .or_else(|_| u64::try_from(i).map(Value::from))
                .map_err(|x| x.to_string())?
        }
    })
}

fn repeat(
    dec: &mut minicbor::Decoder,
    len: Option<u64>,
    mut each: impl FnMut(&mut minicbor::Decoder) -> Result<(), String>,
) -> Result<(), String> {
    match len {
        Some(n) => (0..n).try_for_each(|_| each(dec)),
        None => loop {
            if dec.datatype().map_err(|e| e.to_string())? == minicbor::data::Type::Break {
                dec.set_position(dec.position() + 1);
                return Ok(());
            }
            each(dec)?;
        },
    }
}
