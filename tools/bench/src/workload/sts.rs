//! STS workloads: the query protocol, a form-encoded POST to `/`.

use bytes::Bytes;
use http::header::CONTENT_TYPE;
use http::{HeaderName, HeaderValue, Method};

use super::{Call, Workload};

const GET_CALLER_IDENTITY_BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";
/// Its hex SHA-256 (checked against the signer's own hashing in the tests).
const GET_CALLER_IDENTITY_SHA256: &str = "ab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843";
static FORM_HEADERS: [(HeaderName, HeaderValue); 1] =
    [(CONTENT_TYPE, HeaderValue::from_static("application/x-www-form-urlencoded; charset=utf-8"))];

/// `GetCallerIdentity`: the cheapest signed call there is, so it measures
/// the server's request path (parse, authenticate, route, encode).
pub struct GetCallerIdentity {
    call: Call,
}

impl GetCallerIdentity {
    pub fn new() -> Self {
        let call = Call {
            method: Method::POST,
            path: "/".into(),
            query: "".into(),
            headers: &FORM_HEADERS,
            body: Bytes::from_static(GET_CALLER_IDENTITY_BODY.as_bytes()),
            body_sha256: Some(GET_CALLER_IDENTITY_SHA256),
        };
        Self { call }
    }
}

impl Default for GetCallerIdentity {
    fn default() -> Self {
        Self::new()
    }
}

impl Workload for GetCallerIdentity {
    fn name(&self) -> &'static str {
        "sts-get-caller-identity"
    }

    fn signing_service(&self) -> &'static str {
        "sts"
    }

    fn call(&self, _worker: usize, _sequence: u64) -> Call {
        self.call.clone()
    }
}
