//! Runs botocore's protocol test vectors for the JSON-family wires (json,
//! rest-json, smithy-rpc-v2-cbor) in the server's direction.
//!
//! Input cases: the serialized request is decoded and must equal the case's
//! params (in value-tree form: blobs base64, nulls absent). Output cases: the
//! case's result is encoded and must give the listed status and headers and
//! a body equal, member by member and numbers by value, to the listed one.
//! Error cases: the error is encoded from its shape; a client must read the
//! same error code from it, and its status, headers and members must match.

#![allow(dead_code)]

use super::common;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{ServiceModel, ShapeRef, ShapeType};
use cloudbox_protocol::{Dialect, HttpResponse, Wire};
use serde_json::{Map, json};

/// A case the suite does not run, and why.
pub type Skip = (&'static str, &'static str);

/// Run every input case of `file`; panic listing every failing case.
pub fn run_input_suite(file: &str, wire: Wire, skips: &[Skip]) {
    let mut tally = Tally::default();
    for suite in common::load_suite(file) {
        for case in suite["cases"].as_array().into_iter().flatten() {
            tally.run(case, skips, || input_case(&suite, case, wire));
        }
    }
    tally.finish(file);
}

/// Run every output and error case of `file`; panic listing every failing case.
pub fn run_output_suite(file: &str, wire: Wire, skips: &[Skip]) {
    let mut tally = Tally::default();
    for suite in common::load_suite(file) {
        for case in suite["cases"].as_array().into_iter().flatten() {
            tally.run(case, skips, || output_case(&suite, case, wire));
        }
    }
    tally.finish(file);
}

#[derive(Default)]
struct Tally {
    passed: usize,
    skipped: usize,
    failures: Vec<String>,
}

impl Tally {
    fn run(&mut self, case: &Value, skips: &[Skip], check: impl FnOnce() -> Result<(), String>) {
        let id = case["id"].as_str().unwrap_or("?");
        if skips.iter().any(|(skipped, _)| *skipped == id) {
            self.skipped += 1;
            return;
        }
        match check() {
            Ok(()) => self.passed += 1,
            Err(why) => self.failures.push(format!("{id}: {why}")),
        }
    }

    fn finish(self, file: &str) {
        eprintln!("{file}: {} passed, {} failed, {} skipped", self.passed, self.failures.len(), self.skipped);
        assert!(self.failures.is_empty(), "{file}: failing cases:\n{}", self.failures.join("\n"));
        assert!(self.passed > 0, "{file}: no case ran");
    }
}

fn input_case(suite: &Value, case: &Value, wire: Wire) -> Result<(), String> {
    let model = common::case_model(suite, case);
    let op = model.operations.values().next().ok_or("no operation")?;
    let serialized = &case["serialized"];
    let request = request_of(serialized, wire)?;
    let decoded = cloudbox_protocol::decode(&model, op, Dialect::new(wire), &request)
        .map_err(|e| format!("decode failed: {e}"))?;
    let expected = match &op.input {
        Some(input) => tree_of(&model, &struct_ref(&input.shape), &case["params"]),
        None => json!({}),
    };
    same(&decoded, &expected).map_err(|why| format!("{why}\n  decoded:  {decoded}\n  expected: {expected}"))
}

fn request_of(serialized: &Value, wire: Wire) -> Result<cloudbox_protocol::HttpRequest, String> {
    let body = serialized["body"].as_str().unwrap_or("");
    let body = if wire == Wire::Cbor {
        STANDARD.decode(body).map_err(|e| format!("vector body is not base64: {e}"))?
    } else {
        body.as_bytes().to_vec()
    };
    let mut builder = http::Request::builder()
        .method(serialized["method"].as_str().unwrap_or("POST"))
        .uri(serialized["uri"].as_str().unwrap_or("/"));
    for (name, value) in serialized["headers"].as_object().into_iter().flatten() {
        builder = builder.header(name.as_str(), value.as_str().unwrap_or(""));
    }
    builder.body(Bytes::from(body)).map_err(|e| format!("bad vector request: {e}"))
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
        Some(output) => tree_of(&model, &struct_ref(&output.shape), &case["result"]),
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
    let members = tree_of(model, &struct_ref(&shape_name), &case["error"]);
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

/// Equality of value trees, numbers compared by value.
pub fn same(got: &Value, want: &Value) -> Result<(), String> {
    match (got, want) {
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            a.iter().zip(b).enumerate().try_for_each(|(i, (x, y))| same(x, y).map_err(|w| format!("[{i}]: {w}")))
        }
        (Value::Object(a), Value::Object(b)) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().try_for_each(|k| match (a.get(k), b.get(k)) {
                (Some(x), Some(y)) => same(x, y).map_err(|w| format!("{k}: {w}")),
                (x, y) => Err(format!("{k}: {x:?} vs {y:?}")),
            })
        }
        (a, b) if a == b => Ok(()),
        (a, b) => Err(format!("{a} vs {b}")),
    }
}

fn struct_ref(shape: &str) -> ShapeRef {
    ShapeRef { shape: shape.to_string(), ..ShapeRef::default() }
}

/// A vector's params or result in value-tree form: blobs (given raw) as
/// base64, nulls left out.
pub fn tree_of(model: &ServiceModel, member: &ShapeRef, value: &Value) -> Value {
    let Some(shape) = model.shape(&member.shape) else { return value.clone() };
    match (shape.shape_type, value) {
        (ShapeType::Structure | ShapeType::Union, Value::Object(object)) => {
            let mut out = Map::new();
            for (name, v) in object.iter().filter(|(_, v)| !v.is_null()) {
                let converted = match shape.members.get(name) {
                    Some(m) => tree_of(model, m, v),
                    None => v.clone(),
                };
                out.insert(name.clone(), converted);
            }
            Value::Object(out)
        }
        (ShapeType::List, Value::Array(items)) => match &shape.member {
            Some(m) => Value::Array(items.iter().map(|i| tree_of(model, m, i)).collect()),
            None => value.clone(),
        },
        (ShapeType::Map, Value::Object(entries)) => match &shape.value {
            Some(m) => Value::Object(
                entries.iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), tree_of(model, m, v))).collect(),
            ),
            None => value.clone(),
        },
        (ShapeType::Blob, Value::String(raw)) => Value::String(STANDARD.encode(raw)),
        _ => value.clone(),
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
