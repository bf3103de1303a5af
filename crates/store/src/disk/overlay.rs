//! The recent writes: batches that are in the write-ahead log (so durable)
//! but not yet committed to the database file. The writer puts each logged
//! batch here, which is what makes it visible, and empties the overlay once
//! a commit has carried its writes into the database. Readers look here
//! first and fall through to the database for keys the overlay does not
//! hold; a scan merges the two.
//!
//! This is what lets the writer commit to redb once per many batches rather
//! than once per batch.

use super::tables::KeptWrites;
use crate::range::ScanRange;
use crate::{Entry, StoreError};
use parking_lot::RwLock;
use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A key the overlay holds: its value, or `None` for a deletion.
pub(crate) type Written = Option<Vec<u8>>;

/// What a batch of writes costs the overlay beyond its keys and values.
const ENTRY_OVERHEAD: usize = 64;

#[derive(Default)]
pub(crate) struct Overlay {
    layer: RwLock<Layer>,
}

#[derive(Default)]
struct Layer {
    /// A logged transaction cleared the store: keys not held here are gone.
    cleared: bool,
    entries: BTreeMap<Vec<u8>, Written>,
    /// Roughly the memory `entries` takes.
    bytes: usize,
}

/// The part of the overlay a scan needs.
pub(crate) struct Slice {
    cleared: bool,
    /// In the scan's order.
    entries: Vec<(Vec<u8>, Written)>,
}

impl Overlay {
    /// `Some` when the overlay decides the key: its value or its absence.
    /// `None` means the database has the answer.
    pub(crate) fn lookup(&self, key: &[u8]) -> Option<Written> {
        let layer = self.layer.read();
        match layer.entries.get(key) {
            Some(written) => Some(written.clone()),
            None if layer.cleared => Some(None),
            None => None,
        }
    }

    /// The overlay's entries in `range`, in the scan's order, enough of them
    /// for a merged scan of at most `limit`: everything up to and including
    /// its `limit`-th value (past that, the scan is full whatever the
    /// database holds). `alongside` runs while the overlay cannot change, so
    /// a database snapshot it opens holds exactly what the overlay does not.
    pub(crate) fn slice<T>(
        &self,
        range: &ScanRange,
        limit: usize,
        reverse: bool,
        alongside: impl FnOnce() -> T,
    ) -> (Slice, T) {
        let layer = self.layer.read();
        let mut entries = Vec::new();
        let mut values = 0;
        let mut take = |(key, written): (&Vec<u8>, &Written)| {
            if values >= limit {
                return false;
            }
            values += usize::from(written.is_some());
            entries.push((key.clone(), written.clone()));
            true
        };
        let found = layer.entries.range::<[u8], _>(range.bounds());
        if reverse {
            found.rev().take_while(|entry| take(*entry)).for_each(drop);
        } else {
            found.take_while(|entry| take(*entry)).for_each(drop);
        }
        (Slice { cleared: layer.cleared, entries }, alongside())
    }

    /// Make logged batches visible, in order.
    pub(crate) fn absorb(&self, batches: Vec<KeptWrites>) {
        let mut layer = self.layer.write();
        for (cleared, writes) in batches {
            if cleared {
                layer.cleared = true;
                layer.entries.clear();
                layer.bytes = 0;
            }
            for (key, written) in writes {
                let key_len = key.len();
                layer.bytes += footprint(key_len, &written);
                if let Some(old) = layer.entries.insert(key, written) {
                    layer.bytes -= footprint(key_len, &old);
                }
            }
        }
    }

    /// Forget everything, once a commit has carried it into the database.
    pub(crate) fn empty(&self) {
        *self.layer.write() = Layer::default();
    }

    /// Roughly the memory the overlay takes.
    pub(crate) fn bytes(&self) -> usize {
        self.layer.read().bytes
    }

    /// Everything the overlay holds, as one batch of writes that brings the
    /// database from its last commit to what readers see.
    pub(crate) fn as_writes(&self) -> Option<KeptWrites> {
        let layer = self.layer.read();
        (layer.cleared || !layer.entries.is_empty()).then(|| (layer.cleared, layer.entries.clone()))
    }
}

fn footprint(key_len: usize, written: &Written) -> usize {
    key_len + written.as_ref().map_or(0, Vec::len) + ENTRY_OVERHEAD
}

impl Slice {
    /// Merge with the database's entries of the same scan (in the same
    /// order): the overlay's writes win, its deletions hide, and a cleared
    /// overlay hides the database altogether. At most `limit` entries.
    pub(crate) fn merge(
        self,
        database: impl Iterator<Item = Result<Entry, StoreError>>,
        limit: usize,
        reverse: bool,
    ) -> Result<Vec<Entry>, StoreError> {
        let cleared = self.cleared;
        let mut database = database.take_while(|_| !cleared).peekable();
        let mut overlay = self.entries.into_iter().peekable();
        let mut merged = Vec::new();
        while merged.len() < limit {
            let order = match (overlay.peek(), database.peek()) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some(_), Some(Err(_))) => Ordering::Greater,
                (Some((ours, _)), Some(Ok((theirs, _)))) if reverse => theirs.cmp(ours),
                (Some((ours, _)), Some(Ok((theirs, _)))) => ours.cmp(theirs),
            };
            if order == Ordering::Greater {
                if let Some(entry) = database.next() {
                    merged.push(entry?);
                }
                continue;
            }
            if order == Ordering::Equal {
                database.next();
            }
            if let Some((key, Some(value))) = overlay.next() {
                merged.push((key, value));
            }
        }
        Ok(merged)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn batch(cleared: bool, writes: &[(&str, Option<&str>)]) -> KeptWrites {
        let writes = writes.iter().map(|(k, v)| (k.as_bytes().to_vec(), v.map(|v| v.as_bytes().to_vec()))).collect();
        (cleared, writes)
    }

    fn database(entries: &[(&str, &str)], reverse: bool) -> Vec<Result<Entry, StoreError>> {
        let mut owned: Vec<_> =
            entries.iter().map(|(k, v)| Ok((k.as_bytes().to_vec(), v.as_bytes().to_vec()))).collect();
        if reverse {
            owned.reverse();
        }
        owned
    }

    fn scan(overlay: &Overlay, stored: &[(&str, &str)], limit: usize, reverse: bool) -> Vec<(String, String)> {
        let range = ScanRange::new(b"k", None, reverse).unwrap();
        let merged =
            overlay.slice(&range, limit, reverse, || ()).0.merge(database(stored, reverse).into_iter(), limit, reverse);
        let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
        merged.unwrap().into_iter().map(|(k, v)| (text(k), text(v))).collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn lookups_see_writes_deletions_and_clears() {
        let overlay = Overlay::default();
        assert_eq!(overlay.lookup(b"k1"), None);
        overlay.absorb(vec![batch(false, &[("k1", Some("a")), ("k2", None)])]);
        assert_eq!(overlay.lookup(b"k1"), Some(Some(b"a".to_vec())));
        assert_eq!(overlay.lookup(b"k2"), Some(None));
        assert_eq!(overlay.lookup(b"k3"), None);
        overlay.absorb(vec![batch(true, &[("k3", Some("c"))])]);
        assert_eq!(overlay.lookup(b"k1"), Some(None));
        assert_eq!(overlay.lookup(b"k3"), Some(Some(b"c".to_vec())));
        overlay.empty();
        assert_eq!(overlay.lookup(b"k1"), None);
        assert_eq!(overlay.bytes(), 0);
    }

    #[test]
    fn later_batches_win_and_the_size_follows_them() {
        let overlay = Overlay::default();
        overlay.absorb(vec![batch(false, &[("k1", Some("aaaa"))]), batch(false, &[("k1", Some("b"))])]);
        assert_eq!(overlay.lookup(b"k1"), Some(Some(b"b".to_vec())));
        assert_eq!(overlay.bytes(), 2 + 1 + ENTRY_OVERHEAD);
        overlay.absorb(vec![batch(false, &[("k1", None)])]);
        assert_eq!(overlay.bytes(), 2 + ENTRY_OVERHEAD);
    }

    #[test]
    fn scans_merge_writes_over_the_database_in_either_order() {
        let overlay = Overlay::default();
        overlay.absorb(vec![batch(false, &[("k2", Some("new")), ("k3", None), ("k5", Some("five"))])]);
        let stored = [("k1", "one"), ("k2", "old"), ("k3", "three"), ("k4", "four")];
        let forward = pairs(&[("k1", "one"), ("k2", "new"), ("k4", "four"), ("k5", "five")]);
        assert_eq!(scan(&overlay, &stored, 10, false), forward);
        let mut backward = forward.clone();
        backward.reverse();
        assert_eq!(scan(&overlay, &stored, 10, true), backward);
        assert_eq!(scan(&overlay, &stored, 2, false), forward[..2].to_vec());
        assert_eq!(scan(&overlay, &stored, 3, true), backward[..3].to_vec());
    }

    #[test]
    fn a_slice_stops_at_its_limit_of_values_but_keeps_deletions_before_it() {
        let overlay = Overlay::default();
        overlay.absorb(vec![batch(false, &[("k1", None), ("k2", Some("b")), ("k3", Some("c")), ("k4", Some("d"))])]);
        let range = ScanRange::new(b"k", None, false).unwrap();
        let (slice, ()) = overlay.slice(&range, 2, false, || ());
        let keys: Vec<_> = slice.entries.iter().map(|(k, _)| k.clone()).collect();
        assert_eq!(keys, vec![b"k1".to_vec(), b"k2".to_vec(), b"k3".to_vec()]);
        let stored = [("k1", "one"), ("k9", "nine")];
        assert_eq!(scan(&overlay, &stored, 2, false), pairs(&[("k2", "b"), ("k3", "c")]));
    }

    #[test]
    fn a_cleared_overlay_hides_the_database() {
        let overlay = Overlay::default();
        overlay.absorb(vec![batch(true, &[("k2", Some("b"))])]);
        assert_eq!(scan(&overlay, &[("k1", "one"), ("k3", "three")], 10, false), pairs(&[("k2", "b")]));
    }

    #[test]
    fn a_database_error_is_returned() {
        let overlay = Overlay::default();
        overlay.absorb(vec![batch(false, &[("k2", Some("b"))])]);
        let range = ScanRange::new(b"k", None, false).unwrap();
        let failing = vec![Err(StoreError::Io("disk gone".into()))];
        assert!(overlay.slice(&range, 10, false, || ()).0.merge(failing.into_iter(), 10, false).is_err());
    }

    #[test]
    fn the_whole_overlay_replays_as_one_batch() {
        let overlay = Overlay::default();
        assert!(overlay.as_writes().is_none());
        overlay.absorb(vec![batch(false, &[("k1", Some("a"))]), batch(false, &[("k2", None)])]);
        let (cleared, writes) = overlay.as_writes().unwrap();
        assert!(!cleared);
        assert_eq!(writes.len(), 2);
    }
}
