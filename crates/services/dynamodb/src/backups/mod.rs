//! On-demand backups and point-in-time recovery.
//!
//! Store layout (encoded item keys `<K>` as in [`crate::state`]):
//!
//! - `dynamodb/acct/<account>/<region>/backup/<TableName>/<ms>-<hex>`: one
//!   [`record::BackupRecord`] per backup (the key's tail is the tail of the
//!   backup's ARN), so ListBackups of one table is one prefix scan.
//! - `dynamodb/backup/<DataId>/<K>`: the backup's items, each as stored in
//!   the table, or an empty value for a key that held no item when the
//!   backup was taken.
//! - `dynamodb/backup-copy/<DataId>`: a backup whose items are still being
//!   copied, with how far the copy got ([`snapshot::CopyJob`]).
//! - `dynamodb/restore/<TableId>`: a restored table still being filled
//!   ([`restore::RestoreJob`]).
//! - `dynamodb/t/<TableId>/pitr/<gen>/h/<K><ms:13><seq:10>`: point-in-time
//!   history, the item as it was before the write at `ms` (empty: absent),
//!   and `.../t/<ms:13><seq:10>` -> `<K>`, the same changes in time order for
//!   trimming; `.../seq` counts changes. `<gen>` is when recovery was
//!   enabled, so turning it off and on never mixes two histories. Kept under
//!   the table's data so deleting the table purges it.
//! - `dynamodb/pitr-tables/<TableId>`: the table record key of every table
//!   with point-in-time recovery on, for the trimming work.
//!
//! A backup is a consistent snapshot without stopping writers: CreateBackup
//! marks the table (`BackupsInProgress` in its settings) in the same
//! transaction that reads its statistics, and from then on every item write
//! (through [`on_item_written`]) first saves the item's old value into the
//! backup unless the backup already has that key. The copy then walks the
//! table in bounded transactions, copying only keys the backup does not
//! have yet. Each key therefore holds its value as of CreateBackup.
//!
//! Point-in-time recovery keeps, while enabled, every item's value before
//! each change. The state at time T of key K is the old value of K's first
//! change after T, or K's current value when it has not changed since.

/// Batches (of 256 items) a request copies or restores itself: small
/// tables are ready when the request returns; larger ones report CREATING
/// and the backup work finishes them.
pub const INLINE_BATCHES: usize = 8;

pub mod api;
pub mod layout;
pub mod pitr;
pub mod record;
pub mod restore;
pub mod snapshot;
pub mod work;

use crate::state::TableRecord;
use crate::value::Item;
use cloudbox_core::AwsError;
use cloudbox_store::Txn;

/// Called by the change hook for every item write, inside its transaction.
pub fn on_item_written(
    txn: &mut Txn,
    table: &TableRecord,
    old: Option<&Item>,
    new: Option<&Item>,
    now_ms: i64,
) -> Result<(), AwsError> {
    let in_progress = snapshot::in_progress(table);
    let pitr = pitr::settings(table);
    if in_progress.is_empty() && pitr.is_none() {
        return Ok(());
    }
    let Some(item) = old.or(new) else { return Ok(()) };
    let key = crate::items::keys::key_of_item(&table.key, item)?;
    let old_bytes = match old {
        Some(old) => serde_json::to_vec(old).map_err(crate::errors::corrupt)?,
        None => Vec::new(),
    };
    for data_id in in_progress {
        snapshot::preserve(txn, &data_id, &key, &old_bytes)?;
    }
    if let Some(pitr) = pitr {
        pitr::record_change(txn, &table.table_id, pitr.enabled_ms, &key, old_bytes, now_ms)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
