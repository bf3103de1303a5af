//! Vaults: create, describe, list and delete.

pub mod create;
pub mod delete;
pub mod describe;
pub mod list;

use crate::state::VaultRecord;
use cloudbox_core::arn::Arn;
use cloudbox_core::{AccountId, Region};
use serde::{Deserialize, Serialize};

/// The longest vault name Glacier accepts.
const MAX_VAULT_NAME_LEN: usize = 255;

/// The input of every operation that addresses one vault.
#[derive(Debug, Deserialize)]
pub struct VaultAddress {
    #[serde(rename = "accountId")]
    pub account_id: String,
    #[serde(rename = "vaultName")]
    pub vault_name: String,
}

/// A vault as DescribeVault and ListVaults present it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct VaultDescription {
    #[serde(rename = "VaultARN")]
    pub vault_arn: String,
    pub vault_name: String,
    pub creation_date: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_inventory_date: Option<String>,
    pub number_of_archives: i64,
    pub size_in_bytes: i64,
}

impl VaultDescription {
    pub fn of(account: &AccountId, region: &Region, record: VaultRecord) -> Self {
        VaultDescription {
            vault_arn: vault_arn(account, region, &record.vault_name),
            vault_name: record.vault_name,
            creation_date: record.creation_date,
            last_inventory_date: record.last_inventory_date,
            number_of_archives: record.number_of_archives,
            size_in_bytes: record.size_in_bytes,
        }
    }
}

/// `arn:aws:glacier:<region>:<account>:vaults/<name>`.
pub fn vault_arn(account: &AccountId, region: &Region, vault_name: &str) -> String {
    Arn::new("glacier", region.as_str(), account.as_str(), &format!("vaults/{vault_name}")).to_string()
}

/// Glacier's naming rule: 1 to 255 characters from a-z, A-Z, 0-9, `_`, `-`, `.`.
pub fn is_valid_vault_name(name: &str) -> bool {
    (1..=MAX_VAULT_NAME_LEN).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}
