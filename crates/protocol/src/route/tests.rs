//! Identification of requests as botocore sends them (see `testdata/`),
//! and of the shapes other clients send.

use super::*;
use bytes::Bytes;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    name: String,
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
    expect: Expected,
}

#[derive(Deserialize)]
struct Expected {
    route: String,
    service: Option<String>,
    operation: Option<String>,
    wire: Option<String>,
    region: Option<String>,
    #[serde(default)]
    query_compatible: bool,
}

fn fixtures() -> Vec<Fixture> {
    serde_json::from_str(include_str!("testdata/botocore_requests.json")).unwrap()
}

fn request(f: &Fixture) -> HttpRequest {
    let mut builder = http::Request::builder().method(f.method.as_str()).uri(&f.target);
    for (name, value) in &f.headers {
        builder = builder.header(name, value);
    }
    builder.body(Bytes::from(f.body.clone())).unwrap()
}

fn unsigned(mut req: HttpRequest) -> HttpRequest {
    req.headers_mut().remove("authorization");
    req
}

fn call(route: Result<Route, RouteError>) -> ServiceCall {
    match route {
        Ok(Route::Service(call)) => call,
        Ok(other) => panic!("expected a service call, got {other:?}"),
        Err(e) => panic!("expected a service call, got {:?}", e.error),
    }
}

fn error(route: Result<Route, RouteError>) -> RouteError {
    match route {
        Err(e) => e,
        Ok(other) => panic!("expected an error, got {other:?}"),
    }
}

fn split(req: HttpRequest) -> http::request::Parts {
    req.into_parts().0
}

#[test]
fn botocore_requests_route_where_they_should() {
    let all = fixtures();
    assert!(all.len() >= 20);
    for f in &all {
        let req = request(f);
        let expect = &f.expect;
        match identify(&req) {
            Ok(Route::Service(call)) => {
                assert_eq!(expect.route, "service", "{}", f.name);
                assert_eq!(Some(call.service), expect.service.as_deref(), "{}", f.name);
                assert_eq!(Some(call.operation.name.as_str()), expect.operation.as_deref(), "{}", f.name);
                assert_eq!(
                    Some(call.dialect.wire),
                    expect.wire.as_deref().and_then(Wire::from_model_name),
                    "{}",
                    f.name
                );
                assert_eq!(call.dialect.query_compatible, expect.query_compatible, "{}", f.name);
                assert_eq!(Some(call.region.as_str()), expect.region.as_deref(), "{}", f.name);
            }
            Ok(Route::S3 { region }) => {
                assert_eq!(expect.route, "s3", "{}", f.name);
                assert_eq!(region, expect.region, "{}", f.name);
            }
            other => panic!("{}: {other:?}", f.name),
        }
        assert_eq!(is_s3_request(&split(request(f))), expect.route == "s3", "{}", f.name);
    }
}

fn fixture(name: &str) -> Fixture {
    fixtures().into_iter().find(|f| f.name == name).unwrap()
}

#[test]
fn unsigned_query_requests_route_by_version() {
    let c = call(identify(&unsigned(request(&fixture("sts get_caller_identity via localhost:4566")))));
    assert_eq!((c.service, c.operation.name.as_str(), c.region.as_str()), ("sts", "GetCallerIdentity", "us-east-1"));
    let c = call(identify(&unsigned(request(&fixture("elbv2 describe_load_balancers via localhost:4566")))));
    assert_eq!(c.service, "elbv2");
    let c = call(identify(&unsigned(request(&fixture("ec2 describe_regions via localhost:4566")))));
    assert_eq!((c.service, c.dialect.wire), ("ec2", Wire::Ec2));
    assert!(!is_s3_request(&split(unsigned(request(&fixture("ec2 describe_regions via localhost:4566"))))));
}

#[test]
fn query_actions_in_the_query_string() {
    let req = http::Request::builder()
        .uri("/?Action=ListUsers&Version=2010-05-08")
        .header("host", "iam.amazonaws.com")
        .body(Bytes::new())
        .unwrap();
    let c = call(identify(&req));
    assert_eq!((c.service, c.operation.name.as_str(), c.dialect.wire), ("iam", "ListUsers", Wire::Query));
}

#[test]
fn cloudwatch_speaks_query_to_old_sdks() {
    let mut req = request(&fixture("elb describe_load_balancers via localhost:4566"));
    let authorization =
        req.headers()["authorization"].to_str().unwrap().replace("/elasticloadbalancing/", "/monitoring/");
    req.headers_mut().insert("authorization", authorization.parse().unwrap());
    *req.body_mut() = Bytes::from_static(b"Action=ListMetrics&Version=2010-08-01");
    let c = call(identify(&req));
    assert_eq!((c.service, c.operation.name.as_str(), c.dialect.wire), ("cloudwatch", "ListMetrics", Wire::Query));
    assert_eq!(c.auth_flavor(), AuthFlavor::Query);
}

#[test]
fn cbor_requests_route_by_path() {
    let req = http::Request::builder()
        .method("POST")
        .uri("/service/GraniteServiceVersion20100801/operation/ListMetrics")
        .header("host", "monitoring.eu-west-3.amazonaws.com")
        .header("smithy-protocol", "rpc-v2-cbor")
        .header("content-type", "application/cbor")
        .header("accept", "application/cbor")
        .body(Bytes::from_static(&[0xa0]))
        .unwrap();
    let c = call(identify(&req));
    assert_eq!((c.service, c.operation.name.as_str()), ("cloudwatch", "ListMetrics"));
    assert_eq!((c.dialect, c.region.as_str()), (Dialect::new(Wire::Cbor), "eu-west-3"));
    assert_eq!(c.auth_flavor(), AuthFlavor::Json);
    assert!(!is_s3_request(&split(req)));
}

#[test]
fn unknown_operations_answer_in_the_services_protocol() {
    let mut req = request(&fixture("dynamodb list_tables via localhost:4566"));
    req.headers_mut().insert("x-amz-target", "DynamoDB_20120810.ListTablez".parse().unwrap());
    let e = error(identify(&req));
    assert_eq!(e.target.map(|(m, d)| (m.name.as_str(), d.wire)), Some(("dynamodb", Wire::Json)));
    assert_eq!((e.error.code.as_str(), e.error.status), ("UnknownOperationException", 400));

    let mut req = request(&fixture("iam create_user via localhost:4566"));
    *req.body_mut() = Bytes::from_static(b"Action=CreateUzer&Version=2010-05-08");
    let e = error(identify(&req));
    assert_eq!(e.target.map(|(m, d)| (m.name.as_str(), d.wire)), Some(("iam", Wire::Query)));
    assert_eq!((e.error.code.as_str(), e.error.status), ("InvalidAction", 400));
    assert_eq!(e.error.message, "Could not find operation CreateUzer for version 2010-05-08");

    let mut req = request(&fixture("ec2 describe_regions via localhost:4566"));
    *req.body_mut() = Bytes::from_static(b"Action=DescribeRegionz&Version=2016-11-15");
    let e = error(identify(&req));
    assert_eq!(e.error.message, "The action DescribeRegionz is not valid for this web service.");

    let mut req = request(&fixture("glacier list_vaults via localhost:4566"));
    *req.uri_mut() = "/-/vaultz".parse().unwrap();
    let e = error(identify(&req));
    assert_eq!(e.target.map(|(m, d)| (m.name.as_str(), d.wire)), Some(("glacier", Wire::RestJson)));
    assert_eq!((e.error.code.as_str(), e.error.status), ("UnknownOperationException", 404));
}

#[test]
fn unknown_services_are_named() {
    let mut req = request(&fixture("dynamodb list_tables via localhost:4566"));
    req.headers_mut().insert("x-amz-target", "Lightsail_20161128.GetInstances".parse().unwrap());
    let e = error(identify(&req));
    assert!(e.target.is_none());
    assert!(e.error.message.contains("Lightsail_20161128"), "{}", e.error.message);

    let mut req = request(&fixture("glacier list_vaults via localhost:4566"));
    let authorization = req.headers()["authorization"].to_str().unwrap().replace("/glacier/", "/lightsail/");
    req.headers_mut().insert("authorization", authorization.parse().unwrap());
    let e = error(identify(&req));
    assert!(e.target.is_none());
    assert!(e.error.message.contains("'lightsail'"), "{}", e.error.message);
    assert!(!is_s3_request(&split(req)));
}

#[test]
fn unsigned_requests_for_nothing_else_are_for_s3() {
    let req = unsigned(request(&fixture("glacier list_vaults via localhost:4566")));
    assert!(matches!(identify(&req), Ok(Route::S3 { region: None })));
    assert!(is_s3_request(&split(req)));
    let req = http::Request::builder().uri("/my-bucket/key").body(Bytes::new()).unwrap();
    assert!(matches!(identify(&req), Ok(Route::S3 { region: None })));
}

#[test]
fn unsigned_requests_route_by_host() {
    let req = http::Request::builder()
        .uri("/-/vaults")
        .header("host", "glacier.ca-central-1.localhost.localstack.cloud:4566")
        .body(Bytes::new())
        .unwrap();
    let c = call(identify(&req));
    assert_eq!((c.service, c.operation.name.as_str(), c.region.as_str()), ("glacier", "ListVaults", "ca-central-1"));
    assert!(!is_s3_request(&split(req)));
    let req =
        unsigned(request(&fixture("kinesis list_streams via kinesis.eu-north-1.localhost.localstack.cloud:4566")));
    assert_eq!(call(identify(&req)).region, "eu-north-1");
}

#[test]
fn admin_paths() {
    let req = http::Request::builder().uri("/_cloudbox/health").body(Bytes::new()).unwrap();
    assert!(matches!(identify(&req), Ok(Route::Admin)));
    assert!(!is_s3_request(&split(req)));
}

#[test]
fn more_specific_templates_win() {
    let req = http::Request::builder()
        .uri("/-/vaults/photos/jobs")
        .header("host", "glacier.us-east-1.amazonaws.com")
        .body(Bytes::new())
        .unwrap();
    assert_eq!(call(identify(&req)).operation.name, "ListJobs");
    let req = http::Request::builder()
        .method("POST")
        .uri("/-/vaults/photos/archives")
        .header("host", "glacier.us-east-1.amazonaws.com")
        .body(Bytes::new())
        .unwrap();
    assert_eq!(call(identify(&req)).operation.name, "UploadArchive");
}

#[test]
fn auth_flavors_follow_the_protocol() {
    let flavor = |name: &str| call(identify(&request(&fixture(name)))).auth_flavor();
    assert_eq!(flavor("sts get_caller_identity via localhost:4566"), AuthFlavor::Query);
    assert_eq!(flavor("ec2 describe_regions via localhost:4566"), AuthFlavor::Ec2);
    assert_eq!(flavor("dynamodb list_tables via localhost:4566"), AuthFlavor::Json);
    assert_eq!(flavor("sqs list_queues via localhost:4566"), AuthFlavor::Query);
    assert_eq!(flavor("glacier list_vaults via localhost:4566"), AuthFlavor::RestJson);
    assert_eq!(flavor("route53 list_hosted_zones via localhost:4566"), AuthFlavor::Query);
    assert_eq!(flavor("s3control list_access_points via localhost:4566"), AuthFlavor::S3);
}

/// Identify and authenticate GetCallerIdentity as the gateway does, many
/// times: `cargo test --release -p cloudbox-protocol --lib hot_path -- --ignored --nocapture`.
#[test]
#[ignore]
fn hot_path_timing() {
    use crate::sigv4::{AuthMode, SigningCredentials, authenticate, sign};
    use cloudbox_core::{AccountId, Clock, Credential, CredentialResolver};
    struct Root;
    impl CredentialResolver for Root {
        fn resolve(&self, access_key_id: &str) -> Option<Credential> {
            (access_key_id == "test").then(|| Credential::root(AccountId::default_account(), "test", "test"))
        }
    }
    let mut req = request(&fixture("sts get_caller_identity via localhost:4566"));
    let credentials = SigningCredentials { access_key_id: "test", secret_access_key: "test", session_token: None };
    sign(&mut req, &credentials, "us-east-1", "sts", chrono::Utc::now()).unwrap();
    let clock = Clock::new();
    let rounds = 200_000;
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        let call = call(identify(&req));
        let auth = authenticate(&req, &Root, AuthMode::Strict, &clock, call.auth_flavor()).unwrap();
        std::hint::black_box((call, auth));
    }
    let each = started.elapsed() / rounds;
    println!("identify + authenticate: {each:?} per request");
    let started = std::time::Instant::now();
    for _ in 0..rounds {
        std::hint::black_box(call(identify(&req)));
    }
    println!("identify alone: {:?} per request", started.elapsed() / rounds);
}
