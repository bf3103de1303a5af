//! One request, end to end: admin, S3, or a modelled service call.
//!
//! For a modelled service: read the body (bounded), identify the service
//! and operation, authenticate, decode and validate the input, call the
//! handler, encode the output or error in the request's protocol, and log
//! one line. Handlers never see HTTP.

use crate::admin;
use crate::state::AppState;
use bytes::Bytes;
use cloudbox_core::{AwsError, RequestContext, ids};
use cloudbox_protocol::route::{self, Route, RouteError, ServiceCall};
use cloudbox_protocol::{HttpRequest, HttpResponse, encoding, sigv4};
use http::{Request, Response};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Instant;

/// The response body type of the gateway: a whole buffer, or S3's stream.
pub type Body = http_body_util::combinators::UnsyncBoxBody<Bytes, Box<dyn std::error::Error + Send + Sync>>;

pub async fn handle(state: Arc<AppState>, req: Request<Incoming>) -> Result<Response<Body>, Infallible> {
    let started = Instant::now();
    let (parts, body) = req.into_parts();
    if parts.uri.path().starts_with(route::ADMIN_PREFIX) {
        let request = Request::from_parts(parts, Bytes::new());
        return Ok(admin_call(&state, &request, started).await.map(full));
    }
    if route::is_s3_request(&parts) {
        let s3_request = Request::from_parts(parts, cloudbox_s3::Body::from(body));
        return Ok(state.registry.s3().handle(s3_request).await.map(boxed_s3));
    }
    let request_id = ids::request_id();
    let limit = state.config.max_body_bytes;
    let bytes = match Limited::new(body, limit).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(e) => {
            let request = Request::from_parts(parts, Bytes::new());
            let error = body_error(&*e, limit);
            return Ok(finish(&request, reject(&request, error, &request_id), "", "", started).map(full));
        }
    };
    let request = Request::from_parts(parts, bytes);
    let response = match route::identify(&request) {
        Ok(Route::Service(call)) => {
            let response = call_service(&state, &request, &call, &request_id).await;
            return Ok(finish(&request, response, call.service, &call.operation.name, started).map(full));
        }
        Ok(Route::S3 { .. }) => {
            let (parts, bytes) = request.into_parts();
            let s3_request = Request::from_parts(parts, cloudbox_s3::Body::from(bytes));
            return Ok(state.registry.s3().handle(s3_request).await.map(boxed_s3));
        }
        Ok(Route::Admin) => return Ok(admin_call(&state, &request, started).await.map(full)),
        Err(RouteError { target, error }) => match target {
            Some((model, dialect)) => cloudbox_protocol::encode_error(model, dialect, &error, &request_id),
            None => cloudbox_protocol::engines::query::encode_unrouted_error(&error, &request_id),
        },
    };
    Ok(finish(&request, response, "unknown", "unknown", started).map(full))
}

/// cloudbox's own endpoints.
async fn admin_call(state: &AppState, request: &HttpRequest, started: Instant) -> HttpResponse {
    let uri = request.uri();
    let response = admin::handle(state, request.method(), uri.path(), uri.query().unwrap_or("")).await;
    finish(request, response, "cloudbox", uri.path(), started)
}

/// Authenticate, decode, call and encode one modelled operation.
async fn call_service(state: &AppState, request: &HttpRequest, call: &ServiceCall, request_id: &str) -> HttpResponse {
    let (model, op, dialect) = (call.model, call.operation, call.dialect);
    let outcome = async {
        let auth =
            sigv4::authenticate(request, &*state.credentials, state.config.auth, &state.clock, call.auth_flavor())?;
        let service = state.registry.service(call.service).filter(|s| s.operations().contains(&op.name.as_str()));
        let Some(service) = service else {
            return Err(AwsError::not_implemented(call.service, &op.name));
        };
        let inflated = encoding::inflate(request, state.config.max_body_bytes)?;
        let input = cloudbox_protocol::decode(model, op, dialect, inflated.as_ref().unwrap_or(request))?;
        let region = cloudbox_core::Region::new(call.region.clone());
        let ctx = RequestContext::new(request_id, auth.caller, region, service.name(), &op.name, state.clock.now());
        service.call(&ctx, &op.name, input).await
    }
    .await;
    match outcome {
        Ok(output) => cloudbox_protocol::encode_output(model, op, dialect, &output, request_id),
        Err(error) => {
            if error.status >= 500 && error.code != "NotImplemented" {
                tracing::error!(service = call.service, operation = %op.name, error = %error, "handler failed");
            }
            cloudbox_protocol::encode_error(model, dialect, &error, request_id)
        }
    }
}

/// An error for a request whose body could not be read, in its protocol.
fn reject(request: &HttpRequest, error: AwsError, request_id: &str) -> HttpResponse {
    match route::identify(request) {
        Ok(Route::Service(call)) => cloudbox_protocol::encode_error(call.model, call.dialect, &error, request_id),
        Err(RouteError { target: Some((model, dialect)), .. }) => {
            cloudbox_protocol::encode_error(model, dialect, &error, request_id)
        }
        _ => cloudbox_protocol::engines::query::encode_unrouted_error(&error, request_id),
    }
}

fn body_error(error: &(dyn std::error::Error + Send + Sync + 'static), limit: usize) -> AwsError {
    if error.is::<http_body_util::LengthLimitError>() {
        AwsError::new("RequestEntityTooLarge", format!("Request body is larger than the {limit} bytes allowed"), 413)
    } else {
        AwsError::new("IncompleteBody", "The request body ended before the length its headers announced", 400)
    }
}

/// Log the request's one line and pass the response on.
fn finish(
    request: &HttpRequest,
    response: HttpResponse,
    service: &str,
    operation: &str,
    started: Instant,
) -> HttpResponse {
    tracing::info!(
        service = %service,
        operation = %operation,
        method = %request.method(),
        status = response.status().as_u16(),
        latency_us = started.elapsed().as_micros() as u64,
    );
    response
}

fn boxed_s3(body: cloudbox_s3::Body) -> Body {
    body.map_err(|e| -> Box<dyn std::error::Error + Send + Sync> { e }).boxed_unsync()
}

fn full(bytes: Bytes) -> Body {
    Full::new(bytes).map_err(|never| match never {}).boxed_unsync()
}
