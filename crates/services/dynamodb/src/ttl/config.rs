//! A table's time to live setting, kept on its record under
//! `settings["TimeToLive"]` as `{"AttributeName": ...}` while enabled.
//!
//! Tables with time to live enabled are also listed under
//! `dynamodb/ttl/<TableId>` (the account, region and name), so the sweep
//! finds them without reading every table.

use crate::state::TableRecord;
use cloudbox_core::{AccountId, Region};
use serde::{Deserialize, Serialize};

const SETTING: &str = "TimeToLive";
/// The prefix of the list of tables with time to live enabled.
pub const ENABLED_PREFIX: &str = "dynamodb/ttl/";

/// The attribute holding expiry times, while time to live is enabled.
pub fn ttl_attribute(table: &TableRecord) -> Option<&str> {
    table.settings.get(SETTING)?.get("AttributeName")?.as_str()
}

pub fn set_ttl_attribute(table: &mut TableRecord, attribute: Option<&str>) {
    match attribute {
        Some(name) => {
            table.settings.insert(SETTING.to_string(), serde_json::json!({"AttributeName": name}));
        }
        None => {
            table.settings.remove(SETTING);
        }
    }
}

/// Where a table with time to live enabled is listed for the sweep.
pub fn enabled_key(table_id: &str) -> Vec<u8> {
    format!("{ENABLED_PREFIX}{table_id}").into_bytes()
}

/// The entry of a table with time to live enabled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnabledTable {
    pub account: String,
    pub region: String,
    pub table_name: String,
    /// While existing items are being indexed: the item key to continue after
    /// (hex), or empty to start at the first item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backfill_after: Option<String>,
}

impl EnabledTable {
    pub fn scope(&self) -> Option<(AccountId, Region)> {
        Some((AccountId::parse(&self.account)?, Region::new(self.region.clone())))
    }
}
