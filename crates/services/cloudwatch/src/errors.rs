//! CloudWatch's errors, with the query codes and messages AWS uses.

use cloudbox_core::AwsError;
use cloudbox_store::StoreError;

pub fn invalid_value(message: impl Into<String>) -> AwsError {
    AwsError::new("InvalidParameterValue", message, 400)
}

pub fn invalid_combination(message: impl Into<String>) -> AwsError {
    AwsError::new("InvalidParameterCombination", message, 400)
}

pub fn missing_parameter(message: impl Into<String>) -> AwsError {
    AwsError::new("MissingParameter", message, 400)
}

pub fn store_failure(err: StoreError) -> AwsError {
    AwsError::new("InternalServiceError", format!("Internal service error: {err}"), 500)
}

/// The error of a store transaction: the operation's own, or the store's.
pub struct TxnFailure(pub AwsError);

impl From<StoreError> for TxnFailure {
    fn from(err: StoreError) -> Self {
        TxnFailure(store_failure(err))
    }
}
