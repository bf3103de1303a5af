//! Transactions: TransactWriteItems and TransactGetItems.
//!
//! - [`actions`]: a request's items, checked and resolved (table, encoded
//!   key, parsed expressions) before anything runs.
//! - [`write`]: every action of a TransactWriteItems in ONE store
//!   transaction through the single item write path, so the whole request
//!   commits or none of it does, against any concurrent writer; a failed
//!   condition cancels it with per-action reasons.
//! - [`tokens`]: `ClientRequestToken` idempotency for ten minutes, and the
//!   timed work that forgets expired tokens.
//! - [`get`]: TransactGetItems, read as one snapshot.
//! - [`cancel`]: the `TransactionCanceledException` every transaction
//!   (PartiQL's too) answers when an action fails.

mod actions;
pub mod cancel;
mod get;
pub mod tokens;
mod write;

pub use get::transact_get_items;
pub use tokens::TokenExpiry;
pub use write::transact_write_items;

use crate::errors::validation;
use cloudbox_core::AwsError;

/// The most actions one transaction may hold.
pub const MAX_ACTIONS: usize = 100;

/// What a transaction (PartiQL's too) answers when two actions name one item.
pub(crate) fn multiple_operations_on_one_item() -> AwsError {
    validation("Transaction request cannot include multiple operations on one item")
}

#[cfg(test)]
mod tests;
