//! Where DynamoDB keeps its state in the store, and the table record.
//!
//! Table records live under the regional prefix
//! `dynamodb/acct/<account>/<region>/`:
//!
//! - `table/<TableName>`: one record per table ([`TableRecord`], JSON). The
//!   key holds nothing after the name, so a scan of `table/` yields exactly
//!   one entry per table, in the byte order of the names (the order AWS
//!   lists tables in).
//!
//! Everything a table holds lives under its internal id (the `TableId` AWS
//! reports, a UUID, never reused), `dynamodb/t/<TableId>/`:
//!
//! - `i/<key>`: one item, where `<key>` is
//!   `encode_key_part(partition) ++ encode_key_part(sort)` (the sort part
//!   only for composite keys). The encoding preserves DynamoDB's order and
//!   delimits itself, so one partition is one contiguous key range in sort
//!   key order: a Query is a range scan whose cost does not depend on the
//!   size of the table. The value is the item's wire form as compact JSON.
//! - `x/<IndexId>/<index key><table key>`: one entry per item that has the
//!   index's key attributes (indexes are sparse). The index key is encoded
//!   like a table key; the table key appended keeps entries with equal index
//!   keys apart (and in table key order). The value is the item as the index
//!   projects it, wire-form JSON, so a Query on an index is one range scan.
//! - `stats`: item counts and sizes of the table and of each index ([`Stats`]).
//! - `tags`: the table's tags, a JSON map.
//!
//! (`<IndexId>` is an index's internal id, so an index deleted and created
//! again under the same name never shares entries with its predecessor.)
//!
//! Because a table's data hangs off its id, DeleteTable drops the table
//! record at once (the name can be reused right away) and leaves a purge
//! marker `dynamodb/purge/<id>` whose value is the key prefix to delete; the
//! maintenance work ([`crate::storage::maintenance`]) deletes it in bounded
//! batches. Deleted indexes are purged the same way. Index backfills are
//! marked by `dynamodb/backfill/<TableId>/<IndexId>`, whose value is the key
//! of the table record.

use cloudbox_core::{AccountId, Region, Scope};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

const TABLE_FAMILY: &str = "table/";
/// The prefix of every table's data.
pub const DATA_PREFIX: &str = "dynamodb/t/";
/// The prefix of purge markers.
pub const PURGE_PREFIX: &str = "dynamodb/purge/";
/// The prefix of backfill markers.
pub const BACKFILL_PREFIX: &str = "dynamodb/backfill/";

/// The key prefix of every table record of one account in one region.
pub fn tables_prefix(account: &AccountId, region: &Region) -> Vec<u8> {
    let scope = Scope::Regional(account.clone(), region.clone());
    format!("{}{TABLE_FAMILY}", scope.key_prefix("dynamodb")).into_bytes()
}

/// The key of one table's record.
pub fn table_key(account: &AccountId, region: &Region, table_name: &str) -> Vec<u8> {
    let mut key = tables_prefix(account, region);
    key.extend_from_slice(table_name.as_bytes());
    key
}

/// The table name a table key ends with, given the prefix it was scanned under.
pub fn table_name_of(key: &[u8], prefix: &[u8]) -> Option<String> {
    let name = key.strip_prefix(prefix)?;
    String::from_utf8(name.to_vec()).ok()
}

/// Everything stored for one table: `dynamodb/t/<TableId>/`.
pub fn table_data_prefix(table_id: &str) -> Vec<u8> {
    format!("{DATA_PREFIX}{table_id}/").into_bytes()
}

/// The prefix of a table's items: `dynamodb/t/<TableId>/i/`.
pub fn items_prefix(table_id: &str) -> Vec<u8> {
    format!("{DATA_PREFIX}{table_id}/i/").into_bytes()
}

/// The prefix of one index's entries: `dynamodb/t/<TableId>/x/<IndexId>/`.
pub fn index_prefix(table_id: &str, index_id: &str) -> Vec<u8> {
    format!("{DATA_PREFIX}{table_id}/x/{index_id}/").into_bytes()
}

/// The key of a table's statistics.
pub fn stats_key(table_id: &str) -> Vec<u8> {
    format!("{DATA_PREFIX}{table_id}/stats").into_bytes()
}

/// The key of a table's tags.
pub fn tags_key(table_id: &str) -> Vec<u8> {
    format!("{DATA_PREFIX}{table_id}/tags").into_bytes()
}

/// The purge marker of a deleted table or index (`id` is unique to it).
pub fn purge_key(id: &str) -> Vec<u8> {
    format!("{PURGE_PREFIX}{id}").into_bytes()
}

/// The backfill marker of an index being created.
pub fn backfill_key(table_id: &str, index_id: &str) -> Vec<u8> {
    format!("{BACKFILL_PREFIX}{table_id}/{index_id}").into_bytes()
}

/// `HASH` or `RANGE`, as the model spells key types.
pub const HASH: &str = "HASH";
pub const RANGE: &str = "RANGE";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct KeySchemaElement {
    pub attribute_name: String,
    pub key_type: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AttributeDefinition {
    pub attribute_name: String,
    /// `S`, `N` or `B`.
    pub attribute_type: String,
}

/// A key schema reduced to what the data path needs: the partition key's
/// name and, for composite keys, the sort key's name, with their types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyShape {
    pub hash: (String, String),
    pub range: Option<(String, String)>,
}

impl KeyShape {
    /// The attribute names of the key, partition first.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.hash.0.as_str()).chain(self.range.as_ref().map(|r| r.0.as_str()))
    }

    pub fn is_key_attribute(&self, name: &str) -> bool {
        self.hash.0 == name || self.range.as_ref().is_some_and(|r| r.0 == name)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(rename_all = "PascalCase")]
pub struct Throughput {
    pub read_capacity_units: i64,
    pub write_capacity_units: i64,
    #[serde(default)]
    pub number_of_decreases_today: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_increase_date_time: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_decrease_date_time: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Projection {
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    pub projection_type: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub non_key_attributes: Vec<String>,
}

/// Global or local: they differ in throughput, consistency and status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum IndexKind {
    Global,
    Local,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct IndexRecord {
    pub index_name: String,
    /// Internal id: the index's entries live under `x/<IndexId>/`.
    pub index_id: String,
    pub kind: IndexKind,
    pub key_schema: Vec<KeySchemaElement>,
    pub key: KeyShape,
    pub projection: Projection,
    /// `CREATING`, `ACTIVE` or `DELETING` (global indexes only).
    pub index_status: String,
    /// True while a created index is being filled from the table's items.
    #[serde(default)]
    pub backfilling: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned_throughput: Option<Throughput>,
    pub index_arn: String,
}

impl IndexRecord {
    /// Whether the index carries attribute `name` for an item of a table
    /// whose key is `table_key`.
    pub fn projects(&self, table_key: &KeyShape, name: &str) -> bool {
        match self.projection.projection_type.as_str() {
            "ALL" => true,
            other => {
                self.key.is_key_attribute(name)
                    || table_key.is_key_attribute(name)
                    || (other == "INCLUDE" && self.projection.non_key_attributes.iter().any(|a| a == name))
            }
        }
    }
}

/// What the store holds for a table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableRecord {
    pub table_name: String,
    pub table_arn: String,
    /// The table's internal id: its data lives under `dynamodb/t/<TableId>/`.
    pub table_id: String,
    /// The status as stored. Reads report [`TableRecord::status`].
    pub table_status: String,
    /// Seconds since the Unix epoch.
    pub creation_date_time: f64,
    pub key_schema: Vec<KeySchemaElement>,
    pub key: KeyShape,
    pub attribute_definitions: Vec<AttributeDefinition>,
    /// `PROVISIONED` or `PAY_PER_REQUEST`.
    pub billing_mode: String,
    /// When the billing mode was last set to on-demand (seconds).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_update_to_pay_per_request_date_time: Option<f64>,
    pub provisioned_throughput: Throughput,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub global_secondary_indexes: Vec<IndexRecord>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub local_secondary_indexes: Vec<IndexRecord>,
    /// `STANDARD` or `STANDARD_INFREQUENT_ACCESS`.
    pub table_class: String,
    #[serde(default)]
    pub deletion_protection_enabled: bool,
    /// The stream settings as requested (`StreamSpecification`); the streams
    /// module gives them meaning.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream_specification: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_stream_arn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_stream_label: Option<String>,
    /// The server-side encryption settings as requested, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sse_specification: Option<serde_json::Value>,
    /// Other modules' per-table settings (time to live, backups...), by name.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub settings: BTreeMap<String, serde_json::Value>,
}

impl TableRecord {
    /// Every secondary index, global ones first.
    pub fn indexes(&self) -> impl Iterator<Item = &IndexRecord> {
        self.global_secondary_indexes.iter().chain(self.local_secondary_indexes.iter())
    }

    /// The index called `name`, if the table has one.
    pub fn index(&self, name: &str) -> Option<&IndexRecord> {
        self.indexes().find(|index| index.index_name == name)
    }

    pub fn has_local_indexes(&self) -> bool {
        !self.local_secondary_indexes.is_empty()
    }

    pub fn is_provisioned(&self) -> bool {
        self.billing_mode == "PROVISIONED"
    }
}

/// Item counts and sizes of a table and of its indexes (by name; the table
/// itself under the empty name), kept up to date by every write.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Stats(pub BTreeMap<String, (i64, i64)>);

impl Stats {
    /// Count `count` items of `bytes` bytes into `name`'s totals.
    pub fn add(&mut self, name: &str, count: i64, bytes: i64) {
        if count == 0 && bytes == 0 {
            return;
        }
        let entry = self.0.entry(name.to_string()).or_default();
        entry.0 += count;
        entry.1 += bytes;
    }

    /// (item count, size in bytes) of `name`.
    pub fn of(&self, name: &str) -> (i64, i64) {
        self.0.get(name).copied().unwrap_or_default()
    }
}
