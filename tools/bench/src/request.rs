//! Turns a [`Call`] into a signed HTTP request for one endpoint.

use std::borrow::Cow;
use std::time::SystemTime;

use bytes::Bytes;
use http::header::{AUTHORIZATION, HOST};
use http::{HeaderName, HeaderValue, Request, Uri};
use http_body_util::Full;

use crate::sigv4::{Credentials, Signer};
use crate::timestamp::AmzTimestamp;
use crate::workload::Call;

const X_AMZ_DATE: HeaderName = HeaderName::from_static("x-amz-date");
const X_AMZ_CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");

/// Signs and assembles requests; one per worker, so buffers are reused.
pub struct RequestSigner {
    signer: Signer,
    host: HeaderValue,
    authority: String,
}

impl RequestSigner {
    pub fn new(credentials: Credentials, region: &str, service: &'static str, authority: &str) -> anyhow::Result<Self> {
        Ok(Self {
            signer: Signer::new(credentials, region, service),
            host: HeaderValue::from_str(authority)?,
            authority: authority.to_owned(),
        })
    }

    /// A request for `call`, signed now.
    pub fn build(&mut self, call: Call) -> anyhow::Result<Request<Full<Bytes>>> {
        let stamp = AmzTimestamp::from_system_time(SystemTime::now());
        let authorization = HeaderValue::from_str(self.signer.sign(&call, &self.authority, stamp)?)?;
        let mut builder = Request::builder()
            .method(call.method.clone())
            .uri(request_target(&call)?)
            .header(HOST, self.host.clone())
            .header(X_AMZ_DATE, HeaderValue::from_str(stamp.as_str())?)
            .header(AUTHORIZATION, authorization);
        if call.send_content_sha256 {
            builder = builder.header(X_AMZ_CONTENT_SHA256, HeaderValue::from_str(self.signer.payload_hash_hex())?);
        }
        for (name, value) in call.headers {
            builder = builder.header(*name, HeaderValue::from_static(value));
        }
        Ok(builder.body(Full::new(call.body))?)
    }

    /// The raw HTTP/1.1 bytes of `call`, signed now, asking the server to
    /// close the connection afterwards (for the blocking start-up probe).
    pub fn build_raw(&mut self, call: &Call) -> anyhow::Result<Vec<u8>> {
        let stamp = AmzTimestamp::from_system_time(SystemTime::now());
        let authorization = self.signer.sign(call, &self.authority, stamp)?;
        let mut head = format!(
            "{} {} HTTP/1.1\r\nhost: {}\r\nx-amz-date: {}\r\nauthorization: {}\r\ncontent-length: {}\r\n",
            call.method,
            call.path_and_query(),
            self.authority,
            stamp.as_str(),
            authorization,
            call.body.len()
        );
        if call.send_content_sha256 {
            head.push_str(&format!("x-amz-content-sha256: {}\r\n", self.signer.payload_hash_hex()));
        }
        for (name, value) in call.headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("connection: close\r\n\r\n");
        let mut bytes = head.into_bytes();
        bytes.extend_from_slice(&call.body);
        Ok(bytes)
    }
}

/// The request target; a fixed path with no query is used without copying.
fn request_target(call: &Call) -> anyhow::Result<Uri> {
    match (&call.path, call.query.is_empty()) {
        (Cow::Borrowed(path), true) => Ok(Uri::from_maybe_shared(Bytes::from_static(path.as_bytes()))?),
        _ => Ok(Uri::try_from(call.path_and_query().as_ref())?),
    }
}
