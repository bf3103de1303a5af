//! The store keys of backups, restores and point-in-time history (the
//! layout is described in [`crate::backups`]).

use crate::state;
use cloudbox_core::{AccountId, Region, Scope};

pub const DATA_PREFIX: &str = "dynamodb/backup/";
pub const COPY_PREFIX: &str = "dynamodb/backup-copy/";
pub const RESTORE_PREFIX: &str = "dynamodb/restore/";
pub const PITR_TABLES_PREFIX: &str = "dynamodb/pitr-tables/";

/// Width of the time and sequence parts of a history key.
pub const TIME_DIGITS: usize = 13;
pub const SEQ_DIGITS: usize = 10;

/// Every backup record of an account in a region.
pub fn backups_prefix(account: &AccountId, region: &Region) -> Vec<u8> {
    format!("{}backup/", Scope::Regional(account.clone(), region.clone()).key_prefix("dynamodb")).into_bytes()
}

/// The backup records of one table.
pub fn table_backups_prefix(account: &AccountId, region: &Region, table: &str) -> Vec<u8> {
    let mut key = backups_prefix(account, region);
    key.extend_from_slice(table.as_bytes());
    key.push(b'/');
    key
}

/// The record of backup `backup_id` (`<ms>-<hex>`) of `table`.
pub fn backup_key(account: &AccountId, region: &Region, table: &str, backup_id: &str) -> Vec<u8> {
    let mut key = table_backups_prefix(account, region, table);
    key.extend_from_slice(backup_id.as_bytes());
    key
}

/// Where a backup's items live.
pub fn data_prefix(data_id: &str) -> Vec<u8> {
    format!("{DATA_PREFIX}{data_id}/").into_bytes()
}

pub fn copy_key(data_id: &str) -> Vec<u8> {
    format!("{COPY_PREFIX}{data_id}").into_bytes()
}

pub fn restore_key(table_id: &str) -> Vec<u8> {
    format!("{RESTORE_PREFIX}{table_id}").into_bytes()
}

pub fn pitr_table_key(table_id: &str) -> Vec<u8> {
    format!("{PITR_TABLES_PREFIX}{table_id}").into_bytes()
}

/// Everything point-in-time recovery keeps for a table while enabled since
/// `generation` (the time it was enabled, so a history being purged after
/// recovery was turned off never mixes with a new one).
pub fn pitr_prefix(table_id: &str, generation: i64) -> Vec<u8> {
    let mut key = state::table_data_prefix(table_id);
    key.extend_from_slice(format!("pitr/{generation}/").as_bytes());
    key
}

/// The history of item changes, by item key then time.
pub fn history_prefix(table_id: &str, generation: i64) -> Vec<u8> {
    let mut key = pitr_prefix(table_id, generation);
    key.extend_from_slice(b"h/");
    key
}

/// The same changes by time.
pub fn timeline_prefix(table_id: &str, generation: i64) -> Vec<u8> {
    let mut key = pitr_prefix(table_id, generation);
    key.extend_from_slice(b"t/");
    key
}

pub fn sequence_key(table_id: &str, generation: i64) -> Vec<u8> {
    let mut key = pitr_prefix(table_id, generation);
    key.extend_from_slice(b"seq");
    key
}

/// `<ms:13><seq:10>`, which sorts by time then sequence.
pub fn time_suffix(ms: i64, seq: u64) -> String {
    format!("{:0width$}{:0seq_width$}", ms.max(0), seq, width = TIME_DIGITS, seq_width = SEQ_DIGITS)
}

/// The time a history or timeline key ends with.
pub fn time_of(key: &[u8]) -> Option<i64> {
    let suffix = key.len().checked_sub(TIME_DIGITS + SEQ_DIGITS)?;
    std::str::from_utf8(&key[suffix..suffix + TIME_DIGITS]).ok()?.parse().ok()
}

/// The item key inside a history key (after the history prefix, before the time).
pub fn item_key_of_history<'a>(key: &'a [u8], prefix: &[u8]) -> Option<&'a [u8]> {
    let rest = key.strip_prefix(prefix)?;
    rest.get(..rest.len().checked_sub(TIME_DIGITS + SEQ_DIGITS)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_keys_split_into_item_key_and_time() {
        let prefix = history_prefix("tid", 1);
        let mut key = prefix.clone();
        key.extend_from_slice(b"\x01item\x00\x01");
        key.extend_from_slice(time_suffix(1_700_000_000_123, 42).as_bytes());
        assert_eq!(time_of(&key), Some(1_700_000_000_123));
        assert_eq!(item_key_of_history(&key, &prefix), Some(&b"\x01item\x00\x01"[..]));
        assert!(time_suffix(9, 1) < time_suffix(10, 0));
    }
}
