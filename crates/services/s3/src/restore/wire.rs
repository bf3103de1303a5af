//! Two things about restores s3s's types cannot say: the `<StorageClass>`
//! element of an InvalidObjectState error, and RestoreObject's
//! `202 Accepted`. Handlers attach them as internal headers; the gateway
//! applies them before the response leaves ([`apply_internal_headers`]).

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, StatusCode};

const STORAGE_CLASS_FIELD: &str = "x-cloudbox-error-storage-class";
const STATUS_FIELD: &str = "x-cloudbox-status";

/// Headers asking for `<StorageClass>class</StorageClass>` in the error.
pub fn storage_class_field(class: &str) -> HeaderMap {
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(class) {
        headers.insert(STORAGE_CLASS_FIELD, value);
    }
    headers
}

/// A header asking for `202 Accepted` instead of `200 OK`.
pub fn accepted(headers: &mut HeaderMap) {
    headers.insert(STATUS_FIELD, HeaderValue::from_static("202"));
}

/// Apply (and remove) the internal headers of `response`.
pub fn apply_internal_headers(response: &mut http::Response<s3s::Body>) {
    if let Some(status) = response.headers_mut().remove(STATUS_FIELD)
        && status.as_bytes() == b"202"
        && response.status() == StatusCode::OK
    {
        *response.status_mut() = StatusCode::ACCEPTED;
    }
    let Some(class) = response.headers_mut().remove(STORAGE_CLASS_FIELD) else { return };
    let Some(body) = response.body().bytes() else { return };
    let Ok(text) = std::str::from_utf8(&body) else { return };
    let Ok(class) = class.to_str() else { return };
    let Some(at) = text.rfind("</Error>") else { return };
    let with_field = format!("{}<StorageClass>{class}</StorageClass>{}", &text[..at], &text[at..]);
    let len = with_field.len();
    *response.body_mut() = s3s::Body::from(Bytes::from(with_field));
    if let Ok(value) = HeaderValue::from_str(&len.to_string()) {
        response.headers_mut().insert(http::header::CONTENT_LENGTH, value);
    }
}
