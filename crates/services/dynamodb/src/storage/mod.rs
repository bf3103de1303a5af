//! Running DynamoDB's work against the store: one way to open a store
//! transaction that fails with an [`AwsError`], and the maintenance work that
//! purges deleted tables and backfills new indexes in bounded batches.
//!
//! The key layout itself is documented in [`crate::state`].

pub mod maintenance;

use crate::errors;
use cloudbox_core::AwsError;
use cloudbox_store::{Store, StoreError, Txn};

/// An [`AwsError`] that can also carry the store's own failures out of a
/// transaction (the store needs `From<StoreError>`).
pub struct TxnError(pub AwsError);

impl From<StoreError> for TxnError {
    fn from(err: StoreError) -> Self {
        TxnError(errors::internal(err))
    }
}

impl From<AwsError> for TxnError {
    fn from(err: AwsError) -> Self {
        TxnError(err)
    }
}

/// Run `work` as one store transaction; its writes are durable when this
/// returns `Ok`.
pub async fn transact<R, F>(store: &Store, work: F) -> Result<R, AwsError>
where
    F: FnOnce(&mut Txn) -> Result<R, AwsError> + Send + 'static,
    R: Send + 'static,
{
    store.transact(move |txn| work(txn).map_err(TxnError)).await.map_err(|e: TxnError| e.0)
}

/// A store read inside a transaction, with store failures as [`AwsError`].
pub fn get(txn: &Txn, key: &[u8]) -> Result<Option<Vec<u8>>, AwsError> {
    txn.get(key).map_err(errors::internal)
}

#[cfg(test)]
mod tests;
