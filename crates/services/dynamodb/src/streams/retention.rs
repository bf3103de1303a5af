//! Stream retention: records older than 24 hours are trimmed, and a disabled
//! stream (or a deleted table's) disappears 24 hours after it was disabled.
//! Runs as timed work on cloudbox's clock, a bounded amount per sweep.

use super::state::{
    RETENTION_MS, StoredRecord, StreamMeta, all_markers_prefix, marker_key, meta_key, parse_marker, records_prefix,
    sequence_key, sequence_of_key,
};
use crate::sweeps::SweepCursor;
use chrono::{DateTime, Utc};
use cloudbox_core::{AccountId, Region, TimedFuture, TimedWork};
use cloudbox_store::{Store, StoreError, Txn};

/// The most records one sweep deletes from one stream.
const RECORDS_PER_SWEEP: usize = 5000;
/// The most streams one sweep looks at.
const STREAMS_PER_SWEEP: usize = 1000;

/// The timed work that trims every stream of every account and region.
pub struct StreamRetention {
    store: Store,
    streams: SweepCursor,
}

impl StreamRetention {
    pub fn new(store: Store) -> Self {
        StreamRetention { store, streams: SweepCursor::default() }
    }

    async fn sweep(&self, now: DateTime<Utc>) -> Result<(), StoreError> {
        let cutoff = now.timestamp_millis() - RETENTION_MS;
        let markers = self.streams.next_batch(&self.store, &all_markers_prefix(), STREAMS_PER_SWEEP)?;
        for (key, _) in markers {
            let Some((account, region, table, label)) = parse_marker(&key) else { continue };
            if !self.anything_due(&account, &region, &table, &label, cutoff)? {
                continue;
            }
            self.store.transact(move |txn| trim_stream(txn, &account, &region, &table, &label, cutoff)).await?;
        }
        Ok(())
    }
}

impl StreamRetention {
    /// Whether a stream has anything to trim, read without a transaction so
    /// that a quiet sweep writes (and syncs) nothing.
    fn anything_due(
        &self,
        account: &AccountId,
        region: &Region,
        table: &str,
        label: &str,
        cutoff: i64,
    ) -> Result<bool, StoreError> {
        let Some(meta) = self.store.get_json::<StreamMeta>(&meta_key(account, region, table, label))? else {
            return Ok(true);
        };
        if meta.disabled_ms.is_some_and(|at| at <= cutoff) {
            return Ok(true);
        }
        let oldest = self.store.scan(&records_prefix(account, region, table, label), None, 1)?;
        Ok(oldest.first().is_some_and(|(_, value)| {
            serde_json::from_slice::<StoredRecord>(value).map_or(true, |record| record.created_ms <= cutoff)
        }))
    }
}

impl TimedWork for StreamRetention {
    fn name(&self) -> &'static str {
        "dynamodb.stream-retention"
    }

    fn run_due<'a>(&'a self, now: DateTime<Utc>) -> TimedFuture<'a> {
        Box::pin(async move {
            // A failed sweep leaves everything as it was; the next one retries.
            let _ = self.sweep(now).await;
        })
    }
}

/// Trim one stream's records created at or before `cutoff`, or drop the
/// stream entirely when it was disabled at or before `cutoff`.
fn trim_stream(
    txn: &mut Txn,
    account: &AccountId,
    region: &Region,
    table: &str,
    label: &str,
    cutoff: i64,
) -> Result<(), StoreError> {
    let key = meta_key(account, region, table, label);
    let Some(mut meta) = txn.get_json::<StreamMeta>(&key)? else {
        txn.delete(marker_key(account, region, table, label));
        return Ok(());
    };
    let drop_all = meta.disabled_ms.is_some_and(|at| at <= cutoff);
    let prefix = records_prefix(account, region, table, label);
    let records = txn.scan(&prefix, None, RECORDS_PER_SWEEP, false)?;
    let complete = records.len() < RECORDS_PER_SWEEP;
    let mut trimmed_through = meta.trimmed_through;
    for (record_key, value) in records {
        let record: StoredRecord = serde_json::from_slice(&value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if !drop_all && record.created_ms > cutoff {
            break;
        }
        trimmed_through = sequence_of_key(&record_key).unwrap_or(trimmed_through).max(trimmed_through);
        txn.delete(record_key);
    }
    if drop_all && complete {
        txn.delete(key);
        txn.delete(sequence_key(account, region, table, label));
        txn.delete(marker_key(account, region, table, label));
    } else if trimmed_through != meta.trimmed_through {
        meta.trimmed_through = trimmed_through;
        txn.put_json(key, &meta);
    }
    Ok(())
}
