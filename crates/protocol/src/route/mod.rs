//! Which service and operation a request is for.
//!
//! Evidence is read in a fixed order: the admin path prefix; the
//! `smithy-protocol` header with a `/service/S/operation/O` path (CBOR);
//! `X-Amz-Target` (JSON); S3 by signing name or host; a query `Action`; then
//! REST method and URI templates among the services named by the SigV4
//! signing name or the `Host` header. An unsigned request that matches
//! nothing else is for S3, as on LocalStack.
//!
//! Lookup tables come from the routing index; only the matched service's
//! model is loaded.

// A RouteError carries an AwsError by design; routing errors are rare, so
// their size costs nothing on the hot path.
#![allow(clippy::result_large_err)]

mod errors;
mod host;
mod query;
mod rest;
mod rpc;
mod tables;

#[cfg(test)]
mod tests;

use crate::sigv4::{AuthFlavor, CredentialScope, credential_scope};
use crate::{Dialect, HttpRequest, Wire};
use cloudbox_core::{AwsError, DEFAULT_REGION};
use cloudbox_model::{Operation, ServiceModel};
use host::HostInfo;
use http::{HeaderMap, HeaderName, Method, Uri};
use tables::{Service, tables};

/// Paths under this prefix are cloudbox's own admin endpoints.
pub const ADMIN_PREFIX: &str = "/_cloudbox/";
/// The headers that name a protocol or an operation.
const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");
const X_AMZN_QUERY_MODE: HeaderName = HeaderName::from_static("x-amzn-query-mode");
const SMITHY_PROTOCOL: HeaderName = HeaderName::from_static("smithy-protocol");
/// S3 Control's paths; it signs as `s3` but is not S3.
const S3_CONTROL_PREFIX: &str = "/v20180820/";

/// Where a request goes.
#[derive(Debug)]
pub enum Route {
    /// A modelled service's operation.
    Service(ServiceCall),
    /// S3, served by its own engine. The region comes from the credential
    /// scope or the host, when either names one.
    S3 { region: Option<String> },
    /// cloudbox's admin endpoints.
    Admin,
}

/// One operation of one modelled service, and how the request speaks.
#[derive(Debug)]
pub struct ServiceCall {
    /// The model name, e.g. `sts`, `dynamodb`.
    pub service: &'static str,
    pub model: &'static ServiceModel,
    pub operation: &'static Operation,
    pub dialect: Dialect,
    /// From the credential scope, else the host, else `us-east-1`.
    pub region: String,
}

impl ServiceCall {
    /// How authentication failures for this call are worded.
    pub fn auth_flavor(&self) -> AuthFlavor {
        if self.service == "s3control" {
            return AuthFlavor::S3;
        }
        match self.dialect.wire {
            Wire::Query | Wire::RestXml => AuthFlavor::Query,
            Wire::Ec2 => AuthFlavor::Ec2,
            Wire::Json | Wire::Cbor if self.dialect.query_compatible => AuthFlavor::Query,
            Wire::Json | Wire::Cbor => AuthFlavor::Json,
            Wire::RestJson => AuthFlavor::RestJson,
        }
    }

    fn found(
        service: &Service,
        model: &'static ServiceModel,
        operation: &'static Operation,
        dialect: Dialect,
        region: &str,
    ) -> ServiceCall {
        ServiceCall { service: service.name, model, operation, dialect, region: region.into() }
    }

    /// The call for `operation` of `service`, or the protocol's unknown
    /// operation error (`version`: the query `Version`, for its message).
    fn resolve(
        service: &Service,
        operation: &str,
        dialect: Dialect,
        region: &str,
        version: Option<&str>,
    ) -> Result<ServiceCall, RouteError> {
        let model = service.model()?;
        match model.operation(operation) {
            Some(op) => Ok(ServiceCall::found(service, model, op, dialect, region)),
            None => Err(RouteError {
                target: Some((model, dialect)),
                error: errors::unknown_operation(dialect.wire, operation, version),
            }),
        }
    }
}

/// A request no operation claims, with the protocol to answer in when the
/// service is known.
#[derive(Debug)]
pub struct RouteError {
    pub target: Option<(&'static ServiceModel, Dialect)>,
    pub error: AwsError,
}

impl RouteError {
    fn untargeted(error: AwsError) -> RouteError {
        RouteError { target: None, error }
    }
}

/// Identify the service and operation of a request.
pub fn identify(req: &HttpRequest) -> Result<Route, RouteError> {
    let evidence = Evidence::gather(req.method(), req.uri(), req.headers());
    if evidence.is_admin() {
        return Ok(Route::Admin);
    }
    if let Some(call) = evidence.rpc_call() {
        return call.map(Route::Service);
    }
    if evidence.is_s3() {
        return Ok(evidence.s3_route());
    }
    let candidates = evidence.candidates();
    if let Some(action) = query::find(&evidence, req.body()) {
        return query::route(&action, &candidates, evidence.region()).map(Route::Service);
    }
    if let Some(call) = rest::route(&evidence, &candidates) {
        return call.map(Route::Service);
    }
    if let Some(service) = candidates.first() {
        let wire = if service.speaks_json() { Wire::Json } else { service.query_wire() };
        return Err(RouteError { target: Some(service.target(wire)?), error: errors::missing_operation(wire) });
    }
    match &evidence.scope {
        Some(scope) => {
            Err(RouteError::untargeted(errors::unknown_service(&format!("signed for '{}'", scope.service()))))
        }
        None => Ok(evidence.s3_route()),
    }
}

/// Whether a request is for S3, judged from its head alone, so that S3
/// bodies can stream instead of being read first. Agrees with [`identify`].
pub fn is_s3_request(parts: &http::request::Parts) -> bool {
    let evidence = Evidence::gather(&parts.method, &parts.uri, &parts.headers);
    if evidence.is_admin() || evidence.has_rpc_headers() {
        return false;
    }
    if evidence.is_s3() {
        return true;
    }
    !query::may_carry_action(&evidence) && evidence.scope.is_none() && evidence.candidates().is_empty()
}

/// Everything about a request's head that says where it goes.
pub(crate) struct Evidence<'a> {
    pub method: &'a Method,
    /// Raw (percent-encoded) path and query.
    pub path: &'a str,
    pub query: &'a str,
    headers: &'a HeaderMap,
    scope: Option<CredentialScope>,
    host: HostInfo<'a>,
}

impl<'a> Evidence<'a> {
    fn gather(method: &'a Method, uri: &'a Uri, headers: &'a HeaderMap) -> Evidence<'a> {
        let host = headers
            .get(http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| uri.authority().map(|a| a.as_str()))
            .unwrap_or("");
        Evidence {
            method,
            path: uri.path(),
            query: uri.query().unwrap_or(""),
            headers,
            scope: credential_scope(headers, uri),
            host: HostInfo::parse(host),
        }
    }

    pub fn header(&self, name: &HeaderName) -> Option<&'a str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The credential scope's region, else the host's, else the default.
    pub fn region(&self) -> &str {
        self.scope.as_ref().map(|s| s.region()).or(self.host.region).unwrap_or(DEFAULT_REGION)
    }

    fn is_admin(&self) -> bool {
        self.path.starts_with(ADMIN_PREFIX) || self.path == ADMIN_PREFIX.trim_end_matches('/')
    }

    fn query_compatible(&self) -> bool {
        self.header(&X_AMZN_QUERY_MODE).is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    fn is_cbor(&self) -> bool {
        self.header(&SMITHY_PROTOCOL).is_some_and(|v| v.eq_ignore_ascii_case("rpc-v2-cbor"))
    }

    fn has_rpc_headers(&self) -> bool {
        self.is_cbor() || self.headers.contains_key(X_AMZ_TARGET)
    }

    /// CBOR and JSON requests, which name their operation outright.
    fn rpc_call(&self) -> Option<Result<ServiceCall, RouteError>> {
        if self.is_cbor() {
            return Some(rpc::by_smithy_path(self.path, self.query_compatible(), self.region()));
        }
        let target = self.headers.get(X_AMZ_TARGET)?;
        Some(match target.to_str() {
            Ok(target) => rpc::by_target(target, self.query_compatible(), self.region()),
            Err(_) => Err(RouteError::untargeted(errors::unreadable("X-Amz-Target is not text"))),
        })
    }

    /// Signed for `s3` (but not S3 Control's paths), or unsigned to an S3 host.
    fn is_s3(&self) -> bool {
        match &self.scope {
            Some(scope) => scope.service() == "s3" && !self.path.starts_with(S3_CONTROL_PREFIX),
            None => self.host.s3,
        }
    }

    fn s3_route(&self) -> Route {
        let region = self.scope.as_ref().map(|s| s.region()).or(self.host.region);
        Route::S3 { region: region.map(str::to_string) }
    }

    /// The services the signing name names, else those the host names.
    fn candidates(&self) -> Vec<&'static Service> {
        let t = tables();
        if let Some(scope) = &self.scope {
            let signed: Vec<&'static Service> = t.by_signing_name(scope.service()).collect();
            if !signed.is_empty() {
                return signed;
            }
        }
        self.host
            .endpoint_prefixes()
            .find(|prefix| t.has_endpoint_prefix(prefix))
            .map(|prefix| t.by_endpoint_prefix(prefix).collect())
            .unwrap_or_default()
    }
}
