//! Turning a table's stream on and off: CreateTable and UpdateTable hand
//! their `StreamSpecification` here, DeleteTable reports the table gone.
//!
//! Enabling creates a new stream (a new label and ARN every time); disabling
//! marks the stream `DISABLED`, and it stays readable for 24 hours, like a
//! deleted table's stream.

use super::state::{StreamMeta, marker_key, meta_key};
use super::table::{enabled_specification, invalid, requested, stream_of, table_scope};
use crate::errors::{internal, validation};
use crate::state::TableRecord;
use chrono::{DateTime, Utc};
use cloudbox_core::AwsError;
use cloudbox_store::Txn;
use serde_json::Value;

/// CreateTable: check the request's `StreamSpecification` and, when it
/// enables a stream, create the stream and record it on `table`.
pub fn on_create_table(txn: &mut Txn, table: &mut TableRecord, spec: &Value, now_ms: i64) -> Result<(), AwsError> {
    let wanted = requested(spec);
    match (wanted.enabled, wanted.view_type) {
        (true, None) => Err(invalid("Table is being created with a stream enabled, UpdateViewType is required")),
        (false, Some(_)) => {
            Err(invalid("Table is being created with a stream disabled, UpdateViewType should not be specified"))
        }
        (true, Some(view_type)) => enable(txn, table, &view_type, now_ms),
        (false, None) => Ok(()),
    }
}

/// UpdateTable: enable or disable the table's stream as `spec` asks.
pub fn on_update_table(txn: &mut Txn, table: &mut TableRecord, spec: &Value, now_ms: i64) -> Result<(), AwsError> {
    let wanted = requested(spec);
    let has_stream = stream_of(table).is_some();
    match (wanted.enabled, wanted.view_type) {
        (true, None) => Err(invalid("If stream is being enabled then UpdateViewType is required")),
        (false, Some(_)) => Err(invalid("If stream is being disabled, then UpdateViewType must not be specified")),
        (true, Some(_)) if has_stream => {
            Err(validation(format!("Table already has an enabled stream: TableName: {}", table.table_name)))
        }
        (false, None) if !has_stream => {
            Err(validation(format!("Table has no stream to disable: TableName: {}", table.table_name)))
        }
        (true, Some(view_type)) => enable(txn, table, &view_type, now_ms),
        (false, None) => disable(txn, table, now_ms),
    }
}

/// DeleteTable: the table's stream, if enabled, is disabled; it stays
/// readable for 24 hours.
pub fn on_delete_table(txn: &mut Txn, table: &mut TableRecord, now_ms: i64) -> Result<(), AwsError> {
    if stream_of(table).is_some() {
        disable(txn, table, now_ms)?;
    }
    Ok(())
}

fn enable(txn: &mut Txn, table: &mut TableRecord, view_type: &str, now_ms: i64) -> Result<(), AwsError> {
    let (account, region) = table_scope(table)?;
    // Labels are creation times to the millisecond; a stream enabled twice
    // within one millisecond gets the next free one.
    let mut created_ms = now_ms;
    let mut label = stream_label(created_ms);
    while txn.get(&meta_key(&account, &region, &table.table_name, &label)).map_err(internal)?.is_some() {
        created_ms += 1;
        label = stream_label(created_ms);
    }
    let meta = StreamMeta {
        stream_arn: format!("{}/stream/{label}", table.table_arn),
        stream_label: label.clone(),
        table_name: table.table_name.clone(),
        view_type: view_type.to_string(),
        status: "ENABLED".to_string(),
        created_ms,
        disabled_ms: None,
        key_schema: serde_json::to_value(&table.key_schema).unwrap_or(Value::Null),
        shard_id: shard_id(created_ms),
        trimmed_through: 0,
    };
    txn.put_json(meta_key(&account, &region, &table.table_name, &label), &meta);
    txn.put(marker_key(&account, &region, &table.table_name, &label), Vec::new());
    table.stream_specification = Some(enabled_specification(view_type));
    table.latest_stream_arn = Some(meta.stream_arn);
    table.latest_stream_label = Some(label);
    Ok(())
}

fn disable(txn: &mut Txn, table: &mut TableRecord, now_ms: i64) -> Result<(), AwsError> {
    let (account, region) = table_scope(table)?;
    if let Some(label) = table.latest_stream_label.clone() {
        let key = meta_key(&account, &region, &table.table_name, &label);
        if let Some(mut meta) = txn.get_json::<StreamMeta>(&key).map_err(internal)? {
            meta.status = "DISABLED".to_string();
            meta.disabled_ms = Some(now_ms);
            txn.put_json(key, &meta);
        }
    }
    table.stream_specification = None;
    Ok(())
}

/// A stream's label: its creation time, as AWS writes it (`2026-01-31T12:00:00.123`).
fn stream_label(ms: i64) -> String {
    let time = DateTime::<Utc>::from_timestamp_millis(ms).unwrap_or_default();
    time.format("%Y-%m-%dT%H:%M:%S%.3f").to_string()
}

/// The id of a stream's one shard: `shardId-<20 digits>-<8 hex>`.
fn shard_id(created_ms: i64) -> String {
    let suffix: String = cloudbox_core::ids::request_id().replace('-', "").chars().take(8).collect();
    format!("shardId-{:020}-{suffix}", created_ms.max(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_millisecond_timestamps() {
        assert_eq!(stream_label(1_700_000_000_123), "2023-11-14T22:13:20.123");
    }

    #[test]
    fn shard_ids_look_like_aws() {
        let id = shard_id(1_700_000_000_000);
        assert!(id.starts_with("shardId-00000001700000000000-"), "{id}");
        assert_eq!(id.len(), "shardId-00000001700000000000-abcdef12".len());
    }
}
