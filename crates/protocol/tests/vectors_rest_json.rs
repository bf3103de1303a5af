//! The `rest-json` engine against botocore's protocol test vectors, plus
//! what AWS answers malformed input with, on real models (Glacier, Lambda).

mod common;
mod json_vectors;

use bytes::Bytes;
use cloudbox_core::{AwsError, Value};
use cloudbox_protocol::{Dialect, Wire};
use common::header;
use common::input::run_input_suite;
use common::suite::Skip;
use json_vectors::run_output_suite;
use serde_json::json;

const INPUT_SKIPS: &[Skip] = &[
    ("SDKAppliedContentEncoding_restJson1", "body is gzipped by the client at send time; not in the vector"),
    ("SDKAppendedGzipAfterProvidedEncoding_restJson1", "body is gzipped by the client; not in the vector"),
    ("RestJsonHostWithPath", "the path prefix belongs to the client's endpoint, not to the operation"),
    ("RestJsonQueryIdempotencyTokenAutoFill", "the client fills in the token; the params omit it"),
    ("RestJsonQueryPrecedence", "client-side precedence of a named member over a query map entry"),
    ("RestJsonQueryParamsStringListMap", "client-side precedence of a named member over a query map entry"),
    ("RestJsonOmitsEmptyListQueryValues", "empty query lists cannot be told from unset ones"),
];

const OUTPUT_SKIPS: &[Skip] = &[
    ("RestJsonDateTimeWithNegativeOffset", "client reads offsets in timestamps AWS does not send"),
    ("RestJsonDateTimeWithPositiveOffset", "client reads offsets in timestamps AWS does not send"),
    ("RestJsonDeserializesDenseSetMapAndSkipsNull", "client drops nulls in maps"),
    ("RestJsonDoesntDeserializeNullStructureValues", "client drops nulls"),
    ("RestJsonDeserializeIgnoreType", "client ignores __type inside a union"),
];

#[test]
fn rest_json_input_vectors() {
    run_input_suite("input/rest-json.json", Wire::RestJson, INPUT_SKIPS);
}

#[test]
fn rest_json_output_vectors() {
    run_output_suite("output/rest-json.json", Wire::RestJson, OUTPUT_SKIPS);
}

fn glacier_request(
    op_name: &str,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> Result<Value, AwsError> {
    let model = cloudbox_model::load("glacier").expect("glacier model");
    let op = model.operation(op_name).expect("operation");
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = builder.body(Bytes::copy_from_slice(body)).expect("request");
    cloudbox_protocol::decode(model, op, Dialect::new(Wire::RestJson), &request)
}

#[test]
fn glacier_labels_headers_and_raw_payloads_decode() {
    let value = glacier_request(
        "UploadArchive",
        "POST",
        "/-/vaults/my%20vault/archives",
        &[("x-amz-archive-description", "notes"), ("x-amz-sha256-tree-hash", "abc")],
        b"\x00\x01archive",
    )
    .expect("decodes");
    assert_eq!(value["accountId"], "-");
    assert_eq!(value["vaultName"], "my vault");
    assert_eq!(value["archiveDescription"], "notes");
    assert_eq!(value["checksum"], "abc");
    assert_eq!(value["body"], "AAFhcmNoaXZl");

    let value = glacier_request("ListVaults", "GET", "/-/vaults?limit=10&marker=m", &[], b"").expect("decodes");
    assert_eq!(value, json!({"accountId": "-", "limit": "10", "marker": "m"}));
}

#[test]
fn malformed_rest_json_bodies_are_serialization_exceptions() {
    let uri = "/-/vaults/v/access-policy";
    let err = glacier_request("SetVaultAccessPolicy", "PUT", uri, &[], b"{\"Policy\": ").unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("SerializationException", 400));
    let err = glacier_request("SetVaultAccessPolicy", "PUT", uri, &[], br#"{"Policy": 7}"#).unwrap_err();
    assert_eq!(err.message, "NUMBER_VALUE can not be converted to a String");
    let ok = glacier_request("SetVaultAccessPolicy", "PUT", uri, &[], br#"{"Policy": "{}"}"#).expect("decodes");
    assert_eq!(ok["policy"], json!({"Policy": "{}"}));
}

#[test]
fn bad_header_and_query_values_are_refused() {
    let model = cloudbox_model::load("lambda").expect("lambda model");
    let op = model.operation("ListFunctions").expect("operation");
    let request = |uri: &str| {
        let request = http::Request::builder().method("GET").uri(uri).body(Bytes::new()).expect("request");
        cloudbox_protocol::decode(model, op, Dialect::new(Wire::RestJson), &request)
    };
    assert_eq!(request("/2015-03-31/functions/?MaxItems=5").unwrap()["MaxItems"], 5);
    let err = request("/2015-03-31/functions/?MaxItems=five").unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("SerializationException", 400));
    let err = request("/2015-03-31/functions/?MaxItems=0").unwrap_err();
    assert_eq!(err.code, "ValidationException");
}

#[test]
fn glacier_errors_carry_code_and_type_as_glacier_does() {
    let model = cloudbox_model::load("glacier").expect("glacier model");
    let err = AwsError::new("ResourceNotFoundException", "Vault not found for ARN: arn:aws:glacier:...", 404);
    let response = cloudbox_protocol::encode_error(model, Dialect::new(Wire::RestJson), &err, "rid");
    assert_eq!(response.status(), 404);
    assert_eq!(header(&response, "x-amzn-errortype"), Some("ResourceNotFoundException"));
    assert_eq!(header(&response, "x-amzn-requestid"), Some("rid"));
    assert_eq!(header(&response, "content-type"), Some("application/json"));
    let body: Value = serde_json::from_slice(response.body()).expect("JSON");
    assert_eq!(
        body,
        json!({"message": "Vault not found for ARN: arn:aws:glacier:...", "code": "ResourceNotFoundException",
               "type": "Client"})
    );
}

#[test]
fn glacier_outputs_use_status_headers_and_raw_payloads() {
    let model = cloudbox_model::load("glacier").expect("glacier model");
    let dialect = Dialect::new(Wire::RestJson);
    let op = model.operation("UploadArchive").expect("operation");
    let output = json!({"location": "/1/vaults/v/archives/a", "checksum": "abc", "archiveId": "a"});
    let response = cloudbox_protocol::encode_output(model, op, dialect, &output, "rid");
    assert_eq!(response.status(), 201);
    assert_eq!(header(&response, "location"), Some("/1/vaults/v/archives/a"));
    assert_eq!(header(&response, "x-amz-archive-id"), Some("a"));
    assert_eq!(response.body().as_ref(), b"{}");

    let op = model.operation("DeleteVault").expect("operation");
    let response = cloudbox_protocol::encode_output(model, op, dialect, &json!({}), "rid");
    assert_eq!(response.status(), 204);
    assert!(response.body().is_empty());

    let op = model.operation("GetJobOutput").expect("operation");
    let output = json!({"body": "AAFh", "status": 206, "contentRange": "bytes 0-2/3"});
    let response = cloudbox_protocol::encode_output(model, op, dialect, &output, "rid");
    assert_eq!(response.status(), 206);
    assert_eq!(response.body().as_ref(), b"\x00\x01a");
    assert_eq!(header(&response, "content-range"), Some("bytes 0-2/3"));
}
