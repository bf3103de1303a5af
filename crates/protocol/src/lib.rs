//! cloudbox-protocol: everything between HTTP bytes and a service's value tree.
//!
//! - [`route`] finds the service and operation a request is for;
//! - [`sigv4`] checks who signed it;
//! - [`engines`] decode a request into a validated [`Value`] tree and encode
//!   outputs and errors, one engine per AWS wire protocol, all driven by the
//!   service model;
//! - [`validate`] checks a value tree against a shape (required members,
//!   types, enums, lengths, ranges, patterns);
//! - [`uri`] matches REST URI templates.
//!
//! Handlers never see HTTP, and nothing here knows any one service.

pub mod encoding;
pub mod engines;
pub mod route;
pub mod sigv4;
pub mod uri;
pub mod validate;

use bytes::Bytes;
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{Operation, ServiceModel};

/// A request as the engines see it: head plus the whole body.
pub type HttpRequest = http::Request<Bytes>;
/// A response as the engines produce it.
pub type HttpResponse = http::Response<Bytes>;

/// The AWS wire protocols.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Wire {
    /// `query`: form-encoded requests, XML responses (IAM, STS, RDS...).
    Query,
    /// `ec2`: EC2's variant of query.
    Ec2,
    /// `json` 1.0 / 1.1: X-Amz-Target requests, JSON bodies.
    Json,
    /// `rest-json`: REST bindings with JSON bodies.
    RestJson,
    /// `rest-xml`: REST bindings with XML bodies.
    RestXml,
    /// `smithy-rpc-v2-cbor`: CBOR bodies on `/service/S/operation/O`.
    Cbor,
}

impl Wire {
    /// The wire named by a model's `protocol` string.
    pub fn from_model_name(name: &str) -> Option<Wire> {
        Some(match name {
            "query" => Wire::Query,
            "ec2" => Wire::Ec2,
            "json" => Wire::Json,
            "rest-json" => Wire::RestJson,
            "rest-xml" => Wire::RestXml,
            "smithy-rpc-v2-cbor" => Wire::Cbor,
            _ => return None,
        })
    }
}

/// How one request speaks: its wire, and whether the client asked for AWS
/// query compatibility (`x-amzn-query-mode: true`, for services that moved
/// from query to JSON or CBOR and still answer with query error codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect {
    pub wire: Wire,
    pub query_compatible: bool,
}

impl Dialect {
    pub fn new(wire: Wire) -> Self {
        Dialect { wire, query_compatible: false }
    }
}

/// Decode and validate a request's input for `op`.
pub fn decode(model: &ServiceModel, op: &Operation, dialect: Dialect, req: &HttpRequest) -> Result<Value, AwsError> {
    match dialect.wire {
        Wire::Query => engines::query::decode(model, op, req),
        Wire::Ec2 => engines::ec2::decode(model, op, req),
        Wire::Json => engines::json::decode(model, op, req),
        Wire::RestJson => engines::rest_json::decode(model, op, req),
        Wire::RestXml => engines::rest_xml::decode(model, op, req),
        Wire::Cbor => engines::cbor::decode(model, op, req),
    }
}

/// Encode an operation's output.
pub fn encode_output(
    model: &ServiceModel,
    op: &Operation,
    dialect: Dialect,
    output: &Value,
    request_id: &str,
) -> HttpResponse {
    match dialect.wire {
        Wire::Query => engines::query::encode_output(model, op, output, request_id),
        Wire::Ec2 => engines::ec2::encode_output(model, op, output, request_id),
        Wire::Json => engines::json::encode_output(model, op, output, request_id),
        Wire::RestJson => engines::rest_json::encode_output(model, op, output, request_id),
        Wire::RestXml => engines::rest_xml::encode_output(model, op, output, request_id),
        Wire::Cbor => engines::cbor::encode_output(model, op, output, request_id),
    }
}

/// Encode an error the way the service's protocol does.
pub fn encode_error(model: &ServiceModel, dialect: Dialect, err: &AwsError, request_id: &str) -> HttpResponse {
    match dialect.wire {
        Wire::Query => engines::query::encode_error(model, err, request_id),
        Wire::Ec2 => engines::ec2::encode_error(model, err, request_id),
        Wire::Json => engines::json::encode_error(model, err, request_id, dialect.query_compatible),
        Wire::RestJson => engines::rest_json::encode_error(model, err, request_id),
        Wire::RestXml => engines::rest_xml::encode_error(model, err, request_id),
        Wire::Cbor => engines::cbor::encode_error(model, err, request_id, dialect.query_compatible),
    }
}
