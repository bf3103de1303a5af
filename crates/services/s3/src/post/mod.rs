//! Browser POST uploads (multipart/form-data POST to a bucket).
//!
//! s3s parses the form, checks its signature (SigV4 or SigV2 fields) and the
//! policy document (expiration, `eq`, `starts-with`, `content-length-range`,
//! every field covered), and hands the file to `put_object`, the one object
//! write path. The gateway adds what S3 does beyond that, through
//! [`prepare`] before s3s and [`finish`] after:
//!
//! - `${filename}` in the key becomes the uploaded file's name ([`form`]);
//! - in permissive mode, a form signed with a key cloudbox does not know
//!   loses its signature and runs as that key's permissive caller (as
//!   other requests with unknown keys do); its policy is still enforced;
//! - the request's `Content-Length` (the whole form's) is dropped, so the
//!   write path checks the file against its own length;
//! - a signed form without its signature field, or with a policy whose
//!   expiration is not an ISO 8601 time, is refused first ([`checks`]);
//! - the `acl` and `tagging` fields reach PutObject ([`apply_object_fields`]);
//! - the `bucket` field is dropped (the URL names the bucket) and checksum
//!   fields become headers, verified by the write path;
//! - policy failures get S3's codes and wording ([`wording`]).
//!
//! The file is collected in memory by s3s (bounded by the policy's
//! `content-length-range` and s3s's form upload limit) before it is written.

mod checks;
mod form;
mod wording;

use crate::caller::Vouched;
use crate::identity;
use cloudbox_core::CredentialResolver;
use s3s::Body;

/// Whether the request is a browser form upload.
pub fn is_form_upload<B>(req: &http::Request<B>) -> bool {
    req.method() == http::Method::POST
        && req
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"))
}

/// Ready a form upload for s3s; S3's refusal of its fields, if any.
pub async fn prepare(
    req: &mut http::Request<Body>,
    credentials: &dyn CredentialResolver,
    strict: bool,
) -> Option<http::Response<Body>> {
    req.headers_mut().remove(http::header::CONTENT_LENGTH);
    let unverifiable = |access_key: &str| !strict && credentials.resolve(access_key).is_none();
    let rewritten = form::rewrite_fields(req, &unverifiable).await;
    req.extensions_mut().insert(rewritten.object_fields);
    if let Some(refusal) = rewritten.refusal {
        return Some(refusal.to_http_response().unwrap_or_else(|_| http::Response::new(Body::empty())));
    }
    if let Some(credential) = rewritten.stripped_credential {
        let mut scope = credential.split('/');
        let caller = identity::permissive_caller(scope.next().unwrap_or_default());
        let region = scope.nth(1).filter(|r| !r.is_empty()).map(str::to_string);
        req.extensions_mut().insert(Vouched { caller, region });
    }
    None
}

/// Give a PutObject made from a form upload the form's `acl` and
/// `tagging` fields (s3s reads only `x-amz-acl` and `x-amz-tagging`).
pub fn apply_object_fields(req: &mut s3s::S3Request<s3s::dto::PutObjectInput>) {
    let Some(fields) = req.extensions.remove::<form::ObjectFields>() else { return };
    if req.input.acl.is_none() {
        req.input.acl = fields.acl.map(s3s::dto::ObjectCannedACL::from);
    }
    if req.input.tagging.is_none() {
        req.input.tagging = fields.tagging;
    }
}

/// S3's answer where it differs from s3s's.
pub async fn finish(response: http::Response<Body>) -> http::Response<Body> {
    match response.status() {
        http::StatusCode::CREATED => quote_etag_in_body(response).await,
        http::StatusCode::SEE_OTHER => quote_etag_in_location(response),
        _ => wording::reword_policy_errors(response).await,
    }
}

/// S3 quotes the ETag in its `PostResponse`, as everywhere else.
async fn quote_etag_in_body(response: http::Response<Body>) -> http::Response<Body> {
    let (mut parts, mut body) = response.into_parts();
    let bytes = body.store_all_limited(64 * 1024).await.unwrap_or_default();
    let text = String::from_utf8_lossy(&bytes);
    let quoted = match (text.find("<ETag>"), text.find("</ETag>")) {
        (Some(start), Some(end)) if start + 6 <= end && !text[start + 6..end].starts_with('"') => {
            format!("{}<ETag>\"{}\"</ETag>{}", &text[..start], &text[start + 6..end], &text[end + 7..])
        }
        _ => text.into_owned(),
    };
    parts.headers.remove(http::header::CONTENT_LENGTH);
    http::Response::from_parts(parts, Body::from(quoted))
}

/// The `etag` parameter of a success redirect is the quoted ETag.
fn quote_etag_in_location(mut response: http::Response<Body>) -> http::Response<Body> {
    let location = response.headers().get(http::header::LOCATION).and_then(|v| v.to_str().ok());
    let Some(location) = location else { return response };
    let Some((before, etag)) = location.rsplit_once("&etag=") else { return response };
    if etag.starts_with("%22") || etag.contains('&') {
        return response;
    }
    if let Ok(value) = http::HeaderValue::from_str(&format!("{before}&etag=%22{etag}%22")) {
        response.headers_mut().insert(http::header::LOCATION, value);
    }
    response
}
