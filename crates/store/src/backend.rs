//! The contract between [`crate::Store`] and a storage engine.

use crate::{Entry, StoreError, Txn};

/// How the durable commits so far have grouped transactions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CommitStats {
    /// Durable commits made.
    pub commits: u64,
    /// Transactions those commits carried, whether or not they wrote.
    pub transactions: u64,
}

/// Called with the outcome of the commit that carried a transaction.
pub type Reply = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// A transaction waiting to run: it gets a [`Txn`], does its work, and says
/// whether its writes are to be kept, and whom to tell once they are durable.
pub type Job = Box<dyn FnOnce(&mut Txn) -> (bool, Reply) + Send>;

/// A storage engine. Jobs run strictly one after another; a backend may
/// commit several of them together (group commit) as long as each job's
/// reply is sent only after its writes are durable. A backend that is shut
/// down drops submitted jobs unrun; the submitter sees its reply dropped.
pub trait Backend: Send + Sync + 'static {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;
    /// Entries under `prefix`, strictly after (or, reversed, before) `bound`.
    fn scan(&self, prefix: &[u8], bound: Option<&[u8]>, limit: usize, reverse: bool) -> Result<Vec<Entry>, StoreError>;
    fn submit(&self, job: Job);
    fn shutdown(&self);
    /// Counts of commits so far, for backends that group them.
    fn commit_stats(&self) -> CommitStats {
        CommitStats::default()
    }
}
