//! DeleteVault: removes a vault that holds no archives.

use super::{VaultAddress, vault_arn};
use crate::account;
use crate::errors::{self, TxnFailure};
use crate::state::{VaultRecord, vault_key};
use cloudbox_core::service::parse_input;
use cloudbox_core::{AwsError, RequestContext, Value};
use cloudbox_store::Store;

pub async fn delete_vault(store: &Store, ctx: &RequestContext, input: Value) -> Result<Value, AwsError> {
    let input: VaultAddress = parse_input(input)?;
    let account = account::resolve(ctx, &input.account_id)?;
    let key = vault_key(&account, &ctx.region, &input.vault_name);
    let arn = vault_arn(&account, &ctx.region, &input.vault_name);
    store
        .transact(move |txn| {
            let record: VaultRecord = txn.get_json(&key)?.ok_or_else(|| TxnFailure(errors::vault_not_found(&arn)))?;
            if record.live_archives > 0 || record.number_of_archives > 0 {
                return Err(TxnFailure(errors::vault_not_empty(&arn)));
            }
            txn.delete(key);
            Ok(())
        })
        .await
        .map_err(|failure| failure.0)?;
    Ok(Value::Object(Default::default()))
}
