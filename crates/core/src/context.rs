//! Who is calling, and with which credentials.

use crate::scope::{AccountId, Region};
use chrono::{DateTime, Utc};

/// The authenticated principal behind a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub account: AccountId,
    /// The principal's ARN, e.g. `arn:aws:iam::123456789012:user/alice`.
    pub arn: String,
    /// The principal's unique id (`AIDA...` for users, the account id for root).
    pub user_id: String,
    pub access_key_id: String,
}

impl Caller {
    /// The root principal of an account.
    pub fn root(account: AccountId, access_key_id: &str) -> Self {
        Caller {
            arn: format!("arn:aws:iam::{account}:root"),
            user_id: account.to_string(),
            account,
            access_key_id: access_key_id.to_string(),
        }
    }
}

/// A secret that cloudbox knows, and whom it belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct Credential {
    pub access_key_id: String,
    pub secret_access_key: String,
    /// Temporary credentials carry a session token that must be presented.
    pub session_token: Option<String>,
    pub caller: Caller,
    /// Temporary credentials stop working at this time (cloudbox's clock).
    pub expires_at: Option<DateTime<Utc>>,
    /// Inactive keys are known but refused.
    pub active: bool,
}

impl Credential {
    /// The long-term key pair of an account's root principal.
    pub fn root(account: AccountId, access_key_id: &str, secret_access_key: &str) -> Self {
        Credential {
            access_key_id: access_key_id.to_string(),
            secret_access_key: secret_access_key.to_string(),
            session_token: None,
            caller: Caller::root(account, access_key_id),
            expires_at: None,
            active: true,
        }
    }
}

/// Looks up the secret behind an access key id. Implemented by IAM and STS.
pub trait CredentialResolver: Send + Sync {
    fn resolve(&self, access_key_id: &str) -> Option<Credential>;
}

/// Everything a handler knows about the request besides its input.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub request_id: String,
    pub caller: Caller,
    /// The account the request acts in (the caller's).
    pub account: AccountId,
    pub region: Region,
    /// The service's model name, e.g. `sts`.
    pub service: &'static str,
    pub operation: String,
    /// cloudbox's clock when the request arrived.
    pub now: DateTime<Utc>,
}

impl RequestContext {
    /// A request by `caller`, acting in the caller's own account.
    pub fn new(
        request_id: impl Into<String>,
        caller: Caller,
        region: Region,
        service: &'static str,
        operation: impl Into<String>,
        now: DateTime<Utc>,
    ) -> Self {
        RequestContext {
            request_id: request_id.into(),
            account: caller.account.clone(),
            caller,
            region,
            service,
            operation: operation.into(),
            now,
        }
    }
}
