//! The newest committed version of the one key a request acts on, read
//! at most once per request: the access decision (the object's owner and
//! ACL, its tags for policy conditions, whether a missing key may be
//! reported as missing) and the operation itself (GET and HEAD of the
//! current version) share the one read. Reads go through the newest-version
//! cache ([`crate::cache::BucketCache::of_versions`]), so a key read again
//! before any version is written is not read and decoded from the store.

use super::newest_committed;
use crate::CloudboxS3;
use crate::state::{ObjectRecord, key_versions_prefix};
use cloudbox_store::{Store, StoreError};
use std::cell::OnceCell;

/// A key of a bucket and, once asked for, its newest committed version
/// (a delete marker included).
pub struct NewestVersion<'a> {
    s3: &'a CloudboxS3,
    bucket: &'a str,
    key: &'a str,
    read: OnceCell<Option<ObjectRecord>>,
}

impl<'a> NewestVersion<'a> {
    /// `key` of `bucket`, not read yet.
    pub fn of(s3: &'a CloudboxS3, bucket: &'a str, key: &'a str) -> NewestVersion<'a> {
        NewestVersion { s3, bucket, key, read: OnceCell::new() }
    }

    pub fn store(&self) -> &'a Store {
        &self.s3.store
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
        let found = self.load()?;
        Ok(self.read.get_or_init(|| found).as_ref())
    }

    /// The current version: the newest unless it is a delete marker.
    pub fn current(&self) -> Result<Option<&ObjectRecord>, StoreError> {
        Ok(self.newest()?.filter(|record| !record.delete_marker))
    }

    /// The newest version, owned (read now unless it was already).
    pub fn into_newest(mut self) -> Result<Option<ObjectRecord>, StoreError> {
        match self.read.take() {
            Some(read) => Ok(read),
            None => self.load(),
        }
    }

    fn load(&self) -> Result<Option<ObjectRecord>, StoreError> {
        let (store, bucket, key) = (&self.s3.store, self.bucket, self.key);
        self.s3.newest_versions.get_or_load(&key_versions_prefix(bucket, key), || newest_committed(store, bucket, key))
    }
}
