//! CreateVault: idempotent; answers 201 with the vault's location.

use super::{VaultAddress, is_valid_vault_name, vault_arn};
use crate::account;
use crate::errors::{self, TxnFailure};
use crate::state::{VaultRecord, vault_key};
use chrono::SecondsFormat;
use cloudbox_core::service::{parse_input, to_output};
use cloudbox_core::{AwsError, Clock, RequestContext, Value};
use cloudbox_store::Store;
use serde::Serialize;

#[derive(Debug, Serialize)]
struct CreateVaultOutput {
    /// Sent as the `Location` header.
    location: String,
}

pub async fn create_vault(store: &Store, clock: &Clock, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: VaultAddress = parse_input(input)?;
    let account = account::resolve(ctx, &input.account_id)?;
    if !is_valid_vault_name(&input.vault_name) {
        return Err(errors::invalid_vault_name(&vault_arn(&account, &ctx.region, &input.vault_name)));
    }
    let key = vault_key(&account, &ctx.region, &input.vault_name);
    let record = VaultRecord {
        vault_name: input.vault_name.clone(),
        creation_date: clock.now().to_rfc3339_opts(SecondsFormat::Millis, true),
        last_inventory_date: None,
        number_of_archives: 0,
        size_in_bytes: 0,
        live_archives: 0,
    };
    store
        .transact(move |txn| {
            // Creating a vault that exists changes nothing and still succeeds.
            if txn.get(&key)?.is_none() {
                txn.put_json(key, &record);
            }
            Ok::<(), TxnFailure>(())
        })
        .await
        .map_err(|failure| failure.0)?;
    to_output(&CreateVaultOutput { location: format!("/{account}/vaults/{}", input.vault_name) })
}
