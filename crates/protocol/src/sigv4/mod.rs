//! AWS Signature Version 4: who signed a request, and whether they did.
//!
//! [`authenticate`] reads the `Authorization` header or presigned query
//! parameters, recomputes the signature with the secret the
//! [`CredentialResolver`] knows, and answers with the [`Caller`]; failures
//! come back as the AWS error the target service would give ([`AuthFlavor`]).
//! [`credential_scope`] reads only the scope, for routing. [`sign`] and
//! [`presign`] sign requests with the same canonicalisation, for tests and
//! tools.
//!
//! Signing times are checked against real time (clients sign with their own
//! clocks); temporary credentials expire on cloudbox's clock.

mod canonical;
mod failure;
mod key;
mod parse;
mod sign;
mod time;
mod verify;

#[cfg(test)]
mod tests;

pub use failure::{AuthFailure, AuthFlavor, ExpiresProblem, Location, Malformation, MismatchDetail};
pub use parse::{CredentialScope, credential_scope};
pub use sign::{SigningCredentials, presign, sign, sign_with_payload_hash};

use crate::HttpRequest;
use cloudbox_core::{AwsError, Caller, Clock, CredentialResolver};

/// How requests with unknown or missing credentials are treated. Keys the
/// resolver knows are verified fully in both modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthMode {
    /// Unknown keys act as the root of their account (a twelve-digit key id
    /// names the account, any other the default account) without a
    /// signature check; unsigned requests act as the default account's root.
    #[default]
    Permissive,
    /// Unknown keys and unsigned requests are refused.
    Strict,
}

/// Who a request comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Authenticated {
    pub caller: Caller,
    /// The region of the credential scope (unsigned requests: none).
    pub region: Option<String>,
    /// The service name of the credential scope, e.g. `sts`, `monitoring`.
    pub signing_service: Option<String>,
}

/// Authenticate a request. Errors are worded for `flavor`, the family of the
/// service the request is for.
#[allow(clippy::result_large_err)] // AwsError is the project's error type everywhere.
pub fn authenticate(
    req: &HttpRequest,
    resolver: &dyn CredentialResolver,
    mode: AuthMode,
    clock: &Clock,
    flavor: AuthFlavor,
) -> Result<Authenticated, AwsError> {
    let times = verify::Times { real_now: clock.real_now(), clock_now: clock.now() };
    verify::check(req, resolver, mode, times).map_err(|failure| failure.to_error(flavor))
}
