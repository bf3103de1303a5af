//! Building HTTP responses for the JSON-family engines without a panic path:
//! an unknown status becomes 500, a header value that HTTP cannot carry is
//! left out.

use crate::HttpResponse;
use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};

/// A response with `status` and `body`, carrying the request id as AWS's
/// JSON services do (`x-amzn-RequestId`).
pub(crate) fn respond(status: u16, body: impl Into<Bytes>, request_id: &str) -> HttpResponse {
    let mut response = http::Response::new(body.into());
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    set_header(&mut response, "x-amzn-requestid", request_id);
    response
}

/// Set header `name` (lower case) to `value`, replacing any earlier value.
pub(crate) fn set_header(response: &mut HttpResponse, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
        response.headers_mut().insert(name, value);
    }
}

/// Add one more value of header `name`.
pub(crate) fn append_header(response: &mut HttpResponse, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
        response.headers_mut().append(name, value);
    }
}
