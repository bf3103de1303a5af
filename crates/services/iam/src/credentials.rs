//! The credential resolver: from an access key id to its secret and the
//! principal it speaks for, on every signed request.
//!
//! Lookups are served from an in-memory cache, filled lazily from the store
//! (so it survives restarts without a warm-up) and remembering misses too.
//! IAM and STS never patch the cache: after each committed change they drop
//! the affected entries, and the next lookup reads the store again. A
//! generation counter keeps a lookup that read the store before a change
//! committed from caching what it read.

use crate::persist::load;
use crate::principal::{TEMPORARY_KEY_PREFIX, find_user_by_id};
use crate::sessions;
use crate::state::{AccessKeyRecord, AccountKeys, KeyLocation, KeyStatus, key_location};
use cloudbox_core::{AccountId, AwsError, Caller, Credential, CredentialResolver};
use cloudbox_store::Store;
use parking_lot::RwLock;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// The cache is emptied when it grows past this many entries, so that
/// requests signed with made-up key ids cannot grow it without bound.
const MAX_CACHED: usize = 50_000;
/// The longest access key id AWS accepts.
const MAX_KEY_ID_LEN: usize = 128;

/// Resolves the access keys IAM and STS issued. Shared by the IAM and STS
/// services and the request authenticator.
pub struct IamCredentials {
    pub(crate) store: Store,
    /// Key id to credential; `None` remembers that a key is unknown.
    cache: RwLock<HashMap<String, Option<Credential>>>,
    /// Bumped each time entries are dropped.
    generation: AtomicU64,
}

impl IamCredentials {
    pub fn new(store: Store) -> Self {
        IamCredentials { store, cache: RwLock::new(HashMap::new()), generation: AtomicU64::new(0) }
    }

    /// Drop one key's cached entry after a committed change to it.
    pub(crate) fn forget(&self, access_key_id: &str) {
        self.drop_where(|id| id == access_key_id);
    }

    /// Drop every cached temporary credential (their principals may be gone).
    pub(crate) fn forget_temporary(&self) {
        self.drop_where(|id| id.starts_with(TEMPORARY_KEY_PREFIX));
    }

    /// Drop everything cached (after the store was emptied).
    pub fn clear(&self) {
        self.drop_where(|_| true);
    }

    fn drop_where(&self, doomed: impl Fn(&str) -> bool) {
        let mut cache = self.cache.write();
        self.generation.fetch_add(1, Ordering::AcqRel);
        cache.retain(|id, _| !doomed(id));
    }

    /// What the store says about a key id right now.
    fn load(&self, access_key_id: &str) -> Result<Option<Credential>, AwsError> {
        if access_key_id.starts_with(TEMPORARY_KEY_PREFIX) {
            sessions::load_session(&self.store, access_key_id)
        } else {
            load_access_key(&self.store, access_key_id)
        }
    }
}

impl CredentialResolver for IamCredentials {
    fn resolve(&self, access_key_id: &str) -> Option<Credential> {
        if access_key_id.is_empty() || access_key_id.len() > MAX_KEY_ID_LEN {
            return None;
        }
        if let Some(cached) = self.cache.read().get(access_key_id) {
            return cached.clone();
        }
        let generation = self.generation.load(Ordering::Acquire);
        // A store failure resolves nothing and caches nothing.
        let loaded = self.load(access_key_id).ok()?;
        let mut cache = self.cache.write();
        if self.generation.load(Ordering::Acquire) == generation {
            if cache.len() >= MAX_CACHED {
                cache.clear();
            }
            cache.insert(access_key_id.to_string(), loaded.clone());
        }
        loaded
    }
}

/// A long-term key as the store has it: for the root user, or for a user
/// that still exists.
fn load_access_key(store: &Store, access_key_id: &str) -> Result<Option<Credential>, AwsError> {
    let Some(location) = load::<KeyLocation>(store, &key_location(access_key_id))? else {
        return Ok(None);
    };
    let Some(account) = AccountId::parse(&location.account) else {
        return Ok(None);
    };
    let key = AccountKeys::new(&account).access_key(&location.owner_id, access_key_id);
    let Some(record) = load::<AccessKeyRecord>(store, &key)? else {
        return Ok(None);
    };
    let caller = if location.owner_id == account.as_str() {
        Caller::root(account, access_key_id)
    } else {
        let Some(user) = find_user_by_id(store, &account, &location.owner_id)? else {
            return Ok(None);
        };
        Caller { account, arn: user.arn, user_id: user.user_id, access_key_id: access_key_id.to_string() }
    };
    Ok(Some(Credential {
        access_key_id: record.access_key_id,
        secret_access_key: record.secret_access_key,
        session_token: None,
        caller,
        expires_at: None,
        active: record.status == KeyStatus::Active,
    }))
}
