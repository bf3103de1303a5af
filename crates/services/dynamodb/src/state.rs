//! Where DynamoDB keeps its state in the store.
//!
//! Everything lives under the regional prefix
//! `dynamodb/acct/<account>/<region>/`:
//!
//! - `table/<TableName>`: one record per table ([`TableRecord`], JSON). The
//!   key holds nothing after the name, so a scan of `table/` yields exactly
//!   one entry per table, in the byte order of the names (the order AWS
//!   lists tables in).
//! - `item/<TableName>/...`: reserved for the items of a table; kept out of
//!   `table/` so that listing tables never walks items.

use cloudbox_core::{AccountId, Region, Scope};
use serde::{Deserialize, Serialize};

const TABLE_FAMILY: &str = "table/";

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

/// What the store holds for a table. Member names follow the model's
/// `TableDescription`, so the record can be returned as it is; CreateTable
/// fills in the rest of the description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct TableRecord {
    pub table_name: String,
    pub table_arn: String,
    pub table_status: String,
    /// Seconds since the Unix epoch.
    pub creation_date_time: f64,
}
