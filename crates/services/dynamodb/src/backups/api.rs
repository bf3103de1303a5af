//! CreateBackup, DescribeBackup, ListBackups, DeleteBackup and
//! RestoreTableFromBackup.

use super::layout;
use super::record::BackupRecord;
use super::restore::{self, Overrides, Source};
use super::snapshot;
use crate::Db;
use crate::errors;
use crate::state::{self, PURGE_PREFIX, Stats, TableRecord};
use crate::storage;
use crate::tables::arn::{resource_after_table, table_arn};
use cloudbox_core::service::parse_input;
use cloudbox_core::{AwsError, RequestContext, Value};
use serde::Deserialize;
use serde_json::json;

/// ListBackups' largest page, and its page when none is asked for.
const MAX_LIMIT: i64 = 100;

fn table_not_found(name: &str) -> AwsError {
    AwsError::new("TableNotFoundException", format!("Table not found: {name}"), 400)
}

fn backup_not_found(arn: &str) -> AwsError {
    AwsError::new("BackupNotFoundException", format!("Backup not found: {arn}"), 400)
}

/// `arn:aws:dynamodb:<region>:<account>:table/<name>/backup/<ms>-<hex>`.
fn backup_arn(ctx: &RequestContext, table: &str, backup_id: &str) -> String {
    format!("{}/backup/{backup_id}", table_arn(ctx, table))
}

/// The record key a backup ARN of this account and region names.
fn key_of_arn(ctx: &RequestContext, arn: &str) -> Option<Vec<u8>> {
    let (table, backup_id) = resource_after_table(ctx, arn)?.split_once("/backup/")?;
    if table.is_empty() || table.contains('/') || backup_id.is_empty() || backup_id.contains('/') {
        return None;
    }
    Some(layout::backup_key(&ctx.account, &ctx.region, table, backup_id))
}

fn read_backup(db: &Db, ctx: &RequestContext, arn: &str) -> Result<(Vec<u8>, BackupRecord), AwsError> {
    let key = key_of_arn(ctx, arn).ok_or_else(|| backup_not_found(arn))?;
    let record = db.store.get_json::<BackupRecord>(&key).map_err(errors::internal)?;
    record.map(|r| (key, r)).ok_or_else(|| backup_not_found(arn))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct CreateBackupInput {
    table_name: String,
    backup_name: String,
}

pub async fn create_backup(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let backup = begin_backup(db, ctx, input).await?;
    let done = snapshot::run_copy(&db.store, &backup.data_id, super::INLINE_BATCHES).await?;
    Ok(json!({"BackupDetails": backup.details(Some(if done { "AVAILABLE" } else { "CREATING" }))}))
}

/// Record the backup and mark the table, in one transaction: from here on
/// the backup's content is fixed, whatever the copy meets later.
pub(crate) async fn begin_backup(db: &Db, ctx: &RequestContext, input: Value) -> Result<BackupRecord, AwsError> {
    let input: CreateBackupInput = parse_input(input)?;
    let now_ms = ctx.now.timestamp_millis();
    let hex = uuid::Uuid::new_v4().simple().to_string();
    let backup_id = format!("{now_ms:013}-{}", &hex[..8]);
    let arn = backup_arn(ctx, &input.table_name, &backup_id);
    let table_key = state::table_key(&ctx.account, &ctx.region, &input.table_name);
    let backup_key = layout::backup_key(&ctx.account, &ctx.region, &input.table_name, &backup_id);
    let data_id = uuid::Uuid::new_v4().simple().to_string();
    let name = input.table_name.clone();
    storage::transact(&db.store, move |txn| {
        let mut table: TableRecord =
            txn.get_json(&table_key).map_err(errors::internal)?.ok_or_else(|| table_not_found(&name))?;
        let stats: Stats =
            txn.get_json(&state::stats_key(&table.table_id)).map_err(errors::internal)?.unwrap_or_default();
        let (item_count, size_bytes) = stats.of("");
        let mut snapshot_of = table.clone();
        snapshot_of.settings.clear();
        let backup = BackupRecord {
            backup_arn: arn,
            backup_name: input.backup_name,
            backup_id,
            data_id,
            status: "CREATING".into(),
            created_ms: now_ms,
            item_count,
            size_bytes,
            table: snapshot_of,
        };
        snapshot::start(txn, &table_key, &mut table, &backup, &backup_key);
        txn.put_json(backup_key, &backup);
        Ok(backup)
    })
    .await
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct BackupArnInput {
    backup_arn: String,
}

pub fn describe_backup(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: BackupArnInput = parse_input(input)?;
    let (_, backup) = read_backup(db, ctx, &input.backup_arn)?;
    Ok(json!({"BackupDescription": backup.description(None)}))
}

pub async fn delete_backup(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: BackupArnInput = parse_input(input)?;
    let (key, backup) = read_backup(db, ctx, &input.backup_arn)?;
    if backup.status == "CREATING" {
        return Err(AwsError::new(
            "BackupInUseException",
            format!("Backup is being created: {}", backup.backup_arn),
            400,
        ));
    }
    let arn = input.backup_arn.clone();
    let data_id = backup.data_id.clone();
    storage::transact(&db.store, move |txn| {
        if storage::get(txn, &key)?.is_none() {
            return Err(backup_not_found(&arn));
        }
        txn.delete(key);
        // The items go in bounded batches, with the maintenance work's purges.
        txn.put(format!("{PURGE_PREFIX}backup-{data_id}").into_bytes(), layout::data_prefix(&data_id));
        Ok(())
    })
    .await?;
    db.maintenance.kick();
    Ok(json!({"BackupDescription": backup.description(Some("DELETED"))}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ListBackupsInput {
    table_name: Option<String>,
    limit: Option<i64>,
    /// Seconds since the epoch, inclusive.
    time_range_lower_bound: Option<f64>,
    /// Seconds since the epoch, exclusive.
    time_range_upper_bound: Option<f64>,
    exclusive_start_backup_arn: Option<String>,
    backup_type: Option<String>,
}

pub fn list_backups(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: ListBackupsInput = parse_input(input)?;
    let limit = errors::page_limit(input.limit, MAX_LIMIT)?;
    // Every backup cloudbox takes is a USER backup.
    let wanted_type = input.backup_type.as_deref().unwrap_or("USER");
    if wanted_type != "USER" && wanted_type != "ALL" {
        return Ok(json!({"BackupSummaries": []}));
    }
    let prefix = match &input.table_name {
        Some(table) => layout::table_backups_prefix(&ctx.account, &ctx.region, table),
        None => layout::backups_prefix(&ctx.account, &ctx.region),
    };
    let lower = input.time_range_lower_bound.map(|s| (s * 1000.0).round() as i64);
    let upper = input.time_range_upper_bound.map(|s| (s * 1000.0).round() as i64);
    let mut after = match &input.exclusive_start_backup_arn {
        Some(arn) => Some(key_of_arn(ctx, arn).ok_or_else(|| backup_not_found(arn))?),
        None => None,
    };
    let mut summaries = Vec::new();
    let mut last_arn = None;
    'pages: loop {
        let page = db.store.scan(&prefix, after.as_deref(), MAX_LIMIT as usize).map_err(errors::internal)?;
        let full = page.len() == MAX_LIMIT as usize;
        for (key, bytes) in page {
            after = Some(key);
            let backup: BackupRecord = serde_json::from_slice(&bytes).map_err(errors::corrupt)?;
            let in_range = lower.is_none_or(|l| backup.created_ms >= l) && upper.is_none_or(|u| backup.created_ms < u);
            if !in_range {
                continue;
            }
            summaries.push(backup.summary());
            if summaries.len() == limit {
                last_arn = Some(backup.backup_arn);
                break 'pages;
            }
        }
        if !full {
            break;
        }
    }
    let mut out = json!({"BackupSummaries": summaries});
    if let Some(arn) = last_arn {
        out["LastEvaluatedBackupArn"] = json!(arn);
    }
    Ok(out)
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct RestoreFromBackupInput {
    target_table_name: String,
    backup_arn: String,
    #[serde(flatten)]
    overrides: Overrides,
}

pub async fn restore_table_from_backup(db: &Db, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: RestoreFromBackupInput = parse_input(input)?;
    let (_, backup) = read_backup(db, ctx, &input.backup_arn)?;
    if backup.status != "AVAILABLE" {
        return Err(AwsError::new(
            "BackupInUseException",
            format!("Backup is being created: {}", backup.backup_arn),
            400,
        ));
    }
    let summary = json!({
        "SourceBackupArn": backup.backup_arn,
        "SourceTableArn": backup.table.table_arn,
        "RestoreDateTime": ctx.now.timestamp_millis() as f64 / 1000.0,
        "RestoreInProgress": true,
    });
    let target = restore::target_record(&backup.table, ctx, &input.target_table_name, &input.overrides, summary);
    restore::restore(db, ctx, target, Source::Backup { data_id: backup.data_id.clone() }).await
}
