//! BatchGetItem ([`get`]) and BatchWriteItem ([`write`]).

pub mod get;
pub mod write;

use crate::errors::validation;

/// AWS's message for a key listed twice in one batch.
pub fn duplicates() -> cloudbox_core::AwsError {
    validation("Provided list of item keys contains duplicates")
}
