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
//! - policy failures get S3's codes and wording ([`wording`]).
//!
//! The file is collected in memory by s3s (bounded by the policy's
//! `content-length-range` and s3s's form upload limit) before it is written.

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

/// Ready a form upload for s3s.
pub async fn prepare(req: &mut http::Request<Body>, credentials: &dyn CredentialResolver, strict: bool) {
    req.headers_mut().remove(http::header::CONTENT_LENGTH);
    let unverifiable = |access_key: &str| !strict && credentials.resolve(access_key).is_none();
    if let Some(credential) = form::rewrite_fields(req, &unverifiable).await {
        let mut scope = credential.split('/');
        let caller = identity::permissive_caller(scope.next().unwrap_or_default());
        let region = scope.nth(1).filter(|r| !r.is_empty()).map(str::to_string);
        req.extensions_mut().insert(Vouched { caller, region });
    }
}

/// S3's answer where it differs from s3s's.
pub async fn finish(response: http::Response<Body>) -> http::Response<Body> {
    wording::reword_policy_errors(response).await
}
