//! STS workloads: the query protocol, a form-encoded POST to `/`.

use bytes::Bytes;
use http::Method;
use sha2::{Digest, Sha256};

use super::{Call, Workload};

const GET_CALLER_IDENTITY_BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";
const FORM_HEADERS: &[(&str, &str)] = &[("content-type", "application/x-www-form-urlencoded; charset=utf-8")];

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
            headers: FORM_HEADERS,
            body: Bytes::from_static(GET_CALLER_IDENTITY_BODY.as_bytes()),
            body_sha256: Sha256::digest(GET_CALLER_IDENTITY_BODY.as_bytes()).into(),
            send_content_sha256: false,
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
