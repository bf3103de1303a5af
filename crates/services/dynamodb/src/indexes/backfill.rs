//! Filling a global secondary index created on a table that already has
//! items. The maintenance work calls [`index_one`] for every item, in
//! batches, while writes keep indexing items themselves (a new index is
//! maintained from the moment it exists), then [`finish`].

use crate::errors;
use crate::indexes::{entry_key, project};
use crate::items::keys::index_key_of_item;
use crate::state::{IndexRecord, Stats, TableRecord};
use crate::value::{Item, item_size};
use cloudbox_core::AwsError;
use cloudbox_store::Txn;

/// Write the index entry of one item, unless it has none (sparse) or a write
/// already made it. Items whose index attributes have the wrong type are
/// left out of the index, as DynamoDB's backfill does.
pub fn index_one(
    txn: &mut Txn,
    table: &TableRecord,
    index: &IndexRecord,
    item_key: &[u8],
    item: &Item,
    stats: &mut Stats,
) -> Result<(), AwsError> {
    let Ok(Some(index_key)) = index_key_of_item(index, item) else { return Ok(()) };
    let key = entry_key(&table.table_id, index, &index_key, item_key);
    if txn.get(&key).map_err(errors::internal)?.is_some() {
        return Ok(());
    }
    let projected = project(index, &table.key, item);
    stats.add(&index.index_id, 1, (item_size(&projected) + 100) as i64);
    txn.put(key, serde_json::to_vec(&projected).map_err(errors::corrupt)?);
    Ok(())
}

/// The index is complete: ACTIVE, and the table too once no index is still
/// being created.
pub fn finish(table: &mut TableRecord, index_id: &str) {
    for index in &mut table.global_secondary_indexes {
        if index.index_id == index_id {
            index.index_status = "ACTIVE".to_string();
            index.backfilling = false;
        }
    }
    if table.global_secondary_indexes.iter().all(|i| i.index_status != "CREATING") {
        table.table_status = "ACTIVE".to_string();
    }
}
