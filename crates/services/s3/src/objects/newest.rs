//! The newest committed version of the one key a request acts on, read
//! from the store at most once per request: the access decision (the
//! object's owner and ACL, its tags for policy conditions, whether a
//! missing key may be reported as missing) and the operation itself (GET
//! and HEAD of the current version) share the one read.

use super::newest_committed;
use crate::state::ObjectRecord;
use cloudbox_store::{Store, StoreError};
use std::cell::OnceCell;

/// A key of a bucket and, once asked for, its newest committed version
/// (a delete marker included).
pub struct NewestVersion<'a> {
    store: &'a Store,
    bucket: &'a str,
    key: &'a str,
    read: OnceCell<Option<ObjectRecord>>,
}

impl<'a> NewestVersion<'a> {
    /// `key` of `bucket`, not read yet.
    pub fn of(store: &'a Store, bucket: &'a str, key: &'a str) -> NewestVersion<'a> {
        NewestVersion { store, bucket, key, read: OnceCell::new() }
    }

    pub fn store(&self) -> &'a Store {
        self.store
    }

    pub fn bucket(&self) -> &'a str {
        self.bucket
    }

    pub fn key(&self) -> &'a str {
        self.key
    }

    /// The newest version, a delete marker included; read on first use.
    pub fn newest(&self) -> Result<Option<&ObjectRecord>, StoreError> {
        if let Some(read) = self.read.get() {
            return Ok(read.as_ref());
        }
        let found = newest_committed(self.store, self.bucket, self.key)?;
        Ok(self.read.get_or_init(|| found).as_ref())
    }

    /// The current version: the newest unless it is a delete marker.
    pub fn current(&self) -> Result<Option<&ObjectRecord>, StoreError> {
        Ok(self.newest()?.filter(|record| !record.delete_marker))
    }

    /// The newest version, owned (read now unless it was already).
    pub fn into_newest(self) -> Result<Option<ObjectRecord>, StoreError> {
        match self.read.into_inner() {
            Some(read) => Ok(read),
            None => newest_committed(self.store, self.bucket, self.key),
        }
    }
}
