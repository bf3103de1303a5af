//! Input cases, checked the same way for every wire: the case's serialized
//! request is decoded and must equal its params in value-tree form (blobs
//! base64, nulls absent), numbers compared by value.

use super::suite::{Skip, run_suite};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use bytes::Bytes;
use cloudbox_model::{ServiceModel, ShapeRef, ShapeType};
use cloudbox_protocol::{Dialect, HttpRequest, Wire};
use serde_json::{Map, Value};

/// Run every input case of `file` through `wire`'s decoder.
pub fn run_input_suite(file: &str, wire: Wire, skips: &[Skip]) {
    run_suite(file, skips, |suite, case| input_case(suite, case, wire));
}

fn input_case(suite: &Value, case: &Value, wire: Wire) -> Result<(), String> {
    let model = super::case_model(suite, case);
    let op = model.operations.values().next().ok_or("no operation")?;
    let request = request_of(&case["serialized"], wire)?;
    let decoded = cloudbox_protocol::decode(&model, op, Dialect::new(wire), &request)
        .map_err(|e| format!("decode failed: {e}"))?;
    let expected = match &op.input {
        Some(input) => tree_of(&model, &input.shape, &case["params"]),
        None => Value::Object(Map::new()),
    };
    same(&decoded, &expected).map_err(|why| format!("{why}\n  decoded:  {decoded}\n  expected: {expected}"))
}

/// An HTTP request from a vector's `serialized` object (CBOR bodies are
/// listed base64-encoded).
fn request_of(serialized: &Value, wire: Wire) -> Result<HttpRequest, String> {
    let body = serialized["body"].as_str().unwrap_or_default();
    let body = match wire {
        Wire::Cbor => STANDARD.decode(body).map_err(|e| format!("vector body is not base64: {e}"))?,
        _ => body.as_bytes().to_vec(),
    };
    let mut builder = http::Request::builder()
        .method(serialized["method"].as_str().unwrap_or("POST"))
        .uri(serialized["uri"].as_str().unwrap_or("/"));
    for (name, value) in serialized["headers"].as_object().into_iter().flatten() {
        builder = builder.header(name.as_str(), value.as_str().unwrap_or_default());
    }
    builder.body(Bytes::from(body)).map_err(|e| format!("bad request in vector: {e}"))
}

/// A vector's params or result, a value of shape `shape_name`, in
/// value-tree form: blobs (given raw) as base64, nulls left out.
pub fn tree_of(model: &ServiceModel, shape_name: &str, value: &Value) -> Value {
    let Some(shape) = model.shape(shape_name) else { return value.clone() };
    match (shape.shape_type, value) {
        (ShapeType::Structure | ShapeType::Union, Value::Object(fields)) => Value::Object(
            fields
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(name, v)| (name.clone(), tree_of(model, shape_of(shape.members.get(name)), v)))
                .collect(),
        ),
        (ShapeType::List, Value::Array(items)) => {
            Value::Array(items.iter().map(|item| tree_of(model, shape_of(shape.member.as_ref()), item)).collect())
        }
        (ShapeType::Map, Value::Object(entries)) => Value::Object(
            entries
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(key, v)| (key.clone(), tree_of(model, shape_of(shape.value.as_ref()), v)))
                .collect(),
        ),
        (ShapeType::Blob, Value::String(raw)) => Value::String(STANDARD.encode(raw.as_bytes())),
        _ => value.clone(),
    }
}

/// The shape a member reference names, or none.
fn shape_of(member: Option<&ShapeRef>) -> &str {
    member.map(|m| m.shape.as_str()).unwrap_or_default()
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
