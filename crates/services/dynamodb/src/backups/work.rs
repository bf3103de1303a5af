//! The scheduler's work for backups: finish copies and restores a restart
//! cut short, and trim point-in-time history older than each table's
//! recovery period (on cloudbox's clock).

use super::{layout, pitr, restore, snapshot};
use crate::Db;
use crate::errors;
use crate::state::TableRecord;
use chrono::{DateTime, Utc};
use cloudbox_core::{AwsError, TimedFuture, TimedWork};
use std::sync::Arc;

/// Markers looked at per sweep, per kind.
const SWEEP: usize = 64;
/// Batches one sweep copies or restores per job, so other timed work is not held up for long.
const SWEEP_BATCHES: usize = 400;

pub struct BackupWork(pub Arc<Db>);

impl TimedWork for BackupWork {
    fn name(&self) -> &'static str {
        "dynamodb.backups"
    }

    fn run_due<'a>(&'a self, now: DateTime<Utc>) -> TimedFuture<'a> {
        Box::pin(async move {
            if let Err(err) = sweep(&self.0, now.timestamp_millis()).await {
                tracing::warn!(error = %err, "dynamodb backup sweep failed");
            }
        })
    }
}

async fn sweep(db: &Db, now_ms: i64) -> Result<(), AwsError> {
    let copies = db.store.scan(layout::COPY_PREFIX.as_bytes(), None, SWEEP).map_err(errors::internal)?;
    for (key, _) in copies {
        let data_id = String::from_utf8_lossy(&key[layout::COPY_PREFIX.len()..]).to_string();
        snapshot::run_copy(&db.store, &data_id, SWEEP_BATCHES).await?;
    }
    let restores = db.store.scan(layout::RESTORE_PREFIX.as_bytes(), None, SWEEP).map_err(errors::internal)?;
    for (key, _) in restores {
        let table_id = String::from_utf8_lossy(&key[layout::RESTORE_PREFIX.len()..]).to_string();
        restore::run(db, &table_id, SWEEP_BATCHES).await?;
    }
    let tables = db.store.scan(layout::PITR_TABLES_PREFIX.as_bytes(), None, SWEEP).map_err(errors::internal)?;
    for (marker, table_key) in tables {
        trim(db, marker, table_key, now_ms).await?;
    }
    Ok(())
}

/// Trim one table's history; forget the table once recovery is off or the table is gone.
async fn trim(db: &Db, marker: Vec<u8>, table_key: Vec<u8>, now_ms: i64) -> Result<(), AwsError> {
    let table_id = String::from_utf8_lossy(&marker[layout::PITR_TABLES_PREFIX.len()..]).to_string();
    let record: Option<TableRecord> = db.store.get_json(&table_key).map_err(errors::internal)?;
    let settings = record.filter(|r| r.table_id == table_id).and_then(|r| pitr::settings(&r));
    let Some(settings) = settings else {
        return crate::storage::transact(&db.store, move |txn| {
            // Checked again here: recovery may have been turned back on since.
            let record: Option<TableRecord> = txn.get_json(&table_key).map_err(errors::internal)?;
            if record.filter(|r| r.table_id == table_id).and_then(|r| pitr::settings(&r)).is_none() {
                txn.delete(marker);
            }
            Ok(())
        })
        .await;
    };
    let (earliest, _) = settings.window(now_ms);
    while !pitr::trim_batch(&db.store, table_id.clone(), settings.enabled_ms, earliest).await? {}
    Ok(())
}
