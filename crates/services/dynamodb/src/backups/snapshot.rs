//! Taking a backup's consistent snapshot while the table keeps taking writes.
//!
//! The table's settings list the backups being copied; every item write saves
//! the old value into each of them first ([`preserve`]), and the copy
//! ([`copy_batch`]) fills in the keys nobody has written since, a bounded
//! batch per transaction. See [`crate::backups`] for the whole scheme.

use super::layout;
use super::record::BackupRecord;
use crate::errors;
use crate::state::{self, TableRecord};
use crate::storage;
use cloudbox_core::AwsError;
use cloudbox_store::{Store, Txn};
use serde::{Deserialize, Serialize};

/// The table setting that lists the data ids of backups being copied.
pub const IN_PROGRESS: &str = "BackupsInProgress";

/// Items copied per transaction.
const BATCH: usize = 256;

/// A backup whose items are still being copied.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CopyJob {
    pub backup_key: Vec<u8>,
    pub table_key: Vec<u8>,
    pub table_id: String,
    pub data_id: String,
    /// The last encoded item key copied.
    pub after: Option<Vec<u8>>,
}

/// The data ids of the backups of `table` being copied now.
pub fn in_progress(table: &TableRecord) -> Vec<String> {
    match table.settings.get(IN_PROGRESS) {
        Some(serde_json::Value::Array(ids)) => ids.iter().filter_map(|v| v.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    }
}

fn set_in_progress(table: &mut TableRecord, ids: Vec<String>) {
    if ids.is_empty() {
        table.settings.remove(IN_PROGRESS);
    } else {
        table.settings.insert(IN_PROGRESS.into(), serde_json::json!(ids));
    }
}

/// Keep `old` (the stored item bytes, empty for none) as the backup's value
/// of `key`, unless the backup already holds that key.
pub fn preserve(txn: &mut Txn, data_id: &str, key: &[u8], old: &[u8]) -> Result<(), AwsError> {
    let mut data_key = layout::data_prefix(data_id);
    data_key.extend_from_slice(key);
    if storage::get(txn, &data_key)?.is_none() {
        txn.put(data_key, old.to_vec());
    }
    Ok(())
}

/// In CreateBackup's transaction: mark `table` (stored at `table_key`) as
/// being backed up and queue the copy of `backup` (stored at `backup_key`).
pub fn start(txn: &mut Txn, table_key: &[u8], table: &mut TableRecord, backup: &BackupRecord, backup_key: &[u8]) {
    let mut ids = in_progress(table);
    ids.push(backup.data_id.clone());
    set_in_progress(table, ids);
    txn.put_json(table_key.to_vec(), &*table);
    let job = CopyJob {
        backup_key: backup_key.to_vec(),
        table_key: table_key.to_vec(),
        table_id: table.table_id.clone(),
        data_id: backup.data_id.clone(),
        after: None,
    };
    txn.put_json(layout::copy_key(&backup.data_id), &job);
}

/// Copy the next batch of the backup `data_id`; true once the copy is complete.
pub async fn copy_batch(store: &Store, data_id: String) -> Result<bool, AwsError> {
    storage::transact(store, move |txn| {
        let job_key = layout::copy_key(&data_id);
        let Some(mut job) = txn.get_json::<CopyJob>(&job_key).map_err(errors::internal)? else {
            return Ok(true);
        };
        let items = state::items_prefix(&job.table_id);
        let after = job.after.as_ref().map(|k| [items.as_slice(), k].concat());
        let entries = txn.scan(&items, after.as_deref(), BATCH, false).map_err(errors::internal)?;
        let done = entries.len() < BATCH;
        for (store_key, bytes) in entries {
            let key = &store_key[items.len()..];
            preserve(txn, &job.data_id, key, &bytes)?;
            job.after = Some(key.to_vec());
        }
        if done {
            finish(txn, &job)?;
            txn.delete(job_key);
        } else {
            txn.put_json(job_key, &job);
        }
        Ok(done)
    })
    .await
}

/// The copy is complete: the backup is AVAILABLE and writes stop saving into it.
fn finish(txn: &mut Txn, job: &CopyJob) -> Result<(), AwsError> {
    if let Some(mut backup) = txn.get_json::<BackupRecord>(&job.backup_key).map_err(errors::internal)? {
        backup.status = "AVAILABLE".into();
        txn.put_json(job.backup_key.clone(), &backup);
    }
    if let Some(mut table) = txn.get_json::<TableRecord>(&job.table_key).map_err(errors::internal)?
        && table.table_id == job.table_id
    {
        let ids = in_progress(&table).into_iter().filter(|id| *id != job.data_id).collect();
        set_in_progress(&mut table, ids);
        txn.put_json(job.table_key.clone(), &table);
    }
    Ok(())
}

/// Copy at most `batches` more batches of the backup `data_id`; true once
/// it is complete (the backup work finishes what a request leaves).
pub async fn run_copy(store: &Store, data_id: &str, batches: usize) -> Result<bool, AwsError> {
    for _ in 0..batches {
        if copy_batch(store, data_id.to_string()).await? {
            return Ok(true);
        }
    }
    Ok(false)
}
