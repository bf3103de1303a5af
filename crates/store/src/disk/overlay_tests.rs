//! The overlay against a model: the same pseudo-random writes go to the
//! in-memory backend and to on-disk backends that commit the overlay after
//! every batch, now and then, or never, and every read must agree, also
//! after a clean reopen and after a crash replayed from the log.

use super::tests::small_log_options;
use super::*;
use crate::backend::{Backend, Reply};
use crate::memory::MemoryBackend;
use crate::txn::Txn;
use std::sync::mpsc::channel;
use tempfile::TempDir;

/// One write the model and the disk backends both take.
#[derive(Clone, Debug)]
enum Write {
    Put(Vec<u8>, Vec<u8>),
    Delete(Vec<u8>),
    Clear,
}

/// A small deterministic generator, so a failure repeats exactly.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % sides
    }

    fn key(&mut self) -> Vec<u8> {
        format!("k{:02}", self.roll(40)).into_bytes()
    }

    fn write(&mut self) -> Write {
        match self.roll(100) {
            0 => Write::Clear,
            1..=30 => Write::Delete(self.key()),
            _ => {
                let key = self.key();
                let value = format!("v{}", self.roll(1000)).into_bytes().repeat(1 + self.roll(20) as usize);
                Write::Put(key, value)
            }
        }
    }
}

/// Run `writes` as one transaction and wait until it is acknowledged.
fn commit(backend: &dyn Backend, writes: Vec<Write>) {
    let (sender, outcome) = channel();
    backend.submit(Box::new(move |txn: &mut Txn| {
        for write in writes {
            match write {
                Write::Put(key, value) => txn.put(key, value),
                Write::Delete(key) => txn.delete(key),
                Write::Clear => txn.clear_all(),
            }
        }
        let reply: Reply = Box::new(move |committed| {
            let _ = sender.send(committed);
        });
        (true, reply)
    }));
    outcome.recv().unwrap().unwrap();
}

/// Every read the store offers, over the whole key space, in one comparable value.
fn everything(backend: &dyn Backend) -> Vec<Vec<Entry>> {
    let mut reads = Vec::new();
    for (bound, limit) in [(None, usize::MAX), (Some(&b"k17"[..]), 5), (Some(&b"k03"[..]), 100), (None, 3)] {
        reads.push(backend.scan(b"k", bound, limit, false).unwrap());
        reads.push(backend.scan(b"k", bound, limit, true).unwrap());
    }
    let gets = (0..40).map(|n| format!("k{n:02}").into_bytes());
    reads.push(gets.filter_map(|key| backend.get(&key).unwrap().map(|value| (key, value))).collect());
    reads
}

fn options(overlay_bytes: usize) -> DiskOptions {
    DiskOptions { overlay_bytes, checkpoint_interval: Duration::from_secs(3600), ..small_log_options() }
}

#[test]
fn reads_through_the_overlay_match_the_model_whenever_it_is_committed() {
    let model = MemoryBackend::default();
    let dirs: Vec<TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let limits = [0, 4 << 10, usize::MAX];
    let disks: Vec<DiskBackend> =
        dirs.iter().zip(limits).map(|(dir, limit)| DiskBackend::open(dir.path(), &options(limit)).unwrap()).collect();
    let mut dice = Dice(7);
    for round in 0..300 {
        let writes: Vec<Write> = (0..1 + dice.roll(4)).map(|_| dice.write()).collect();
        commit(&model, writes.clone());
        for disk in &disks {
            commit(disk, writes.clone());
        }
        if round % 25 == 0 {
            let expected = everything(&model);
            for (disk, limit) in disks.iter().zip(limits) {
                assert_eq!(everything(disk), expected, "round {round}, overlay limit {limit}");
            }
        }
    }
    let expected = everything(&model);
    let never_committed = &disks[2];
    let crashed = tempfile::tempdir().unwrap();
    commit(never_committed, Vec::new());
    for file in [DATABASE_FILE, LOG_FILE] {
        std::fs::copy(dirs[2].path().join(file), crashed.path().join(file)).unwrap();
    }
    assert_eq!(everything(&DiskBackend::open(crashed.path(), &options(usize::MAX)).unwrap()), expected);
    drop(disks);
    for dir in &dirs {
        assert_eq!(everything(&DiskBackend::open(dir.path(), &options(usize::MAX)).unwrap()), expected);
    }
}

#[test]
fn a_transaction_reads_the_writes_of_earlier_batches_still_in_the_overlay() {
    let dir = tempfile::tempdir().unwrap();
    let disk = DiskBackend::open(dir.path(), &options(usize::MAX)).unwrap();
    commit(&disk, vec![Write::Put(b"k01".to_vec(), b"one".to_vec())]);
    let (sender, seen) = channel();
    disk.submit(Box::new(move |txn: &mut Txn| {
        let _ = sender.send((txn.get(b"k01").unwrap(), txn.scan(b"k", None, 10, false).unwrap().len()));
        (false, Box::new(|_| {}) as Reply)
    }));
    assert_eq!(seen.recv().unwrap(), (Some(b"one".to_vec()), 1));
}
