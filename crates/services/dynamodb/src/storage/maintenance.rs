//! Work DynamoDB does after answering: purging the data of deleted tables
//! and indexes, and backfilling indexes created by UpdateTable. Both go in
//! bounded batches (one store transaction each), driven by markers in the
//! store (see [`crate::state`]), so they resume after a restart and never
//! need one giant transaction.
//!
//! [`Maintenance::kick`] starts a pass right after an operation leaves work;
//! [`MaintenanceWork`] is the scheduler's sweep that finishes anything left.

use crate::Db;
use crate::errors;
use crate::indexes;
use crate::state::{self, Stats, TableRecord};
use crate::storage;
use chrono::{DateTime, Utc};
use cloudbox_core::{AwsError, TimedFuture, TimedWork};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

/// Keys deleted, or items indexed, per transaction.
pub const BATCH: usize = 512;

/// Starts maintenance passes; at most one runs at a time.
pub struct Maintenance {
    db: Weak<Db>,
    running: Arc<AtomicBool>,
}

impl Maintenance {
    pub fn new(db: Weak<Db>) -> Maintenance {
        Maintenance { db, running: Arc::new(AtomicBool::new(false)) }
    }

    /// Run a pass in the background now, unless one is running.
    pub fn kick(&self) {
        let Some(db) = self.db.upgrade() else { return };
        if self.running.swap(true, Ordering::SeqCst) {
            return;
        }
        let running = Running(self.running.clone());
        tokio::spawn(async move {
            if let Err(err) = run_pass(&db).await {
                tracing::warn!(error = %err, "dynamodb maintenance pass failed");
            }
            drop(running);
        });
    }

    /// Run a pass now and wait for it (the scheduler's sweep, and tests).
    pub async fn run_now(&self) -> Result<(), AwsError> {
        let Some(db) = self.db.upgrade() else { return Ok(()) };
        while self.running.swap(true, Ordering::SeqCst) {
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        let _running = Running(self.running.clone());
        run_pass(&db).await
    }
}

/// Marks a pass as running until dropped, even if the pass panics.
struct Running(Arc<AtomicBool>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

/// The scheduler's handle on the maintenance work.
pub struct MaintenanceWork(pub Arc<Db>);

impl TimedWork for MaintenanceWork {
    fn name(&self) -> &'static str {
        "dynamodb.maintenance"
    }

    fn run_due<'a>(&'a self, _now: DateTime<Utc>) -> TimedFuture<'a> {
        Box::pin(async move {
            if let Err(err) = self.0.maintenance.run_now().await {
                tracing::warn!(error = %err, "dynamodb maintenance sweep failed");
            }
        })
    }
}

/// Finish every purge and backfill there is.
async fn run_pass(db: &Db) -> Result<(), AwsError> {
    loop {
        let purges = db.store.scan(state::PURGE_PREFIX.as_bytes(), None, 16).map_err(errors::internal)?;
        let backfills = db.store.scan(state::BACKFILL_PREFIX.as_bytes(), None, 16).map_err(errors::internal)?;
        if purges.is_empty() && backfills.is_empty() {
            return Ok(());
        }
        for (marker, prefix) in purges {
            purge_batch(db, marker, prefix).await?;
        }
        for (marker, progress) in backfills {
            backfill_batch(db, marker, progress).await?;
        }
    }
}

/// Delete up to [`BATCH`] keys under `prefix`; drop the marker once none are left.
async fn purge_batch(db: &Db, marker: Vec<u8>, prefix: Vec<u8>) -> Result<(), AwsError> {
    storage::transact(&db.store, move |txn| {
        let entries = txn.scan(&prefix, None, BATCH, false).map_err(errors::internal)?;
        let done = entries.len() < BATCH;
        for (key, _) in entries {
            txn.delete(key);
        }
        if done {
            txn.delete(marker);
        }
        Ok(())
    })
    .await
}

/// Where a backfill stands: the table's record key and the last item indexed.
#[derive(Debug, Serialize, Deserialize)]
struct Progress {
    table_key: Vec<u8>,
    after: Option<Vec<u8>>,
}

/// A backfill marker's value when the backfill starts.
pub fn backfill_start(table_key: Vec<u8>) -> Vec<u8> {
    serde_json::to_vec(&Progress { table_key, after: None }).unwrap_or_default()
}

/// Index up to [`BATCH`] more items; mark the index ACTIVE once all are.
async fn backfill_batch(db: &Db, marker: Vec<u8>, progress: Vec<u8>) -> Result<(), AwsError> {
    storage::transact(&db.store, move |txn| {
        let Ok(mut progress) = serde_json::from_slice::<Progress>(&progress) else {
            txn.delete(marker);
            return Ok(());
        };
        let index_id = String::from_utf8_lossy(marker.rsplit(|b| *b == b'/').next().unwrap_or_default()).to_string();
        let record: Option<TableRecord> = txn.get_json(&progress.table_key).map_err(errors::internal)?;
        let Some(mut record) = record.filter(|r| marker.starts_with(&state::backfill_key(&r.table_id, ""))) else {
            txn.delete(marker);
            return Ok(());
        };
        let Some(index) = record.global_secondary_indexes.iter().find(|i| i.index_id == index_id).cloned() else {
            txn.delete(marker);
            return Ok(());
        };
        let prefix = state::items_prefix(&record.table_id);
        let entries = txn.scan(&prefix, progress.after.as_deref(), BATCH, false).map_err(errors::internal)?;
        let done = entries.len() < BATCH;
        let mut stats = Stats::default();
        for (key, value) in &entries {
            let item = serde_json::from_slice(value).map_err(errors::corrupt)?;
            let item_key = &key[prefix.len()..];
            indexes::backfill::index_one(txn, &record, &index, item_key, &item, &mut stats)?;
        }
        indexes::save_stats(txn, &record.table_id, &stats)?;
        if done {
            indexes::backfill::finish(&mut record, &index_id);
            txn.put_json(progress.table_key, &record);
            txn.delete(marker);
        } else {
            progress.after = entries.last().map(|(k, _)| k.clone());
            txn.put_json(marker, &progress);
        }
        Ok(())
    })
    .await
}
