//! Turns a [`Call`] into a request for one endpoint, signed with the
//! project's own SigV4 signer ([`cloudbox_protocol::sigv4::sign`]), the one
//! cloudbox verifies with.

use std::borrow::Cow;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use cloudbox_protocol::HttpRequest;
use cloudbox_protocol::sigv4::{SigningCredentials, sign, sign_with_payload_hash};
use http::header::HOST;
use http::{HeaderValue, Request, Uri};
use http_body_util::Full;

use crate::workload::Call;

/// Room for the usual headers: host, date, authorization and a few of the call's own.
const HEADER_ROOM: usize = 8;

/// The access key pair requests are signed with.
#[derive(Clone, Debug)]
pub struct Credentials {
    pub access_key: String,
    pub secret_key: String,
}

/// Signs and assembles requests for one region, service and endpoint.
pub struct RequestSigner {
    credentials: Credentials,
    region: String,
    service: &'static str,
    host: HeaderValue,
}

impl RequestSigner {
    pub fn new(credentials: Credentials, region: &str, service: &'static str, authority: &str) -> anyhow::Result<Self> {
        Ok(Self { credentials, region: region.to_owned(), service, host: HeaderValue::from_str(authority)? })
    }

    /// A request for `call`, signed now.
    pub fn build(&self, call: Call) -> anyhow::Result<Request<Full<Bytes>>> {
        Ok(self.signed(call, Utc::now())?.map(Full::new))
    }

    /// The raw HTTP/1.1 bytes of `call`, signed now, asking the server to
    /// close the connection afterwards (for the blocking start-up probe).
    pub fn build_raw(&self, call: &Call) -> anyhow::Result<Vec<u8>> {
        Ok(raw_http1(&self.signed(call.clone(), Utc::now())?))
    }

    /// `call` with its `Host` header, signed as of `at`.
    fn signed(&self, call: Call, at: DateTime<Utc>) -> anyhow::Result<HttpRequest> {
        let body_sha256 = call.body_sha256;
        let mut request = self.unsigned(call)?;
        let credentials = SigningCredentials {
            access_key_id: &self.credentials.access_key,
            secret_access_key: &self.credentials.secret_key,
            session_token: None,
        };
        let (region, service) = (self.region.as_str(), self.service);
        match body_sha256 {
            Some(hash) => sign_with_payload_hash(&mut request, &credentials, region, service, at, hash)?,
            None => sign(&mut request, &credentials, region, service, at)?,
        }
        Ok(request)
    }

    /// `call` as a request with its `Host` header, built field by field
    /// (cheaper than the builder on the generator's hot path).
    fn unsigned(&self, call: Call) -> anyhow::Result<HttpRequest> {
        let mut request = Request::new(Bytes::new());
        *request.uri_mut() = request_target(&call)?;
        *request.method_mut() = call.method;
        *request.body_mut() = call.body;
        let headers = request.headers_mut();
        headers.reserve(HEADER_ROOM);
        headers.insert(HOST, self.host.clone());
        for (name, value) in call.headers {
            headers.append(name.clone(), value.clone());
        }
        Ok(request)
    }
}

/// The request target; a fixed path with no query is used without copying.
fn request_target(call: &Call) -> anyhow::Result<Uri> {
    match (&call.path, call.query.is_empty()) {
        (Cow::Borrowed(path), true) => Ok(Uri::from_maybe_shared(Bytes::from_static(path.as_bytes()))?),
        _ => Ok(Uri::try_from(call.path_and_query().as_ref())?),
    }
}

/// A request as HTTP/1.1 bytes, ending with `connection: close`.
fn raw_http1(request: &HttpRequest) -> Vec<u8> {
    let target = request.uri().path_and_query().map_or("/", |target| target.as_str());
    let mut bytes = format!("{} {target} HTTP/1.1\r\n", request.method()).into_bytes();
    for (name, value) in request.headers() {
        for part in [name.as_str().as_bytes(), b": ", value.as_bytes(), b"\r\n"] {
            bytes.extend_from_slice(part);
        }
    }
    let tail = format!("content-length: {}\r\nconnection: close\r\n\r\n", request.body().len());
    bytes.extend_from_slice(tail.as_bytes());
    bytes.extend_from_slice(request.body());
    bytes
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
