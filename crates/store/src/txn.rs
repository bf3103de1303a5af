//! A transaction's view: its own uncommitted writes over a read view.

use crate::{Entry, StoreError};
use std::collections::BTreeMap;

/// What a transaction reads through to: committed state, plus the writes of
/// transactions earlier in the same group commit.
pub trait ReadView {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError>;
    fn scan(&self, prefix: &[u8], bound: Option<&[u8]>, limit: usize, reverse: bool) -> Result<Vec<Entry>, StoreError>;
}

/// Reads and writes of one transaction. Writes are buffered here and applied
/// by the backend only if the transaction succeeds.
pub struct Txn<'a> {
    view: &'a dyn ReadView,
    /// `None` marks a deletion.
    writes: BTreeMap<Vec<u8>, Option<Vec<u8>>>,
    cleared: bool,
}

impl<'a> Txn<'a> {
    pub fn new(view: &'a dyn ReadView) -> Self {
        Txn { view, writes: BTreeMap::new(), cleared: false }
    }

    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        match self.writes.get(key) {
            Some(v) => Ok(v.clone()),
            None if self.cleared => Ok(None),
            None => self.view.get(key),
        }
    }

    pub fn get_json<T: serde::de::DeserializeOwned>(&self, key: &[u8]) -> Result<Option<T>, StoreError> {
        match self.get(key)? {
            None => Ok(None),
            Some(bytes) => serde_json::from_slice(&bytes).map(Some).map_err(|e| StoreError::Corrupt(e.to_string())),
        }
    }

    pub fn put(&mut self, key: impl Into<Vec<u8>>, value: impl Into<Vec<u8>>) {
        self.writes.insert(key.into(), Some(value.into()));
    }

    pub fn put_json<T: serde::Serialize>(&mut self, key: impl Into<Vec<u8>>, value: &T) {
        self.put(key, crate::to_json(value));
    }

    pub fn delete(&mut self, key: impl Into<Vec<u8>>) {
        self.writes.insert(key.into(), None);
    }

    /// Entries under `prefix` as this transaction sees them, in key order
    /// (or reversed), strictly after (before) `bound`, at most `limit`.
    pub fn scan(
        &self,
        prefix: &[u8],
        bound: Option<&[u8]>,
        limit: usize,
        reverse: bool,
    ) -> Result<Vec<Entry>, StoreError> {
        if !self.writes_under(prefix) {
            return self.view.scan(prefix, bound, limit, reverse);
        }
        // Read enough committed entries to survive our own deletions.
        let pending_deletes = self.writes.iter().filter(|(k, v)| v.is_none() && k.starts_with(prefix)).count();
        let base = if self.cleared {
            Vec::new()
        } else {
            self.view.scan(prefix, bound, limit.saturating_add(pending_deletes), reverse)?
        };
        let mut merged: BTreeMap<Vec<u8>, Vec<u8>> = base.into_iter().collect();
        for (k, v) in self.writes.range(prefix.to_vec()..) {
            if !k.starts_with(prefix) {
                break;
            }
            let in_bound = match bound {
                None => true,
                Some(b) if reverse => k.as_slice() < b,
                Some(b) => k.as_slice() > b,
            };
            if !in_bound {
                continue;
            }
            match v {
                Some(v) => {
                    merged.insert(k.clone(), v.clone());
                }
                None => {
                    merged.remove(k);
                }
            }
        }
        let out: Vec<Entry> = if reverse {
            merged.into_iter().rev().take(limit).collect()
        } else {
            merged.into_iter().take(limit).collect()
        };
        Ok(out)
    }

    /// Whether this transaction clears the store or writes (or deletes) a
    /// key starting with `prefix`.
    pub fn writes_under(&self, prefix: &[u8]) -> bool {
        use std::ops::Bound;
        let from: (Bound<&[u8]>, Bound<&[u8]>) = (Bound::Included(prefix), Bound::Unbounded);
        self.cleared || self.writes.range::<[u8], _>(from).next().is_some_and(|(key, _)| key.starts_with(prefix))
    }

    /// Forget every key, committed or not.
    pub fn clear_all(&mut self) {
        self.cleared = true;
        self.writes.clear();
    }

    /// The transaction's outcome, for the backend to apply.
    pub fn into_writes(self) -> (bool, BTreeMap<Vec<u8>, Option<Vec<u8>>>) {
        (self.cleared, self.writes)
    }
}
