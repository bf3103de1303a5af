//! botocore's `ec2` protocol vectors, in the server's direction: requests
//! decoded by the ec2 engine, results and errors encoded by it.

mod common;
mod xml_vectors;

use cloudbox_protocol::Wire;
use common::input::run_input_suite;
use common::suite::Skip;
use xml_vectors::{Leniency, run_output_suite};

const LENIENCY: Leniency = Leniency { envelope: &["requestId", "RequestId", "RequestID"], empty_body_unasserted: true };

/// Input cases that test what a client does before sending, not what
/// arrives on the wire.
const INPUT_SKIPS: &[Skip] = &[
    ("SDKAppliedContentEncoding_ec2Query", "client-side gzip compression; the vector carries no body"),
    ("SDKAppendsGzipAndIgnoresHttpProvidedEncoding_ec2Query", "client-side gzip compression; no body"),
    ("Ec2ProtocolIdempotencyTokenAutoFill", "the client invents the token; params leave it out"),
    ("Ec2EmptyQueryLists", "an empty list sends nothing on the ec2 wire, so the server cannot see it"),
];

const LEGACY_INPUT_SKIPS: &[Skip] = &[("Idempotency token auto fill #1", "the client invents the token")];

/// Output cases whose body says more than their params.
const OUTPUT_SKIPS: &[Skip] = &[
    ("Ec2ComplexError", "the body carries a Message the error's params leave out"),
    ("Ec2XmlEmptyLists", "lists Content-Type text/xml; every other ec2 vector (and EC2) says text/xml;charset=UTF-8"),
];

/// Legacy output cases that test how leniently a client parses.
const LEGACY_OUTPUT_SKIPS: &[Skip] = &[
    ("Modeled exceptions #1", "the body carries a Message the error's params leave out"),
    ("Modeled exceptions #2", "the body carries members of a shape the model does not define"),
];

#[test]
fn ec2_input_vectors() {
    run_input_suite("input/ec2.json", Wire::Ec2, INPUT_SKIPS);
}

#[test]
fn ec2_legacy_input_vectors() {
    run_input_suite("legacy/input/ec2.json", Wire::Ec2, LEGACY_INPUT_SKIPS);
}

#[test]
fn ec2_output_vectors() {
    run_output_suite("output/ec2.json", Wire::Ec2, LENIENCY, OUTPUT_SKIPS);
}

#[test]
fn ec2_legacy_output_vectors() {
    run_output_suite("legacy/output/ec2.json", Wire::Ec2, LENIENCY, LEGACY_OUTPUT_SKIPS);
}

// Focused cases against EC2's own model: its envelope and its errors.

use bytes::Bytes;
use cloudbox_core::AwsError;
use cloudbox_protocol::{Dialect, HttpRequest};
use serde_json::json;

fn form_post(body: &str) -> HttpRequest {
    http::Request::builder().method("POST").uri("/").body(Bytes::from(body.to_string())).unwrap()
}

fn decode(operation: &str, body: &str) -> Result<serde_json::Value, AwsError> {
    let model = cloudbox_model::load("ec2").unwrap();
    let op = model.operation(operation).unwrap();
    cloudbox_protocol::decode(model, op, Dialect::new(Wire::Ec2), &form_post(body))
}

#[test]
fn parameters_use_ec2_names_and_numbered_lists() {
    let input = decode(
        "DescribeInstances",
        "Action=DescribeInstances&Version=2016-11-15&InstanceId.1=i-1&InstanceId.2=i-2\
         &Filter.1.Name=tag%3AName&Filter.1.Value.1=web&MaxResults=5&DryRun=false",
    )
    .unwrap();
    assert_eq!(
        input,
        json!({"InstanceIds": ["i-1", "i-2"], "Filters": [{"Name": "tag:Name", "Values": ["web"]}],
               "MaxResults": 5, "DryRun": false})
    );
}

#[test]
fn bad_values_unknown_and_missing_parameters_get_ec2_errors() {
    let err = decode("DescribeInstances", "Action=DescribeInstances&MaxResults=abc").unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("InvalidParameterValue", 400));
    assert!(err.message.contains("MaxResults"), "{}", err.message);
    let err = decode("DescribeInstances", "Action=DescribeInstances&Bogus=1").unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("UnknownParameter", "The parameter Bogus is not recognized")
    );
    let err = decode("TerminateInstances", "Action=TerminateInstances&Version=2016-11-15").unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("MissingParameter", "The request must contain the parameter InstanceId")
    );
    assert!(decode("DescribeInstances", "Action=DescribeInstances&X-Amz-Date=20240101T000000Z").is_ok());
}

#[test]
fn responses_carry_request_id_first_and_items() {
    let model = cloudbox_model::load("ec2").unwrap();
    let op = model.operation("DescribeAvailabilityZones").unwrap();
    let output = json!({"AvailabilityZones": [{"ZoneName": "us-east-1a", "RegionName": "us-east-1"}]});
    let response = cloudbox_protocol::encode_output(model, op, Dialect::new(Wire::Ec2), &output, "req-1");
    assert_eq!(response.headers()["content-type"], "text/xml;charset=UTF-8");
    assert_eq!(
        std::str::from_utf8(response.body()).unwrap(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DescribeAvailabilityZonesResponse \
         xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\"><requestId>req-1</requestId><availabilityZoneInfo>\
         <item><regionName>us-east-1</regionName><zoneName>us-east-1a</zoneName></item>\
         </availabilityZoneInfo></DescribeAvailabilityZonesResponse>"
    );
}

#[test]
fn errors_are_written_as_ec2_does() {
    let model = cloudbox_model::load("ec2").unwrap();
    let err = AwsError::new("InvalidInstanceID.NotFound", "The instance ID 'i-1' does not exist", 400);
    let response = cloudbox_protocol::encode_error(model, Dialect::new(Wire::Ec2), &err, "req-2");
    assert_eq!(response.status(), 400);
    assert_eq!(
        std::str::from_utf8(response.body()).unwrap(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>\
         <Code>InvalidInstanceID.NotFound</Code><Message>The instance ID 'i-1' does not exist</Message>\
         </Error></Errors><RequestID>req-2</RequestID></Response>"
    );
}
