//! Where streams live in the store, and what is kept for each.
//!
//! Under the regional prefix `dynamodb/acct/<account>/<region>/`:
//!
//! - `stream/<TableName>/<label>`: one [`StreamMeta`] per stream a table has
//!   had (the enabled one and disabled ones still readable).
//! - `streamseq/<TableName>/<label>`: the last sequence number handed out,
//!   kept apart so that a write touches a few bytes, not the whole record.
//! - `streamrec/<TableName>/<label>/<sequence number>`: one [`StoredRecord`]
//!   per change, keyed by its fixed-width sequence number so key order is
//!   stream order.
//!
//! And `dynamodb/global/streams/<account>/<region>/<TableName>/<label>`: an
//! empty marker per stream, so retention finds every stream without walking
//! items.

use crate::value::Item;
use cloudbox_core::{AccountId, Region, Scope};
use serde::{Deserialize, Serialize};

/// How long stream records (and disabled streams) stay readable.
pub const RETENTION_MS: i64 = 24 * 60 * 60 * 1000;

/// Sequence numbers are `SEQUENCE_BASE + n`, written with 21 digits.
const SEQUENCE_BASE: u128 = 100_000_000_000_000_000_000;

/// One stream of one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StreamMeta {
    pub stream_arn: String,
    pub stream_label: String,
    pub table_name: String,
    pub view_type: String,
    /// `ENABLED` or `DISABLED`.
    pub status: String,
    pub created_ms: i64,
    pub disabled_ms: Option<i64>,
    /// The table's key schema, as `DescribeStream` returns it.
    pub key_schema: serde_json::Value,
    pub shard_id: String,
    /// Records with sequence numbers up to this one were trimmed (0: none).
    #[serde(default)]
    pub trimmed_through: u64,
}

/// One change, as kept in the stream.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRecord {
    pub event_id: String,
    /// `INSERT`, `MODIFY` or `REMOVE`.
    pub event_name: String,
    pub created_ms: i64,
    pub keys: Item,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_image: Option<Item>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub old_image: Option<Item>,
    pub size_bytes: u64,
    /// Deleted by time to live rather than by a client.
    #[serde(default)]
    pub by_service: bool,
}

fn regional(account: &AccountId, region: &Region) -> String {
    Scope::Regional(account.clone(), region.clone()).key_prefix("dynamodb")
}

/// The prefix of every stream record of every table in one account and region.
pub fn streams_prefix(account: &AccountId, region: &Region) -> Vec<u8> {
    format!("{}stream/", regional(account, region)).into_bytes()
}

/// The prefix of the streams one table has had.
pub fn table_streams_prefix(account: &AccountId, region: &Region, table: &str) -> Vec<u8> {
    format!("{}stream/{table}/", regional(account, region)).into_bytes()
}

pub fn meta_key(account: &AccountId, region: &Region, table: &str, label: &str) -> Vec<u8> {
    format!("{}stream/{table}/{label}", regional(account, region)).into_bytes()
}

pub fn sequence_key(account: &AccountId, region: &Region, table: &str, label: &str) -> Vec<u8> {
    format!("{}streamseq/{table}/{label}", regional(account, region)).into_bytes()
}

/// The prefix of one stream's records.
pub fn records_prefix(account: &AccountId, region: &Region, table: &str, label: &str) -> Vec<u8> {
    format!("{}streamrec/{table}/{label}/", regional(account, region)).into_bytes()
}

pub fn record_key(account: &AccountId, region: &Region, table: &str, label: &str, sequence: u64) -> Vec<u8> {
    let mut key = records_prefix(account, region, table, label);
    key.extend_from_slice(sequence_number(sequence).as_bytes());
    key
}

/// The prefix of the marker of every stream of every account and region.
pub fn all_markers_prefix() -> Vec<u8> {
    format!("{}streams/", Scope::Global.key_prefix("dynamodb")).into_bytes()
}

pub fn marker_key(account: &AccountId, region: &Region, table: &str, label: &str) -> Vec<u8> {
    let mut key = all_markers_prefix();
    key.extend_from_slice(format!("{account}/{region}/{table}/{label}").as_bytes());
    key
}

/// The account, region, table and label a marker key names.
pub fn parse_marker(key: &[u8]) -> Option<(AccountId, Region, String, String)> {
    let rest = std::str::from_utf8(key.strip_prefix(all_markers_prefix().as_slice())?).ok()?;
    let mut parts = rest.splitn(4, '/');
    let account = AccountId::parse(parts.next()?)?;
    let region = Region::new(parts.next()?);
    let table = parts.next()?.to_string();
    let label = parts.next()?.to_string();
    Some((account, region, table, label))
}

/// The n-th sequence number of a stream, as AWS writes them: 21 decimal digits.
pub fn sequence_number(n: u64) -> String {
    format!("{:021}", SEQUENCE_BASE + u128::from(n))
}

/// The position a client's sequence number stands for, if it is one of ours.
pub fn parse_sequence_number(text: &str) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value: u128 = text.parse().ok()?;
    value.checked_sub(SEQUENCE_BASE).and_then(|n| u64::try_from(n).ok())
}

/// The sequence number a record key ends with.
pub fn sequence_of_key(key: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(key.rsplit(|b| *b == b'/').next()?).ok()?;
    parse_sequence_number(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_numbers_are_21_digits_and_sort_as_text() {
        let a = sequence_number(9);
        let b = sequence_number(10);
        assert_eq!(a.len(), 21);
        assert!(a < b);
        assert_eq!(parse_sequence_number(&b), Some(10));
        assert_eq!(parse_sequence_number("12"), None);
        assert_eq!(parse_sequence_number("x1"), None);
    }

    #[test]
    fn markers_round_trip() {
        let account = AccountId::parse("123456789012").unwrap();
        let region = Region::new("eu-west-1");
        let key = marker_key(&account, &region, "orders", "2026-01-01T00:00:00.000");
        let (a, r, t, l) = parse_marker(&key).unwrap();
        assert_eq!((a, r, t.as_str(), l.as_str()), (account, region, "orders", "2026-01-01T00:00:00.000"));
    }
}
