//! Signing requests the way SDKs do, with the verifier's own
//! canonicalisation: for tests, tools and the benchmark.

use super::canonical::{CanonicalRequest, payload_digest, write_encoded};
use super::key::{signature_hex, signing_key, string_to_sign_mac};
use super::parse::{ALGORITHM, TERMINATOR, X_AMZ_CONTENT_SHA256, X_AMZ_DATE, X_AMZ_SECURITY_TOKEN};
use super::time::SigningTime;
use crate::HttpRequest;
use chrono::{DateTime, Utc};
use http::header::{AUTHORIZATION, HOST, HeaderValue};
use http::uri::{PathAndQuery, Uri};

/// The key pair (and session token, for temporary credentials) to sign with.
#[derive(Debug, Clone, Copy)]
pub struct SigningCredentials<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub session_token: Option<&'a str>,
}

/// Headers never signed: hop-by-hop headers a proxy may rewrite, and those
/// SDKs leave out.
const UNSIGNED_HEADERS: [&str; 12] = [
    "authorization",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// Sign `req` with an `Authorization` header, as an SDK would at time `at`.
///
/// Sets `X-Amz-Date`, `X-Amz-Security-Token` (temporary credentials) and, for
/// S3, `X-Amz-Content-SHA256` (unless already set: `UNSIGNED-PAYLOAD` and
/// `STREAMING-*` values are kept). Every header present is signed, plus `host`.
pub fn sign(
    req: &mut HttpRequest,
    credentials: &SigningCredentials<'_>,
    region: &str,
    service: &str,
    at: DateTime<Utc>,
) -> Result<(), http::Error> {
    let payload_hash = match req.headers().get(X_AMZ_CONTENT_SHA256) {
        Some(declared) => String::from_utf8_lossy(declared.as_bytes()).into_owned(),
        None => payload_digest(req.body()),
    };
    sign_with_payload_hash(req, credentials, region, service, at, &payload_hash)
}

/// [`sign`] with the payload's hex SHA-256 already known, so a body sent many
/// times is hashed once. `payload_hash` is signed as given (and sent as S3's
/// `X-Amz-Content-SHA256` when that header is not set).
pub fn sign_with_payload_hash(
    req: &mut HttpRequest,
    credentials: &SigningCredentials<'_>,
    region: &str,
    service: &str,
    at: DateTime<Utc>,
    payload_hash: &str,
) -> Result<(), http::Error> {
    let time = SigningTime::new(at);
    let s3 = service.starts_with("s3");
    let authority = req.uri().authority().map(|a| a.to_string());
    let headers = req.headers_mut();
    headers.remove(AUTHORIZATION);
    headers.insert(X_AMZ_DATE, HeaderValue::from_str(&time.basic)?);
    if let Some(token) = credentials.session_token {
        headers.insert(X_AMZ_SECURITY_TOKEN, HeaderValue::from_str(token)?);
    }
    if s3 && !headers.contains_key(X_AMZ_CONTENT_SHA256) {
        headers.insert(X_AMZ_CONTENT_SHA256, HeaderValue::from_str(payload_hash)?);
    }
    if let (false, Some(authority)) = (headers.contains_key(HOST), &authority) {
        headers.insert(HOST, HeaderValue::from_str(authority)?);
    }
    let signed_headers = signed_header_names(req);
    // Joined rather than formatted: this is every signature's path.
    let scope = [time.date(), "/", region, "/", service, "/", TERMINATOR].concat();
    let canonical = CanonicalRequest {
        method: req.method().as_str(),
        raw_path: req.uri().path(),
        raw_query: req.uri().query().unwrap_or(""),
        headers: req.headers(),
        authority: authority.as_deref(),
        signed_headers: &signed_headers,
        payload_hash,
        path_as_sent: s3,
        presigned: false,
    };
    let signature = signature_of(&canonical, credentials, &time, &scope, region, service);
    let authorization = [
        ALGORITHM,
        " Credential=",
        credentials.access_key_id,
        "/",
        &scope,
        ", SignedHeaders=",
        &signed_headers,
        ", Signature=",
        &signature,
    ]
    .concat();
    req.headers_mut().insert(AUTHORIZATION, HeaderValue::from_str(&authorization)?);
    Ok(())
}

/// Presign `req` as an SDK presigns a URL: `X-Amz-*` query parameters
/// signing only `host`, valid for `expires_secs` from `at`.
pub fn presign(
    req: &mut HttpRequest,
    credentials: &SigningCredentials<'_>,
    region: &str,
    service: &str,
    at: DateTime<Utc>,
    expires_secs: u32,
) -> Result<(), http::Error> {
    let time = SigningTime::new(at);
    let s3 = service.starts_with("s3");
    let scope = format!("{}/{region}/{service}/{TERMINATOR}", time.date());
    let mut query = req.uri().query().map(|q| format!("{q}&")).unwrap_or_default();
    query.push_str(&format!(
        "X-Amz-Algorithm={ALGORITHM}&X-Amz-Credential={}&X-Amz-Date={}&X-Amz-Expires={expires_secs}&X-Amz-SignedHeaders=host",
        encode(&format!("{}/{scope}", credentials.access_key_id)),
        time.basic
    ));
    if let Some(token) = credentials.session_token {
        query.push_str(&format!("&X-Amz-Security-Token={}", encode(token)));
    }
    set_query(req, &query)?;
    let payload_hash = if s3 { "UNSIGNED-PAYLOAD".to_string() } else { payload_digest(req.body()) };
    let authority = req.uri().authority().map(|a| a.to_string());
    let canonical = CanonicalRequest {
        method: req.method().as_str(),
        raw_path: req.uri().path(),
        raw_query: &query,
        headers: req.headers(),
        authority: authority.as_deref(),
        signed_headers: "host",
        payload_hash: &payload_hash,
        path_as_sent: s3,
        presigned: true,
    };
    let signature = signature_of(&canonical, credentials, &time, &scope, region, service);
    query.push_str(&format!("&X-Amz-Signature={signature}"));
    set_query(req, &query)
}

fn signature_of(
    canonical: &CanonicalRequest<'_>,
    credentials: &SigningCredentials<'_>,
    time: &SigningTime,
    scope: &str,
    region: &str,
    service: &str,
) -> String {
    let key = signing_key(credentials.secret_access_key, time.date(), region, service);
    signature_hex(string_to_sign_mac(&key, &time.basic, scope, &canonical.digest()))
}

/// The names of the headers to sign, lower case, sorted, `host` always among them.
fn signed_header_names(req: &HttpRequest) -> String {
    let mut names: Vec<&str> =
        req.headers().keys().map(|name| name.as_str()).filter(|name| !UNSIGNED_HEADERS.contains(name)).collect();
    names.push("host");
    names.sort_unstable();
    names.dedup();
    names.join(";")
}

fn encode(value: &str) -> String {
    let mut out = Vec::with_capacity(value.len() + 16);
    write_encoded(value.as_bytes(), &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn set_query(req: &mut HttpRequest, query: &str) -> Result<(), http::Error> {
    let mut parts = req.uri().clone().into_parts();
    let path_and_query = format!("{}?{query}", req.uri().path());
    parts.path_and_query = Some(PathAndQuery::try_from(path_and_query)?);
    *req.uri_mut() = Uri::from_parts(parts)?;
    Ok(())
}
