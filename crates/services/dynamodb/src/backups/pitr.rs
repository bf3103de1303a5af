//! Point-in-time recovery: UpdateContinuousBackups, DescribeContinuousBackups,
//! RestoreTableToPointInTime, the item history every write adds to while it
//! is on, and the trimming of history older than the recovery period.

use super::layout;
use super::restore::{self, Overrides, Source};
use crate::Db;
use crate::errors::{self, validation};
use crate::state::{self, PURGE_PREFIX, TableRecord};
use crate::storage;
use crate::tables::arn::table_name_of_arn;
use cloudbox_core::service::parse_input;
use cloudbox_core::{AwsError, RequestContext, Value};
use cloudbox_store::{Store, Txn};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::BTreeMap;

/// The table setting that holds [`Settings`] while recovery is on.
pub const SETTING: &str = "PointInTimeRecovery";
/// The recovery period when none is asked for, and its bounds.
const DEFAULT_DAYS: i64 = 35;
/// The newest restorable time trails the clock by five minutes.
const LATEST_LAG_MS: i64 = 5 * 60 * 1000;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
/// History entries trimmed per transaction.
const TRIM_BATCH: usize = 512;

/// Point-in-time recovery of one table, while enabled.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    pub enabled_ms: i64,
    pub recovery_period_days: i64,
}

pub fn settings(table: &TableRecord) -> Option<Settings> {
    table.settings.get(SETTING).and_then(|v| serde_json::from_value(v.clone()).ok())
}

impl Settings {
    /// The restorable window at `now_ms`: (earliest, latest).
    pub fn window(&self, now_ms: i64) -> (i64, i64) {
        (self.enabled_ms.max(now_ms - self.recovery_period_days * DAY_MS), now_ms - LATEST_LAG_MS)
    }
}

/// Add one change of the item at `key` to the table's history: `old` is
/// the stored item before the change (empty: there was none).
pub fn record_change(
    txn: &mut Txn,
    table_id: &str,
    generation: i64,
    key: &[u8],
    old: Vec<u8>,
    now_ms: i64,
) -> Result<(), AwsError> {
    let seq_key = layout::sequence_key(table_id, generation);
    let seq: u64 = txn.get_json(&seq_key).map_err(errors::internal)?.unwrap_or(0) + 1;
    txn.put_json(seq_key, &seq);
    let suffix = layout::time_suffix(now_ms, seq);
    let history_key = [layout::history_prefix(table_id, generation).as_slice(), key, suffix.as_bytes()].concat();
    let timeline_key = [layout::timeline_prefix(table_id, generation).as_slice(), suffix.as_bytes()].concat();
    txn.put(history_key, old);
    txn.put(timeline_key, key.to_vec());
    Ok(())
}

/// The table's items as they were at `at_ms`, for keys after `after`: a
/// batch of (encoded key, stored item or empty), and where the next batch
/// starts (`None`: this was the last). Current items are read first, then
/// the history of the same key range, all in `txn`.
#[allow(clippy::type_complexity)]
pub fn state_at(
    txn: &Txn,
    table_id: &str,
    generation: i64,
    at_ms: i64,
    after: Option<&[u8]>,
    limit: usize,
) -> Result<(Vec<(Vec<u8>, Vec<u8>)>, Option<Vec<u8>>), AwsError> {
    let items = state::items_prefix(table_id);
    let start = after.map(|k| [items.as_slice(), k].concat());
    let current = txn.scan(&items, start.as_deref(), limit, false).map_err(errors::internal)?;
    let upper: Option<Vec<u8>> =
        if current.len() == limit { current.last().map(|(k, _)| k[items.len()..].to_vec()) } else { None };
    let mut state: BTreeMap<Vec<u8>, Vec<u8>> =
        current.into_iter().map(|(k, v)| (k[items.len()..].to_vec(), v)).collect();
    // The first change of each key after `at_ms` holds its value at `at_ms`.
    let history = layout::history_prefix(table_id, generation);
    let mut cursor = after.map(|k| [history.as_slice(), k, &[0xFF]].concat());
    let mut decided: std::collections::BTreeSet<Vec<u8>> = Default::default();
    loop {
        let page = txn.scan(&history, cursor.as_deref(), TRIM_BATCH, false).map_err(errors::internal)?;
        let full = page.len() == TRIM_BATCH;
        for (key, old) in &page {
            let (Some(item_key), Some(time)) = (layout::item_key_of_history(key, &history), layout::time_of(key))
            else {
                continue;
            };
            if upper.as_deref().is_some_and(|u| item_key > u) {
                return Ok((state.into_iter().collect(), upper));
            }
            if time > at_ms && decided.insert(item_key.to_vec()) {
                state.insert(item_key.to_vec(), old.clone());
            }
        }
        if !full {
            break;
        }
        cursor = page.last().map(|(k, _)| k.clone());
    }
    Ok((state.into_iter().collect(), upper))
}

/// Drop history older than `cutoff_ms`; true when nothing older is left.
pub async fn trim_batch(store: &Store, table_id: String, generation: i64, cutoff_ms: i64) -> Result<bool, AwsError> {
    storage::transact(store, move |txn| {
        let timeline = layout::timeline_prefix(&table_id, generation);
        let history = layout::history_prefix(&table_id, generation);
        let entries = txn.scan(&timeline, None, TRIM_BATCH, false).map_err(errors::internal)?;
        let full = entries.len() == TRIM_BATCH;
        for (key, item_key) in entries {
            if layout::time_of(&key).is_none_or(|t| t >= cutoff_ms) {
                return Ok(true);
            }
            let suffix = &key[timeline.len()..];
            txn.delete([history.as_slice(), &item_key, suffix].concat());
            txn.delete(key);
        }
        Ok(!full)
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DescribeInput {
    table_name: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UpdateInput {
    table_name: String,
    point_in_time_recovery_specification: Specification,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct Specification {
    point_in_time_recovery_enabled: bool,
    recovery_period_in_days: Option<i64>,
}

fn table_not_found(name: &str) -> AwsError {
    AwsError::new("TableNotFoundException", format!("Table not found: {name}"), 400)
}

/// `ContinuousBackupsDescription` of `table` at `now_ms`.
fn continuous_backups(table: &TableRecord, now_ms: i64) -> Value {
    let recovery = match settings(table) {
        Some(s) => {
            let (earliest, latest) = s.window(now_ms);
            json!({
                "PointInTimeRecoveryStatus": "ENABLED",
                "RecoveryPeriodInDays": s.recovery_period_days,
                "EarliestRestorableDateTime": earliest as f64 / 1000.0,
                "LatestRestorableDateTime": latest as f64 / 1000.0,
            })
        }
        None => json!({"PointInTimeRecoveryStatus": "DISABLED"}),
    };
    json!({"ContinuousBackupsStatus": "ENABLED", "PointInTimeRecoveryDescription": recovery})
}

pub fn describe_continuous_backups(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: DescribeInput = parse_input(input)?;
    let table =
        db.catalog.find(&db.store, ctx, &input.table_name)?.ok_or_else(|| table_not_found(&input.table_name))?;
    Ok(json!({"ContinuousBackupsDescription": continuous_backups(&table, ctx.now.timestamp_millis())}))
}

pub async fn update_continuous_backups(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: UpdateInput = parse_input(input)?;
    let spec = input.point_in_time_recovery_specification;
    if let Some(days) = spec.recovery_period_in_days
        && !(1..=35).contains(&days)
    {
        return Err(validation(format!(
            "1 validation error detected: Value '{days}' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' \
             failed to satisfy constraint: Member must have value {}",
            if days < 1 { "greater than or equal to 1" } else { "less than or equal to 35" }
        )));
    }
    let now_ms = ctx.now.timestamp_millis();
    let key = state::table_key(&ctx.account, &ctx.region, &input.table_name);
    let name = input.table_name;
    let table = storage::transact(&db.store, move |txn| {
        let mut table: TableRecord =
            txn.get_json(&key).map_err(errors::internal)?.ok_or_else(|| table_not_found(&name))?;
        let current = settings(&table);
        match (spec.point_in_time_recovery_enabled, current) {
            (true, current) => {
                let settings = Settings {
                    enabled_ms: current.as_ref().map_or(now_ms, |c| c.enabled_ms),
                    recovery_period_days: spec
                        .recovery_period_in_days
                        .or(current.map(|c| c.recovery_period_days))
                        .unwrap_or(DEFAULT_DAYS),
                };
                table.settings.insert(SETTING.into(), json!(settings));
                txn.put(layout::pitr_table_key(&table.table_id), key.clone());
            }
            (false, Some(old)) => {
                table.settings.remove(SETTING);
                txn.delete(layout::pitr_table_key(&table.table_id));
                // The history goes with the setting, in bounded batches.
                let marker = format!("{PURGE_PREFIX}pitr-{}-{}", table.table_id, old.enabled_ms);
                txn.put(marker.into_bytes(), layout::pitr_prefix(&table.table_id, old.enabled_ms));
            }
            (false, None) => {}
        }
        txn.put_json(key, &table);
        Ok(table)
    })
    .await?;
    db.maintenance.kick();
    Ok(json!({"ContinuousBackupsDescription": continuous_backups(&table, now_ms)}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RestoreInput {
    source_table_arn: Option<String>,
    source_table_name: Option<String>,
    target_table_name: String,
    use_latest_restorable_time: Option<bool>,
    /// Seconds since the epoch.
    restore_date_time: Option<f64>,
    #[serde(flatten)]
    overrides: Overrides,
}

pub async fn restore_table_to_point_in_time(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: RestoreInput = parse_input(input)?;
    let source_name = match (&input.source_table_name, &input.source_table_arn) {
        (Some(name), _) => name.clone(),
        (None, Some(arn)) => table_name_of_arn(ctx, arn).map(str::to_string).ok_or_else(|| source_not_found(arn))?,
        (None, None) => return Err(validation("Either SourceTableArn or SourceTableName must be specified")),
    };
    let source = db.catalog.find(&db.store, ctx, &source_name)?.ok_or_else(|| source_not_found(&source_name))?;
    if db.catalog.find(&db.store, ctx, &input.target_table_name)?.is_some() {
        return Err(AwsError::new(
            "TableAlreadyExistsException",
            format!("Table already exists: {}", input.target_table_name),
            400,
        ));
    }
    let Some(settings) = settings(&source) else {
        return Err(AwsError::new(
            "PointInTimeRecoveryUnavailableException",
            format!("Point in time recovery is not enabled for table '{source_name}'"),
            400,
        ));
    };
    let now_ms = ctx.now.timestamp_millis();
    let (earliest, latest) = settings.window(now_ms);
    let at_ms = match (input.use_latest_restorable_time.unwrap_or(false), input.restore_date_time) {
        (true, Some(_)) => {
            return Err(validation("Only one of RestoreDateTime or UseLatestRestorableTime can be specified"));
        }
        (true, None) => latest,
        (false, Some(seconds)) => (seconds * 1000.0).round() as i64,
        (false, None) => return Err(validation("Either RestoreDateTime or UseLatestRestorableTime must be specified")),
    };
    if at_ms < earliest || at_ms > latest {
        return Err(AwsError::new(
            "InvalidRestoreTimeException",
            "Invalid restore time: RestoreDateTime must be between EarliestRestorableDateTime and \
             LatestRestorableDateTime",
            400,
        ));
    }
    let summary = json!({
        "SourceTableArn": source.table_arn,
        "RestoreDateTime": at_ms as f64 / 1000.0,
        "RestoreInProgress": true,
    });
    let target = restore::target_record(&source, ctx, &input.target_table_name, &input.overrides, summary);
    let source = Source::PointInTime { table_id: source.table_id.clone(), generation: settings.enabled_ms, at_ms };
    restore::restore(db, ctx, target, source).await
}

fn source_not_found(name: &str) -> AwsError {
    AwsError::new("SourceTableNotFoundException", format!("Source table not found: {name}"), 400)
}
