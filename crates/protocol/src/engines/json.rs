//! The `json` wire (AWS JSON 1.0 and 1.1): DynamoDB, SQS, Kinesis, CloudTrail,
//! Logs, SageMaker... The router has already picked the operation from
//! `X-Amz-Target`; this engine reads the body (a JSON object of the input
//! shape, empty meaning `{}`), and writes outputs and errors as
//! `application/x-amz-json-<version>` bodies.
//!
//! Errors carry `__type` (namespace-qualified on JSON 1.0, as AWS does) and
//! the message; in AWS query-compatible mode also `x-amzn-query-error:
//! Code;Sender`. DynamoDB responses carry `x-amz-crc32`, which botocore checks.

use super::error_shape;
use super::input_shape;
use super::json_shape::{self, BodyMembers};
use super::json_write::{self, ObjectWriter};
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
    let value = Value::Object(json_shape::read_body(model, shape, req.body(), BodyMembers::All)?);
    validate::check(model, input, &value, "ValidationException")?;
    Ok(value)
}

/// Encode the output of `op`.
pub fn encode_output(model: &ServiceModel, op: &Operation, output: &Value, request_id: &str) -> HttpResponse {
    let shape = op.output.as_ref().and_then(|r| model.shape(&r.shape));
    let body = match (shape, output) {
        (Some(shape), Value::Object(object)) => json_write::structure_bytes(model, shape, object, BodyMembers::All),
        _ => b"{}".to_vec(),
    };
    respond(model, 200, body, request_id)
}

/// Encode an error; `query_compatible` when the client asked for AWS query
/// compatibility (`x-amzn-query-mode: true`).
pub fn encode_error(model: &ServiceModel, err: &AwsError, request_id: &str, query_compatible: bool) -> HttpResponse {
    let described = error_shape::describe(model, err);
    let mut body = Vec::with_capacity(128);
    let mut writer = ObjectWriter::open(&mut body);
    writer.plain("__type", &Value::String(described.type_name(model, is_json_1_0(model))));
    let members = described.members(err);
    match described.shape {
        Some(shape) => writer.members(model, shape, &members, BodyMembers::All),
        None => members.iter().for_each(|(k, v)| writer.plain(k, v)),
    }
    writer.close();
    let mut response = respond(model, err.status, body, request_id);
    if query_compatible && let Some(header) = described.query_error_header() {
        reply::set_header(&mut response, "x-amzn-query-error", &header);
    }
    response
}

fn is_json_1_0(model: &ServiceModel) -> bool {
    model.metadata.json_version.as_deref().is_none_or(|v| v == "1.0")
}

fn respond(model: &ServiceModel, status: u16, body: Vec<u8>, request_id: &str) -> HttpResponse {
    let crc = (model.metadata.endpoint_prefix == "dynamodb").then(|| crc32fast::hash(&body));
    let content_type = if is_json_1_0(model) { "application/x-amz-json-1.0" } else { "application/x-amz-json-1.1" };
    let mut response = reply::respond(status, Some(content_type), request_id, body);
    if let Some(crc) = crc {
        reply::set_header(&mut response, "x-amz-crc32", &crc.to_string());
    }
    response
}
