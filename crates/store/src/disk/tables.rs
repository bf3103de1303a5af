//! The redb tables: the store's entries, reads against them (from a read
//! snapshot or from the open write transaction), the one way a transaction's
//! kept writes are applied to them (by the writer and by log replay), the
//! sequence number of the last logged batch, and the mapping of redb's
//! errors onto [`StoreError`].

use crate::range::ScanRange;
use crate::txn::ReadView;
use crate::{Entry, StoreError};
use redb::{ReadableTable, Table, TableDefinition, WriteTransaction};
use std::collections::BTreeMap;

/// Every key and value of the store, ordered by key bytes.
pub(crate) const ENTRIES: TableDefinition<&[u8], &[u8]> = TableDefinition::new("entries");

/// Facts about the write-ahead log, apart from the entries.
const LOG_STATE: TableDefinition<&str, u64> = TableDefinition::new("log");
/// The sequence number of the last logged batch whose writes are committed.
const LAST_SEQUENCE_KEY: &str = "last_sequence";

/// Writes a successful transaction asked for: whether it cleared every key,
/// and the keys it set (`Some`) or deleted (`None`).
pub(crate) type KeptWrites = (bool, BTreeMap<Vec<u8>, Option<Vec<u8>>>);

/// Any table of the store's entries that can be read.
pub(crate) trait EntryTable: ReadableTable<&'static [u8], &'static [u8]> {}

impl<T: ReadableTable<&'static [u8], &'static [u8]>> EntryTable for T {}

/// Convert any redb error into the store's error.
pub(crate) fn storage_error(error: impl Into<redb::Error>) -> StoreError {
    match error.into() {
        redb::Error::Corrupted(detail) => StoreError::Corrupt(detail),
        other => StoreError::Io(other.to_string()),
    }
}

/// The error for a panic inside the storage engine, which damaged data can cause.
pub(crate) fn engine_failure() -> StoreError {
    StoreError::Corrupt("the storage engine failed; stored data may be damaged".into())
}

/// Apply one transaction's kept writes to the entries.
pub(crate) fn apply(table: &mut Table<&'static [u8], &'static [u8]>, writes: &KeptWrites) -> Result<(), StoreError> {
    let (cleared, writes) = writes;
    if *cleared {
        table.retain(|_, _| false).map_err(storage_error)?;
    }
    for (key, value) in writes {
        match value {
            Some(value) => table.insert(key.as_slice(), value.as_slice()).map(drop),
            None => table.remove(key.as_slice()).map(drop),
        }
        .map_err(storage_error)?;
    }
    Ok(())
}

/// The sequence number of the last logged batch `txn` holds (0 for none).
pub(crate) fn last_sequence(txn: &WriteTransaction) -> Result<u64, StoreError> {
    let state = txn.open_table(LOG_STATE).map_err(storage_error)?;
    let found = state.get(LAST_SEQUENCE_KEY).map_err(storage_error)?;
    Ok(found.map_or(0, |sequence| sequence.value()))
}

pub(crate) fn record_sequence(txn: &WriteTransaction, sequence: u64) -> Result<(), StoreError> {
    let mut state = txn.open_table(LOG_STATE).map_err(storage_error)?;
    state.insert(LAST_SEQUENCE_KEY, sequence).map_err(storage_error)?;
    Ok(())
}

pub(crate) fn get_entry(table: &impl EntryTable, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
    let found = table.get(key).map_err(storage_error)?;
    Ok(found.map(|value| value.value().to_vec()))
}

pub(crate) fn scan_entries(
    table: &impl EntryTable,
    prefix: &[u8],
    bound: Option<&[u8]>,
    limit: usize,
    reverse: bool,
) -> Result<Vec<Entry>, StoreError> {
    let Some(range) = ScanRange::new(prefix, bound, reverse) else {
        return Ok(Vec::new());
    };
    entries_in(table, &range, reverse)?.take(limit).collect()
}

/// The entries in `range`, read one by one in key order (or reversed).
pub(crate) fn entries_in<'t>(
    table: &'t impl EntryTable,
    range: &ScanRange,
    reverse: bool,
) -> Result<impl Iterator<Item = Result<Entry, StoreError>> + 't, StoreError> {
    let entries = table.range::<&[u8]>(range.bounds()).map_err(storage_error)?;
    let owned = |item: Result<_, redb::StorageError>| {
        let (key, value): (redb::AccessGuard<&[u8]>, redb::AccessGuard<&[u8]>) = item.map_err(storage_error)?;
        Ok((key.value().to_vec(), value.value().to_vec()))
    };
    let ordered: Box<dyn Iterator<Item = _> + 't> = if reverse { Box::new(entries.rev()) } else { Box::new(entries) };
    Ok(ordered.map(owned))
}

/// What a transaction reads inside a batch: the open write transaction,
/// which already holds the kept writes of the batch's earlier transactions.
pub(crate) struct PendingView<'t, 'txn>(pub(crate) &'t Table<'txn, &'static [u8], &'static [u8]>);

impl ReadView for PendingView<'_, '_> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        get_entry(self.0, key)
    }

    fn scan(&self, prefix: &[u8], bound: Option<&[u8]>, limit: usize, reverse: bool) -> Result<Vec<Entry>, StoreError> {
        scan_entries(self.0, prefix, bound, limit, reverse)
    }
}

/// What a transaction reads once its batch has failed: every read fails
/// with the batch's error, and nothing it writes is kept.
pub(crate) struct FailedView(pub(crate) StoreError);

impl ReadView for FailedView {
    fn get(&self, _key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Err(self.0.clone())
    }

    fn scan(&self, _: &[u8], _: Option<&[u8]>, _: usize, _: bool) -> Result<Vec<Entry>, StoreError> {
        Err(self.0.clone())
    }
}
