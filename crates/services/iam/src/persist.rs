//! Reading and writing IAM's records: one reader interface over committed
//! state and over a transaction in progress, and a transaction runner whose
//! closures fail with AWS errors.

use cloudbox_core::AwsError;
use cloudbox_store::{Entry, Store, StoreError, Txn};
use serde::de::DeserializeOwned;

/// Read access to the store, committed ([`Store`]) or as a transaction sees
/// it ([`Txn`]).
pub trait Reader {
    fn read(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;
    /// Entries under `prefix` strictly after `after`, in key order, at most `limit`.
    fn scan_after(&self, prefix: &[u8], after: Option<&[u8]>, limit: usize) -> Result<Vec<Entry>, StoreError>;
}

impl Reader for Store {
    fn read(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.get(key)
    }
    fn scan_after(&self, prefix: &[u8], after: Option<&[u8]>, limit: usize) -> Result<Vec<Entry>, StoreError> {
        self.scan(prefix, after, limit)
    }
}

impl Reader for Txn<'_> {
    fn read(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.get(key)
    }
    fn scan_after(&self, prefix: &[u8], after: Option<&[u8]>, limit: usize) -> Result<Vec<Entry>, StoreError> {
        self.scan(prefix, after, limit, false)
    }
}

/// A store failure as the client sees it.
pub fn store_failure(error: StoreError) -> AwsError {
    AwsError::internal(error.to_string())
}

/// Decode a stored JSON record.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AwsError> {
    serde_json::from_slice(bytes).map_err(|e| store_failure(StoreError::Corrupt(e.to_string())))
}

/// Read and decode the record at `key`.
pub fn load<T: DeserializeOwned>(reader: &impl Reader, key: &[u8]) -> Result<Option<T>, AwsError> {
    match reader.read(key).map_err(store_failure)? {
        Some(bytes) => decode(&bytes).map(Some),
        None => Ok(None),
    }
}

/// Whether anything is stored at `key`.
pub fn exists(reader: &impl Reader, key: &[u8]) -> Result<bool, AwsError> {
    Ok(reader.read(key).map_err(store_failure)?.is_some())
}

/// Up to `limit` entries under `prefix`, after `after` when given.
pub fn scan(reader: &impl Reader, prefix: &[u8], after: Option<&[u8]>, limit: usize) -> Result<Vec<Entry>, AwsError> {
    reader.scan_after(prefix, after, limit).map_err(store_failure)
}

/// An AWS error raised inside a transaction, or the store's own failure.
struct Failure(AwsError);

impl From<StoreError> for Failure {
    fn from(error: StoreError) -> Self {
        Failure(store_failure(error))
    }
}

/// Run `work` as one atomic transaction: its writes are kept only when it
/// returns `Ok` and the commit succeeds.
pub async fn transact<R, F>(store: &Store, work: F) -> Result<R, AwsError>
where
    F: FnOnce(&mut Txn) -> Result<R, AwsError> + Send + 'static,
    R: Send + 'static,
{
    store.transact(move |txn| work(txn).map_err(Failure)).await.map_err(|Failure(error)| error)
}

/// A fresh id from `make_id` whose record key (`key_of`) is not taken yet.
pub fn unused_id(
    reader: &impl Reader,
    make_id: impl Fn() -> String,
    key_of: impl Fn(&str) -> Vec<u8>,
) -> Result<String, AwsError> {
    loop {
        let id = make_id();
        if !exists(reader, &key_of(&id))? {
            return Ok(id);
        }
    }
}
