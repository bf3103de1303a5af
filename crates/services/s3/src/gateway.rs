//! The S3 gateway: the s3s service configured for cloudbox, and the entry
//! point the server's HTTP handler calls for every S3 request.

use crate::access_log::{AccessLog, AccessLogDelivery, Seen};
use crate::auth::{CallerAccess, ResolverAuth};
use crate::blobs::Blobs;
use crate::caller::Vouched;
use crate::chunked;
use crate::config::cors_http::{CorsRequest, is_preflight, preflight_without_origin};
use crate::host::CloudboxHost;
use crate::identity;
use crate::lifecycle::LifecycleSweep;
use crate::{BucketSettings, CloudboxS3};
use cloudbox_core::{Clock, CredentialResolver, TimedWork};
use cloudbox_store::Store;
use s3s::service::{S3Service, S3ServiceBuilder};
use s3s::validation::NameValidation;
use s3s::{Body, S3Error, S3ErrorCode};
use std::path::Path;
use std::sync::Arc;

/// S3 as the server sees it: one request in, one response out. Cheap to
/// clone; clones share everything.
#[derive(Clone)]
pub struct S3Gateway {
    service: S3Service,
    /// Executes lifecycle rules on cloudbox's clock.
    lifecycle: Arc<LifecycleSweep>,
    credentials: Arc<dyn CredentialResolver>,
    strict: bool,
    blobs: Blobs,
    /// Read for CORS answers, which are given outside s3s.
    store: Store,
    /// Presigned URLs are checked against its real time.
    clock: Clock,
    /// Server access logs of buckets with logging enabled.
    access_log: Arc<AccessLog>,
}

/// Build the S3 gateway with object bodies in a temporary directory (for
/// `--ephemeral` and tests). With `strict`, every request must be signed
/// with a key `credentials` knows; otherwise unknown keys and unsigned
/// requests are accepted too (see [`S3Gateway::handle`]).
pub fn s3_service(store: Store, clock: Clock, credentials: Arc<dyn CredentialResolver>, strict: bool) -> S3Gateway {
    s3_service_in(store, clock, credentials, strict, None, BucketSettings::default())
}

/// Build the S3 gateway with object bodies under `data_dir` (kept across
/// restarts), or in a temporary directory when there is none, and new
/// buckets made as `settings` say.
pub fn s3_service_in(
    store: Store,
    clock: Clock,
    credentials: Arc<dyn CredentialResolver>,
    strict: bool,
    data_dir: Option<&Path>,
    settings: BucketSettings,
) -> S3Gateway {
    let blobs = match data_dir {
        Some(dir) => Blobs::persistent(dir, &store),
        None => Blobs::temporary(),
    };
    let s3 = CloudboxS3::new(store.clone(), clock.clone(), credentials.clone(), blobs.clone())
        .with_bucket_settings(settings);
    let lifecycle = Arc::new(LifecycleSweep::new(s3.clone()));
    let mut builder = S3ServiceBuilder::new(s3);
    builder.set_auth(ResolverAuth { credentials: credentials.clone(), clock: clock.clone() });
    builder.set_access(CallerAccess { credentials: credentials.clone() });
    builder.set_host(CloudboxHost);
    builder.set_validation(AnyRoutableName);
    let service = builder.build();
    let access_log = Arc::new(AccessLog::new(store.clone(), credentials.clone()));
    access_log.deliver_through(service.clone());
    S3Gateway { service, credentials, strict, blobs, store, lifecycle, clock, access_log }
}

impl S3Gateway {
    /// S3's timed work, for the server's scheduler: lifecycle rules and
    /// access log delivery.
    pub fn timed_work(&self) -> Vec<Arc<dyn TimedWork>> {
        vec![self.lifecycle.clone(), Arc::new(AccessLogDelivery(self.access_log.clone()))]
    }

    /// Serve one S3 request.
    ///
    /// Browsers' CORS preflight `OPTIONS` requests are answered here from
    /// the bucket's CORS configuration (s3s does not route them), and the
    /// responses to requests with an `Origin` get the matching rule's
    /// `Access-Control-*` headers.
    ///
    /// A request signed with a key the credential resolver knows has its
    /// signature checked by s3s (plain signed reads: by the gateway, see
    /// [`crate::signed_read`]). In permissive mode, a request signed with
    /// an unknown key has its signature removed and runs as the root of the
    /// account the key names (a 12-digit key) or of the default account.
    /// In strict mode unknown keys get `InvalidAccessKeyId`. In both modes
    /// an unsigned request runs as the anonymous principal, which only
    /// public ACLs and policies let in (as on AWS).
    ///
    /// Requests on buckets with access logging enabled are logged once
    /// answered.
    pub async fn handle(&self, req: http::Request<Body>) -> http::Response<Body> {
        let website = crate::website::bucket_of_host(&req);
        let logged = |bucket: &str| self.access_log.is_enabled(bucket);
        let seen = match &website {
            Some(bucket) => Seen::of_website(&req, self.clock.now(), bucket, &logged),
            None => Seen::of(&req, self.clock.now(), &logged),
        };
        let response = match &website {
            Some(bucket) => self.serve_website(bucket, req).await,
            None => self.serve(req).await,
        };
        if let Some(seen) = &seen {
            self.access_log.record(seen, &response);
        }
        response
    }

    async fn serve_website(&self, bucket: &str, req: http::Request<Body>) -> http::Response<Body> {
        let mut response =
            crate::website::Website { store: &self.store, service: &self.service }.handle(bucket, req).await;
        add_request_ids(&mut response);
        response
    }

    async fn serve(&self, mut req: http::Request<Body>) -> http::Response<Body> {
        if let Some(mut refused) = crate::presign::refusal(&req, &*self.credentials, self.strict, &self.clock) {
            add_request_ids(&mut refused);
            return refused;
        }
        identity::canonicalize_v2_bucket_path(&mut req);
        self.vouch_for_unverifiable(&mut req);
        chunked::decode_unverified(&mut req);
        if let Err(mut refused) = size_unsized_body(&mut req).await {
            add_request_ids(&mut refused);
            return refused;
        }
        let range_retry = ignore_malformed_range(&mut req);
        if let Err(err) = crate::objects::delete::verify_delete_objects_body(&mut req).await {
            let mut response = err.to_http_response().unwrap_or_else(|_| http::Response::new(Body::empty()));
            add_request_ids(&mut response);
            return response;
        }
        let form_upload = crate::post::is_form_upload(&req);
        if form_upload && let Some(mut refused) = crate::post::prepare(&mut req, &*self.credentials, self.strict).await
        {
            add_request_ids(&mut refused);
            return refused;
        }
        let cors = CorsRequest::of(&req);
        if is_preflight(&req) {
            let mut response = match &cors {
                Some(cors) => cors.preflight(&self.store, req.headers()),
                None => preflight_without_origin(),
            };
            add_request_ids(&mut response);
            return response;
        }
        let sends_body = sends_body(&req);
        let mut response = match self.service.call(req).await {
            Ok(response) => response,
            Err(err) => internal_error(&err),
        };
        if sends_body && !response.status().is_success() {
            // The body may not have been read: the connection cannot carry another request.
            response.headers_mut().insert(http::header::CONNECTION, http::HeaderValue::from_static("close"));
        }
        if let Some(retry) = range_retry {
            response = self.retry_without_range(retry, response).await;
        }
        if form_upload {
            response = crate::post::finish(response).await;
        }
        if let Some(cors) = &cors {
            cors.decorate(&self.store, &mut response);
        }
        crate::config::errors::complete_malformed_xml(&mut response);
        crate::restore::wire::apply_internal_headers(&mut response);
        crate::objects::attributes::unquote_etag(&mut response);
        add_request_ids(&mut response);
        response
    }

    /// Forget every object body (the admin reset, after the store was cleared).
    pub fn on_reset(&self) {
        self.blobs.clear();
    }

    /// A signed GET or HEAD whose only fault was its malformed Range (s3s
    /// checked the signature, then refused the header) runs again without
    /// it, as the caller the signature proved.
    async fn retry_without_range(
        &self,
        mut retry: http::Request<Body>,
        first: http::Response<Body>,
    ) -> http::Response<Body> {
        if first.status() != http::StatusCode::BAD_REQUEST {
            return first;
        }
        let (parts, mut body) = first.into_parts();
        let bytes = body.store_all_limited(64 * 1024).await.unwrap_or_default();
        let first = http::Response::from_parts(parts, Body::from(bytes.clone()));
        let refused_range = bytes.windows(20).any(|w| w == b"invalid header: rang");
        let Some(claim) = identity::claim_of(&retry).filter(|_| refused_range) else { return first };
        let Some(known) = self.credentials.resolve(&claim.access_key) else { return first };
        let token = retry.headers().get("x-amz-security-token").and_then(|v| v.to_str().ok());
        if known.session_token.is_some() && known.session_token.as_deref() != token {
            return first;
        }
        identity::strip_signature(&mut retry);
        retry.extensions_mut().insert(Vouched { caller: known.caller, region: claim.region });
        self.service.call(retry).await.unwrap_or_else(|err| internal_error(&err))
    }

    /// Unsigned requests run as the anonymous principal; in permissive mode,
    /// requests signed with unknown keys as those keys' permissive callers.
    /// Plain signed reads are verified here (see [`crate::signed_read`]).
    fn vouch_for_unverifiable(&self, req: &mut http::Request<Body>) {
        if let Some(verified) = crate::signed_read::verified_caller(req, &*self.credentials, &self.clock) {
            identity::strip_signature(req);
            req.extensions_mut().insert(verified);
            return;
        }
        let vouched = match identity::claim_of(req) {
            Some(claim) if self.strict || self.credentials.resolve(&claim.access_key).is_some() => return,
            Some(claim) => {
                identity::strip_signature(req);
                Vouched { caller: identity::permissive_caller(&claim.access_key), region: claim.region }
            }
            None => Vouched { caller: crate::caller::anonymous(), region: None },
        };
        req.extensions_mut().insert(vouched);
    }
}

/// The largest body sent with `Transfer-Encoding: chunked` and no length
/// that is read whole to learn its length.
const MAX_UNSIZED_BODY: usize = 16 * 1024 * 1024;

/// S3 takes a write sent with `Transfer-Encoding: chunked` and no length
/// (neither `Content-Length` nor `x-amz-decoded-content-length`); s3s needs
/// the length, so such a body is read whole, up to [`MAX_UNSIZED_BODY`]
/// (a longer one is refused as `MissingContentLength`).
async fn size_unsized_body(req: &mut http::Request<Body>) -> Result<(), http::Response<Body>> {
    let headers = req.headers();
    let chunked = headers
        .get(http::header::TRANSFER_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    let sized =
        headers.contains_key(http::header::CONTENT_LENGTH) || headers.contains_key("x-amz-decoded-content-length");
    if !chunked || sized {
        return Ok(());
    }
    let bytes = req.body_mut().store_all_limited(MAX_UNSIZED_BODY).await.map_err(|_| {
        let error = S3Error::with_message(
            S3ErrorCode::MissingContentLength,
            "You must provide the Content-Length HTTP header.",
        );
        let mut response = error.to_http_response().unwrap_or_else(|_| http::Response::new(Body::empty()));
        response.headers_mut().insert(http::header::CONNECTION, http::HeaderValue::from_static("close"));
        response
    })?;
    req.headers_mut().remove(http::header::TRANSFER_ENCODING);
    req.headers_mut().insert(http::header::CONTENT_LENGTH, http::HeaderValue::from(bytes.len()));
    *req.body_mut() = Body::from(bytes);
    Ok(())
}

/// Whether a request comes with a body (which an error answer may leave unread).
fn sends_body(req: &http::Request<Body>) -> bool {
    let headers = req.headers();
    headers.contains_key(http::header::TRANSFER_ENCODING)
        || headers.get(http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.trim() != "0")
}

/// S3 ignores a `Range` header it cannot parse and sends the whole object.
/// An unsigned request loses the header here. A signed one keeps it (it is
/// part of the signature) and is returned for a second pass: see
/// [`S3Gateway::retry_without_range`].
fn ignore_malformed_range(req: &mut http::Request<Body>) -> Option<http::Request<Body>> {
    let malformed = req
        .headers()
        .get(http::header::RANGE)
        .is_some_and(|value| value.to_str().map_or(true, |text| s3s::dto::Range::parse(text).is_err()));
    let reads = req.method() == http::Method::GET || req.method() == http::Method::HEAD;
    if !malformed || !reads {
        return None;
    }
    if identity::claim_of(req).is_none() {
        req.headers_mut().remove(http::header::RANGE);
        return None;
    }
    let mut retry = http::Request::new(Body::empty());
    *retry.method_mut() = req.method().clone();
    *retry.uri_mut() = req.uri().clone();
    *retry.version_mut() = req.version();
    *retry.headers_mut() = req.headers().clone();
    retry.headers_mut().remove(http::header::RANGE);
    Some(retry)
}

/// Any name that could be a bucket's reaches the handlers, so that lookups
/// of names AWS no longer allows answer as AWS does (`NoSuchBucket`);
/// CreateBucket applies the naming rules itself.
struct AnyRoutableName;

impl NameValidation for AnyRoutableName {
    fn validate_bucket_name(&self, name: &str) -> bool {
        (1..=255).contains(&name.len())
    }
}

fn internal_error(err: &s3s::HttpError) -> http::Response<Body> {
    let error = S3Error::with_message(S3ErrorCode::InternalError, format!("We encountered an internal error: {err:?}"));
    error.to_http_response().unwrap_or_else(|_| {
        let mut response = http::Response::new(Body::empty());
        *response.status_mut() = http::StatusCode::INTERNAL_SERVER_ERROR;
        response
    })
}

/// `x-amz-request-id` (16 upper-case hex digits) and `x-amz-id-2`, as S3
/// sends them on every response.
///
/// Both come from 16 random bytes written as 32 upper-case hex digits (the
/// request id is the first 16, the extended id their base64), built on the
/// stack from the thread's generator: this runs for every response.
fn add_request_ids(response: &mut http::Response<Body>) {
    use base64::Engine;
    let random: [u8; 16] = rand::random();
    let mut id = [0u8; 32];
    for (pair, byte) in id.chunks_exact_mut(2).zip(random) {
        pair[0] = UPPER_HEX[usize::from(byte >> 4)];
        pair[1] = UPPER_HEX[usize::from(byte & 0x0f)];
    }
    let mut extended = [0u8; 44];
    let written = base64::engine::general_purpose::STANDARD.encode_slice(id, &mut extended).unwrap_or(0);
    let (Ok(request_id), Ok(extended)) = (std::str::from_utf8(&id[..16]), std::str::from_utf8(&extended[..written]))
    else {
        return;
    };
    let headers = response.headers_mut();
    if let Ok(value) = http::HeaderValue::from_str(request_id) {
        headers.insert(X_AMZ_REQUEST_ID, value);
    }
    if let Ok(value) = http::HeaderValue::from_str(extended) {
        headers.insert(X_AMZ_ID_2, value);
    }
    name_request_in_error(response, request_id, extended);
}

const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";
const X_AMZ_REQUEST_ID: http::HeaderName = http::HeaderName::from_static("x-amz-request-id");
const X_AMZ_ID_2: http::HeaderName = http::HeaderName::from_static("x-amz-id-2");

/// An error body names the request as its headers do (`<RequestId>`,
/// `<HostId>`), as S3's error bodies do.
fn name_request_in_error(response: &mut http::Response<Body>, request_id: &str, host_id: &str) {
    if response.status().is_success() {
        return;
    }
    let Some(body) = response.body().bytes() else { return };
    let Some(mut document) = crate::error_xml::ErrorDocument::parse(&body) else { return };
    if document.member("RequestId").is_some() {
        return;
    }
    document.push("RequestId", request_id);
    document.push("HostId", host_id);
    let named = document.to_xml();
    let len = named.len();
    *response.body_mut() = Body::from(bytes::Bytes::from(named));
    if let Ok(value) = http::HeaderValue::from_str(&len.to_string()) {
        response.headers_mut().insert(http::header::CONTENT_LENGTH, value);
    }
}
