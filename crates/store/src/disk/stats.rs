//! Counters of the writer's commits, read without stopping it.

use crate::CommitStats;
use std::sync::atomic::{AtomicU64, Ordering};

#[derive(Default)]
pub(crate) struct CommitCounters {
    commits: AtomicU64,
    transactions: AtomicU64,
}

impl CommitCounters {
    /// One durable commit that carried `transactions` transactions.
    pub(crate) fn record_commit(&self, transactions: usize) {
        self.commits.fetch_add(1, Ordering::Relaxed);
        self.transactions.fetch_add(transactions as u64, Ordering::Relaxed);
    }

    pub(crate) fn snapshot(&self) -> CommitStats {
        CommitStats {
            commits: self.commits.load(Ordering::Relaxed),
            transactions: self.transactions.load(Ordering::Relaxed),
        }
    }
}
