//! DynamoDB's errors, with the codes and messages AWS uses.

use cloudbox_core::AwsError;
use cloudbox_store::StoreError;

/// `ValidationException`, DynamoDB's code for any invalid parameter.
pub fn validation(message: impl Into<String>) -> AwsError {
    AwsError::new("ValidationException", message, 400)
}

/// A single constraint violation, worded the way DynamoDB reports it.
pub fn constraint_violation(value: impl std::fmt::Display, member: &str, constraint: &str) -> AwsError {
    validation(format!(
        "1 validation error detected: Value '{value}' at '{member}' failed to satisfy constraint: {constraint}"
    ))
}

/// A failure of the store itself.
pub fn internal(err: StoreError) -> AwsError {
    AwsError::new("InternalServerError", format!("Internal server error: {err}"), 500)
}
