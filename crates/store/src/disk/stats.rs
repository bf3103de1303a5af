//! Counters of the log's flushes (the durable group commits), read without
//! stopping the threads that make them.

use crate::CommitStats;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub(crate) struct CommitCounters {
    commits: AtomicU64,
    transactions: AtomicU64,
}

impl CommitCounters {
    /// `transactions` answered after one flush of the log, or, when
    /// `flushed` is false, with nothing to flush.
    pub(crate) fn record_commit(&self, transactions: usize, flushed: bool) {
        self.commits.fetch_add(u64::from(flushed), Ordering::Relaxed);
        self.transactions.fetch_add(transactions as u64, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> CommitStats {
        CommitStats {
            commits: self.commits.load(Ordering::Relaxed),
            transactions: self.transactions.load(Ordering::Relaxed),
        }
    }
}
