//! Restoring into a new table, from a backup or from point-in-time history.
//!
//! The new table's record (status `CREATING`) and a [`RestoreJob`] are
//! committed together; the items are then written through the one item
//! write path (so indexes and statistics follow), a bounded batch per
//! transaction, and the last batch makes the table `ACTIVE`. A restore cut
//! short by a restart is finished by the backup work.

use super::{layout, pitr};
use crate::Db;
use crate::changes::ChangeCause;
use crate::errors;
use crate::items::write::{Change, write_item};
use crate::state::{self, Stats, TableRecord, Throughput};
use crate::storage;
use crate::tables::describe::description;
use crate::value::Item;
use cloudbox_core::{AwsError, RequestContext};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// Items restored per transaction.
const BATCH: usize = 256;

/// The table setting holding the `RestoreSummary`.
pub const RESTORE_SUMMARY: &str = "RestoreSummary";

/// Where a restore takes its items from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum Source {
    /// A backup's items.
    Backup { data_id: String },
    /// A table as it was at `at_ms`, from the history of generation `generation`.
    PointInTime { table_id: String, generation: i64, at_ms: i64 },
}

/// A restored table still being filled.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RestoreJob {
    pub table_key: Vec<u8>,
    pub table_id: String,
    pub source: Source,
    /// The last encoded item key restored.
    pub after: Option<Vec<u8>>,
    pub now_ms: i64,
}

/// What a restore may change about the restored table.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Overrides {
    pub billing_mode_override: Option<String>,
    pub provisioned_throughput_override: Option<ThroughputOverride>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ThroughputOverride {
    pub read_capacity_units: i64,
    pub write_capacity_units: i64,
}

/// The record of the table `name` restored from `source` (the table as it
/// was): same schema, indexes and capacity; no stream, tags or settings.
pub fn target_record(
    source: &TableRecord,
    ctx: &RequestContext,
    name: &str,
    overrides: &Overrides,
    summary: Value,
) -> TableRecord {
    let now = ctx.now.timestamp_millis() as f64 / 1000.0;
    let mut table = source.clone();
    table.table_name = name.to_string();
    table.table_arn = crate::tables::arn::table_arn(ctx, name);
    table.table_id = uuid::Uuid::new_v4().to_string();
    table.table_status = "CREATING".into();
    table.creation_date_time = now;
    table.deletion_protection_enabled = false;
    table.stream_specification = None;
    table.latest_stream_arn = None;
    table.latest_stream_label = None;
    table.settings.clear();
    table.settings.insert(RESTORE_SUMMARY.into(), summary);
    let arn = table.table_arn.clone();
    for index in table.global_secondary_indexes.iter_mut().chain(table.local_secondary_indexes.iter_mut()) {
        index.index_arn = format!("{arn}/index/{}", index.index_name);
        index.index_status = "ACTIVE".into();
        index.backfilling = false;
    }
    if let Some(mode) = &overrides.billing_mode_override {
        table.billing_mode = mode.clone();
        if mode == "PAY_PER_REQUEST" {
            table.provisioned_throughput = Throughput::default();
            table.last_update_to_pay_per_request_date_time = Some(now);
            table.global_secondary_indexes.iter_mut().for_each(|i| i.provisioned_throughput = None);
        }
    }
    if let Some(t) = &overrides.provisioned_throughput_override {
        table.provisioned_throughput = Throughput {
            read_capacity_units: t.read_capacity_units,
            write_capacity_units: t.write_capacity_units,
            ..Throughput::default()
        };
    }
    table
}

/// Create the restored table `target` and fill it from `source`; answers the
/// `TableDescription` as DynamoDB does when a restore starts.
pub async fn restore(db: &Db, ctx: &RequestContext, target: TableRecord, source: Source) -> Result<Value, AwsError> {
    let table_key = state::table_key(&ctx.account, &ctx.region, &target.table_name);
    let job = RestoreJob {
        table_key: table_key.clone(),
        table_id: target.table_id.clone(),
        source,
        after: None,
        now_ms: ctx.now.timestamp_millis(),
    };
    let record = target.clone();
    storage::transact(&db.store, move |txn| {
        if storage::get(txn, &table_key)?.is_some() {
            return Err(AwsError::new(
                "TableAlreadyExistsException",
                format!("Table already exists: {}", record.table_name),
                400,
            ));
        }
        txn.put_json(state::stats_key(&record.table_id), &Stats::default());
        txn.put_json(layout::restore_key(&record.table_id), &job);
        txn.put_json(table_key, &record);
        Ok(())
    })
    .await?;
    let mut shown = description(&target, &Stats::default(), Some("CREATING"));
    if let Some(summary) = target.settings.get(RESTORE_SUMMARY) {
        shown[RESTORE_SUMMARY] = summary.clone();
    }
    run(db, &target.table_id, super::INLINE_BATCHES).await?;
    Ok(json!({ "TableDescription": shown }))
}

/// Restore at most `batches` more batches of the table `table_id`; true
/// once it is complete (the backup work finishes what a request leaves).
pub async fn run(db: &Db, table_id: &str, batches: usize) -> Result<bool, AwsError> {
    for _ in 0..batches {
        if batch(db, table_id.to_string()).await? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Restore the next batch; true once the table is complete.
async fn batch(db: &Db, table_id: String) -> Result<bool, AwsError> {
    storage::transact(&db.store, move |txn| {
        let job_key = layout::restore_key(&table_id);
        let Some(mut job) = txn.get_json::<RestoreJob>(&job_key).map_err(errors::internal)? else {
            return Ok(true);
        };
        let record = txn.get_json::<TableRecord>(&job.table_key).map_err(errors::internal)?;
        let Some(mut record) = record.filter(|r| r.table_id == job.table_id) else {
            // The table was deleted before it was filled.
            txn.delete(job_key);
            return Ok(true);
        };
        let (entries, next) = match &job.source {
            Source::Backup { data_id } => backup_page(txn, data_id, job.after.as_deref())?,
            Source::PointInTime { table_id, generation, at_ms } => {
                pitr::state_at(txn, table_id, *generation, *at_ms, job.after.as_deref(), BATCH)?
            }
        };
        for (key, bytes) in entries {
            if bytes.is_empty() {
                continue;
            }
            let item: Item = serde_json::from_slice(&bytes).map_err(errors::corrupt)?;
            write_item(txn, &record, &key, Change::Put(item), None, ChangeCause::User, job.now_ms)
                .map_err(|e| e.into_aws(false))?;
        }
        match next {
            Some(after) => {
                job.after = Some(after);
                txn.put_json(job_key, &job);
                Ok(false)
            }
            None => {
                record.table_status = "ACTIVE".into();
                if let Some(summary) = record.settings.get_mut(RESTORE_SUMMARY) {
                    summary["RestoreInProgress"] = json!(false);
                }
                txn.put_json(job.table_key.clone(), &record);
                txn.delete(job_key);
                Ok(true)
            }
        }
    })
    .await
}

/// The next batch of a backup's items after `after`, and where the batch
/// after it starts (`None`: this was the last).
#[allow(clippy::type_complexity)]
fn backup_page(
    txn: &cloudbox_store::Txn,
    data_id: &str,
    after: Option<&[u8]>,
) -> Result<(Vec<(Vec<u8>, Vec<u8>)>, Option<Vec<u8>>), AwsError> {
    let prefix = layout::data_prefix(data_id);
    let start = after.map(|k| [prefix.as_slice(), k].concat());
    let entries = txn.scan(&prefix, start.as_deref(), BATCH, false).map_err(errors::internal)?;
    let full = entries.len() == BATCH;
    let page: Vec<(Vec<u8>, Vec<u8>)> = entries.into_iter().map(|(k, v)| (k[prefix.len()..].to_vec(), v)).collect();
    let next = if full { page.last().map(|(k, _)| k.clone()) } else { None };
    Ok((page, next))
}
