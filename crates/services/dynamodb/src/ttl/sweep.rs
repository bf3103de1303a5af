//! The time to live sweep: timed work that deletes items whose expiry time
//! has passed on cloudbox's clock, through the single write path (so indexes
//! stay consistent and streams show a service deletion). Each sweep does a
//! bounded amount of work per table; the next sweep carries on.

use super::config::{ENABLED_PREFIX, EnabledTable, enabled_key, ttl_attribute};
use super::index::{backfill, clear, due_bound, expiry_of, expiry_prefix, parse_entry};
use crate::changes::ChangeCause;
use crate::errors::{corrupt, internal};
use crate::items::write::{delete_expired, read_item};
use crate::state::{TableRecord, table_key};
use crate::sweeps::SweepCursor;
use chrono::{DateTime, Utc};
use cloudbox_core::{AwsError, TimedFuture, TimedWork};
use cloudbox_store::{Store, Txn};

/// Items one sweep deletes from one table at most.
const DELETES_PER_SWEEP: usize = 1000;
/// Items one sweep indexes (after time to live is enabled) or unindexes.
const INDEX_PER_SWEEP: usize = 10_000;
/// Tables one sweep looks at.
const TABLES_PER_SWEEP: usize = 1000;
/// Expiry times this far in the past are not acted on, as on AWS.
const IGNORED_AFTER_SECS: i64 = 5 * 365 * 24 * 60 * 60;

/// The timed work that expires items of every table with time to live on.
pub struct TtlSweeper {
    store: Store,
    tables: SweepCursor,
}

impl TtlSweeper {
    pub fn new(store: Store) -> Self {
        TtlSweeper { store, tables: SweepCursor::default() }
    }

    async fn sweep(&self, now: DateTime<Utc>) -> Result<(), AwsError> {
        let now_ms = now.timestamp_millis();
        let tables =
            self.tables.next_batch(&self.store, ENABLED_PREFIX.as_bytes(), TABLES_PER_SWEEP).map_err(internal)?;
        for (key, value) in tables {
            let Some(table_id) = key.strip_prefix(ENABLED_PREFIX.as_bytes()) else { continue };
            let table_id = String::from_utf8_lossy(table_id).into_owned();
            let entry: EnabledTable = serde_json::from_slice(&value).map_err(corrupt)?;
            if !self.anything_due(&table_id, &entry, now_ms)? {
                continue;
            }
            crate::storage::transact(&self.store, move |txn| sweep_table(txn, &table_id, &entry, now_ms)).await?;
        }
        Ok(())
    }
}

impl TtlSweeper {
    /// Whether a table has anything for the sweep, read without a
    /// transaction so that a quiet sweep writes (and syncs) nothing.
    fn anything_due(&self, table_id: &str, entry: &EnabledTable, now_ms: i64) -> Result<bool, AwsError> {
        if entry.backfill_after.is_some() {
            return Ok(true);
        }
        let table = match entry.scope() {
            Some((account, region)) => {
                self.store.get_json::<TableRecord>(&table_key(&account, &region, &entry.table_name))
            }
            None => Ok(None),
        };
        match table.map_err(internal)? {
            Some(table) if table.table_id == table_id && ttl_attribute(&table).is_some() => {
                let first = self.store.scan(&expiry_prefix(table_id), None, 1).map_err(internal)?;
                let bound = due_bound(table_id, now_ms.div_euclid(1000));
                Ok(first.first().is_some_and(|(key, _)| *key < bound))
            }
            _ => Ok(true),
        }
    }
}

impl TimedWork for TtlSweeper {
    fn name(&self) -> &'static str {
        "dynamodb.time-to-live"
    }

    fn run_due<'a>(&'a self, now: DateTime<Utc>) -> TimedFuture<'a> {
        Box::pin(async move {
            // A failed sweep changes nothing; the next one tries again.
            let _ = self.sweep(now).await;
        })
    }
}

/// One table's share of a sweep: finish indexing, then delete what is due.
fn sweep_table(txn: &mut Txn, table_id: &str, entry: &EnabledTable, now_ms: i64) -> Result<(), AwsError> {
    let marker = enabled_key(table_id);
    let table = match entry.scope() {
        Some((account, region)) => txn.get_json::<TableRecord>(&table_key(&account, &region, &entry.table_name)),
        None => Ok(None),
    };
    let table = table.map_err(internal)?.filter(|t| t.table_id == table_id);
    let Some(table) = table else {
        // The table is gone; its data (and expiry index) is purged with it.
        txn.delete(marker);
        return Ok(());
    };
    let Some(attribute) = ttl_attribute(&table).map(str::to_string) else {
        if clear(txn, table_id, INDEX_PER_SWEEP)? {
            txn.delete(marker);
        }
        return Ok(());
    };
    if let Some(after) = &entry.backfill_after {
        let after = hex::decode(after).unwrap_or_default();
        let next = backfill(txn, &table, &after, INDEX_PER_SWEEP)?;
        let updated = EnabledTable { backfill_after: next.map(hex::encode), ..entry.clone() };
        txn.put_json(marker, &updated);
    }
    delete_due(txn, &table, &attribute, now_ms)
}

/// Delete up to [`DELETES_PER_SWEEP`] items whose expiry has passed.
fn delete_due(txn: &mut Txn, table: &TableRecord, attribute: &str, now_ms: i64) -> Result<(), AwsError> {
    let now_secs = now_ms.div_euclid(1000);
    let bound = due_bound(&table.table_id, now_secs);
    let entries = txn.scan(&expiry_prefix(&table.table_id), None, DELETES_PER_SWEEP, false).map_err(internal)?;
    for (entry_key, _) in entries.into_iter().take_while(|(k, _)| *k < bound) {
        let Some((expiry, item_key)) = parse_entry(&table.table_id, &entry_key) else {
            txn.delete(entry_key);
            continue;
        };
        let item = read_item(txn, &table.table_id, &item_key)?;
        let due = item.as_ref().and_then(|i| expiry_of(i, attribute)).is_some_and(|e| e == expiry && e <= now_secs);
        if !due || expiry < now_secs - IGNORED_AFTER_SECS {
            // Stale (the item changed or went) or too old to act on.
            txn.delete(entry_key);
            continue;
        }
        if let Some(item) = item {
            delete_expired(txn, table, &item, ChangeCause::TimeToLive, now_ms)?;
        }
    }
    Ok(())
}
