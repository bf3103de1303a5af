//! botocore's `rest-xml` protocol vectors, in the server's direction:
//! requests decoded by the rest-xml engine, results and errors encoded by it.

mod common;
mod xml_vectors;

use cloudbox_protocol::Wire;
use common::input::run_input_suite;
use common::suite::Skip;
use xml_vectors::{Leniency, run_output_suite};

const LENIENCY: Leniency = Leniency { envelope: &[], empty_body_unasserted: false };

/// Input cases that test what a client does before sending, not what
/// arrives on the wire.
const INPUT_SKIPS: &[Skip] = &[
    ("SDKAppliedContentEncoding_restXml", "client-side gzip compression; the vector carries no body"),
    ("SDKAppendedGzipAfterProvidedEncoding_restXml", "client-side gzip compression; no body"),
    ("QueryIdempotencyTokenAutoFill", "the client invents the token; params leave it out"),
    ("RestXmlQueryPrecedence", "params the client drops in favour of a named member never reach the server"),
];

/// A shape-level `location`, which current models never use.
const SHAPE_LOCATION: &str = "binds the member through `location` on the shape, a form current models no longer use";

const LEGACY_INPUT_SKIPS: &[Skip] = &[
    ("Header maps #0", SHAPE_LOCATION),
    ("Idempotency token auto fill #1", "the client invents the token; params leave it out"),
    ("List in header #1", "an empty header list sends no header, so the server cannot see it"),
    ("JSON value trait #0", "the value tree keeps a jsonvalue member as its JSON text, a string as the model types it"),
];

/// Output cases whose body says more than their params.
const OUTPUT_SKIPS: &[Skip] = &[
    ("InvalidGreetingError", "the body carries an AnotherSetting the error's params leave out"),
    ("ComplexError", "the body carries a Message the error's params leave out"),
    ("IgnoreQueryParamsInResponse", "an output member bound to the query string, which a response cannot carry"),
];

/// Legacy output cases that test client parsing rather than server output.
const LEGACY_OUTPUT_SKIPS: &[Skip] = &[
    ("Scalar members #0", SHAPE_LOCATION),
    ("Scalar members #1", SHAPE_LOCATION),
    ("Scalar members in headers #0", SHAPE_LOCATION),
    ("Modeled exceptions #0", SHAPE_LOCATION),
    ("Modeled exceptions #1", SHAPE_LOCATION),
    ("Modeled exceptions #2", SHAPE_LOCATION),
    ("Empty string #0", "the body carries a RequestId element the output shape does not model"),
    ("Timestamp members #0", "the body carries a RequestId element the output shape does not model"),
    ("REST XML Event Stream #0", "event streams are not served by this engine"),
    ("REST XML Event Stream #1", "event streams are not served by this engine"),
    ("Unions #2", "the body carries a union member the model does not define"),
    ("List in header #0", "odd spacing around the items tests client parsing"),
];

#[test]
fn rest_xml_input_vectors() {
    run_input_suite("input/rest-xml.json", Wire::RestXml, INPUT_SKIPS);
}

#[test]
fn rest_xml_legacy_input_vectors() {
    run_input_suite("legacy/input/rest-xml.json", Wire::RestXml, LEGACY_INPUT_SKIPS);
}

#[test]
fn rest_xml_output_vectors() {
    run_output_suite("output/rest-xml.json", Wire::RestXml, LENIENCY, OUTPUT_SKIPS);
}

#[test]
fn rest_xml_legacy_output_vectors() {
    run_output_suite("legacy/output/rest-xml.json", Wire::RestXml, LENIENCY, LEGACY_OUTPUT_SKIPS);
}

// Focused cases against real models: envelopes, and the errors services
// give for bodies and values a client library would never send.

use bytes::Bytes;
use cloudbox_core::AwsError;
use cloudbox_protocol::{Dialect, HttpRequest};
use serde_json::json;

fn request(method: &str, uri: &str, body: &[u8]) -> HttpRequest {
    http::Request::builder().method(method).uri(uri).body(Bytes::from(body.to_vec())).unwrap()
}

fn decode(service: &str, operation: &str, req: &HttpRequest) -> Result<serde_json::Value, AwsError> {
    let model = cloudbox_model::load(service).unwrap();
    let op = model.operation(operation).unwrap();
    cloudbox_protocol::decode(model, op, Dialect::new(Wire::RestXml), req)
}

const CREATE_ZONE: &str = "/2013-04-01/hostedzone";

#[test]
fn route53_bodies_and_labels_decode() {
    let body = br#"<?xml version="1.0" encoding="UTF-8"?>
        <CreateHostedZoneRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
          <Name>example.com</Name><CallerReference>ref-1</CallerReference>
          <HostedZoneConfig><Comment>a &amp; b</Comment><PrivateZone>false</PrivateZone></HostedZoneConfig>
        </CreateHostedZoneRequest>"#;
    let input = decode("route53", "CreateHostedZone", &request("POST", CREATE_ZONE, body)).unwrap();
    assert_eq!(
        input,
        json!({"Name": "example.com", "CallerReference": "ref-1",
               "HostedZoneConfig": {"Comment": "a & b", "PrivateZone": false}})
    );
    let input = decode("route53", "GetHostedZone", &request("GET", "/2013-04-01/hostedzone/Z123", b"")).unwrap();
    assert_eq!(input, json!({"Id": "Z123"}));
}

#[test]
fn broken_xml_is_the_services_malformed_error() {
    for body in [&b"<CreateHostedZoneRequest><Name>x</CreateHostedZoneRequest>"[..], b"not xml", b"\xff\xfe<a/>"] {
        let err = decode("route53", "CreateHostedZone", &request("POST", CREATE_ZONE, body)).unwrap_err();
        assert_eq!((err.code.as_str(), err.status), ("InvalidInput", 400), "{err}");
    }
    let deep = "<a>".repeat(5000) + &"</a>".repeat(5000);
    let err = decode("route53", "CreateHostedZone", &request("POST", CREATE_ZONE, deep.as_bytes())).unwrap_err();
    assert_eq!(err.code, "InvalidInput");
    let err =
        decode("cloudfront", "CreateDistribution", &request("POST", "/2020-05-31/distribution", b"<x>")).unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("MalformedInput", 400));
}

#[test]
fn bad_values_and_missing_members_are_rejected() {
    let body = b"<CreateHostedZoneRequest><Name>example.com</Name></CreateHostedZoneRequest>";
    let err = decode("route53", "CreateHostedZone", &request("POST", CREATE_ZONE, body)).unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("InvalidInput", 400));
    assert!(err.message.contains("Value null at 'callerReference'"), "{}", err.message);
    let body = b"<CreateHostedZoneRequest><Name>e.com</Name><CallerReference>r</CallerReference>\
        <HostedZoneConfig><PrivateZone>maybe</PrivateZone></HostedZoneConfig></CreateHostedZoneRequest>";
    let err = decode("route53", "CreateHostedZone", &request("POST", CREATE_ZONE, body)).unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("InvalidInput", 400));
    let req = http::Request::builder()
        .uri("/v20180820/accesspoint?maxResults=abc")
        .header("x-amz-account-id", "123456789012")
        .body(Bytes::new())
        .unwrap();
    let err = decode("s3control", "ListAccessPoints", &req).unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("InvalidRequest", 400));
}

#[test]
fn outputs_and_errors_carry_the_service_namespace() {
    let model = cloudbox_model::load("route53").unwrap();
    let op = model.operation("CreateHostedZone").unwrap();
    let output = json!({
        "HostedZone": {"Id": "/hostedzone/Z1", "Name": "example.com.", "CallerReference": "r"},
        "ChangeInfo": {"Id": "/change/C1", "Status": "PENDING", "SubmittedAt": 1704067200},
        "DelegationSet": {"NameServers": ["ns-1.example"]},
        "Location": "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1"
    });
    let response = cloudbox_protocol::encode_output(model, op, Dialect::new(Wire::RestXml), &output, "req-1");
    assert_eq!(response.status(), 201);
    assert_eq!(response.headers()["location"], "https://route53.amazonaws.com/2013-04-01/hostedzone/Z1");
    assert_eq!(
        std::str::from_utf8(response.body()).unwrap(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CreateHostedZoneResponse \
         xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><HostedZone><Id>/hostedzone/Z1</Id>\
         <Name>example.com.</Name><CallerReference>r</CallerReference></HostedZone><ChangeInfo><Id>/change/C1</Id>\
         <Status>PENDING</Status><SubmittedAt>2024-01-01T00:00:00.000Z</SubmittedAt></ChangeInfo>\
         <DelegationSet><NameServers><NameServer>ns-1.example</NameServer></NameServers></DelegationSet>\
         </CreateHostedZoneResponse>"
    );
    let err = AwsError::new("NoSuchHostedZone", "No hosted zone found with ID: Z9", 404);
    let response = cloudbox_protocol::encode_error(model, Dialect::new(Wire::RestXml), &err, "req-2");
    assert_eq!(response.status(), 404);
    assert_eq!(
        std::str::from_utf8(response.body()).unwrap(),
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse \
         xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Type>Sender</Type>\
         <Code>NoSuchHostedZone</Code><Message>No hosted zone found with ID: Z9</Message></Error>\
         <RequestId>req-2</RequestId></ErrorResponse>"
    );
}
