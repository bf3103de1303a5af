//! The timed work that executes lifecycle rules.
//!
//! Buckets with lifecycle rules are listed in an index
//! (`s3/global/lifecycle-index/<bucket>`), written when rules are put
//! ([`note_rules_put`]) and, as a safety net, by a discovery walk over a
//! bounded number of buckets per sweep. Each sweep looks at the indexed
//! buckets and runs a pass over one only when its rules changed since its
//! last pass or a midnight UTC passed on cloudbox's clock (every lifecycle
//! action falls due at a midnight). A pass walks the
//! bucket's versions in key order, then its multipart uploads, in chunks;
//! a sweep examines at most [`VERSIONS_PER_SWEEP`] entries in all and the
//! pass's position is kept in the store, so the next sweep goes on from
//! there, across restarts too. Every change of one chunk commits in one
//! transaction, after re-checking that the versions it acts on are unchanged.

use super::due::{Noncurrent, Options, Verdict, VersionFacts, day_of, upload_abort_due, verdict};
use super::rules::{Candidate, Rule, enabled_rules};
use crate::CloudboxS3;
use crate::config::lifecycle::LIFECYCLE;
use crate::config::stored::config_key;
use crate::multipart::forget_parts;
use crate::multipart::records::{UploadRecord, uploads_prefix};
use crate::objects::{Versioning, commit_version, find_version_in, remove_version, update_version};
use crate::state::{BucketRecord, ObjectRecord, versions_prefix};
use chrono::{DateTime, Utc};
use cloudbox_core::{Scope, TimedFuture, TimedWork};
use cloudbox_store::{StoreError, Txn};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::sync::Mutex;

/// Most versions and uploads one sweep examines.
pub const VERSIONS_PER_SWEEP: usize = 2000;
/// Most buckets one sweep's discovery walk looks at.
const BUCKETS_DISCOVERED_PER_SWEEP: usize = 1000;
/// Entries read (and changes committed) at a time.
const CHUNK: usize = 250;

/// Applies every bucket's lifecycle rules on cloudbox's clock.
pub struct LifecycleSweep {
    s3: CloudboxS3,
    /// The indexed bucket the next sweep starts at (the one a sweep ran
    /// out of budget in).
    next_bucket: Mutex<Option<String>>,
    /// Where the discovery walk goes on (a bucket record key).
    discovered_to: Mutex<Option<Vec<u8>>>,
}

/// Where a bucket's passes stand (`s3/global/lifecycle/<bucket>`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct PassState {
    /// A digest of the rules the last pass applied.
    rules: String,
    /// The day (since the epoch, UTC) of the last complete pass.
    done_day: i64,
    /// The unfinished pass, if one is under way.
    #[serde(default)]
    cursor: Option<Cursor>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Cursor {
    /// The day the pass applies rules for.
    day: i64,
    /// Hex of the last store key examined; the versions phase ends with
    /// `uploads` set.
    after: Option<String>,
    uploads: bool,
    /// The last version seen, to place the next one among its key's versions.
    carry: Option<Carry>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Carry {
    key: String,
    last_modified_ms: i64,
    noncurrent_seen: u64,
}

fn pass_key(bucket: &str) -> Vec<u8> {
    format!("{}lifecycle/{bucket}", Scope::Global.key_prefix("s3")).into_bytes()
}

fn buckets_prefix() -> Vec<u8> {
    format!("{}bucket/", Scope::Global.key_prefix("s3")).into_bytes()
}

fn index_prefix() -> Vec<u8> {
    format!("{}lifecycle-index/", Scope::Global.key_prefix("s3")).into_bytes()
}

fn index_key(bucket: &str) -> Vec<u8> {
    let mut key = index_prefix();
    key.extend_from_slice(bucket.as_bytes());
    key
}

/// Lifecycle rules were put on `bucket`: the next sweep looks at it.
pub async fn note_rules_put(store: &cloudbox_store::Store, bucket: &str) -> Result<(), StoreError> {
    let key = index_key(bucket);
    store
        .transact(move |txn| {
            txn.put(key, Vec::new());
            Ok::<_, StoreError>(())
        })
        .await
}

impl TimedWork for LifecycleSweep {
    fn name(&self) -> &'static str {
        "s3.lifecycle"
    }

    fn run_due<'a>(&'a self, now: DateTime<Utc>) -> TimedFuture<'a> {
        Box::pin(async move {
            if let Err(err) = self.sweep(now.timestamp_millis()).await {
                tracing::warn!(error = %err, "s3 lifecycle sweep failed");
            }
        })
    }
}

impl LifecycleSweep {
    pub fn new(s3: CloudboxS3) -> LifecycleSweep {
        LifecycleSweep { s3, next_bucket: Mutex::new(None), discovered_to: Mutex::new(None) }
    }

    async fn sweep(&self, now_ms: i64) -> Result<(), StoreError> {
        self.discover().await?;
        let mut buckets = self.indexed_buckets()?;
        let start = self.next_bucket.lock().ok().and_then(|mut next| next.take());
        if let Some(start) = start {
            let first = buckets.partition_point(|name| *name < start);
            buckets.rotate_left(first);
        }
        let mut budget = VERSIONS_PER_SWEEP;
        for bucket in buckets {
            budget = self.visit_bucket(&bucket, now_ms, budget).await?;
            if budget == 0 {
                if let Ok(mut next) = self.next_bucket.lock() {
                    *next = Some(bucket);
                }
                return Ok(());
            }
        }
        Ok(())
    }

    /// Every bucket in the index, in name order.
    fn indexed_buckets(&self) -> Result<Vec<String>, StoreError> {
        let prefix = index_prefix();
        let mut names = Vec::new();
        let mut after: Option<Vec<u8>> = None;
        loop {
            let batch = self.s3.store.scan(&prefix, after.as_deref(), 1000)?;
            let Some((last, _)) = batch.last() else { return Ok(names) };
            after = Some(last.clone());
            names.extend(batch.iter().filter_map(|(key, _)| String::from_utf8(key.get(prefix.len()..)?.to_vec()).ok()));
        }
    }

    /// Add to the index the buckets with rules among the next few bucket
    /// records (wrapping around at the end).
    async fn discover(&self) -> Result<(), StoreError> {
        let after = self.discovered_to.lock().ok().and_then(|g| g.clone());
        let batch = self.s3.store.scan(&buckets_prefix(), after.as_deref(), BUCKETS_DISCOVERED_PER_SWEEP)?;
        let next =
            (batch.len() == BUCKETS_DISCOVERED_PER_SWEEP).then(|| batch.last().map(|(key, _)| key.clone())).flatten();
        if let Ok(mut to) = self.discovered_to.lock() {
            *to = next;
        }
        let mut missing = Vec::new();
        for (_, value) in batch {
            let Ok(bucket) = serde_json::from_slice::<BucketRecord>(&value) else { continue };
            let configured = self.s3.store.get(&config_key(&bucket.name, LIFECYCLE))?.is_some();
            let has_rules =
                configured && !enabled_rules(&self.s3.lifecycle_rules(&bucket.name).unwrap_or_default()).is_empty();
            if has_rules && self.s3.store.get(&index_key(&bucket.name))?.is_none() {
                missing.push(index_key(&bucket.name));
            }
        }
        if missing.is_empty() {
            return Ok(());
        }
        self.s3
            .store
            .transact(move |txn| {
                for key in missing {
                    txn.put(key, Vec::new());
                }
                Ok::<_, StoreError>(())
            })
            .await
    }

    /// Run (or go on with) a pass over `bucket` if one is due; returns the
    /// budget left.
    async fn visit_bucket(&self, bucket: &str, now_ms: i64, budget: usize) -> Result<usize, StoreError> {
        let configured = self.s3.lifecycle_rules(bucket).unwrap_or_default();
        let rules = enabled_rules(&configured);
        if rules.is_empty() {
            // No enabled rules (any more): out of the index until rules are put again.
            let (pass, index) = (pass_key(bucket), index_key(bucket));
            self.s3
                .store
                .transact(move |txn| {
                    txn.delete(pass);
                    txn.delete(index);
                    Ok::<_, StoreError>(())
                })
                .await?;
            return Ok(budget);
        }
        let stored: Option<PassState> = self.s3.store.get_json(&pass_key(bucket))?;
        let digest = hex::encode(Sha256::digest(format!("{configured:?}").as_bytes()));
        let today = day_of(now_ms);
        let mut state = stored.unwrap_or_default();
        let changed = state.rules != digest;
        if !changed && state.cursor.is_none() && state.done_day >= today {
            return Ok(budget);
        }
        // A pass under way restarts when the rules changed or a midnight
        // passed since it began: what it already walked may be due now.
        let stale = state.cursor.as_ref().is_none_or(|cursor| cursor.day < today);
        if changed || stale {
            state = PassState {
                rules: digest,
                done_day: state.done_day,
                cursor: Some(Cursor { day: today, ..Cursor::default() }),
            };
        }
        let Some(mut cursor) = state.cursor.take() else { return Ok(budget) };
        let (left, finished) = self.run_pass(bucket, &rules, &mut cursor, now_ms, budget).await?;
        state.cursor = if finished {
            state.done_day = cursor.day;
            None
        } else {
            Some(cursor)
        };
        let key = pass_key(bucket);
        self.s3
            .store
            .transact(move |txn| {
                txn.put_json(key, &state);
                Ok::<_, StoreError>(())
            })
            .await?;
        Ok(left)
    }

    /// Walk versions then uploads from the cursor until done or out of
    /// budget; returns the budget left and whether the pass finished.
    async fn run_pass(
        &self,
        bucket: &str,
        rules: &[Rule],
        cursor: &mut Cursor,
        now_ms: i64,
        mut budget: usize,
    ) -> Result<(usize, bool), StoreError> {
        while budget > 0 {
            let prefix = if cursor.uploads { uploads_prefix(bucket) } else { versions_prefix(bucket) };
            let after = cursor.after.as_deref().and_then(|h| hex::decode(h).ok());
            let batch = self.s3.store.scan(&prefix, after.as_deref(), CHUNK.min(budget))?;
            budget -= batch.len().min(budget);
            let Some((last, _)) = batch.last() else {
                if cursor.uploads {
                    return Ok((budget, true));
                }
                (cursor.uploads, cursor.after, cursor.carry) = (true, None, None);
                continue;
            };
            cursor.after = Some(hex::encode(last));
            if cursor.uploads {
                self.abort_due_uploads(rules, &batch, now_ms).await?;
            } else {
                let actions = plan_versions(rules, &batch, &mut cursor.carry, now_ms);
                self.apply(bucket, actions, now_ms).await?;
            }
        }
        Ok((0, false))
    }

    async fn apply(&self, bucket: &str, actions: Vec<Action>, now_ms: i64) -> Result<(), StoreError> {
        if actions.is_empty() {
            return Ok(());
        }
        let bucket = bucket.to_string();
        let unused = self
            .s3
            .store
            .transact(move |txn| {
                let mut unused = Vec::new();
                for action in actions {
                    unused.extend(apply_one(txn, &bucket, action, now_ms)?);
                }
                Ok::<_, StoreError>(unused)
            })
            .await?;
        self.s3.blobs.remove_files(&unused);
        Ok(())
    }

    async fn abort_due_uploads(
        &self,
        rules: &[Rule],
        batch: &[(Vec<u8>, Vec<u8>)],
        now_ms: i64,
    ) -> Result<(), StoreError> {
        let due: Vec<(Vec<u8>, String)> = batch
            .iter()
            .filter_map(|(key, value)| {
                let upload: UploadRecord = serde_json::from_slice(value).ok()?;
                upload_abort_due(rules, &upload.key, upload.initiated_ms, now_ms)
                    .then(|| (key.clone(), upload.upload_id))
            })
            .collect();
        if due.is_empty() {
            return Ok(());
        }
        let unused = self
            .s3
            .store
            .transact(move |txn| {
                let mut unused = Vec::new();
                for (key, upload_id) in due {
                    if txn.get(&key)?.is_some() {
                        txn.delete(key);
                        unused.extend(forget_parts(txn, &upload_id, &[])?);
                    }
                }
                Ok::<_, StoreError>(unused)
            })
            .await?;
        self.s3.blobs.remove_files(&unused);
        Ok(())
    }
}

/// A change the sweep decided on, applied if the version is unchanged.
#[derive(Debug)]
struct Action {
    key: String,
    version_id: String,
    seq: u64,
    change: Verdict,
}

/// The actions due on one chunk of version entries (newest first within
/// each key); `carry` places the first entries after the previous chunk.
fn plan_versions(rules: &[Rule], batch: &[(Vec<u8>, Vec<u8>)], carry: &mut Option<Carry>, now_ms: i64) -> Vec<Action> {
    let mut actions = Vec::new();
    for (_, value) in batch {
        let Ok(record) = crate::objects::commit::decode(value) else { continue };
        let previous = carry.take().filter(|c| c.key == record.key);
        let noncurrent =
            previous.as_ref().map(|p| Noncurrent { since_ms: p.last_modified_ms, newer_noncurrent: p.noncurrent_seen });
        let facts = VersionFacts {
            object: Candidate { key: &record.key, size: record.size, tags: &record.tags },
            storage_class: record.storage_class.as_deref().unwrap_or("STANDARD"),
            created_ms: record.last_modified_ms,
            delete_marker: record.delete_marker,
            noncurrent,
            // Checked again when applied: the marker must be the key's only version.
            only_version: true,
        };
        let change = verdict(rules, &facts, Options::default(), now_ms);
        let seen = previous.map_or(0, |p| p.noncurrent_seen + u64::from(noncurrent.is_some()));
        *carry =
            Some(Carry { key: record.key.clone(), last_modified_ms: record.last_modified_ms, noncurrent_seen: seen });
        if change != Verdict::Keep {
            actions.push(Action { key: record.key, version_id: record.version_id, seq: record.seq, change });
        }
    }
    actions
}

/// Apply one action inside the chunk's transaction; returns body files to
/// remove once committed.
fn apply_one(txn: &mut Txn, bucket: &str, action: Action, now_ms: i64) -> Result<Vec<String>, StoreError> {
    let Some(record) = find_version_in(txn, bucket, &action.key, &action.version_id)? else { return Ok(Vec::new()) };
    if record.seq != action.seq {
        return Ok(Vec::new());
    }
    match action.change {
        Verdict::Keep => Ok(Vec::new()),
        Verdict::Transition(class) => {
            update_version(txn, bucket, &action.key, Some(&action.version_id), |r| {
                r.storage_class = Some(class);
                r.restore = None;
            })?;
            Ok(Vec::new())
        }
        Verdict::ExpireCurrent => expire_current(txn, bucket, &record, now_ms),
        Verdict::Remove => {
            if record.delete_marker
                && !record_is_only_version(txn, bucket, &record)?
                && is_current(txn, bucket, &record)?
            {
                return Ok(Vec::new());
            }
            if record.lock.as_ref().is_some_and(|lock| lock.may_delete(false, now_ms).is_err()) {
                return Ok(Vec::new());
            }
            Ok(remove_version(txn, bucket, &action.key, &action.version_id)?
                .map(|(_, unused)| unused)
                .unwrap_or_default())
        }
    }
}

/// Expire the current version: a delete marker on top in a versioned
/// bucket, the object gone in an unversioned one.
fn expire_current(txn: &mut Txn, bucket: &str, record: &ObjectRecord, now_ms: i64) -> Result<Vec<String>, StoreError> {
    let current = crate::objects::current_version_in(txn, bucket, &record.key)?;
    if current.is_none_or(|c| c.seq != record.seq) {
        return Ok(Vec::new());
    }
    if Versioning::read(txn, bucket)? == Versioning::Unversioned {
        return Ok(remove_version(txn, bucket, &record.key, &record.version_id)?.map(|(_, u)| u).unwrap_or_default());
    }
    let marker = ObjectRecord {
        key: record.key.clone(),
        delete_marker: true,
        last_modified_ms: now_ms,
        owner: record.owner.clone(),
        ..ObjectRecord::default()
    };
    let sequence = crate::objects::VersionSequence::default();
    Ok(commit_version(txn, &sequence, bucket, marker)?.unused_files)
}

fn is_current(txn: &Txn, bucket: &str, record: &ObjectRecord) -> Result<bool, StoreError> {
    Ok(crate::objects::newest_version(txn, bucket, &record.key)?.is_some_and(|n| n.seq == record.seq))
}

fn record_is_only_version(txn: &Txn, bucket: &str, record: &ObjectRecord) -> Result<bool, StoreError> {
    let versions = txn.scan(&crate::state::key_versions_prefix(bucket, &record.key), None, 2, false)?;
    Ok(versions.len() == 1)
}
