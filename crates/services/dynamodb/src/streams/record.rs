//! Appending a change to a table's stream, from the change hook, inside the
//! writer's transaction.

use super::state::{StoredRecord, record_key, sequence_key};
use super::table::{TableStream, stream_of, table_scope};
use crate::changes::ChangeCause;
use crate::errors::internal;
use crate::items::keys::key_attributes;
use crate::state::TableRecord;
use crate::value::{Item, item_size};
use cloudbox_core::AwsError;
use cloudbox_store::Txn;

/// Append the change from `old` to `new` to `table`'s enabled stream, if it
/// has one. A write that changes nothing writes no record, as on AWS.
pub fn append(
    txn: &mut Txn,
    table: &TableRecord,
    old: Option<&Item>,
    new: Option<&Item>,
    cause: ChangeCause,
    now_ms: i64,
) -> Result<(), AwsError> {
    let Some(stream) = stream_of(table) else { return Ok(()) };
    let Some(record) = build(table, &stream, old, new, cause, now_ms) else { return Ok(()) };
    let (account, region) = table_scope(table)?;
    let counter = sequence_key(&account, &region, &table.table_name, &stream.label);
    let last = match txn.get(&counter).map_err(internal)? {
        Some(bytes) => std::str::from_utf8(&bytes).ok().and_then(|t| t.parse::<u64>().ok()).unwrap_or(0),
        None => 0,
    };
    let sequence = last + 1;
    txn.put(counter, sequence.to_string());
    txn.put_json(record_key(&account, &region, &table.table_name, &stream.label, sequence), &record);
    Ok(())
}

/// The record of one change, with the images the stream's view type keeps.
fn build(
    table: &TableRecord,
    stream: &TableStream,
    old: Option<&Item>,
    new: Option<&Item>,
    cause: ChangeCause,
    now_ms: i64,
) -> Option<StoredRecord> {
    let event_name = match (old, new) {
        (None, None) => return None,
        (Some(old), Some(new)) if old == new => return None,
        (None, Some(_)) => "INSERT",
        (Some(_), Some(_)) => "MODIFY",
        (Some(_), None) => "REMOVE",
    };
    let keys = key_attributes(&table.key, new.or(old)?);
    let (keep_new, keep_old) = match stream.view_type.as_str() {
        "NEW_IMAGE" => (true, false),
        "OLD_IMAGE" => (false, true),
        "NEW_AND_OLD_IMAGES" => (true, true),
        _ => (false, false),
    };
    let new_image = new.filter(|_| keep_new).cloned();
    let old_image = old.filter(|_| keep_old).cloned();
    let size_bytes =
        [Some(&keys), new_image.as_ref(), old_image.as_ref()].into_iter().flatten().map(item_size).sum::<usize>();
    Some(StoredRecord {
        event_id: cloudbox_core::ids::request_id().replace('-', ""),
        event_name: event_name.to_string(),
        created_ms: now_ms,
        keys,
        new_image,
        old_image,
        size_bytes: size_bytes as u64,
        by_service: cause == ChangeCause::TimeToLive,
    })
}
