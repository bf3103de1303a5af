//! The `smithy-rpc-v2-cbor` engine against botocore's protocol test
//! vectors, plus what a malformed CBOR body gets, on CloudWatch's model.

mod common;
mod json_vectors;

use bytes::Bytes;
use cloudbox_core::{AwsError, Value};
use cloudbox_protocol::{Dialect, Wire};
use common::header;
use common::input::run_input_suite;
use common::suite::Skip;
use json_vectors::{cbor_value, run_output_suite};
use serde_json::json;

const OUTPUT_SKIPS: &[Skip] = &[
    ("RpcV2CborDeserializesDenseSetMapAndSkipsNull", "client drops nulls in maps"),
    ("RpcV2CborClientDoesntDeserializeNullStructureValues", "client drops nulls"),
    ("RpcV2CborExtraFieldsInTheBodyShouldBeSkippedByClients", "client skips members it does not know"),
    ("RpcV2CborPayloadWithUnsetUnion", "client ignores a body under Content-Length: 0"),
    ("NoOutputClientAllowsEmptyCbor", "client accepts a body for an operation without output"),
    ("NoOutputClientAllowsEmptyBody", "client accepts a content type for an operation without output"),
];

#[test]
fn cbor_input_vectors() {
    run_input_suite("input/smithy-rpc-v2-cbor.json", Wire::Cbor, &[]);
}

#[test]
fn cbor_query_compatible_input_vectors() {
    run_input_suite("input/smithy-rpc-v2-cbor-query-compatible.json", Wire::Cbor, &[]);
    run_input_suite("input/smithy-rpc-v2-cbor-non-query-compatible.json", Wire::Cbor, &[]);
}

#[test]
fn cbor_output_vectors() {
    run_output_suite("output/smithy-rpc-v2-cbor.json", Wire::Cbor, OUTPUT_SKIPS);
}

#[test]
fn cbor_query_compatible_output_vectors() {
    run_output_suite("output/smithy-rpc-v2-cbor-query-compatible.json", Wire::Cbor, &[]);
}

fn put_metric_data(body: &[u8]) -> Result<Value, AwsError> {
    let model = cloudbox_model::load("cloudwatch").expect("cloudwatch model");
    let op = model.operation("PutMetricData").expect("operation");
    let request = http::Request::builder()
        .method("POST")
        .uri("/service/GraniteServiceVersion20100801/operation/PutMetricData")
        .header("smithy-protocol", "rpc-v2-cbor")
        .header("content-type", "application/cbor")
        .body(Bytes::copy_from_slice(body))
        .expect("request");
    cloudbox_protocol::decode(model, op, Dialect::new(Wire::Cbor), &request)
}

fn cbor(build: impl FnOnce(&mut minicbor::Encoder<&mut Vec<u8>>)) -> Vec<u8> {
    let mut bytes = Vec::new();
    build(&mut minicbor::Encoder::new(&mut bytes));
    bytes
}

#[test]
fn put_metric_data_decodes_timestamps_and_indefinite_items() {
    let body = cbor(|e| {
        e.begin_map().unwrap().str("Namespace").unwrap().str("App").unwrap();
        e.str("MetricData").unwrap().begin_array().unwrap();
        e.map(3).unwrap().str("MetricName").unwrap().begin_str().unwrap().str("Lat").unwrap().str("ency").unwrap();
        e.end().unwrap().str("Timestamp").unwrap().tag(minicbor::data::Tag::new(1)).unwrap().f64(1.5e9).unwrap();
        e.str("Value").unwrap().f32(1.5).unwrap();
        e.end().unwrap().str("Unknown").unwrap().u8(1).unwrap().end().unwrap();
    });
    let value = put_metric_data(&body).expect("decodes");
    assert_eq!(
        value,
        json!({"Namespace": "App", "MetricData": [{"MetricName": "Latency", "Timestamp": 1500000000, "Value": 1.5}]})
    );
}

#[test]
fn malformed_cbor_is_a_serialization_exception() {
    let whole = cbor(|e| {
        e.map(1).unwrap().str("Namespace").unwrap().str("App").unwrap();
    });
    for cut in 1..whole.len() {
        let err = put_metric_data(&whole[..cut]).expect_err("truncated CBOR is refused");
        assert_eq!((err.code.as_str(), err.status), ("SerializationException", 400), "cut at {cut}");
    }
    let err = put_metric_data(&[0xa1, 0x69]).unwrap_err();
    assert_eq!(err.code, "SerializationException");
    let mut trailing = whole.clone();
    trailing.push(0x00);
    assert_eq!(put_metric_data(&trailing).unwrap_err().code, "SerializationException");
    let wrong_type = cbor(|e| {
        e.map(1).unwrap().str("Namespace").unwrap().u8(7).unwrap();
    });
    let err = put_metric_data(&wrong_type).unwrap_err();
    assert_eq!(err.message, "Expected a text string but found CBOR u8");
    // Deep nesting in a member nobody reads is skipped without recursion.
    let deep: Vec<u8> = std::iter::repeat_n(0x81, 100_000).chain([0x00]).collect();
    let nested = [&[0xa2, 0x69][..], b"Namespace", &[0x61, b'A', 0x67], b"Unknown", &deep].concat();
    assert_eq!(put_metric_data(&nested).unwrap(), json!({"Namespace": "A"}));
    let missing = cbor(|e| {
        e.map(0).unwrap();
    });
    assert_eq!(put_metric_data(&missing).unwrap_err().code, "ValidationException");
}

#[test]
fn cloudwatch_outputs_and_errors_are_cbor_maps() {
    let model = cloudbox_model::load("cloudwatch").expect("cloudwatch model");
    let op = model.operation("GetMetricData").expect("operation");
    let output = json!({"MetricDataResults": [{"Id": "m", "Timestamps": [1500000000], "Values": [1.5, "NaN"]}]});
    let response = cloudbox_protocol::encode_output(model, op, Dialect::new(Wire::Cbor), &output, "rid");
    assert_eq!(header(&response, "smithy-protocol"), Some("rpc-v2-cbor"));
    assert_eq!(header(&response, "content-type"), Some("application/cbor"));
    assert_eq!(cbor_value(response.body()).unwrap(), output);

    let dialect = Dialect { wire: Wire::Cbor, query_compatible: true };
    let err = AwsError::new("InvalidParameterValue", "The value -1 is invalid", 400);
    let response = cloudbox_protocol::encode_error(model, dialect, &err, "rid");
    assert_eq!(response.status(), 400);
    assert_eq!(header(&response, "x-amzn-query-error"), Some("InvalidParameterValue;Sender"));
    assert_eq!(
        cbor_value(response.body()).unwrap(),
        json!({"__type": "com.amazonaws.cloudwatch#InvalidParameterValueException", "message": "The value -1 is invalid"})
    );
}

#[test]
fn recursion_is_bounded() {
    let model = cloudbox_model::ServiceModel::from_json(
        "deep",
        r#"{"metadata":{"protocol":"smithy-rpc-v2-cbor","apiVersion":"2020-01-01"},
            "operations":{"Op":{"name":"Op","http":{"method":"POST","requestUri":"/"},"input":{"shape":"Node"}}},
            "shapes":{"Node":{"type":"structure","members":{"next":{"shape":"Node"}}}}}"#,
    )
    .expect("model");
    let op = model.operation("Op").expect("operation");
    let decode = |depth: usize| {
        let mut body = Vec::new();
        for _ in 0..depth {
            body.extend_from_slice(&[0xa1, 0x64]);
            body.extend_from_slice(b"next");
        }
        body.push(0xa0);
        let request = http::Request::builder().method("POST").uri("/").body(Bytes::from(body)).expect("request");
        cloudbox_protocol::decode(&model, op, Dialect::new(Wire::Cbor), &request)
    };
    assert!(decode(50).is_ok());
    assert_eq!(decode(100_000).unwrap_err().code, "SerializationException");
}
