//! Signature secrets and access checks for s3s, backed by cloudbox's
//! credential resolver (IAM and STS).

use crate::caller::Vouched;
use crate::errors;
use cloudbox_core::{Clock, CredentialResolver};
use s3s::S3Result;
use s3s::access::{S3Access, S3AccessContext};
use s3s::auth::{S3Auth, SecretKey};
use std::sync::Arc;

/// Hands s3s the secret of a known access key, so that s3s can check the
/// request's signature with it.
pub struct ResolverAuth {
    pub credentials: Arc<dyn CredentialResolver>,
    pub clock: Clock,
}

#[async_trait::async_trait]
impl S3Auth for ResolverAuth {
    async fn get_secret_key(&self, access_key: &str) -> S3Result<SecretKey> {
        let known =
            self.credentials.resolve(access_key).filter(|c| c.active).ok_or_else(errors::invalid_access_key_id)?;
        if known.expires_at.is_some_and(|at| at <= self.clock.now()) {
            return Err(errors::expired_token());
        }
        Ok(SecretKey::from(known.secret_access_key))
    }
}

/// Lets a request through when s3s verified its signature (and, for
/// temporary credentials, it carries their session token), or when the
/// gateway vouched for it; everything else is anonymous and denied.
pub struct CallerAccess {
    pub credentials: Arc<dyn CredentialResolver>,
}

#[async_trait::async_trait]
impl S3Access for CallerAccess {
    async fn check(&self, cx: &mut S3AccessContext<'_>) -> S3Result<()> {
        if let Some(credentials) = cx.credentials() {
            let known = self.credentials.resolve(&credentials.access_key).ok_or_else(errors::invalid_access_key_id)?;
            return match (known.session_token.as_deref(), presented_session_token(cx)) {
                (None, _) => Ok(()),
                (Some(_), None) => Err(errors::invalid_access_key_id()),
                (Some(expected), Some(given)) if expected == given => Ok(()),
                (Some(_), Some(_)) => Err(errors::invalid_token()),
            };
        }
        if cx.extensions_mut().get::<Vouched>().is_some() { Ok(()) } else { Err(errors::access_denied()) }
    }
}

/// The session token sent in the `X-Amz-Security-Token` header or query
/// parameter.
fn presented_session_token(cx: &S3AccessContext<'_>) -> Option<String> {
    if let Some(token) = cx.headers().get("x-amz-security-token").and_then(|v| v.to_str().ok()) {
        return Some(token.to_string());
    }
    let query = cx.uri().query()?;
    query.split('&').find_map(|pair| {
        let (name, value) = pair.split_once('=')?;
        (name == "X-Amz-Security-Token")
            .then(|| percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned())
    })
}
