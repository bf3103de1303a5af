//! The one item write path. Every writer (PutItem, UpdateItem, DeleteItem,
//! BatchWriteItem, transactions, time to live, PartiQL) calls
//! [`write_item`] inside its own store transaction: it reads the old item,
//! checks the condition, writes the new item, keeps every index and the
//! table's statistics in line and calls [`crate::changes::on_item_written`],
//! all in that transaction, so a write and its consequences commit together.
//! Several writes may share one transaction.

use crate::capacity::{Consumed, write_units};
use crate::changes::{self, ChangeCause};
use crate::errors::{self, validation};
use crate::indexes;
use crate::items::keys;
use crate::state::{Stats, TableRecord};
use crate::value::{Item, item_size};
use cloudbox_core::AwsError;
use cloudbox_store::Txn;

/// The largest item DynamoDB stores: 400 KB.
pub const MAX_ITEM_SIZE: usize = 400 * 1024;

/// What to do to the item.
pub enum Change<'a> {
    /// Replace the item (or create it).
    Put(Item),
    /// Remove the item (nothing happens if there is none).
    Delete,
    /// Compute the new item from the old one (`None`: absent); used by
    /// UpdateItem. The result must keep the primary key.
    Update(&'a dyn Fn(Option<&Item>) -> Result<Item, AwsError>),
}

/// A condition on the item as it is before the write; `Ok(false)` fails the
/// write with [`WriteError::ConditionFailed`].
pub type Condition<'a> = &'a dyn Fn(Option<&Item>) -> Result<bool, AwsError>;

/// Why a write did not happen.
#[derive(Debug)]
pub enum WriteError {
    /// The condition was false; carries the item as it was.
    ConditionFailed(Option<Item>),
    Failed(AwsError),
}

impl From<AwsError> for WriteError {
    fn from(err: AwsError) -> Self {
        WriteError::Failed(err)
    }
}

impl WriteError {
    /// The error a single-item operation answers with: the condition failure
    /// carries the old item when `return_old_on_failure` is set
    /// (`ReturnValuesOnConditionCheckFailure=ALL_OLD`).
    pub fn into_aws(self, return_old_on_failure: bool) -> AwsError {
        match self {
            WriteError::Failed(err) => err,
            WriteError::ConditionFailed(old) => {
                let err = errors::conditional_check_failed();
                match (return_old_on_failure, old) {
                    (true, Some(old)) => err.with_member("Item", crate::value::item_to_wire(&old)),
                    _ => err,
                }
            }
        }
    }
}

/// What a write did.
#[derive(Debug)]
pub struct Written {
    pub old: Option<Item>,
    pub new: Option<Item>,
    /// Write units on the table and its indexes.
    pub consumed: Consumed,
}

/// Read the item at `key` (an encoded primary key, [`keys::key_of_key`] or
/// [`keys::key_of_item`]) in `txn`, as stored; `None` if absent.
pub fn read_item(txn: &Txn, table_id: &str, key: &[u8]) -> Result<Option<Item>, AwsError> {
    match txn.get(&keys::item_store_key(table_id, key)).map_err(errors::internal)? {
        None => Ok(None),
        Some(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(errors::corrupt),
    }
}

/// Write one item of `record` at the encoded primary key `key`, in `txn`.
/// `record` must be the table as `txn` sees it (read it in the transaction,
/// or check a record read before with `tables::catalog::Table::current`). `now_ms` is
/// cloudbox's clock in milliseconds, passed to the change hook.
pub fn write_item(
    txn: &mut Txn,
    record: &TableRecord,
    key: &[u8],
    change: Change<'_>,
    condition: Option<Condition<'_>>,
    cause: ChangeCause,
    now_ms: i64,
) -> Result<Written, WriteError> {
    let store_key = keys::item_store_key(&record.table_id, key);
    let old: Option<Item> = match txn.get(&store_key).map_err(errors::internal)? {
        None => None,
        Some(bytes) => Some(serde_json::from_slice(&bytes).map_err(errors::corrupt)?),
    };
    if let Some(condition) = condition
        && !condition(old.as_ref())?
    {
        return Err(WriteError::ConditionFailed(old));
    }
    let updating = matches!(change, Change::Update(_));
    let new = match change {
        Change::Put(item) => Some(item),
        Change::Delete => None,
        Change::Update(apply) => {
            let item = apply(old.as_ref())?;
            check_key_kept(record, key, &item)?;
            Some(item)
        }
    };
    if old.is_none() && new.is_none() {
        let mut consumed = Consumed::new(&record.table_name, false);
        consumed.table = write_units(0);
        return Ok(Written { old, new, consumed });
    }
    let old_size = old.as_ref().map_or(0, item_size);
    let new_size = new.as_ref().map_or(0, item_size);
    if new_size > MAX_ITEM_SIZE {
        let message = if updating {
            "Item size to update has exceeded the maximum allowed size"
        } else {
            "Item size has exceeded the maximum allowed size"
        };
        return Err(validation(message).into());
    }
    let mut consumed = Consumed::new(&record.table_name, false);
    consumed.table = write_units(old_size.max(new_size));
    let mut stats = Stats::default();
    stats.add("", i64::from(new.is_some()) - i64::from(old.is_some()), new_size as i64 - old_size as i64);
    // Indexes that project everything store the same bytes as the table.
    let shared_with_indexes = record.indexes().any(|i| i.projection.projection_type == "ALL");
    let new_json = match &new {
        Some(item) => {
            let json = serde_json::to_vec(item).map_err(errors::corrupt)?;
            let copy = shared_with_indexes.then(|| json.clone());
            txn.put(store_key, json);
            copy
        }
        None => {
            txn.delete(store_key);
            None
        }
    };
    indexes::maintain(txn, record, key, old.as_ref(), new.as_ref(), new_json.as_deref(), &mut consumed, &mut stats)?;
    indexes::save_stats(txn, &record.table_id, &stats)?;
    changes::on_item_written(txn, record, old.as_ref(), new.as_ref(), cause, now_ms)?;
    Ok(Written { old, new, consumed })
}

/// Delete `item` (as read in `txn`) from `record`'s table without a
/// condition: time to live's deletions.
pub fn delete_expired(
    txn: &mut Txn,
    record: &TableRecord,
    item: &Item,
    cause: ChangeCause,
    now_ms: i64,
) -> Result<(), AwsError> {
    let key = keys::key_of_item(&record.key, item)?;
    match write_item(txn, record, &key, Change::Delete, None, cause, now_ms) {
        Ok(_) => Ok(()),
        Err(err) => Err(err.into_aws(false)),
    }
}

/// An update may not change the primary key.
fn check_key_kept(record: &TableRecord, key: &[u8], item: &Item) -> Result<(), AwsError> {
    let kept = keys::key_of_item(&record.key, item).map(|k| k == key).unwrap_or(false);
    if kept {
        return Ok(());
    }
    let name = record.key.names().find(|n| !item.contains_key(*n)).unwrap_or(&record.key.hash.0);
    Err(validation(format!(
        "One or more parameter values were invalid: Cannot update attribute {name}. This attribute is part of the key"
    )))
}
