//! DescribeVault: one vault's metadata.

use super::{VaultAddress, VaultDescription, vault_arn};
use crate::account;
use crate::errors;
use crate::state::{VaultRecord, vault_key};
use cloudbox_core::service::{parse_input, to_output};
use cloudbox_core::{AwsError, RequestContext, Value};
use cloudbox_store::Store;

pub fn describe_vault(store: &Store, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: VaultAddress = parse_input(input)?;
    let account = account::resolve(ctx, &input.account_id)?;
    let key = vault_key(&account, &ctx.region, &input.vault_name);
    let record: VaultRecord = store
        .get_json(&key)
        .map_err(errors::store_failure)?
        .ok_or_else(|| errors::vault_not_found(&vault_arn(&account, &ctx.region, &input.vault_name)))?;
    to_output(&VaultDescription::of(&account, &ctx.region, record))
}
