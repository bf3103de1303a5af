//! Bringing the database up to date with the write-ahead log when the store
//! opens: the batches logged after the last checkpoint (those a crash kept
//! out of the database file) are applied again, exactly as the writer
//! applied them, and committed with a flush as a checkpoint.

use super::log_file::LogFile;
use super::tables::{self, ENTRIES, storage_error};
use crate::StoreError;
use redb::{Database, Durability};

/// Replay the log into `db` and start the log over. Returns the sequence
/// number the next logged batch gets.
pub(crate) fn recover(db: &Database, log: &mut LogFile) -> Result<u64, StoreError> {
    let mut txn = db.begin_write().map_err(storage_error)?;
    txn.set_durability(Durability::Immediate).map_err(storage_error)?;
    let durable = tables::last_sequence(&txn)?;
    let records = log.records_after(durable)?;
    let Some((last, _)) = records.last() else {
        // Nothing to replay; records from before the last checkpoint are
        // never replayed whatever follows, so the log just starts over.
        log.restart();
        return Ok(durable + 1);
    };
    let last = *last;
    {
        let mut table = txn.open_table(ENTRIES).map_err(storage_error)?;
        for (_, sets) in &records {
            for writes in sets {
                tables::apply(&mut table, writes)?;
            }
        }
    }
    tables::record_sequence(&txn, last)?;
    txn.commit().map_err(storage_error)?;
    log.restart();
    Ok(last + 1)
}
