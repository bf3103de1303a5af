//! Presigned URLs (SigV4 query form): checked by the gateway's own SigV4
//! code before s3s sees the request, so that every presigned URL gets S3's
//! answers, including those signed with keys cloudbox cannot verify in
//! permissive mode:
//!
//! - past `X-Amz-Date` + `X-Amz-Expires` (real time, as clients sign with
//!   their own clocks): 403 `AccessDenied` "Request has expired" with
//!   `X-Amz-Expires`, `Expires` and `ServerTime` in the error;
//! - missing parameters or a bad `X-Amz-Expires`: 400
//!   `AuthorizationQueryParametersError`;
//! - a signature the known key's secret does not produce: 403
//!   `SignatureDoesNotMatch`.
//!
//! Requests that pass go on to s3s unchanged (which verifies known keys'
//! signatures again as it routes them).

use crate::error_xml::s3_error_xml;
use cloudbox_core::{AwsError, Clock, CredentialResolver};
use cloudbox_protocol::sigv4::{self, AuthFlavor, AuthMode};
use s3s::Body;

/// Whether the request carries a SigV4 presigned query.
pub fn is_presigned_v4<B>(req: &http::Request<B>) -> bool {
    req.uri().query().is_some_and(|query| {
        query.split('&').any(|pair| {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            name == "X-Amz-Algorithm" || name == "X-Amz-Signature" || name == "X-Amz-Credential"
        })
    })
}

/// Check a presigned URL's parameters, lifetime and (for known keys)
/// signature; the S3 error response when it fails, `None` when it passes
/// (or the request is not presigned).
pub fn refusal(
    req: &http::Request<Body>,
    credentials: &dyn CredentialResolver,
    strict: bool,
    clock: &Clock,
) -> Option<http::Response<Body>> {
    // A browser's CORS preflight is answered before any authentication, as
    // S3 answers it, whatever query the URL it is about carries.
    let preflight = req.method() == http::Method::OPTIONS;
    if preflight || !is_presigned_v4(req) || req.headers().contains_key(http::header::AUTHORIZATION) {
        return None;
    }
    let mut bodiless = http::Request::new(bytes::Bytes::new());
    *bodiless.method_mut() = req.method().clone();
    *bodiless.uri_mut() = req.uri().clone();
    *bodiless.version_mut() = req.version();
    *bodiless.headers_mut() = req.headers().clone();
    let mode = if strict { AuthMode::Strict } else { AuthMode::Permissive };
    sigv4::authenticate(&bodiless, credentials, mode, clock, AuthFlavor::S3).err().map(|error| error_response(&error))
}

/// S3's `<Error>` document for `error`, its extra members included.
pub fn error_response(error: &AwsError) -> http::Response<Body> {
    let extra: Vec<(&str, String)> = error
        .extra
        .iter()
        .flat_map(|extra| extra.iter())
        .map(|(name, value)| (name.as_str(), value.as_str().map_or_else(|| value.to_string(), str::to_string)))
        .collect();
    let xml = s3_error_xml(&error.code, &error.message, extra.iter().map(|(name, text)| (*name, text.as_str())));
    let mut response = http::Response::new(Body::from(xml));
    *response.status_mut() = http::StatusCode::from_u16(error.status).unwrap_or(http::StatusCode::FORBIDDEN);
    response.headers_mut().insert(http::header::CONTENT_TYPE, http::HeaderValue::from_static("application/xml"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_presigned_queries() {
        let presigned = http::Request::builder().uri("/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&x=1").body(()).unwrap();
        assert!(is_presigned_v4(&presigned));
        let plain = http::Request::builder().uri("/b/k?versionId=X-Amz-Algorithm").body(()).unwrap();
        assert!(!is_presigned_v4(&plain));
    }

    #[test]
    fn errors_carry_their_members() {
        let error = AwsError::access_denied("Request has expired")
            .with_member("X-Amz-Expires", serde_json::Value::from("60"))
            .with_member("ServerTime", serde_json::Value::from("2026-01-01T00:00:00Z"));
        let response = error_response(&error);
        assert_eq!(response.status(), 403);
    }
}
