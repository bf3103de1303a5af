//! The on-disk format version: recorded when a data directory is created,
//! checked on every open, and the hook that upgrades older formats.

use super::tables::{ENTRIES, storage_error};
use crate::{FORMAT_VERSION, StoreError};
use redb::{Database, ReadableTable, TableDefinition, WriteTransaction};

/// Facts about the store itself, apart from its entries.
const META: TableDefinition<&str, u32> = TableDefinition::new("meta");
const FORMAT_VERSION_KEY: &str = "format_version";

/// Make the database ready for this build: initialise a new one, upgrade an
/// older one, refuse a newer one. Commits only when something changed.
pub(crate) fn prepare(db: &Database) -> Result<(), StoreError> {
    let txn = db.begin_write().map_err(storage_error)?;
    match recorded_version(&txn)? {
        Some(found) if found == FORMAT_VERSION => return Ok(()),
        Some(found) if found > FORMAT_VERSION => return Err(StoreError::TooNew { found, supported: FORMAT_VERSION }),
        Some(older) => upgrade(&txn, older)?,
        None => initialise(&txn)?,
    }
    record_version(&txn, FORMAT_VERSION)?;
    txn.commit().map_err(storage_error)
}

pub(super) fn recorded_version(txn: &WriteTransaction) -> Result<Option<u32>, StoreError> {
    let meta = txn.open_table(META).map_err(storage_error)?;
    let found = meta.get(FORMAT_VERSION_KEY).map_err(storage_error)?;
    Ok(found.map(|version| version.value()))
}

pub(super) fn record_version(txn: &WriteTransaction, version: u32) -> Result<(), StoreError> {
    let mut meta = txn.open_table(META).map_err(storage_error)?;
    meta.insert(FORMAT_VERSION_KEY, version).map_err(storage_error)?;
    Ok(())
}

fn initialise(txn: &WriteTransaction) -> Result<(), StoreError> {
    txn.open_table(ENTRIES).map_err(storage_error)?;
    Ok(())
}

/// Bring a database written in format `from` up to [`FORMAT_VERSION`], one
/// version at a time, inside the caller's transaction.
fn upgrade(txn: &WriteTransaction, from: u32) -> Result<(), StoreError> {
    for version in from..FORMAT_VERSION {
        upgrade_one(txn, version)?;
    }
    Ok(())
}

/// Rewrite whatever format `version` stored differently from `version + 1`.
fn upgrade_one(txn: &WriteTransaction, version: u32) -> Result<(), StoreError> {
    match version {
        // Before format 1 nothing was released: only make sure the entries exist.
        0 => initialise(txn),
        // Format 2 adds the log's sequence number, recorded with the first
        // logged batch; format 1 closed cleanly has nothing to replay.
        _ => Ok(()),
    }
}
