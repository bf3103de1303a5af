//! The one hook every item write calls, inside the store transaction that
//! writes the item: put, update, delete, batch, transactions, TTL deletions
//! and PartiQL all reach it through the single write path in `items`.
//!
//! What follows from a change is decided here and nowhere else: the stream
//! record of the table's stream (if it has one) and the expiry index that
//! time to live sweeps. Because it runs in the writer's transaction, a
//! change and its consequences commit together or not at all.

use crate::state::TableRecord;
use crate::value::Item;
use cloudbox_core::AwsError;
use cloudbox_store::Txn;

/// Who caused an item change; streams show service deletions differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeCause {
    /// A request from a client (any item, batch, transaction or PartiQL write).
    User,
    /// Time to live deleted an expired item.
    TimeToLive,
}

/// Record that an item of `table` went from `old` to `new` (`None`: absent).
/// `now_ms` is cloudbox's clock, in milliseconds since the Unix epoch.
pub fn on_item_written(
    txn: &mut Txn,
    table: &TableRecord,
    old: Option<&Item>,
    new: Option<&Item>,
    cause: ChangeCause,
    now_ms: i64,
) -> Result<(), AwsError> {
    crate::ttl::index::on_item_written(txn, table, old, new)?;
    crate::backups::on_item_written(txn, table, old, new, now_ms)?;
    crate::streams::record::append(txn, table, old, new, cause, now_ms)
}
