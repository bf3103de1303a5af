//! The `smithy-rpc-v2-cbor` wire: CloudWatch's default in current SDKs.
//! Requests are `POST /service/<Service>/operation/<Operation>` with header
//! `smithy-protocol: rpc-v2-cbor` (the router has matched those) and a CBOR
//! map of the input shape as body; an empty body means no input.
//!
//! Outputs are CBOR maps with `Content-Type: application/cbor`; errors are
//! CBOR maps with a namespace-qualified `__type` and the message, plus
//! `x-amzn-query-error` in AWS query-compatible mode.

use super::cbor_read;
use super::cbor_write::CborWriter;
use super::error_shape;
use super::input_shape;
use super::reply;
use crate::{HttpRequest, HttpResponse, validate};
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{Operation, ServiceModel};
use serde_json::Map;

/// Decode and validate the input of `op` from a request body.
pub fn decode(model: &ServiceModel, op: &Operation, req: &HttpRequest) -> Result<Value, AwsError> {
    let Some((input, shape)) = input_shape(model, op)? else {
        return Ok(Value::Object(Map::new()));
    };
    let value = Value::Object(cbor_read::read_body(model, shape, req.body())?);
    validate::check(model, input, &value, "ValidationException")?;
    Ok(value)
}

/// Encode the output of `op`; an operation without output has an empty body.
pub fn encode_output(model: &ServiceModel, op: &Operation, output: &Value, request_id: &str) -> HttpResponse {
    let Some(shape) = op.output.as_ref().and_then(|r| model.shape(&r.shape)) else {
        return respond(200, Vec::new(), request_id);
    };
    let empty = Map::new();
    let mut writer = CborWriter::new(model);
    writer.structure(Some(shape), &[], output.as_object().unwrap_or(&empty));
    respond(200, writer.into_bytes(), request_id)
}

/// Encode an error; `query_compatible` when the client asked for AWS query
/// compatibility (`x-amzn-query-mode: true`).
pub fn encode_error(model: &ServiceModel, err: &AwsError, request_id: &str, query_compatible: bool) -> HttpResponse {
    let described = error_shape::describe(model, err);
    let type_name = Value::String(described.type_name(model, true));
    let mut writer = CborWriter::new(model);
    writer.structure(described.shape, &[("__type", &type_name)], &described.members(err));
    let mut response = respond(err.status, writer.into_bytes(), request_id);
    if query_compatible && let Some(header) = described.query_error_header() {
        reply::set_header(&mut response, "x-amzn-query-error", &header);
    }
    response
}

fn respond(status: u16, body: Vec<u8>, request_id: &str) -> HttpResponse {
    let content_type = (!body.is_empty()).then_some("application/cbor");
    let mut response = reply::respond(status, content_type, request_id, body);
    reply::set_header(&mut response, "smithy-protocol", "rpc-v2-cbor");
    response
}
