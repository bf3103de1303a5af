//! Turns a [`Call`] into a request for one endpoint, signed with the
//! project's own SigV4 signer ([`cloudbox_protocol::sigv4::sign`]), the one
//! cloudbox verifies with.

use std::borrow::Cow;

use bytes::Bytes;
use chrono::{DateTime, Utc};
use cloudbox_protocol::HttpRequest;
use cloudbox_protocol::sigv4::{SigningCredentials, sign, sign_with_payload_hash};
use http::header::HOST;
use http::{HeaderValue, Method, Request, Uri};

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

    /// `call`, signed now, as HTTP/1.1 bytes for a keep-alive connection.
    pub fn build(&self, call: Call) -> anyhow::Result<RawRequest> {
        let head = call.method == Method::HEAD;
        Ok(RawRequest { bytes: raw_http1(&self.signed(call, Utc::now())?, false), head })
    }

    /// The raw HTTP/1.1 bytes of `call`, signed now, asking the server to
    /// close the connection afterwards (for the blocking start-up probe).
    pub fn build_raw(&self, call: &Call) -> anyhow::Result<Vec<u8>> {
        Ok(raw_http1(&self.signed(call.clone(), Utc::now())?, true))
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

/// A signed request as it goes on the wire.
pub struct RawRequest {
    pub bytes: Vec<u8>,
    /// A HEAD request, whose response has no body.
    pub head: bool,
}

/// A request as HTTP/1.1 bytes, in one buffer; with `close`, asking the
/// server to close the connection afterwards.
fn raw_http1(request: &HttpRequest, close: bool) -> Vec<u8> {
    let target = request.uri().path_and_query().map_or("/", |target| target.as_str());
    let method = request.method().as_str();
    let headers_len: usize = request.headers().iter().map(|(name, value)| name.as_str().len() + value.len() + 4).sum();
    let mut bytes = Vec::with_capacity(method.len() + target.len() + headers_len + request.body().len() + 96);
    for part in [method.as_bytes(), b" ", target.as_bytes(), b" HTTP/1.1\r\n"] {
        bytes.extend_from_slice(part);
    }
    for (name, value) in request.headers() {
        for part in [name.as_str().as_bytes(), b": ", value.as_bytes(), b"\r\n"] {
            bytes.extend_from_slice(part);
        }
    }
    let length = request.body().len().to_string();
    for part in [b"content-length: ".as_slice(), length.as_bytes(), b"\r\n"] {
        bytes.extend_from_slice(part);
    }
    if close {
        bytes.extend_from_slice(b"connection: close\r\n");
    }
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(request.body());
    bytes
}

#[cfg(test)]
#[path = "request_tests.rs"]
mod tests;
