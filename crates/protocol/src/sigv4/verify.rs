//! Checking a signature claim against the credentials the server knows.
//!
//! Order of checks: the claim's form (in [`super::parse`]), then for a known
//! key: signing time against real time, credential scope, key state, session
//! token and its expiry (cloudbox's clock), and last the signature itself.

use super::canonical::{CanonicalRequest, payload_digest};
use super::failure::{AuthFailure, Location, MAX_SKEW_MINUTES, MismatchDetail};
use super::key::{signature_matches, signing_key, string_to_sign, string_to_sign_mac};
use super::parse::{Claim, Presented, TERMINATOR, X_AMZ_CONTENT_SHA256, read};
use super::{AuthMode, Authenticated};
use crate::HttpRequest;
use chrono::{DateTime, Duration, Utc};
use cloudbox_core::{AccountId, Caller, Credential, CredentialResolver};
use std::borrow::Cow;
use subtle::ConstantTimeEq;

/// The two clocks authentication reads: real time for signing times,
/// cloudbox's clock for temporary credential expiry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Times {
    pub real_now: DateTime<Utc>,
    pub clock_now: DateTime<Utc>,
}

pub(crate) fn check(
    req: &HttpRequest,
    resolver: &dyn CredentialResolver,
    mode: AuthMode,
    times: Times,
) -> Result<Authenticated, AuthFailure> {
    match read(req.headers(), req.uri())? {
        Presented::Unsigned => match mode {
            AuthMode::Permissive => Ok(Authenticated {
                caller: Caller::root(AccountId::default_account(), ""),
                region: None,
                signing_service: None,
            }),
            AuthMode::Strict => Err(AuthFailure::MissingAuthentication),
        },
        Presented::Signed(claim) => check_claim(req, &claim, resolver, mode, times),
    }
}

fn check_claim(
    req: &HttpRequest,
    claim: &Claim,
    resolver: &dyn CredentialResolver,
    mode: AuthMode,
    times: Times,
) -> Result<Authenticated, AuthFailure> {
    let access_key_id = claim.scope.access_key_id();
    let Some(credential) = resolver.resolve(access_key_id) else {
        if mode == AuthMode::Permissive {
            return Ok(authenticated(unknown_key_caller(access_key_id), claim));
        }
        check_time(claim, times.real_now)?;
        check_scope(claim)?;
        return Err(AuthFailure::UnknownAccessKey(access_key_id.to_string()));
    };
    check_time(claim, times.real_now)?;
    check_scope(claim)?;
    if !credential.active {
        return Err(AuthFailure::UnknownAccessKey(access_key_id.to_string()));
    }
    check_session(&credential, claim, times.clock_now)?;
    check_signature(req, claim, &credential.secret_access_key)?;
    Ok(authenticated(credential.caller, claim))
}

fn authenticated(caller: Caller, claim: &Claim) -> Authenticated {
    Authenticated {
        caller,
        region: Some(claim.scope.region().to_string()),
        signing_service: Some(claim.scope.service().to_string()),
    }
}

/// An unknown key, accepted in permissive mode: a twelve-digit key names its
/// account, anything else is the default account.
fn unknown_key_caller(access_key_id: &str) -> Caller {
    let account = AccountId::parse(access_key_id).unwrap_or_else(AccountId::default_account);
    Caller::root(account, access_key_id)
}

/// S3 signs paths as sent and honours presigned expiry; other services
/// normalise paths and give every signature fifteen minutes.
fn is_s3(claim: &Claim) -> bool {
    claim.scope.service().starts_with("s3")
}

fn check_time(claim: &Claim, real_now: DateTime<Utc>) -> Result<(), AuthFailure> {
    let signed_at = claim.time.at;
    let window = Duration::minutes(MAX_SKEW_MINUTES);
    if let (Some(expires_secs), true) = (claim.expires_secs, is_s3(claim)) {
        let expired_at = signed_at + Duration::seconds(expires_secs);
        if real_now > expired_at {
            return Err(AuthFailure::PresignExpired { expires_secs, expired_at, server: real_now });
        }
    } else if signed_at < real_now - window {
        return Err(AuthFailure::Skewed { request: signed_at, server: real_now });
    }
    if signed_at > real_now + window {
        return Err(AuthFailure::Skewed { request: signed_at, server: real_now });
    }
    Ok(())
}

fn check_scope(claim: &Claim) -> Result<(), AuthFailure> {
    let scope = &claim.scope;
    if scope.date() != claim.time.date() {
        return Err(AuthFailure::CredentialDate {
            scope_date: scope.date().to_string(),
            request_time: claim.time.basic.clone(),
            location: claim.location,
        });
    }
    if scope.terminator() != TERMINATOR {
        return Err(AuthFailure::BadTerminator {
            terminator: scope.terminator().to_string(),
            location: claim.location,
        });
    }
    Ok(())
}

/// Temporary credentials need their own token, and only while unexpired;
/// long-term keys take no token.
fn check_session(credential: &Credential, claim: &Claim, clock_now: DateTime<Utc>) -> Result<(), AuthFailure> {
    let token_matches = match (&credential.session_token, &claim.session_token) {
        (Some(expected), Some(given)) => bool::from(expected.as_bytes().ct_eq(given.as_bytes())),
        (None, None) => true,
        _ => false,
    };
    if !token_matches {
        return Err(AuthFailure::InvalidSessionToken);
    }
    if credential.expires_at.is_some_and(|expires_at| expires_at <= clock_now) {
        return Err(AuthFailure::ExpiredToken);
    }
    Ok(())
}

fn check_signature(req: &HttpRequest, claim: &Claim, secret: &str) -> Result<(), AuthFailure> {
    let payload_hash = payload_hash(req, claim);
    let canonical = canonical_request(req, claim, &payload_hash);
    let digest = canonical.digest();
    let scope = &claim.scope;
    let key = signing_key(secret, scope.date(), scope.region(), scope.service());
    if signature_matches(string_to_sign_mac(&key, &claim.time.basic, scope.scope(), &digest), &claim.signature) {
        return Ok(());
    }
    Err(AuthFailure::SignatureMismatch(Box::new(MismatchDetail {
        access_key_id: scope.access_key_id().to_string(),
        canonical_request: canonical.text(),
        string_to_sign: string_to_sign(&claim.time.basic, scope.scope(), &digest),
        signature_provided: claim.signature.clone(),
    })))
}

fn canonical_request<'a>(req: &'a HttpRequest, claim: &'a Claim, payload_hash: &'a str) -> CanonicalRequest<'a> {
    CanonicalRequest {
        method: req.method().as_str(),
        raw_path: req.uri().path(),
        raw_query: req.uri().query().unwrap_or(""),
        headers: req.headers(),
        authority: req.uri().authority().map(|a| a.as_str()),
        signed_headers: &claim.signed_headers,
        payload_hash,
        path_as_sent: is_s3(claim),
        presigned: claim.location == Location::Query,
    }
}

/// The payload hash the client signed: `x-amz-content-sha256` verbatim when
/// sent (S3's `UNSIGNED-PAYLOAD`, `STREAMING-*`), `UNSIGNED-PAYLOAD` for S3
/// presigned URLs, else the body's SHA-256.
fn payload_hash<'a>(req: &'a HttpRequest, claim: &'a Claim) -> Cow<'a, str> {
    if claim.location == Location::Query && is_s3(claim) {
        return Cow::Borrowed(claim.query_payload_hash.as_deref().unwrap_or("UNSIGNED-PAYLOAD"));
    }
    match req.headers().get(X_AMZ_CONTENT_SHA256).map(|v| v.to_str()) {
        Some(Ok(declared)) => Cow::Borrowed(declared),
        Some(Err(_)) => Cow::Borrowed(""),
        None => Cow::Owned(payload_digest(req.body())),
    }
}
