//! The write-ahead log under crashes. A crash is simulated by copying the
//! data directory while the store is open and idle: the copy holds what a
//! `kill -9` would leave (everything written, flushed or not, but no
//! clean-shutdown checkpoint), and opening it must replay the log.

use super::log_record::{self, HEADER_LEN};
use super::tests::{Outcome, open, put, small_log_options, submit, value};
use super::*;
use crate::txn::Txn;
use std::os::unix::fs::FileExt;
use std::path::PathBuf;
use tempfile::TempDir;

/// Tuning that never checkpoints on its own while a test runs.
fn no_checkpoints() -> DiskOptions {
    DiskOptions { checkpoint_interval: Duration::from_secs(3600), ..small_log_options() }
}

fn open_with(dir: &TempDir, options: &DiskOptions) -> DiskBackend {
    DiskBackend::open(dir.path(), options).unwrap()
}

fn acknowledged(outcome: Outcome) {
    outcome.recv().unwrap().unwrap();
}

/// Wait until the writer is idle: a job that keeps nothing is answered only
/// after everything before it, including any checkpoint, is done.
fn settle(backend: &DiskBackend) {
    acknowledged(submit(backend, |_| false));
}

/// What `kill -9` would leave of `from` now, in a new directory; with
/// `with_log` false, only the database file.
fn crash_copy(backend: &DiskBackend, from: &TempDir, with_log: bool) -> TempDir {
    settle(backend);
    let to = tempfile::tempdir().unwrap();
    let mut files = vec![DATABASE_FILE];
    if with_log {
        files.push(LOG_FILE);
    }
    for file in files {
        std::fs::copy(from.path().join(file), to.path().join(file)).unwrap();
    }
    to
}

fn log_path(dir: &TempDir) -> PathBuf {
    dir.path().join(LOG_FILE)
}

/// The length of the whole record at `offset` of the log in `dir`.
fn record_len_at(dir: &TempDir, offset: u64) -> u64 {
    let mut header = [0; HEADER_LEN];
    std::fs::File::open(log_path(dir)).unwrap().read_exact_at(&mut header, offset).unwrap();
    (HEADER_LEN + log_record::decode_header(&header).payload_len as usize) as u64
}

fn write_log_at(dir: &TempDir, offset: u64, bytes: &[u8]) {
    let file = std::fs::OpenOptions::new().write(true).open(log_path(dir)).unwrap();
    file.write_all_at(bytes, offset).unwrap();
}

#[test]
fn acknowledged_writes_survive_a_crash_through_the_log() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open_with(&dir, &no_checkpoints());
    for n in 0..20 {
        let key: &'static str = Box::leak(format!("k{n:02}").into_boxed_str());
        acknowledged(submit(&backend, put(key, "v")));
    }
    acknowledged(submit(&backend, |txn| {
        txn.delete("k03");
        true
    }));
    let without_log = crash_copy(&backend, &dir, false);
    assert_eq!(value(&open(&without_log), "k00"), None, "the database file alone holds only the last checkpoint");
    let crashed = crash_copy(&backend, &dir, true);
    let reopened = open(&crashed);
    for n in 0..20 {
        let expected = (n != 3).then_some("v");
        assert_eq!(value(&reopened, &format!("k{n:02}")).as_deref(), expected, "k{n:02}");
    }
    acknowledged(submit(&reopened, put("after", "1")));
    drop(reopened);
    assert_eq!(value(&open(&crashed), "after").as_deref(), Some("1"));
}

#[test]
fn a_torn_or_garbage_tail_is_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open_with(&dir, &no_checkpoints());
    acknowledged(submit(&backend, put("first", "1")));
    acknowledged(submit(&backend, put("second", "2")));
    let crashed = crash_copy(&backend, &dir, true);
    let first_len = record_len_at(&crashed, 0);
    let second_len = record_len_at(&crashed, first_len);
    // The second record torn: its last byte never reached the disk.
    write_log_at(&crashed, first_len + second_len - 1, &[0xee]);
    // Then garbage, beginning with what looks like the header of the next record.
    let mut garbage = log_record::encode(3, &[]);
    garbage[12] ^= 1;
    garbage.extend_from_slice(&[0x5a; 64]);
    write_log_at(&crashed, first_len + second_len, &garbage);
    let reopened = open(&crashed);
    assert_eq!(value(&reopened, "first").as_deref(), Some("1"));
    assert_eq!(value(&reopened, "second"), None);
    acknowledged(submit(&reopened, put("third", "3")));
    drop(reopened);
    let again = open(&crashed);
    assert_eq!(value(&again, "first").as_deref(), Some("1"));
    assert_eq!(value(&again, "third").as_deref(), Some("3"));
}

#[test]
fn a_record_claiming_more_than_the_log_holds_ends_the_replay() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open_with(&dir, &no_checkpoints());
    acknowledged(submit(&backend, put("kept", "1")));
    let crashed = crash_copy(&backend, &dir, true);
    let first_len = record_len_at(&crashed, 0);
    let mut header = log_record::encode(2, &[]);
    header[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
    write_log_at(&crashed, first_len, &header[..HEADER_LEN]);
    assert_eq!(value(&open(&crashed), "kept").as_deref(), Some("1"));
}

#[test]
fn records_of_an_earlier_round_are_never_replayed() {
    let dir = tempfile::tempdir().unwrap();
    let write_x = |txn: &mut Txn| {
        txn.put("x", "");
        true
    };
    let delete_key = |txn: &mut Txn| {
        txn.delete("kkkkk");
        true
    };
    // The later round's one record exactly covers the first of the earlier
    // round, so what follows it in the file is the earlier round's second.
    let record_of = |work: &dyn Fn(&mut Txn) -> bool| {
        let mut txn = Txn::new(&tables::FailedView(StoreError::Closed));
        work(&mut txn);
        log_record::encode(1, &[txn.into_writes()]).len()
    };
    assert_eq!(record_of(&write_x), record_of(&delete_key));
    let backend = open_with(&dir, &no_checkpoints());
    acknowledged(submit(&backend, write_x));
    acknowledged(submit(&backend, put("kkkkk", "old")));
    drop(backend); // a clean shutdown checkpoints; the log starts over
    let backend = open_with(&dir, &no_checkpoints());
    acknowledged(submit(&backend, delete_key));
    let crashed = crash_copy(&backend, &dir, true);
    let reopened = open(&crashed);
    assert_eq!(value(&reopened, "kkkkk"), None, "the earlier round's put was replayed");
    assert_eq!(value(&reopened, "x").as_deref(), Some(""));
}

#[test]
fn a_clear_replays_before_the_writes_of_its_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open_with(&dir, &no_checkpoints());
    acknowledged(submit(&backend, put("before", "1")));
    drop(backend);
    let backend = open_with(&dir, &no_checkpoints());
    acknowledged(submit(&backend, put("logged", "1")));
    acknowledged(submit(&backend, |txn| {
        txn.clear_all();
        txn.put("kept", "1");
        true
    }));
    acknowledged(submit(&backend, put("after", "1")));
    let crashed = crash_copy(&backend, &dir, true);
    let reopened = open(&crashed);
    let all = reopened.scan(b"", None, 10, false).unwrap();
    let keys: Vec<&[u8]> = all.iter().map(|(key, _)| key.as_slice()).collect();
    assert_eq!(keys, [b"after".as_slice(), b"kept"]);
}

#[test]
fn a_log_past_half_full_forces_a_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let options = DiskOptions { log_bytes: 64 << 10, ..no_checkpoints() };
    let backend = open_with(&dir, &options);
    let value_of_8k = "v".repeat(8 << 10);
    for n in 0..4 {
        let (key, value) = (format!("k{n}"), value_of_8k.clone());
        acknowledged(submit(&backend, move |txn| {
            txn.put(key, value);
            true
        }));
    }
    // 32 KiB and more of records: checkpointed, so the database file alone has them.
    let without_log = crash_copy(&backend, &dir, false);
    let reopened = open(&without_log);
    for n in 0..4 {
        assert_eq!(value(&reopened, &format!("k{n}")).as_deref(), Some(value_of_8k.as_str()));
    }
}

#[test]
fn a_batch_too_big_for_the_log_commits_as_a_checkpoint() {
    let dir = tempfile::tempdir().unwrap();
    let options = DiskOptions { log_bytes: 4 << 10, ..no_checkpoints() };
    let backend = open_with(&dir, &options);
    let big = "b".repeat(16 << 10);
    let stored = big.clone();
    acknowledged(submit(&backend, move |txn| {
        txn.put("big", stored);
        true
    }));
    acknowledged(submit(&backend, put("small", "1")));
    let reopened = open(&crash_copy(&backend, &dir, true));
    assert_eq!(value(&reopened, "big").as_deref(), Some(big.as_str()));
    assert_eq!(value(&reopened, "small").as_deref(), Some("1"));
    let without_log = crash_copy(&backend, &dir, false);
    assert_eq!(value(&open(&without_log), "big").as_deref(), Some(big.as_str()));
}

#[test]
fn the_log_is_laid_out_ahead_of_its_records_without_holes() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let options = DiskOptions { log_bytes: 8 << 20, ..no_checkpoints() };
    let backend = open_with(&dir, &options);
    let created = std::fs::metadata(log_path(&dir)).unwrap();
    assert_eq!(created.len(), 1 << 20, "a new log starts with its first megabyte");
    let value_of_64k = "v".repeat(64 << 10);
    for n in 0..24 {
        let (key, value) = (format!("k{n}"), value_of_64k.clone());
        acknowledged(submit(&backend, move |txn| {
            txn.put(key, value);
            true
        }));
    }
    let grown = std::fs::metadata(log_path(&dir)).unwrap();
    assert_eq!(grown.len(), 2 << 20, "1.5 MiB of records: laid out to the next whole megabyte");
    assert!(grown.blocks() * 512 >= grown.len(), "the log has holes");
    let reopened = open_with(&crash_copy(&backend, &dir, true), &options);
    assert_eq!(value(&reopened, "k23").as_deref(), Some(value_of_64k.as_str()));
}

#[test]
fn after_a_failed_log_write_nothing_more_is_acknowledged_and_earlier_writes_stay() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open_with(&dir, &no_checkpoints());
    acknowledged(submit(&backend, put("a", "1")));
    backend.fail_log_writes();
    assert!(submit(&backend, put("b", "2")).recv().unwrap().is_err());
    assert!(submit(&backend, |_| false).recv().unwrap().is_err(), "not even a read-only transaction");
    assert!(submit(&backend, put("c", "3")).recv().unwrap().is_err());
    assert_eq!(value(&backend, "a").as_deref(), Some("1"));
    assert_eq!((value(&backend, "b"), value(&backend, "c")), (None, None));
    drop(backend);
    let reopened = open_with(&dir, &no_checkpoints());
    assert_eq!(value(&reopened, "a").as_deref(), Some("1"));
    assert_eq!((value(&reopened, "b"), value(&reopened, "c")), (None, None));
}

#[test]
fn an_idle_writer_checkpoints_without_waiting_for_the_next_write() {
    let dir = tempfile::tempdir().unwrap();
    let options = DiskOptions { checkpoint_interval: Duration::from_millis(200), ..small_log_options() };
    let backend = open_with(&dir, &options);
    acknowledged(submit(&backend, put("a", "1")));
    std::thread::sleep(Duration::from_millis(400));
    let without_log = crash_copy(&backend, &dir, false);
    assert_eq!(value(&open_with(&without_log, &no_checkpoints()), "a").as_deref(), Some("1"));
}
