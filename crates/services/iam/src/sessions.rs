//! Temporary credentials: an `ASIA...` key id, a secret and a session token
//! that speak for the principal they were issued to until they expire.
//!
//! STS decides who gets them and for how long; this module keeps them, under
//! `Scope::Global.key_prefix("sts")` + `session/<key id>`, and turns them
//! back into credentials for the resolver. An expired session still
//! resolves, with its expiry in the past, so the authenticator can answer
//! `ExpiredToken`. A session issued to an IAM user stops resolving once that
//! user is deleted.

use crate::credentials::IamCredentials;
use crate::persist::{Reader, load, transact, unused_id};
use crate::principal::{CallerKind, TEMPORARY_KEY_PREFIX, caller_kind, find_user_by_id};
use chrono::{DateTime, Utc};
use cloudbox_core::{AccountId, AwsError, Caller, Credential, Scope, ids};
use serde::{Deserialize, Serialize};

/// Temporary credentials, as handed to the principal they were issued to.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionCredentials {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: String,
    /// Whole seconds; the credentials stop working at this time on
    /// cloudbox's clock.
    pub expiration: DateTime<Utc>,
}

#[derive(Debug, Serialize, Deserialize)]
struct SessionRecord {
    account: String,
    /// The principal's ARN and unique id, as the caller of requests signed
    /// with the session.
    arn: String,
    user_id: String,
    /// Set when the principal is an IAM user, whose deletion ends the session.
    iam_user_id: Option<String>,
    secret_access_key: String,
    session_token: String,
    /// Seconds since the Unix epoch.
    expiration: i64,
}

fn session_key(access_key_id: &str) -> Vec<u8> {
    format!("{}session/{access_key_id}", Scope::Global.key_prefix("sts")).into_bytes()
}

/// The expiry index: sessions ordered by when they expire, so the sweep
/// reads only what is due.
fn expiry_prefix() -> String {
    format!("{}session-expiry/", Scope::Global.key_prefix("sts"))
}

fn expiry_key(expiration: i64, access_key_id: &str) -> Vec<u8> {
    format!("{}{:012}/{access_key_id}", expiry_prefix(), expiration.max(0)).into_bytes()
}

impl IamCredentials {
    /// Issue temporary credentials that act as `principal` until
    /// `expiration`. They resolve from the moment this returns.
    pub async fn issue_session(
        &self,
        principal: &Caller,
        expiration: DateTime<Utc>,
    ) -> Result<SessionCredentials, AwsError> {
        let iam_user_id = match caller_kind(principal) {
            CallerKind::User { user_id, .. } => Some(user_id.to_string()),
            CallerKind::Root | CallerKind::Other => None,
        };
        let secret_access_key = ids::secret_access_key();
        let session_token = ids::session_token();
        let record = SessionRecord {
            account: principal.account.to_string(),
            arn: principal.arn.clone(),
            user_id: principal.user_id.clone(),
            iam_user_id,
            secret_access_key: secret_access_key.clone(),
            session_token: session_token.clone(),
            expiration: expiration.timestamp(),
        };
        let whole_seconds = DateTime::from_timestamp(record.expiration, 0).unwrap_or(expiration);
        let access_key_id = transact(&self.store, move |txn| {
            let access_key_id = unused_id(txn, || ids::iam_id(TEMPORARY_KEY_PREFIX), session_key)?;
            txn.put(expiry_key(record.expiration, &access_key_id), Vec::new());
            txn.put_json(session_key(&access_key_id), &record);
            Ok(access_key_id)
        })
        .await?;
        self.forget(&access_key_id);
        Ok(SessionCredentials { access_key_id, secret_access_key, session_token, expiration: whole_seconds })
    }
}

/// The session with this key id as the store has it, if its principal is
/// still there.
pub(crate) fn load_session(reader: &impl Reader, access_key_id: &str) -> Result<Option<Credential>, AwsError> {
    let Some(record) = load::<SessionRecord>(reader, &session_key(access_key_id))? else {
        return Ok(None);
    };
    let Some(account) = AccountId::parse(&record.account) else {
        return Ok(None);
    };
    if let Some(user_id) = &record.iam_user_id
        && find_user_by_id(reader, &account, user_id)?.is_none()
    {
        return Ok(None);
    }
    let expires_at = DateTime::from_timestamp(record.expiration, 0).unwrap_or(DateTime::UNIX_EPOCH);
    Ok(Some(Credential {
        access_key_id: access_key_id.to_string(),
        secret_access_key: record.secret_access_key,
        session_token: Some(record.session_token),
        caller: Caller { account, arn: record.arn, user_id: record.user_id, access_key_id: access_key_id.to_string() },
        expires_at: Some(expires_at),
        active: true,
    }))
}

/// How long an expired session is still recognised (and answered with
/// `ExpiredToken`) before its record, secret included, is deleted. After
/// that its key id is unknown, like a deleted access key.
pub const EXPIRED_SESSION_RETENTION_SECONDS: i64 = 86_400;

/// Sessions looked at per store transaction by the sweep.
const SWEEP_BATCH: usize = 500;

impl IamCredentials {
    /// Delete every session that expired before `cutoff`; returns how many.
    pub async fn purge_sessions_expired_before(&self, cutoff: DateTime<Utc>) -> Result<usize, AwsError> {
        let mut purged = 0;
        loop {
            let prefix = expiry_prefix();
            let due_before = expiry_key(cutoff.timestamp(), "");
            let doomed = transact(&self.store, move |txn| {
                let entries = crate::persist::scan(txn, prefix.as_bytes(), None, SWEEP_BATCH)?;
                let mut doomed = Vec::new();
                for (key, _) in entries.into_iter().take_while(|(key, _)| key.as_slice() < due_before.as_slice()) {
                    let access_key_id =
                        String::from_utf8_lossy(&key[prefix.len()..]).split('/').nth(1).unwrap_or("").to_string();
                    txn.delete(key);
                    txn.delete(session_key(&access_key_id));
                    doomed.push(access_key_id);
                }
                Ok(doomed)
            })
            .await?;
            for access_key_id in &doomed {
                self.forget(access_key_id);
            }
            purged += doomed.len();
            if doomed.len() < SWEEP_BATCH {
                return Ok(purged);
            }
        }
    }
}

/// The timed work that deletes long-expired sessions.
pub struct SessionExpiry {
    credentials: std::sync::Arc<IamCredentials>,
}

impl SessionExpiry {
    pub fn new(credentials: std::sync::Arc<IamCredentials>) -> Self {
        SessionExpiry { credentials }
    }
}

impl cloudbox_core::TimedWork for SessionExpiry {
    fn name(&self) -> &'static str {
        "sts.session-expiry"
    }

    fn run_due<'a>(&'a self, now: DateTime<Utc>) -> cloudbox_core::TimedFuture<'a> {
        Box::pin(async move {
            let cutoff = now - chrono::Duration::seconds(EXPIRED_SESSION_RETENTION_SECONDS);
            if let Err(error) = self.credentials.purge_sessions_expired_before(cutoff).await {
                tracing::warn!(%error, "could not delete expired sessions");
            }
        })
    }
}
