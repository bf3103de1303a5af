//! The rest_xml engine (being written).
use crate::{HttpRequest, HttpResponse};
use cloudbox_core::{AwsError, Value};
use cloudbox_model::{Operation, ServiceModel};

pub fn decode(_model: &ServiceModel, op: &Operation, _req: &HttpRequest) -> Result<Value, AwsError> {
    Err(AwsError::not_implemented("rest_xml", &op.name))
}

pub fn encode_output(_model: &ServiceModel, _op: &Operation, _output: &Value, _request_id: &str) -> HttpResponse {
    http::Response::builder().status(501).body(bytes::Bytes::new()).expect("static response")
}

pub fn encode_error(_model: &ServiceModel, _err: &AwsError, _request_id: &str) -> HttpResponse {
    http::Response::builder().status(501).body(bytes::Bytes::new()).expect("static response")
}
