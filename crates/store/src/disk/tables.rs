//! The redb table that holds the store's entries, reads against it (from a
//! read snapshot or from the open write transaction), and the mapping of
//! redb's errors onto [`StoreError`].

use crate::range::ScanRange;
use crate::txn::ReadView;
use crate::{Entry, StoreError};
use redb::{ReadableTable, Table, TableDefinition};

/// Every key and value of the store, ordered by key bytes.
pub(crate) const ENTRIES: TableDefinition<&[u8], &[u8]> = TableDefinition::new("entries");

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
    let entries = table.range::<&[u8]>(range.bounds()).map_err(storage_error)?;
    let owned = |item: Result<_, redb::StorageError>| {
        let (key, value): (redb::AccessGuard<&[u8]>, redb::AccessGuard<&[u8]>) = item.map_err(storage_error)?;
        Ok((key.value().to_vec(), value.value().to_vec()))
    };
    if reverse { entries.rev().take(limit).map(owned).collect() } else { entries.take(limit).map(owned).collect() }
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
