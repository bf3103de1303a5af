//! The in-memory backend: a sorted map behind a lock. Nothing survives the
//! process; used for `--ephemeral` and tests.

use crate::backend::{Backend, Job};
use crate::range::ScanRange;
use crate::txn::{ReadView, Txn};
use crate::{Entry, StoreError};
use parking_lot::{Mutex, RwLock};
use std::collections::BTreeMap;

#[derive(Default)]
pub struct MemoryBackend {
    map: RwLock<BTreeMap<Vec<u8>, Vec<u8>>>,
    /// Serializes transactions; holds `true` once shut down, after which
    /// jobs are dropped unrun.
    closed: Mutex<bool>,
}

/// Scan a sorted map the way every backend scans.
pub(crate) fn scan_map(
    map: &BTreeMap<Vec<u8>, Vec<u8>>,
    prefix: &[u8],
    bound: Option<&[u8]>,
    limit: usize,
    reverse: bool,
) -> Vec<Entry> {
    let Some(range) = ScanRange::new(prefix, bound, reverse) else {
        return Vec::new();
    };
    let entries = map.range::<[u8], _>(range.bounds());
    let clone = |(k, v): (&Vec<u8>, &Vec<u8>)| (k.clone(), v.clone());
    if reverse { entries.rev().take(limit).map(clone).collect() } else { entries.take(limit).map(clone).collect() }
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
        let closed = self.closed.lock();
        if *closed {
            return;
        }
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

    fn shutdown(&self) {
        *self.closed.lock() = true;
    }
}
