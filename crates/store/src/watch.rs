//! Write watches: a counter that moves every time a committed transaction
//! wrote under one of a set of key prefixes (or cleared the store), so a
//! cache of what lives there can tell, without being told by the writers,
//! that what it holds may be stale.
//!
//! The counter moves after the transaction's writes are visible to reads
//! and before its submitter hears it committed. A cache that reads the
//! [`WriteWatch::generation`] before reading the store, and trusts an entry
//! only while the generation is still the one it was read under, never
//! serves a value older than a write that was acknowledged.

use crate::Txn;
use parking_lot::RwLock;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Moves whenever a commit writes under one of its prefixes.
#[derive(Debug)]
pub struct WriteWatch {
    prefixes: Vec<Vec<u8>>,
    generation: AtomicU64,
}

impl WriteWatch {
    /// The current generation: it changes after every commit that wrote
    /// under a watched prefix.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    fn touched_by(&self, txn: &Txn) -> bool {
        self.prefixes.iter().any(|prefix| txn.writes_under(prefix))
    }

    fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

/// Every watch registered on a store (shared by the store's clones).
#[derive(Default)]
pub(crate) struct Watches {
    all: RwLock<Vec<Arc<WriteWatch>>>,
}

impl Watches {
    pub(crate) fn add(&self, prefixes: Vec<Vec<u8>>) -> Arc<WriteWatch> {
        let watch = Arc::new(WriteWatch { prefixes, generation: AtomicU64::new(0) });
        self.all.write().push(watch.clone());
        watch
    }

    /// The watches a transaction's writes concern, to bump once it committed.
    pub(crate) fn touched_by(&self, txn: &Txn) -> Touched {
        let all = self.all.read();
        if all.is_empty() {
            return Touched(Vec::new());
        }
        Touched(all.iter().filter(|watch| watch.touched_by(txn)).cloned().collect())
    }
}

/// Watches to bump once a transaction's commit is over.
pub(crate) struct Touched(Vec<Arc<WriteWatch>>);

impl Touched {
    pub(crate) fn bump(self) {
        for watch in self.0 {
            watch.bump();
        }
    }
}
