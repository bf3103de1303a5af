//! Glacier's errors. Glacier's error bodies carry `code`, `message` and
//! `type` (`Client` or `Server`), so every error here names all three.

use cloudbox_core::AwsError;
use cloudbox_store::StoreError;
use serde_json::json;

fn glacier_error(code: &str, message: String, status: u16) -> AwsError {
    let source = if status >= 500 { "Server" } else { "Client" };
    AwsError::new(code, message, status).with_member("code", json!(code)).with_member("type", json!(source))
}

pub fn vault_not_found(vault_arn: &str) -> AwsError {
    glacier_error("ResourceNotFoundException", format!("Vault not found for ARN: {vault_arn}"), 404)
}

pub fn invalid_vault_name(vault_arn: &str) -> AwsError {
    glacier_error("InvalidParameterValueException", format!("Invalid vault name: {vault_arn}"), 400)
}

pub fn vault_not_empty(vault_arn: &str) -> AwsError {
    glacier_error("InvalidParameterValueException", format!("Vault not empty or recently written to: {vault_arn}"), 400)
}

pub fn invalid_parameter(message: String) -> AwsError {
    glacier_error("InvalidParameterValueException", message, 400)
}

pub fn access_denied_for_account(account_id: &str) -> AwsError {
    glacier_error("AccessDeniedException", format!("Access denied for account ID: {account_id}"), 403)
}

pub fn store_failure(err: StoreError) -> AwsError {
    glacier_error("ServiceUnavailableException", format!("Service unavailable: {err}"), 500)
}

/// The error of a store transaction: the operation's own, or the store's.
pub struct TxnFailure(pub AwsError);

impl From<StoreError> for TxnFailure {
    fn from(err: StoreError) -> Self {
        TxnFailure(store_failure(err))
    }
}
