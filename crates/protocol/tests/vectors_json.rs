//! The `json` engine against botocore's protocol test vectors (AWS JSON 1.0,
//! 1.1 and query-compatible), plus what AWS answers malformed input with.

mod common;
mod json_vectors;

use bytes::Bytes;
use cloudbox_core::{AwsError, Value};
use cloudbox_protocol::{Dialect, HttpResponse, Wire};
use common::header;
use common::input::run_input_suite;
use common::suite::Skip;
use json_vectors::run_output_suite;
use serde_json::json;

/// The request-compression cases carry no body: the client gzips it as it sends.
const JSON_1_1_INPUT_SKIPS: &[Skip] = &[
    ("SDKAppliedContentEncoding_awsJson1_1", "body is gzipped by the client at send time; not in the vector"),
    ("SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_1", "body is gzipped by the client; not in the vector"),
];

const JSON_1_0_INPUT_SKIPS: &[Skip] = &[
    ("SDKAppliedContentEncoding_awsJson1_0", "body is gzipped by the client at send time; not in the vector"),
    ("SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsJson1_0", "body is gzipped by the client; not in the vector"),
];

/// Cases about what a client tolerates in bodies AWS never sends.
const JSON_1_1_OUTPUT_SKIPS: &[Skip] = &[
    ("AwsJson11DateTimeWithNegativeOffset", "client reads offsets in timestamps; AWS sends epoch seconds"),
    ("AwsJson11DateTimeWithPositiveOffset", "client reads offsets in timestamps; AWS sends epoch seconds"),
    ("handles_unexpected_json_output", "client ignores members it does not know"),
    ("AwsJson11StructuresDontDeserializeNullValues", "client drops nulls"),
    ("AwsJson11DeserializeIgnoreType", "client ignores __type inside a union"),
];

const JSON_1_0_OUTPUT_SKIPS: &[Skip] = &[
    ("AwsJson10HandlesUnexpectedJsonOutput", "client ignores members it does not know"),
    ("AwsJson10DeserializeIgnoreType", "client ignores __type inside a union"),
    ("AwsJson10DeserializeAllowNulls", "client drops nulls inside a union"),
];

#[test]
fn json_1_1_input_vectors() {
    run_input_suite("input/json.json", Wire::Json, JSON_1_1_INPUT_SKIPS);
}

#[test]
fn json_1_0_input_vectors() {
    run_input_suite("input/json_1_0.json", Wire::Json, JSON_1_0_INPUT_SKIPS);
}

#[test]
fn json_1_0_query_compatible_input_vectors() {
    run_input_suite("input/json_1_0-query-compatible.json", Wire::Json, &[]);
}

#[test]
fn json_1_1_output_vectors() {
    run_output_suite("output/json.json", Wire::Json, JSON_1_1_OUTPUT_SKIPS);
}

#[test]
fn json_1_0_output_vectors() {
    run_output_suite("output/json_1_0.json", Wire::Json, JSON_1_0_OUTPUT_SKIPS);
}

#[test]
fn json_1_0_query_compatible_output_vectors() {
    run_output_suite("output/json_1_0-query-compatible.json", Wire::Json, &[]);
}

fn put_item(body: &str) -> Result<Value, AwsError> {
    let model = cloudbox_model::load("dynamodb").expect("dynamodb model");
    let op = model.operation("PutItem").expect("PutItem");
    let request = http::Request::builder()
        .method("POST")
        .uri("/")
        .header("x-amz-target", "DynamoDB_20120810.PutItem")
        .body(Bytes::from(body.to_string()))
        .expect("request");
    cloudbox_protocol::decode(model, op, Dialect::new(Wire::Json), &request)
}

fn assert_serialization_error(result: Result<Value, AwsError>, message: &str) {
    let err = result.expect_err("input must be refused");
    assert_eq!((err.code.as_str(), err.status), ("SerializationException", 400), "{err}");
    assert_eq!(err.message, message);
}

#[test]
fn broken_json_is_a_serialization_exception() {
    assert_serialization_error(put_item(r#"{"TableName": "t", "Item": "#), "");
    assert_serialization_error(put_item("[1, 2]"), "Start of list found where not expected");
    assert_serialization_error(put_item("not json"), "");
}

#[test]
fn wrong_member_types_are_named_as_aws_names_them() {
    assert_serialization_error(put_item(r#"{"TableName": 5}"#), "NUMBER_VALUE can not be converted to a String");
    assert_serialization_error(put_item(r#"{"TableName": "t", "Item": []}"#), "Start of list found where not expected");
    assert_serialization_error(
        put_item(r#"{"TableName": "t", "Item": {"a": {"BOOL": "yes"}}}"#),
        "STRING_VALUE can not be converted to a Boolean",
    );
    assert_serialization_error(
        put_item(r#"{"TableName": {"x": 1}, "Item": {}}"#),
        "Start of structure or map found where not expected",
    );
}

#[test]
fn blobs_must_be_base64() {
    assert_serialization_error(
        put_item(r#"{"TableName": "t", "Item": {"a": {"B": "abcde"}}}"#),
        "Base64 encoded length is expected a multiple of 4 bytes but found: 5",
    );
    assert_serialization_error(
        put_item(r#"{"TableName": "t", "Item": {"a": {"B": "ab!d"}}}"#),
        "Invalid Base64 character in blob value",
    );
    let ok = put_item(r#"{"TableName": "t", "Item": {"a": {"B": "AQI="}}}"#).expect("valid blob");
    assert_eq!(ok["Item"]["a"]["B"], "AQI=");
}

#[test]
fn unknown_members_and_nulls_are_ignored_and_empty_body_is_an_empty_object() {
    let value = put_item(r#"{"TableName": "t", "Item": {"k": {"S": "v"}}, "Bogus": 1, "ReturnValues": null}"#)
        .expect("decodes");
    assert_eq!(value, json!({"TableName": "t", "Item": {"k": {"S": "v"}}}));
    let err = put_item("").expect_err("TableName and Item are required");
    assert_eq!(err.code, "ValidationException");
    assert!(err.message.starts_with("2 validation errors detected: "), "{}", err.message);
    assert!(err.message.contains("Value null at 'tableName' failed to satisfy constraint: Member must not be null"));
}

#[test]
fn numbers_are_checked_against_their_range() {
    let model = cloudbox_model::load("dynamodb").expect("dynamodb model");
    let op = model.operation("Scan").expect("Scan");
    let scan = |body: &str| {
        let request = http::Request::builder().method("POST").uri("/").body(Bytes::from(body.to_string())).unwrap();
        cloudbox_protocol::decode(model, op, Dialect::new(Wire::Json), &request)
    };
    assert_eq!(scan(r#"{"TableName": "t", "Limit": 5}"#).unwrap()["Limit"], 5);
    assert_eq!(scan(r#"{"TableName": "t", "Limit": 5.7}"#).unwrap()["Limit"], 5);
    let err = scan(r#"{"TableName": "t", "Limit": 99999999999}"#).unwrap_err();
    assert_eq!(err.code, "SerializationException");
    let err = scan(r#"{"TableName": "t", "Limit": "5"}"#).unwrap_err();
    assert_eq!(err.message, "STRING_VALUE can not be converted to an Integer");
    let err = scan(r#"{"TableName": "t", "Limit": 0}"#).unwrap_err();
    assert_eq!(err.code, "ValidationException");
}

fn body_json(response: &HttpResponse) -> Value {
    serde_json::from_slice(response.body()).expect("JSON body")
}

#[test]
fn dynamodb_errors_look_like_dynamodb_and_carry_a_crc() {
    let model = cloudbox_model::load("dynamodb").expect("dynamodb model");
    let dialect = Dialect::new(Wire::Json);
    let err = AwsError::new("ResourceNotFoundException", "Requested resource not found", 400);
    let response = cloudbox_protocol::encode_error(model, dialect, &err, "rid");
    assert_eq!(response.status(), 400);
    assert_eq!(
        body_json(&response),
        json!({"__type": "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",
               "message": "Requested resource not found"})
    );
    assert_eq!(header(&response, "content-type"), Some("application/x-amz-json-1.0"));
    assert_eq!(header(&response, "x-amzn-requestid"), Some("rid"));
    let crc = crc32fast::hash(response.body()).to_string();
    assert_eq!(header(&response, "x-amz-crc32"), Some(crc.as_str()));

    let err = AwsError::new("SerializationException", "Start of list found where not expected", 400);
    let body = body_json(&cloudbox_protocol::encode_error(model, dialect, &err, "rid"));
    assert_eq!(body["__type"], "com.amazon.coral.service#SerializationException");
    assert_eq!(body["Message"], "Start of list found where not expected");

    let err = AwsError::new("ValidationException", "1 validation error detected", 400);
    let body = body_json(&cloudbox_protocol::encode_error(model, dialect, &err, "rid"));
    assert_eq!(body["__type"], "com.amazon.coral.validate#ValidationException");
}

#[test]
fn outputs_keep_model_order_free_members_and_write_json_1_1_types() {
    let model = cloudbox_model::load("kinesis").expect("kinesis model");
    let op = model.operation("DescribeStreamSummary").expect("operation");
    let output = json!({"StreamDescriptionSummary": {"StreamName": "s", "StreamCreationTimestamp": 1576540098.5,
                        "NotInModel": true}});
    let response = cloudbox_protocol::encode_output(model, op, Dialect::new(Wire::Json), &output, "rid");
    assert_eq!(header(&response, "content-type"), Some("application/x-amz-json-1.1"));
    assert_eq!(header(&response, "x-amz-crc32"), None);
    assert_eq!(
        body_json(&response),
        json!({"StreamDescriptionSummary": {"StreamName": "s", "StreamCreationTimestamp": 1576540098.5}})
    );
    let err = AwsError::new("ResourceNotFoundException", "Stream s not found", 400);
    let body = body_json(&cloudbox_protocol::encode_error(model, Dialect::new(Wire::Json), &err, "rid"));
    assert_eq!(body, json!({"__type": "ResourceNotFoundException", "message": "Stream s not found"}));
}

#[test]
fn query_compatible_errors_carry_the_query_code() {
    let model = cloudbox_model::load("cloudwatch").expect("cloudwatch model");
    let dialect = Dialect { wire: Wire::Json, query_compatible: true };
    // Named by shape or by query code, the error is the same.
    for code in ["InvalidParameterValueException", "InvalidParameterValue"] {
        let err = AwsError::new(code, "The value -1 is invalid", 400);
        let response = cloudbox_protocol::encode_error(model, dialect, &err, "rid");
        assert_eq!(header(&response, "x-amzn-query-error"), Some("InvalidParameterValue;Sender"));
        assert_eq!(header(&response, "content-type"), Some("application/x-amz-json-1.0"));
        assert_eq!(
            body_json(&response),
            json!({"__type": "com.amazonaws.cloudwatch#InvalidParameterValueException",
                   "message": "The value -1 is invalid"})
        );
    }
    let plain = cloudbox_protocol::encode_error(
        model,
        Dialect::new(Wire::Json),
        &AwsError::new("InvalidParameterValue", "bad", 400),
        "rid",
    );
    assert_eq!(header(&plain, "x-amzn-query-error"), None);
}
