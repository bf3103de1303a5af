//! botocore's `query` protocol vectors, in the server's direction: requests
//! decoded by the query engine, results and errors encoded by it.

mod common;
mod xml_vectors;

use cloudbox_protocol::Wire;
use common::input::run_input_suite;
use common::suite::Skip;
use xml_vectors::{Leniency, run_output_suite};

const LENIENCY: Leniency = Leniency { envelope: &["ResponseMetadata"], empty_body_unasserted: true };

/// Input cases that test what a client does before sending, not what
/// arrives on the wire.
const INPUT_SKIPS: &[Skip] = &[
    ("SDKAppliedContentEncoding_awsQuery", "client-side gzip compression; the vector carries no body"),
    ("SDKAppendsGzipAndIgnoresHttpProvidedEncoding_awsQuery", "client-side gzip compression; no body"),
    ("QueryProtocolIdempotencyTokenAutoFill", "the client invents the token; params leave it out"),
    ("QueryEmptyQueryMaps", "an empty map sends nothing, so the server cannot see it"),
];

const LEGACY_INPUT_SKIPS: &[Skip] = &[("Idempotency token auto fill #1", "the client invents the token")];

const OUTPUT_SKIPS: &[Skip] = &[];

/// Legacy output cases that test how leniently a client parses, not what a
/// server sends.
const LEGACY_OUTPUT_SKIPS: &[Skip] = &[
    (
        "Flattened list with location name #0",
        "names flattened items by the list member; the current vectors (XmlLists) name them by the structure member",
    ),
    ("Timestamp members #0", "the body carries a RequestId inside the result, which no service writes"),
    ("Modeled exceptions #0", "the body's error Type is 'SomeType'; a server writes Sender or Receiver"),
    ("Modeled exceptions #1", "the body carries a Message the error's params leave out"),
    ("Modeled exceptions #2", "the body carries members of a shape the model does not define"),
];

#[test]
fn query_input_vectors() {
    run_input_suite("input/query.json", Wire::Query, INPUT_SKIPS);
}

#[test]
fn query_legacy_input_vectors() {
    run_input_suite("legacy/input/query.json", Wire::Query, LEGACY_INPUT_SKIPS);
}

#[test]
fn query_output_vectors() {
    run_output_suite("output/query.json", Wire::Query, LENIENCY, OUTPUT_SKIPS);
}

#[test]
fn query_legacy_output_vectors() {
    run_output_suite("legacy/output/query.json", Wire::Query, LENIENCY, LEGACY_OUTPUT_SKIPS);
}

// Focused cases against real models: the envelope byte for byte, and the
// errors AWS gives for requests a client library would never send.

use bytes::Bytes;
use cloudbox_core::AwsError;
use cloudbox_protocol::{Dialect, HttpRequest};
use serde_json::json;

fn form_post(body: &str) -> HttpRequest {
    http::Request::builder()
        .method("POST")
        .uri("/")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Bytes::from(body.to_string()))
        .unwrap()
}

fn decode(service: &str, operation: &str, req: &HttpRequest) -> Result<serde_json::Value, AwsError> {
    let model = cloudbox_model::load(service).unwrap();
    let op = model.operation(operation).unwrap();
    cloudbox_protocol::decode(model, op, Dialect::new(Wire::Query), req)
}

#[test]
fn sts_get_caller_identity_is_written_as_sts_does() {
    let model = cloudbox_model::load("sts").unwrap();
    let op = model.operation("GetCallerIdentity").unwrap();
    let input = decode("sts", "GetCallerIdentity", &form_post("Action=GetCallerIdentity&Version=2011-06-15"));
    assert_eq!(input.unwrap(), json!({}));
    let output =
        json!({"UserId": "AIDAEXAMPLE", "Account": "123456789012", "Arn": "arn:aws:iam::123456789012:user/a&b"});
    let response = cloudbox_protocol::encode_output(model, op, Dialect::new(Wire::Query), &output, "req-1");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/xml");
    assert_eq!(response.headers()["x-amzn-requestid"], "req-1");
    assert_eq!(
        std::str::from_utf8(response.body()).unwrap(),
        "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><GetCallerIdentityResult>\
         <UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>\
         <Arn>arn:aws:iam::123456789012:user/a&amp;b</Arn></GetCallerIdentityResult>\
         <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>"
    );
}

#[test]
fn errors_are_written_as_query_services_do() {
    let model = cloudbox_model::load("iam").unwrap();
    let err = AwsError::new("NoSuchEntity", "The user with name bob cannot be found.", 404);
    let response = cloudbox_protocol::encode_error(model, Dialect::new(Wire::Query), &err, "req-2");
    assert_eq!(response.status(), 404);
    assert_eq!(
        std::str::from_utf8(response.body()).unwrap(),
        "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender</Type>\
         <Code>NoSuchEntity</Code><Message>The user with name bob cannot be found.</Message></Error>\
         <RequestId>req-2</RequestId></ErrorResponse>"
    );
}

#[test]
fn get_query_strings_and_numbered_lists_decode() {
    let get = http::Request::builder()
        .uri("/?Action=TagUser&Version=2010-05-08&UserName=bob&Tags.member.2.Key=b&Tags.member.2.Value=&Tags.member.1.Key=a&Tags.member.1.Value=x+y%2B")
        .body(Bytes::new())
        .unwrap();
    let input = decode("iam", "TagUser", &get).unwrap();
    assert_eq!(input, json!({"UserName": "bob", "Tags": [{"Key": "a", "Value": "x y+"}, {"Key": "b", "Value": ""}]}));
}

#[test]
fn a_value_that_is_not_its_type_is_malformed_input() {
    let err = decode("iam", "ListUsers", &form_post("Action=ListUsers&MaxItems=abc")).unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("MalformedInput", 400));
    assert!(err.message.contains("MaxItems"), "{}", err.message);
    let err = decode("iam", "TagUser", &form_post("Action=TagUser&UserName=bob&Tags.member.x.Key=a")).unwrap_err();
    assert_eq!((err.code.as_str(), err.message.as_str()), ("MalformedInput", "Tags.member.x is not a valid index."));
    let err = decode("iam", "ListUsers", &form_post("Action=ListUsers&PathPrefix.x=1")).unwrap_err();
    assert_eq!(err.code, "MalformedInput");
}

#[test]
fn constraint_violations_are_validation_errors() {
    let err = decode("iam", "ListUsers", &form_post("Action=ListUsers&MaxItems=0")).unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("ValidationError", 400));
    assert_eq!(
        err.message,
        "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: \
         Member must have value greater than or equal to 1"
    );
    let err = decode("iam", "CreateUser", &form_post("Action=CreateUser")).unwrap_err();
    assert_eq!(err.code, "ValidationError");
    assert!(err.message.contains("Value null at 'userName'"), "{}", err.message);
}

#[test]
fn a_form_that_is_not_utf8_is_a_malformed_query_string() {
    let err = decode("iam", "ListUsers", &form_post("Action=ListUsers&PathPrefix=%FF")).unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("MalformedQueryString", 404));
}

/// The body of `operation`'s response carrying `output`, encoded by the
/// query engine.
fn output_body(service: &str, operation: &str, output: &serde_json::Value) -> String {
    let model = cloudbox_model::load(service).unwrap();
    let op = model.operation(operation).unwrap();
    let response = cloudbox_protocol::encode_output(model, op, Dialect::new(Wire::Query), output, "req-3");
    String::from_utf8(response.body().to_vec()).unwrap()
}

/// The `<name>` element's text in a response body.
fn element_text<'b>(body: &'b str, name: &str) -> Option<&'b str> {
    let start = body.find(&format!("<{name}>"))? + name.len() + 2;
    let end = body[start..].find(&format!("</{name}>"))?;
    Some(&body[start..start + end])
}

#[test]
fn iam_timestamps_are_whole_seconds_and_sts_ones_carry_milliseconds() {
    // 2024-01-01T04:30:30.123Z
    let instant = 1704083430.123;
    let user = json!({"User": {"Path": "/", "UserName": "bob", "UserId": "AIDAEXAMPLE",
                               "Arn": "arn:aws:iam::123456789012:user/bob", "CreateDate": instant}});
    let body = output_body("iam", "GetUser", &user);
    assert_eq!(element_text(&body, "CreateDate"), Some("2024-01-01T04:30:30Z"), "{body}");
    let credentials = json!({"Credentials": {"AccessKeyId": "ASIAEXAMPLE", "SecretAccessKey": "secret",
                                             "SessionToken": "token", "Expiration": instant}});
    let body = output_body("sts", "GetSessionToken", &credentials);
    assert_eq!(element_text(&body, "Expiration"), Some("2024-01-01T04:30:30.123Z"), "{body}");
}

/// The body of an error response from the query engine.
fn error_body(service: &str, err: &cloudbox_core::AwsError) -> String {
    let model = cloudbox_model::load(service).unwrap();
    let response = cloudbox_protocol::encode_error(model, Dialect::new(Wire::Query), err, "req-4");
    String::from_utf8(response.body().to_vec()).unwrap()
}

#[test]
fn errors_named_by_shape_carry_the_models_query_code() {
    let by_shape = cloudbox_core::AwsError::new("NoSuchEntityException", "The user with name x cannot be found.", 404);
    assert_eq!(element_text(&error_body("iam", &by_shape), "Code"), Some("NoSuchEntity"));
    let by_code = cloudbox_core::AwsError::new("NoSuchEntity", "The user with name x cannot be found.", 404);
    assert_eq!(element_text(&error_body("iam", &by_code), "Code"), Some("NoSuchEntity"));
    let unmodelled = cloudbox_core::AwsError::new("ValidationError", "1 validation error detected", 400);
    let body = error_body("iam", &unmodelled);
    assert_eq!(element_text(&body, "Code"), Some("ValidationError"));
    assert_eq!(element_text(&body, "Type"), Some("Sender"));
}

#[test]
fn unrouted_errors_use_the_query_error_shape_escaped() {
    let err = cloudbox_core::AwsError::new("UnknownService", "no service answers <this> & that", 400);
    let response = cloudbox_protocol::engines::query::encode_unrouted_error(&err, "req-5");
    assert_eq!(response.status(), 400);
    let body = String::from_utf8(response.body().to_vec()).unwrap();
    assert_eq!(element_text(&body, "Code"), Some("UnknownService"));
    assert_eq!(element_text(&body, "Message"), Some("no service answers &lt;this&gt; &amp; that"));
    assert_eq!(element_text(&body, "RequestId"), Some("req-5"));
}
