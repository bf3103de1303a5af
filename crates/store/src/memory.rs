//! The in-memory backend: a sorted map behind a lock. Nothing survives the
//! process; used for `--ephemeral` and tests.

use crate::backend::{Backend, Job};
use crate::txn::{ReadView, Txn};
use crate::{Entry, StoreError};
use parking_lot::{Mutex, RwLock};
use std::collections::BTreeMap;
use std::ops::Bound;

#[derive(Default)]
pub struct MemoryBackend {
    map: RwLock<BTreeMap<Vec<u8>, Vec<u8>>>,
    /// Serializes transactions.
    writer: Mutex<()>,
}

/// Scan a sorted map the way every backend scans.
pub(crate) fn scan_map(
    map: &BTreeMap<Vec<u8>, Vec<u8>>,
    prefix: &[u8],
    bound: Option<&[u8]>,
    limit: usize,
    reverse: bool,
) -> Vec<Entry> {
    let start = match (bound, reverse) {
        (Some(b), false) if b >= prefix => Bound::Excluded(b.to_vec()),
        _ => Bound::Included(prefix.to_vec()),
    };
    let end = match (bound, reverse) {
        (Some(b), true) => Bound::Excluded(b.to_vec()),
        _ => match crate::prefix_end(prefix) {
            Some(e) => Bound::Excluded(e),
            None => Bound::Unbounded,
        },
    };
    if let (Bound::Excluded(s) | Bound::Included(s), Bound::Excluded(e)) = (&start, &end)
        && s >= e
    {
        return Vec::new();
    }
    let range = map.range((start, end)).filter(|(k, _)| k.starts_with(prefix));
    let clone = |(k, v): (&Vec<u8>, &Vec<u8>)| (k.clone(), v.clone());
    if reverse { range.rev().take(limit).map(clone).collect() } else { range.take(limit).map(clone).collect() }
}

struct MapView<'a>(&'a BTreeMap<Vec<u8>, Vec<u8>>);

impl ReadView for MapView<'_> {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.0.get(key).cloned())
    }
    fn scan(&self, prefix: &[u8], bound: Option<&[u8]>, limit: usize, reverse: bool) -> Result<Vec<Entry>, StoreError> {
        Ok(scan_map(self.0, prefix, bound, limit, reverse))
    }
}

impl Backend for MemoryBackend {
    fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self.map.read().get(key).cloned())
    }

    fn scan(&self, prefix: &[u8], bound: Option<&[u8]>, limit: usize, reverse: bool) -> Result<Vec<Entry>, StoreError> {
        Ok(scan_map(&self.map.read(), prefix, bound, limit, reverse))
    }

    fn submit(&self, job: Job) {
        let _serial = self.writer.lock();
        let (keep, reply, cleared, writes) = {
            let map = self.map.read();
            let view = MapView(&map);
            let mut txn = Txn::new(&view);
            let (keep, reply) = job(&mut txn);
            let (cleared, writes) = txn.into_writes();
            (keep, reply, cleared, writes)
        };
        if keep {
            let mut map = self.map.write();
            if cleared {
                map.clear();
            }
            for (k, v) in writes {
                match v {
                    Some(v) => map.insert(k, v),
                    None => map.remove(&k),
                };
            }
        }
        reply(Ok(()));
    }

    fn shutdown(&self) {}
}
