//! Secondary indexes: their entries are written in the same store
//! transaction as the item they come from, by [`maintain`], which every item
//! write calls. Entries hold the item as the index projects it (see
//! [`crate::state`] for the key layout), so index reads never visit the table.

pub mod backfill;

use crate::capacity::{Consumed, write_units};
use crate::errors;
use crate::items::keys::index_key_of_item;
use crate::state::{self, IndexRecord, KeyShape, Stats, TableRecord};
use crate::value::{Item, item_size};
use cloudbox_core::AwsError;
use cloudbox_store::Txn;

/// What AWS adds to each index entry's size for its own bookkeeping.
const ENTRY_OVERHEAD: usize = 100;

/// The store key of an index entry.
pub fn entry_key(table_id: &str, index: &IndexRecord, index_key: &[u8], item_key: &[u8]) -> Vec<u8> {
    let mut key = state::index_prefix(table_id, &index.index_id);
    key.extend_from_slice(index_key);
    key.extend_from_slice(item_key);
    key
}

/// The attributes of `item` the index carries.
pub fn project(index: &IndexRecord, table_key: &KeyShape, item: &Item) -> Item {
    if index.projection.projection_type == "ALL" {
        return item.clone();
    }
    item.iter().filter(|(name, _)| index.projects(table_key, name)).map(|(n, v)| (n.clone(), v.clone())).collect()
}

/// Bring every live index of `table` in line with the item at `item_key`
/// going from `old` to `new`, counting units and sizes. `new_json` is the
/// stored form of `new`, reused for indexes that project everything.
#[allow(clippy::too_many_arguments)]
pub fn maintain(
    txn: &mut Txn,
    table: &TableRecord,
    item_key: &[u8],
    old: Option<&Item>,
    new: Option<&Item>,
    new_json: Option<&[u8]>,
    consumed: &mut Consumed,
    stats: &mut Stats,
) -> Result<(), AwsError> {
    for index in table.indexes().filter(|i| i.index_status != "DELETING") {
        let old_key = old.and_then(|item| index_key_of_item(index, item).ok().flatten());
        let new_key = match new {
            Some(item) => index_key_of_item(index, item)?,
            None => None,
        };
        let old_projected = old_key.as_ref().and(old).map(|item| project(index, &table.key, item));
        let new_projected = new_key.as_ref().and(new).map(|item| project(index, &table.key, item));
        if old_key == new_key && old_projected == new_projected {
            continue;
        }
        let mut units = 0.0;
        if let (Some(key), Some(projected)) = (&old_key, &old_projected) {
            let size = item_size(projected) + ENTRY_OVERHEAD;
            stats.add(&index.index_id, -1, -(size as i64));
            if new_key.as_ref() != Some(key) {
                txn.delete(entry_key(&table.table_id, index, key, item_key));
                units += write_units(size);
            }
        }
        if let (Some(key), Some(projected)) = (&new_key, &new_projected) {
            let size = item_size(projected) + ENTRY_OVERHEAD;
            stats.add(&index.index_id, 1, size as i64);
            let value = match (index.projection.projection_type.as_str(), new_json) {
                ("ALL", Some(json)) => json.to_vec(),
                _ => serde_json::to_vec(projected).map_err(errors::corrupt)?,
            };
            txn.put(entry_key(&table.table_id, index, key, item_key), value);
            units += write_units(size);
        }
        consumed.add_index(table, &index.index_name, units);
    }
    Ok(())
}

/// Add `delta` to the table's stored statistics.
pub fn save_stats(txn: &mut Txn, table_id: &str, delta: &Stats) -> Result<(), AwsError> {
    if delta.0.is_empty() {
        return Ok(());
    }
    let key = state::stats_key(table_id);
    let mut stats: Stats = txn.get_json(&key).map_err(errors::internal)?.unwrap_or_default();
    for (name, (count, bytes)) in &delta.0 {
        stats.add(name, *count, *bytes);
    }
    txn.put_json(key, &stats);
    Ok(())
}
