//! Micro-benchmarks of the hottest calls, decode plus encode as the gateway
//! runs them: STS GetCallerIdentity (query) and DynamoDB GetItem (json).
//! Ignored by default; run with
//! `cargo test --release -p cloudbox-protocol --test engine_timing -- --ignored --nocapture`.

use bytes::Bytes;
use cloudbox_core::Value;
use cloudbox_protocol::{Dialect, HttpRequest, Wire};
use serde_json::json;
use std::time::{Duration, Instant};

/// Round trips per measurement.
const ROUNDS: u32 = 200_000;

/// The average time of one decode and one encode of `output` for
/// `operation` of `service` on `wire`.
fn time_round_trip(service: &str, operation: &str, wire: Wire, request: &HttpRequest, output: &Value) -> Duration {
    let model = cloudbox_model::load(service).expect("model");
    let op = model.operation(operation).expect("operation");
    let dialect = Dialect::new(wire);
    let started = Instant::now();
    for _ in 0..ROUNDS {
        let input = cloudbox_protocol::decode(model, op, dialect, request).expect("decodes");
        let response = cloudbox_protocol::encode_output(model, op, dialect, output, "request-id");
        std::hint::black_box((input, response));
    }
    started.elapsed() / ROUNDS
}

#[test]
#[ignore]
fn sts_get_caller_identity_round_trip() {
    let request = http::Request::builder()
        .method("POST")
        .uri("/")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Bytes::from_static(b"Action=GetCallerIdentity&Version=2011-06-15"))
        .expect("request");
    let output = json!({"UserId": "AIDAEXAMPLE", "Account": "123456789012",
                        "Arn": "arn:aws:iam::123456789012:user/alice"});
    let each = time_round_trip("sts", "GetCallerIdentity", Wire::Query, &request, &output);
    println!("STS GetCallerIdentity decode + encode: {each:?} per request");
}

#[test]
#[ignore]
fn dynamodb_get_item_round_trip() {
    let request = http::Request::builder()
        .method("POST")
        .uri("/")
        .header("x-amz-target", "DynamoDB_20120810.GetItem")
        .body(Bytes::from_static(br#"{"TableName": "users", "Key": {"id": {"S": "user-1"}}, "ConsistentRead": true}"#))
        .expect("request");
    let output = json!({"Item": {"id": {"S": "user-1"}, "name": {"S": "Alice"}, "age": {"N": "42"},
                                 "tags": {"SS": ["a", "b"]}, "avatar": {"B": "AAEC"}}});
    let each = time_round_trip("dynamodb", "GetItem", Wire::Json, &request, &output);
    println!("DynamoDB GetItem decode + encode: {each:?} per request");
}
