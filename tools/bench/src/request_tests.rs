//! The bench's requests are signed as botocore signs them, and cloudbox's
//! verifier accepts them with the right secret only.

use bytes::Bytes;
use chrono::{DateTime, Utc};
use cloudbox_core::{AccountId, AwsError, Clock, Credential, CredentialResolver};
use cloudbox_protocol::HttpRequest;
use cloudbox_protocol::sigv4::{AuthFlavor, AuthMode, Authenticated, authenticate};

use super::{Credentials, RequestSigner};
use crate::workload::{Call, Workload, sts::GetCallerIdentity};

/// The moment of AWS's SigV4 test suite, 2015-08-30T12:36:00Z.
fn test_suite_moment() -> DateTime<Utc> {
    DateTime::from_timestamp(1_440_938_160, 0).unwrap()
}

fn signer(access_key: &str, secret_key: &str) -> RequestSigner {
    let credentials = Credentials { access_key: access_key.into(), secret_key: secret_key.into() };
    RequestSigner::new(credentials, "us-east-1", "sts", "127.0.0.1:4566").unwrap()
}

/// A resolver that knows one key pair, `test`/`test`, as the default root.
struct TestKey;

impl CredentialResolver for TestKey {
    fn resolve(&self, access_key_id: &str) -> Option<Credential> {
        (access_key_id == "test").then(|| Credential::root(AccountId::default_account(), "test", "test"))
    }
}

fn verify(request: &HttpRequest) -> Result<Authenticated, AwsError> {
    authenticate(request, &TestKey, AuthMode::Strict, &Clock::new(), AuthFlavor::Query)
}

/// Reads back what [`super::raw_http1`] wrote.
fn parse_raw(raw: &[u8]) -> HttpRequest {
    let split = raw.windows(4).position(|window| window == b"\r\n\r\n").unwrap();
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut lines = head.split("\r\n");
    let mut start = lines.next().unwrap().split(' ');
    let mut builder = http::Request::builder().method(start.next().unwrap()).uri(start.next().unwrap());
    for line in lines {
        let (name, value) = line.split_once(": ").unwrap();
        builder = builder.header(name, value);
    }
    builder.body(Bytes::copy_from_slice(&raw[split + 4..])).unwrap()
}

#[test]
fn get_caller_identity_is_signed_as_botocore_signs_it() {
    let call = GetCallerIdentity::new().call(0, 0);
    let request = signer("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY").signed(call, test_suite_moment());
    assert_eq!(
        request.unwrap().headers()["authorization"],
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/sts/aws4_request, \
         SignedHeaders=content-type;host;x-amz-date, \
         Signature=4f2ed0c8ea52016955514849084a3a2a31b70624782f7be124ec33c09b26228a"
    );
}

#[test]
fn a_precomputed_body_hash_is_the_bodys_own() {
    let call = GetCallerIdentity::new().call(0, 0);
    assert!(call.body_sha256.is_some());
    let unhashed = Call { body_sha256: None, ..call.clone() };
    let signer = signer("test", "test");
    let (at, authorization) = (test_suite_moment(), http::header::AUTHORIZATION);
    let precomputed = signer.signed(call, at).unwrap();
    assert_eq!(precomputed.headers()[&authorization], signer.signed(unhashed, at).unwrap().headers()[&authorization]);
}

#[test]
fn a_workload_request_verifies_with_the_right_secret_only() {
    let call = GetCallerIdentity::new().call(0, 0);
    let request = signer("test", "test").signed(call.clone(), Utc::now()).unwrap();
    assert_eq!(verify(&request).unwrap().caller.arn, "arn:aws:iam::000000000000:root");
    let forged = signer("test", "not-the-secret").signed(call, Utc::now()).unwrap();
    assert_eq!(verify(&forged).unwrap_err().code, "SignatureDoesNotMatch");
}

#[test]
fn the_start_up_probe_verifies_and_asks_to_close() {
    let raw = signer("test", "test").build_raw(&GetCallerIdentity::new().call(0, 0)).unwrap();
    let request = parse_raw(&raw);
    assert_eq!(request.headers()["connection"], "close");
    assert_eq!(request.body().as_ref(), b"Action=GetCallerIdentity&Version=2011-06-15");
    assert_eq!(verify(&request).unwrap().signing_service.as_deref(), Some("sts"));
}
