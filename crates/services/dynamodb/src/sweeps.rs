//! Bounded sweeps over a family of marker keys (streams to trim, tables with
//! time to live on): each sweep reads at most a fixed number of markers and
//! the next one carries on after the last, so every marker is reached
//! however many there are.

use cloudbox_store::{Entry, Store, StoreError};
use std::sync::Mutex;

/// Where the next sweep of one family starts.
#[derive(Default)]
pub struct SweepCursor {
    after: Mutex<Option<Vec<u8>>>,
}

impl SweepCursor {
    /// Up to `limit` markers under `prefix`, after those the last call
    /// returned; back to the first marker once the family is exhausted.
    pub fn next_batch(&self, store: &Store, prefix: &[u8], limit: usize) -> Result<Vec<Entry>, StoreError> {
        let after = self.after.lock().map(|a| a.clone()).unwrap_or(None);
        let entries = store.scan(prefix, after.as_deref(), limit)?;
        let next = if entries.len() < limit { None } else { entries.last().map(|(key, _)| key.clone()) };
        if let Ok(mut cursor) = self.after.lock() {
            *cursor = next;
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_marker_is_reached_in_turn() {
        let store = Store::memory();
        store
            .transact(|txn| {
                for i in 0..5 {
                    txn.put(format!("m/{i}"), Vec::new());
                }
                Ok::<(), StoreError>(())
            })
            .await
            .unwrap();
        let cursor = SweepCursor::default();
        let keys =
            |batch: Vec<Entry>| batch.into_iter().map(|(k, _)| String::from_utf8(k).unwrap()).collect::<Vec<_>>();
        assert_eq!(keys(cursor.next_batch(&store, b"m/", 2).unwrap()), ["m/0", "m/1"]);
        assert_eq!(keys(cursor.next_batch(&store, b"m/", 2).unwrap()), ["m/2", "m/3"]);
        assert_eq!(keys(cursor.next_batch(&store, b"m/", 2).unwrap()), ["m/4"]);
        assert_eq!(keys(cursor.next_batch(&store, b"m/", 2).unwrap()), ["m/0", "m/1"]);
    }
}
