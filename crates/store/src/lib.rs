//! cloudbox-store: one ordered, transactional key-value store for all state.
//!
//! [`Store`] is what services use. Reads ([`Store::get`], [`Store::scan`])
//! see committed state. Writes go through [`Store::transact`]: a closure that
//! reads and writes through a [`Txn`] and either commits all of its writes or
//! none of them. The future resolves only once the writes are durable (for
//! the on-disk backend: fsynced), so an acknowledged write survives `kill -9`.
//! Transactions run one after another, never interleaved, so a closure's
//! reads and writes are atomic against every other writer.
//!
//! Backends: [`Store::memory`] (for `--ephemeral` and tests) and
//! [`Store::open`] (embedded, on disk, with group commit: concurrent
//! transactions share one fsync).

mod backend;
mod disk;
mod memory;
mod range;
mod txn;
mod watch;

pub use backend::{Backend, CommitStats};
pub use disk::{DATABASE_FILE, DiskOptions, LOG_FILE};
pub use txn::Txn;
pub use watch::WriteWatch;

use serde::Serialize;
use serde::de::DeserializeOwned;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

/// The version of the persisted format this build writes and reads. Format 2
/// added the write-ahead log: a build that knows only format 1 would open the
/// database without replaying it.
pub const FORMAT_VERSION: u32 = 2;

/// Errors from the store itself (not from a transaction's own logic).
#[derive(Clone, Debug, thiserror::Error)]
pub enum StoreError {
    #[error("storage I/O failed: {0}")]
    Io(String),
    #[error("stored value is not valid: {0}")]
    Corrupt(String),
    #[error("data directory format version {found} is newer than this cloudbox understands ({supported})")]
    TooNew { found: u32, supported: u32 },
    #[error("the store is shut down")]
    Closed,
    #[error("the transaction panicked: {0}")]
    TransactionPanicked(String),
}

/// One key and its value, as returned by scans.
pub type Entry = (Vec<u8>, Vec<u8>);

/// A handle to the store; cheap to clone and share.
#[derive(Clone)]
pub struct Store {
    backend: Arc<dyn Backend>,
    watches: Arc<watch::Watches>,
}

impl Store {
    /// A store that lives in memory only.
    pub fn memory() -> Store {
        Store::from_backend(Arc::new(memory::MemoryBackend::default()))
    }

    /// Wrap a backend.
    pub fn from_backend(backend: Arc<dyn Backend>) -> Store {
        Store { backend, watches: Arc::default() }
    }

    /// Open (or create) the embedded on-disk store in `dir`, with default tuning.
    pub fn open(dir: &Path) -> Result<Store, StoreError> {
        Store::open_with(dir, &DiskOptions::default())
    }

    /// Open (or create) the embedded on-disk store in `dir`.
    pub fn open_with(dir: &Path, options: &DiskOptions) -> Result<Store, StoreError> {
        Ok(Store::from_backend(Arc::new(disk::DiskBackend::open(dir, options)?)))
    }

    /// The committed value of `key`.
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        self.backend.get(key)
    }

    /// Committed entries with keys starting with `prefix`, in key order,
    /// beginning strictly after `after` when given, at most `limit` of them.
    pub fn scan(&self, prefix: &[u8], after: Option<&[u8]>, limit: usize) -> Result<Vec<Entry>, StoreError> {
        self.backend.scan(prefix, after, limit, false)
    }

    /// Like [`Store::scan`], in descending key order; `after` is then an upper bound.
    pub fn scan_rev(&self, prefix: &[u8], before: Option<&[u8]>, limit: usize) -> Result<Vec<Entry>, StoreError> {
        self.backend.scan(prefix, before, limit, true)
    }

    /// Run `work` as one transaction. Its writes become visible and durable
    /// together when it returns `Ok`, and are dropped when it returns `Err`
    /// or panics (the panic becomes [`StoreError::TransactionPanicked`]).
    pub async fn transact<R, E, F>(&self, work: F) -> Result<R, E>
    where
        F: FnOnce(&mut Txn) -> Result<R, E> + Send + 'static,
        R: Send + 'static,
        E: From<StoreError> + Send + 'static,
    {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let watches = self.watches.clone();
        let job: backend::Job = Box::new(move |txn: &mut Txn| {
            let result = catch_unwind(AssertUnwindSafe(|| work(txn)))
                .unwrap_or_else(|panic| Err(E::from(StoreError::TransactionPanicked(panic_message(&*panic)))));
            let keep = result.is_ok();
            let touched = watches.touched_by(txn);
            let reply: backend::Reply = Box::new(move |committed: Result<(), StoreError>| {
                // The writes are visible now (or were dropped): caches of
                // them learn it before the submitter does.
                touched.bump();
                let outcome = match committed {
                    Ok(()) => result,
                    Err(e) => Err(E::from(e)),
                };
                let _ = tx.send(outcome);
            });
            (keep, reply)
        });
        self.backend.submit(job);
        rx.await.unwrap_or_else(|_| Err(E::from(StoreError::Closed)))
    }

    /// A [`WriteWatch`] over `prefixes`: its generation moves after every
    /// committed transaction that writes under one of them or clears the store.
    pub fn watch(&self, prefixes: Vec<Vec<u8>>) -> Arc<WriteWatch> {
        self.watches.add(prefixes)
    }

    /// Drop every key (the admin reset).
    pub async fn clear(&self) -> Result<(), StoreError> {
        self.transact(|txn| {
            txn.clear_all();
            Ok::<(), StoreError>(())
        })
        .await
    }

    /// Read a JSON-encoded value.
    pub fn get_json<T: DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>, StoreError> {
        match self.get(key)? {
            None => Ok(None),
            Some(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| StoreError::Corrupt(e.to_string())),
        }
    }

    /// Make every acknowledged write durable and stop accepting new ones:
    /// queued transactions still commit, later ones fail with
    /// [`StoreError::Closed`].
    pub fn shutdown(&self) {
        self.backend.shutdown();
    }

    /// How commits have grouped transactions so far (zero for backends
    /// that do not count).
    pub fn commit_stats(&self) -> CommitStats {
        self.backend.commit_stats()
    }
}

/// The text a panic carried, when it carried text.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    match (panic.downcast_ref::<&str>(), panic.downcast_ref::<String>()) {
        (Some(text), _) => (*text).to_string(),
        (_, Some(text)) => text.clone(),
        _ => "no message".to_string(),
    }
}

/// Encode a value as JSON for storage.
pub fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    serde_json::to_vec(value).expect("serializing plain data to JSON cannot fail")
}

/// The smallest key greater than every key starting with `prefix`, if any.
pub fn prefix_end(prefix: &[u8]) -> Option<Vec<u8>> {
    let mut end = prefix.to_vec();
    while let Some(last) = end.pop() {
        if last < 0xff {
            end.push(last + 1);
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests;
