//! ListVaults: the caller's vaults in ASCII order of name, a page at a time.

use super::{VaultDescription, vault_arn};
use crate::account;
use crate::errors;
use crate::state::{VaultRecord, vault_key, vaults_prefix};
use cloudbox_core::service::{parse_input, to_output};
use cloudbox_core::{AccountId, AwsError, Region, RequestContext, Value};
use cloudbox_store::Store;
use serde::{Deserialize, Serialize};

/// The page size when the request names none, and the largest one allowed.
const MAX_LIMIT: usize = 10;

#[derive(Debug, Deserialize)]
struct ListVaultsInput {
    #[serde(rename = "accountId")]
    account_id: String,
    marker: Option<String>,
    limit: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct ListVaultsOutput {
    vault_list: Vec<VaultDescription>,
    /// The ARN of the last vault listed, when more vaults follow it.
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
}

pub fn list_vaults(store: &Store, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: ListVaultsInput = parse_input(input)?;
    let account = account::resolve(ctx, &input.account_id)?;
    let limit = page_size(input.limit.as_deref())?;
    let start_after = marker_vault_name(&account, &ctx.region, input.marker.as_deref())?;
    let start_key = start_after.map(|name| vault_key(&account, &ctx.region, &name));
    let prefix = vaults_prefix(&account, &ctx.region);
    // One more than a page, to learn whether another page follows.
    let entries = store.scan(&prefix, start_key.as_deref(), limit + 1).map_err(errors::store_failure)?;
    let more_follow = entries.len() > limit;
    let mut vault_list = Vec::with_capacity(limit);
    for (_, value) in entries.into_iter().take(limit) {
        let record: VaultRecord = serde_json::from_slice(&value)
            .map_err(|e| errors::store_failure(cloudbox_store::StoreError::Corrupt(e.to_string())))?;
        vault_list.push(VaultDescription::of(&account, &ctx.region, record));
    }
    let marker = if more_follow { vault_list.last().map(|v| v.vault_arn.clone()) } else { None };
    to_output(&ListVaultsOutput { vault_list, marker })
}

/// The `limit` query parameter: a decimal integer from 1 to 10.
fn page_size(limit: Option<&str>) -> Result<usize, AwsError> {
    let Some(text) = limit else { return Ok(MAX_LIMIT) };
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        _ => Err(errors::invalid_parameter(format!("The limit is not valid: {text}"))),
    }
}

/// The vault a `marker` names: an ARN of one of this account's vaults in this
/// region. An empty marker starts from the first vault.
fn marker_vault_name(account: &AccountId, region: &Region, marker: Option<&str>) -> Result<Option<String>, AwsError> {
    let marker = match marker {
        None | Some("") => return Ok(None),
        Some(m) => m,
    };
    let arn_prefix = vault_arn(account, region, "");
    match marker.strip_prefix(&arn_prefix) {
        Some(name) if !name.is_empty() => Ok(Some(name.to_string())),
        _ => Err(errors::invalid_parameter(format!("The marker is not valid: {marker}"))),
    }
}
