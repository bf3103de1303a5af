//! Browsers' cross-origin requests: answering preflight `OPTIONS` requests
//! and adding `Access-Control-*` headers to actual requests that carry an
//! `Origin`, from the bucket's CORS configuration. The gateway calls these
//! around s3s, which does not route `OPTIONS`.

use super::cors::{CORS, matching_rule};
use super::stored::{config_key, custom_error, decode};
use crate::errors;
use crate::host::CloudboxHost;
use crate::state::bucket_key;
use cloudbox_store::Store;
use http::{HeaderMap, HeaderValue, Method, StatusCode};
use s3s::dto::{CORSConfiguration, CORSRule};
use s3s::host::S3Host;
use s3s::{Body, S3Error};

/// The CORS-relevant facts of a request with an `Origin` header.
pub struct CorsRequest {
    origin: String,
    bucket: String,
    method: String,
}

impl CorsRequest {
    /// The request's origin and bucket, when it has both.
    pub fn of<B>(req: &http::Request<B>) -> Option<CorsRequest> {
        let origin = req.headers().get(http::header::ORIGIN)?.to_str().ok()?.to_string();
        let bucket = addressed_bucket(req)?;
        let asked = req.headers().get("access-control-request-method").and_then(|v| v.to_str().ok());
        let method = asked.unwrap_or(req.method().as_str()).to_string();
        Some(CorsRequest { origin, bucket, method })
    }

    /// The answer to a preflight `OPTIONS` request.
    pub fn preflight(&self, store: &Store, headers: &HeaderMap) -> http::Response<Body> {
        let Some(method) = headers.get("access-control-request-method").and_then(|v| v.to_str().ok()) else {
            return error_response(bad_request("Invalid Access-Control-Request-Method: null"));
        };
        let requested_headers: Vec<String> = headers
            .get("access-control-request-headers")
            .and_then(|v| v.to_str().ok())
            .map(|list| list.split(',').map(|h| h.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect())
            .unwrap_or_default();
        let config = match self.configuration(store) {
            Ok(Some(config)) => config,
            Ok(None) => return error_response(self.forbidden("CORSResponse: CORS is not enabled for this bucket.")),
            Err(err) => return error_response(err),
        };
        let Some(rule) = matching_rule(&config, &self.origin, method, &requested_headers) else {
            return error_response(self.forbidden(NOT_ALLOWED));
        };
        let mut response = http::Response::new(Body::empty());
        let out = response.headers_mut();
        allow(out, rule, &self.origin);
        if !requested_headers.is_empty() {
            set(out, "access-control-allow-headers", &requested_headers.join(", "));
        }
        response
    }

    /// Add the `Access-Control-*` headers of the rule that allows this
    /// (non-preflight) request, if any, to its response. The method
    /// matched is the one an `Access-Control-Request-Method` header names,
    /// else the request's own.
    pub fn decorate(&self, store: &Store, response: &mut http::Response<Body>) {
        let Ok(Some(config)) = self.configuration(store) else { return };
        if let Some(rule) = matching_rule(&config, &self.origin, &self.method, &[]) {
            allow(response.headers_mut(), rule, &self.origin);
        }
    }

    fn configuration(&self, store: &Store) -> Result<Option<CORSConfiguration>, S3Error> {
        if store.get(&bucket_key(&self.bucket)).map_err(errors::store_failure)?.is_none() {
            return Err(errors::no_such_bucket());
        }
        let stored = store.get(&config_key(&self.bucket, CORS)).map_err(errors::store_failure)?;
        stored.map(|bytes| decode(&bytes)).transpose().map_err(errors::store_failure)
    }

    fn forbidden(&self, message: &'static str) -> S3Error {
        custom_error("AccessForbidden", StatusCode::FORBIDDEN, message)
    }
}

const NOT_ALLOWED: &str = "CORSResponse: This CORS request is not allowed. This is usually because the evalution of \
                           Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers \
                           are not whitelisted by the resource's CORS spec.";

/// Whether the request is a CORS preflight.
pub fn is_preflight<B>(req: &http::Request<B>) -> bool {
    req.method() == Method::OPTIONS
}

/// The answer to an `OPTIONS` request that names no bucket or no origin.
pub fn preflight_without_origin() -> http::Response<Body> {
    error_response(bad_request("Insufficient information. Origin request header needed."))
}

fn bad_request(message: &'static str) -> S3Error {
    custom_error("BadRequest", StatusCode::BAD_REQUEST, message)
}

fn allow(headers: &mut HeaderMap, rule: &CORSRule, origin: &str) {
    let any_origin = rule.allowed_origins.iter().any(|o| o == "*");
    set(headers, "access-control-allow-origin", if any_origin { "*" } else { origin });
    set(headers, "access-control-allow-methods", &rule.allowed_methods.join(", "));
    if !any_origin {
        set(headers, "access-control-allow-credentials", "true");
    }
    if let Some(expose) = rule.expose_headers.as_ref().filter(|e| !e.is_empty()) {
        set(headers, "access-control-expose-headers", &expose.join(", "));
    }
    if let Some(max_age) = rule.max_age_seconds {
        set(headers, "access-control-max-age", &max_age.to_string());
    }
    set(headers, "vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
}

fn set(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

fn error_response(error: S3Error) -> http::Response<Body> {
    let status = error.status_code().unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = error.to_http_response().unwrap_or_else(|_| http::Response::new(Body::empty()));
    *response.status_mut() = status;
    response
}

/// The bucket a request addresses (virtual-hosted or path-style).
fn addressed_bucket<B>(req: &http::Request<B>) -> Option<String> {
    let host = req.headers().get(http::header::HOST).and_then(|v| v.to_str().ok());
    let path = req.uri().path().trim_start_matches('/');
    if let Some(bucket) = host.and_then(|h| CloudboxHost.parse_host_header(h).ok()?.bucket().map(str::to_string)) {
        return Some(bucket);
    }
    let bucket = path.split('/').next().unwrap_or("");
    let bucket = percent_encoding::percent_decode_str(bucket).decode_utf8().ok()?.into_owned();
    (!bucket.is_empty()).then_some(bucket)
}

#[cfg(test)]
mod tests {
    use super::addressed_bucket;

    fn bucket_of(host: &str, path: &str) -> Option<String> {
        let req = http::Request::builder().uri(path).header("host", host).body(()).unwrap();
        addressed_bucket(&req)
    }

    #[test]
    fn finds_the_bucket_either_way_it_is_addressed() {
        assert_eq!(bucket_of("localhost:4566", "/photos/cat.jpg").as_deref(), Some("photos"));
        assert_eq!(bucket_of("localhost:4566", "/photos").as_deref(), Some("photos"));
        assert_eq!(bucket_of("photos.s3.amazonaws.com", "/cat.jpg").as_deref(), Some("photos"));
        assert_eq!(bucket_of("photos.localhost:4566", "/").as_deref(), Some("photos"));
        assert_eq!(bucket_of("localhost:4566", "/"), None);
    }
}
