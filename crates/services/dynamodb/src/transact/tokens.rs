//! `ClientRequestToken` idempotency: a TransactWriteItems that succeeded is
//! remembered by its token for ten minutes (cloudbox's clock). The same
//! token with the same request succeeds again without writing; with a
//! different request it fails with `IdempotentParameterMismatchException`.
//!
//! Keys: `dynamodb/txtoken/<account>/<region>/<token>` holds the request's
//! fingerprint and expiry; `dynamodb/txtokenexp/<expiry ms>/<account>/<region>/<token>`
//! orders tokens by expiry so [`TokenExpiry`] forgets them cheaply.

use crate::errors::{corrupt, internal};
use chrono::{DateTime, Utc};
use cloudbox_core::{AwsError, RequestContext, TimedFuture, TimedWork};
use cloudbox_store::{Store, Txn};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How long a token is remembered.
pub const TOKEN_LIFETIME_MS: i64 = 10 * 60 * 1000;
const TOKENS: &str = "dynamodb/txtoken/";
const EXPIRIES: &str = "dynamodb/txtokenexp/";
/// Tokens one sweep forgets at most.
const FORGET_PER_SWEEP: usize = 10_000;

/// A request's token and what it asked for.
pub struct Token {
    key: Vec<u8>,
    /// `<account>/<region>/<token>`.
    name: String,
    fingerprint: String,
}

#[derive(Serialize, Deserialize)]
struct Remembered {
    fingerprint: String,
    expires_ms: i64,
}

impl Token {
    /// A request's token, with a fingerprint of `parameters`: what must be
    /// the same when the token is used again.
    pub fn new(ctx: &RequestContext, token: &str, parameters: &impl Serialize) -> Token {
        let name = format!("{}/{}/{token}", ctx.account, ctx.region);
        let canonical = serde_json::to_vec(parameters).unwrap_or_default();
        let fingerprint = hex::encode(Sha256::digest(&canonical));
        Token { key: format!("{TOKENS}{name}").into_bytes(), name, fingerprint }
    }
}

fn expiry_key(expires_ms: i64, name: &str) -> Vec<u8> {
    format!("{EXPIRIES}{:020}/{name}", expires_ms.max(0)).into_bytes()
}

/// Whether this token's request already succeeded within the last ten
/// minutes; a different request under the same token is an error.
pub fn already_done(txn: &Txn, token: &Token, now_ms: i64) -> Result<bool, AwsError> {
    let Some(bytes) = txn.get(&token.key).map_err(internal)? else { return Ok(false) };
    let remembered: Remembered = serde_json::from_slice(&bytes).map_err(corrupt)?;
    if remembered.expires_ms <= now_ms {
        return Ok(false);
    }
    if remembered.fingerprint != token.fingerprint {
        return Err(AwsError::new(
            "IdempotentParameterMismatchException",
            "The request uses the same client token as a previous, but non-identical request.",
            400,
        ));
    }
    Ok(true)
}

/// Remember that the token's request succeeded at `now_ms`.
pub fn remember(txn: &mut Txn, token: &Token, now_ms: i64) {
    if let Ok(Some(bytes)) = txn.get(&token.key)
        && let Ok(old) = serde_json::from_slice::<Remembered>(&bytes)
    {
        txn.delete(expiry_key(old.expires_ms, &token.name));
    }
    let expires_ms = now_ms + TOKEN_LIFETIME_MS;
    txn.put_json(token.key.clone(), &Remembered { fingerprint: token.fingerprint.clone(), expires_ms });
    txn.put(expiry_key(expires_ms, &token.name), Vec::new());
}

/// The timed work that forgets tokens whose ten minutes are over.
pub struct TokenExpiry {
    store: Store,
}

impl TokenExpiry {
    pub fn new(store: Store) -> Self {
        TokenExpiry { store }
    }
}

impl TimedWork for TokenExpiry {
    fn name(&self) -> &'static str {
        "dynamodb.transaction-tokens"
    }

    fn run_due<'a>(&'a self, now: DateTime<Utc>) -> TimedFuture<'a> {
        let bound = expiry_key(now.timestamp_millis(), "");
        Box::pin(async move {
            // Nothing due: no transaction (and no sync) at all.
            let oldest = self.store.scan(EXPIRIES.as_bytes(), None, 1).unwrap_or_default();
            if oldest.first().is_none_or(|(key, _)| *key >= bound) {
                return;
            }
            // A failed sweep forgets nothing; the next one tries again.
            let _ = self.store.transact(move |txn| forget_expired(txn, &bound)).await;
        })
    }
}

fn forget_expired(txn: &mut Txn, bound: &[u8]) -> Result<(), cloudbox_store::StoreError> {
    let entries = txn.scan(EXPIRIES.as_bytes(), None, FORGET_PER_SWEEP, false)?;
    for (key, _) in entries.into_iter().take_while(|(k, _)| k.as_slice() < bound) {
        if let Some(name) = key.get(EXPIRIES.len() + 21..) {
            let mut token_key = TOKENS.as_bytes().to_vec();
            token_key.extend_from_slice(name);
            txn.delete(token_key);
        }
        txn.delete(key);
    }
    Ok(())
}
