//! Committing a new version of an object, and removing one: the only code
//! that writes the version index, the current-object index and the `null`
//! version pointer, so they always agree.
//!
//! The current version of a key is the newest entry of its versions, when
//! that is not a delete marker ([`current_version`]); the current-object
//! index only repeats what listings need of it ([`ListingEntry`]). A `null`
//! version has a pointer (`nullversion/`) once a newer version sits above
//! it; while it is the newest (always, in a bucket never versioned) it is
//! found as the newest.
//!
//! PutObject, CopyObject, DeleteObject (delete markers), CompleteMultipartUpload
//! and restores all end in [`commit_version`] inside their transaction.

use crate::blobs;
use crate::state::{
    ListingEntry, NULL_VERSION, ObjectRecord, VersioningRecord, decode_version, encode_version, key_versions_prefix,
    null_version_key, object_key, version_key, versioning_key,
};
use cloudbox_store::{Store, StoreError, Txn};
use std::sync::atomic::{AtomicU64, Ordering};

/// How a bucket treats new versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Versioning {
    /// Never enabled: every write replaces the `null` version.
    Unversioned,
    Enabled,
    /// Was enabled: new writes replace the `null` version, older ones stay.
    Suspended,
}

impl Versioning {
    pub fn of(record: Option<&VersioningRecord>) -> Versioning {
        match record {
            None => Versioning::Unversioned,
            Some(r) if r.enabled() => Versioning::Enabled,
            Some(_) => Versioning::Suspended,
        }
    }

    /// The versioning state of `bucket` as `txn` sees it.
    pub fn read(txn: &Txn, bucket: &str) -> Result<Versioning, StoreError> {
        let record: Option<VersioningRecord> = txn.get_json(&versioning_key(bucket))?;
        Ok(Versioning::of(record.as_ref()))
    }

    /// The version id S3 reports for writes in this state (none when never versioned).
    pub fn reported(self, version_id: &str) -> Option<String> {
        (self != Versioning::Unversioned).then(|| version_id.to_string())
    }
}

/// Hands out version sequence numbers: microseconds since the epoch, made
/// strictly increasing, so a key's versions sort by when they were written.
#[derive(Default)]
pub struct VersionSequence {
    last: AtomicU64,
}

impl VersionSequence {
    /// A number above every number handed out before and above `above`.
    pub fn next(&self, above: u64) -> u64 {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_micros()).unwrap_or(u64::MAX / 2));
        let mut chosen = 0;
        let _ = self.last.fetch_update(Ordering::SeqCst, Ordering::SeqCst, |last| {
            chosen = now.max(last + 1).max(above + 1);
            Some(chosen)
        });
        chosen
    }
}

/// The id of a version written while versioning is enabled: its sequence
/// number (which locates it) and random characters, 32 in all.
pub fn new_version_id(seq: u64) -> String {
    let random = cloudbox_core::ids::request_id().replace('-', "");
    format!("{seq:016x}{}", &random[..16])
}

/// The sequence number a generated version id carries; `None` for ids
/// cloudbox never generates (`null` is looked up separately).
pub fn seq_of_version_id(version_id: &str) -> Option<u64> {
    if version_id.len() != 32 || !version_id.is_ascii() {
        return None;
    }
    u64::from_str_radix(&version_id[..16], 16).ok()
}

/// The result of committing a version.
#[derive(Debug)]
pub struct Committed {
    /// The new version's id (`null` unless versioning is enabled).
    pub version_id: String,
    pub versioning: Versioning,
    /// Body files nothing uses any more: remove them with
    /// [`crate::blobs::Blobs::remove_files`] once the transaction committed.
    pub unused_files: Vec<String>,
}

impl Committed {
    /// The version id a write reports in `x-amz-version-id`: only a version
    /// of an enabled bucket's; S3 leaves the header out for the `null`
    /// version written while versioning is unset or suspended.
    pub fn reported_version_id(&self) -> Option<String> {
        (self.versioning == Versioning::Enabled).then(|| self.version_id.clone())
    }
}

/// Make `record` the newest version of `record.key` in `bucket`: a new
/// version when versioning is enabled, else the `null` version (replacing
/// the previous `null` version and its body). Sets the record's
/// `version_id` and `seq`. A delete marker becomes the newest version and
/// hides the object from listings and plain GETs.
pub fn commit_version(
    txn: &mut Txn,
    sequence: &VersionSequence,
    bucket: &str,
    mut record: ObjectRecord,
) -> Result<Committed, StoreError> {
    let versioning = Versioning::read(txn, bucket)?;
    let key = record.key.clone();
    let newest = newest_version(txn, bucket, &key)?;
    record.seq = sequence.next(newest.as_ref().map_or(0, |r| r.seq));
    let mut unused_files = Vec::new();
    if versioning == Versioning::Enabled {
        record.version_id = new_version_id(record.seq);
        if let Some(newest) = newest.as_ref().filter(|n| n.version_id == NULL_VERSION) {
            // The null version stays below the new one: it needs its pointer now.
            txn.put(null_version_key(bucket, &key), newest.seq.to_string());
        }
    } else {
        record.version_id = NULL_VERSION.to_string();
        let replaced = null_version_under(txn, bucket, &key, newest)?;
        if let Some(old) = &replaced {
            txn.delete(version_key(bucket, &key, old.seq));
            unused_files = blobs::release(txn, &old.body)?;
        }
        if versioning == Versioning::Suspended {
            txn.put(null_version_key(bucket, &key), record.seq.to_string());
        } else if replaced.is_some() {
            // Never versioned: the new null version is the newest and needs
            // no pointer; one an earlier build wrote would now be stale.
            txn.delete(null_version_key(bucket, &key));
        }
    }
    if record.delete_marker {
        txn.delete(object_key(bucket, &key));
    } else {
        txn.put_json(object_key(bucket, &key), &ListingEntry::of(&record));
    }
    txn.put(version_key(bucket, &key, record.seq), encode_version(&record));
    Ok(Committed { version_id: record.version_id, versioning, unused_files })
}

/// Remove one version for good. When it was the newest, the next newest
/// becomes current. Returns the removed record and the body files nothing
/// uses any more; `None` when there was no such version.
pub fn remove_version(
    txn: &mut Txn,
    bucket: &str,
    key: &str,
    version_id: &str,
) -> Result<Option<(ObjectRecord, Vec<String>)>, StoreError> {
    let Some(record) = find_version_in(txn, bucket, key, version_id)? else { return Ok(None) };
    let was_newest = newest_version(txn, bucket, key)?.is_some_and(|newest| newest.seq == record.seq);
    txn.delete(version_key(bucket, key, record.seq));
    if record.version_id == NULL_VERSION {
        txn.delete(null_version_key(bucket, key));
    }
    if was_newest {
        match newest_version(txn, bucket, key)? {
            Some(next) if !next.delete_marker => txn.put_json(object_key(bucket, key), &ListingEntry::of(&next)),
            _ => txn.delete(object_key(bucket, key)),
        }
    }
    let unused = blobs::release(txn, &record.body)?;
    Ok(Some((record, unused)))
}

/// Change a stored version in place (tags, restore state, ...), in both
/// indexes. Returns false when there is no such version.
pub fn update_version(
    txn: &mut Txn,
    bucket: &str,
    key: &str,
    version_id: Option<&str>,
    change: impl FnOnce(&mut ObjectRecord),
) -> Result<bool, StoreError> {
    let found = match version_id {
        Some(id) => find_version_in(txn, bucket, key, id)?,
        None => current_version_in(txn, bucket, key)?,
    };
    let Some(mut record) = found else { return Ok(false) };
    change(&mut record);
    txn.put(version_key(bucket, key, record.seq), encode_version(&record));
    let current = txn.get(&object_key(bucket, key))?.map(|bytes| ListingEntry::decode(&bytes)).transpose()?;
    if current.is_some_and(|c| c.seq == record.seq) {
        txn.put_json(object_key(bucket, key), &ListingEntry::of(&record));
    }
    Ok(true)
}

/// The newest version of a key (object or delete marker).
pub fn newest_version(txn: &Txn, bucket: &str, key: &str) -> Result<Option<ObjectRecord>, StoreError> {
    let newest = txn.scan(&key_versions_prefix(bucket, key), None, 1, false)?;
    newest.into_iter().next().map(|(_, v)| decode(&v)).transpose()
}

/// The current version of a key (its newest, unless that is a delete
/// marker), as a transaction sees it.
pub fn current_version_in(txn: &Txn, bucket: &str, key: &str) -> Result<Option<ObjectRecord>, StoreError> {
    Ok(newest_version(txn, bucket, key)?.filter(|r| !r.delete_marker))
}

/// The current version of a key, as committed.
pub fn current_version(store: &Store, bucket: &str, key: &str) -> Result<Option<ObjectRecord>, StoreError> {
    Ok(newest_committed(store, bucket, key)?.filter(|r| !r.delete_marker))
}

fn null_version(txn: &Txn, bucket: &str, key: &str) -> Result<Option<ObjectRecord>, StoreError> {
    if let Some(seq) = txn.get(&null_version_key(bucket, key))?.and_then(|v| parse_seq(&v)) {
        return txn.get(&version_key(bucket, key, seq))?.map(|v| decode(&v)).transpose();
    }
    Ok(newest_version(txn, bucket, key)?.filter(|r| r.version_id == NULL_VERSION))
}

/// The key's `null` version, given its newest version: the newest when
/// that is the null version, else the one its pointer names.
fn null_version_under(
    txn: &Txn,
    bucket: &str,
    key: &str,
    newest: Option<ObjectRecord>,
) -> Result<Option<ObjectRecord>, StoreError> {
    match newest {
        Some(newest) if newest.version_id == NULL_VERSION => Ok(Some(newest)),
        None => Ok(None),
        Some(_) => {
            let Some(seq) = txn.get(&null_version_key(bucket, key))?.and_then(|v| parse_seq(&v)) else {
                return Ok(None);
            };
            txn.get(&version_key(bucket, key, seq))?.map(|v| decode(&v)).transpose()
        }
    }
}

/// One version of a key by id, as a transaction sees it.
pub fn find_version_in(
    txn: &Txn,
    bucket: &str,
    key: &str,
    version_id: &str,
) -> Result<Option<ObjectRecord>, StoreError> {
    if version_id == NULL_VERSION {
        return null_version(txn, bucket, key);
    }
    let Some(seq) = seq_of_version_id(version_id) else { return Ok(None) };
    let found = txn.get(&version_key(bucket, key, seq))?.map(|v| decode(&v)).transpose()?;
    Ok(found.filter(|r| r.version_id == version_id))
}

/// One version of a key by id, as committed.
pub fn find_version(
    store: &Store,
    bucket: &str,
    key: &str,
    version_id: &str,
) -> Result<Option<ObjectRecord>, StoreError> {
    let seq = if version_id == NULL_VERSION {
        match store.get(&null_version_key(bucket, key))?.and_then(|v| parse_seq(&v)) {
            Some(seq) => seq,
            None => return Ok(newest_committed(store, bucket, key)?.filter(|r| r.version_id == NULL_VERSION)),
        }
    } else {
        match seq_of_version_id(version_id) {
            Some(seq) => seq,
            None => return Ok(None),
        }
    };
    let found = store.get(&version_key(bucket, key, seq))?.map(|v| decode(&v)).transpose()?;
    Ok(found.filter(|r| r.version_id == version_id))
}

/// The newest version of a key, as committed.
pub fn newest_committed(store: &Store, bucket: &str, key: &str) -> Result<Option<ObjectRecord>, StoreError> {
    let newest = store.scan(&key_versions_prefix(bucket, key), None, 1)?;
    newest.into_iter().next().map(|(_, v)| decode(&v)).transpose()
}

fn parse_seq(bytes: &[u8]) -> Option<u64> {
    std::str::from_utf8(bytes).ok()?.parse().ok()
}

/// A stored version (see [`crate::state::encode_version`]).
pub fn decode(bytes: &[u8]) -> Result<ObjectRecord, StoreError> {
    decode_version(bytes)
}
