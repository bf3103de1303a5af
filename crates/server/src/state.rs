//! What every request handler shares: the store, the clock, the scheduler,
//! the services and the credentials they are checked against.

use crate::config::Config;
use crate::registry::Registry;
use crate::scheduler::Scheduler;
use cloudbox_core::{AccountId, Clock, Credential, CredentialResolver};
use cloudbox_store::{Store, StoreError};
use std::sync::Arc;
use std::time::Instant;

/// The store key that keeps the clock's offset across restarts.
const CLOCK_KEY: &[u8] = b"cloudbox/clock-offset-ms";

pub struct AppState {
    pub config: Config,
    pub store: Store,
    pub clock: Clock,
    pub scheduler: Arc<Scheduler>,
    pub registry: Registry,
    pub credentials: Arc<dyn CredentialResolver>,
    pub started: Instant,
    /// Whether state outlives the process.
    pub persistent: bool,
}

impl AppState {
    /// Drop all state: every key in the store and every service's caches.
    pub async fn reset(&self) -> Result<(), StoreError> {
        self.store.clear().await?;
        self.registry.on_reset();
        self.persist_clock().await
    }

    /// Save the clock's offset so a restart does not move time backwards.
    pub async fn persist_clock(&self) -> Result<(), StoreError> {
        let offset = self.clock.offset_ms();
        self.store
            .transact(move |txn| {
                txn.put(CLOCK_KEY.to_vec(), offset.to_string().into_bytes());
                Ok::<(), StoreError>(())
            })
            .await
    }
}

/// Restore the clock's offset saved by an earlier run.
pub fn restore_clock(store: &Store, clock: &Clock) -> Result<(), StoreError> {
    if let Some(bytes) = store.get(CLOCK_KEY)? {
        let offset = std::str::from_utf8(&bytes).ok().and_then(|s| s.parse::<i64>().ok());
        match offset {
            Some(ms) => clock.set_offset_ms(ms),
            None => return Err(StoreError::Corrupt("clock offset is not a number".into())),
        }
    }
    Ok(())
}

/// The root credentials from the configuration first, then whatever IAM and
/// STS issued.
pub struct CredentialChain {
    pub root: Credential,
    pub issued: Arc<dyn CredentialResolver>,
}

impl CredentialChain {
    pub fn new(access_key: &str, secret_key: &str, issued: Arc<dyn CredentialResolver>) -> Self {
        let root = Credential::root(AccountId::default_account(), access_key, secret_key);
        CredentialChain { root, issued }
    }
}

impl CredentialResolver for CredentialChain {
    fn resolve(&self, access_key_id: &str) -> Option<Credential> {
        if access_key_id == self.root.access_key_id {
            Some(self.root.clone())
        } else {
            self.issued.resolve(access_key_id)
        }
    }
}
