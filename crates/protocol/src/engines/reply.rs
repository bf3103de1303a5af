//! Building an HTTP response, for every engine, without a panic path: an
//! unknown status becomes 500, a header value that HTTP cannot carry is left
//! out.

use crate::HttpResponse;
use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderName, HeaderValue};

/// The header every AWS wire carries the request id in.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-amzn-requestid");

/// A response with `status`, `content_type` (when there is one), `body`,
/// and the request id in `x-amzn-RequestId`, as every AWS wire sends it.
pub(crate) fn respond(
    status: u16,
    content_type: Option<&str>,
    request_id: &str,
    body: impl Into<Bytes>,
) -> HttpResponse {
    let mut response = http::Response::new(body.into());
    *response.status_mut() = http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    if let Some(Ok(content_type)) = content_type.map(HeaderValue::from_str) {
        headers.insert(CONTENT_TYPE, content_type);
    }
    if let Ok(request_id) = HeaderValue::from_str(request_id) {
        headers.insert(REQUEST_ID, request_id);
    }
    response
}

/// Set header `name` to `value`, replacing any earlier value.
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
