//! Where Glacier keeps its state in the store.
//!
//! Everything lives under the regional prefix
//! `glacier/acct/<account>/<region>/`:
//!
//! - `vault/<VaultName>`: one [`VaultRecord`] per vault (JSON). Nothing
//!   follows the name, so a scan of `vault/` yields the vaults in the byte
//!   order of their names, which is the ASCII order ListVaults promises.
//! - `archive/<VaultName>/<ArchiveId>` and `job/<VaultName>/<JobId>`: reserved
//!   for archives and retrieval jobs.

use cloudbox_core::{AccountId, Region, Scope};
use serde::{Deserialize, Serialize};

const VAULT_FAMILY: &str = "vault/";

/// The key prefix of every vault of one account in one region.
pub fn vaults_prefix(account: &AccountId, region: &Region) -> Vec<u8> {
    let scope = Scope::Regional(account.clone(), region.clone());
    format!("{}{VAULT_FAMILY}", scope.key_prefix("glacier")).into_bytes()
}

/// The key of one vault's record.
pub fn vault_key(account: &AccountId, region: &Region, vault_name: &str) -> Vec<u8> {
    let mut key = vaults_prefix(account, region);
    key.extend_from_slice(vault_name.as_bytes());
    key
}

/// What the store holds for a vault.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct VaultRecord {
    pub vault_name: String,
    /// ISO 8601 with milliseconds, e.g. `2013-03-20T17:03:43.221Z`.
    pub creation_date: String,
    /// When the last inventory of the vault was taken, in the same format.
    pub last_inventory_date: Option<String>,
    /// As of the last inventory.
    pub number_of_archives: i64,
    /// As of the last inventory.
    pub size_in_bytes: i64,
    /// Archives currently in the vault, inventoried or not; a vault can only
    /// be deleted when this is zero.
    #[serde(default)]
    pub live_archives: i64,
}
