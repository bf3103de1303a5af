//! Behaviour only the on-disk backend has: persistence, the format version,
//! and how group commit treats the transactions it batches together.

use super::*;
use crate::backend::Reply;
use crate::txn::Txn;
use crate::{FORMAT_VERSION, Store};
use std::sync::mpsc::{Receiver, channel};
use tempfile::TempDir;

pub(super) type Outcome = Receiver<Result<(), StoreError>>;

/// Tuning for tests: a small log, so that laying it out costs little.
pub(super) fn small_log_options() -> DiskOptions {
    DiskOptions { log_bytes: 1 << 20, ..DiskOptions::default() }
}

pub(super) fn open(dir: &TempDir) -> DiskBackend {
    DiskBackend::open(dir.path(), &small_log_options()).unwrap()
}

fn reply_to(sender: std::sync::mpsc::Sender<Result<(), StoreError>>) -> Reply {
    Box::new(move |outcome| {
        let _ = sender.send(outcome);
    })
}

/// Submit a transaction that runs `work` and is kept when `work` says so.
pub(super) fn submit(backend: &DiskBackend, work: impl FnOnce(&mut Txn) -> bool + Send + 'static) -> Outcome {
    let (sender, outcome) = channel();
    backend.submit(Box::new(move |txn| (work(txn), reply_to(sender))));
    outcome
}

/// Holds the writer inside a batch until released.
struct Hold {
    release: std::sync::mpsc::Sender<()>,
    outcome: Outcome,
}

/// Submit a transaction that blocks the writer, and wait until it does.
fn hold_writer(backend: &DiskBackend) -> Hold {
    let (started, has_started) = channel();
    let (release, released) = channel::<()>();
    let outcome = submit(backend, move |_| {
        started.send(()).unwrap();
        released.recv().unwrap();
        true
    });
    has_started.recv().unwrap();
    Hold { release, outcome }
}

impl Hold {
    fn release(self) -> Outcome {
        self.release.send(()).unwrap();
        self.outcome
    }
}

pub(super) fn put(key: &'static str, value: &'static str) -> impl FnOnce(&mut Txn) -> bool + Send + 'static {
    move |txn| {
        txn.put(key, value);
        true
    }
}

pub(super) fn value(backend: &DiskBackend, key: &str) -> Option<String> {
    backend.get(key.as_bytes()).unwrap().map(|v| String::from_utf8(v).unwrap())
}

fn set_recorded_version(dir: &TempDir, version: u32) {
    let db = Database::create(dir.path().join(DATABASE_FILE)).unwrap();
    let txn = db.begin_write().unwrap();
    format::record_version(&txn, version).unwrap();
    txn.commit().unwrap();
}

fn recorded_version(dir: &TempDir) -> Option<u32> {
    let db = Database::create(dir.path().join(DATABASE_FILE)).unwrap();
    let txn = db.begin_write().unwrap();
    format::recorded_version(&txn).unwrap()
}

#[test]
fn a_failed_transaction_leaves_its_batch_mates_committed() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(&dir);
    let hold = hold_writer(&backend);
    let before = backend.commit_stats();
    let first = submit(&backend, put("a", "1"));
    let failed = submit(&backend, |txn| {
        txn.put("b", "2");
        false
    });
    let last = submit(&backend, |txn| {
        let saw_a = txn.get(b"a").unwrap();
        let saw_b = txn.get(b"b").unwrap();
        txn.put("c", format!("{saw_a:?} {saw_b:?}"));
        true
    });
    hold.release().recv().unwrap().unwrap();
    for outcome in [first, failed, last] {
        outcome.recv().unwrap().unwrap();
    }
    assert_eq!(value(&backend, "a").as_deref(), Some("1"));
    assert_eq!(value(&backend, "b"), None);
    assert_eq!(value(&backend, "c").as_deref(), Some("Some([49]) None"));
    let after = backend.commit_stats();
    // The held batch, then one for the three queued behind it; the syncer
    // may flush the two together.
    assert!((1..=2).contains(&(after.commits - before.commits)));
    assert_eq!(after.transactions - before.transactions, 4);
}

#[test]
fn a_panicking_job_loses_only_its_own_reply() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(&dir);
    let hold = hold_writer(&backend);
    let first = submit(&backend, put("a", "1"));
    let panicking = submit(&backend, |txn| {
        txn.put("p", "x");
        panic!("job bug")
    });
    let last = submit(&backend, put("c", "3"));
    hold.release().recv().unwrap().unwrap();
    first.recv().unwrap().unwrap();
    last.recv().unwrap().unwrap();
    assert!(panicking.recv().is_err(), "the panicking job's reply is dropped");
    assert_eq!(value(&backend, "p"), None);
    submit(&backend, put("later", "ok")).recv().unwrap().unwrap();
    assert_eq!(value(&backend, "later").as_deref(), Some("ok"));
}

#[test]
fn readers_see_a_batch_only_once_it_is_committed() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(&dir);
    let first_hold = hold_writer(&backend);
    let written = submit(&backend, put("x", "1"));
    let (started, has_started) = channel();
    let (release, released) = channel::<()>();
    let second_hold = submit(&backend, move |_| {
        started.send(()).unwrap();
        released.recv().unwrap();
        true
    });
    first_hold.release().recv().unwrap().unwrap();
    has_started.recv().unwrap();
    assert_eq!(value(&backend, "x"), None, "applied to the open batch, not yet committed");
    assert!(written.try_recv().is_err(), "not acknowledged before the commit");
    release.send(()).unwrap();
    second_hold.recv().unwrap().unwrap();
    written.recv().unwrap().unwrap();
    assert_eq!(value(&backend, "x").as_deref(), Some("1"));
}

#[test]
fn shutdown_drains_queued_transactions_first() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(&dir);
    let hold = hold_writer(&backend);
    let queued = submit(&backend, put("queued", "1"));
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(50));
        hold.release().recv().unwrap()
    });
    backend.shutdown();
    releaser.join().unwrap().unwrap();
    queued.recv().unwrap().unwrap();
    assert_eq!(value(&backend, "queued").as_deref(), Some("1"));
    let refused = submit(&backend, put("late", "1"));
    assert!(refused.recv().is_err(), "a job after shutdown is dropped unrun");
}

#[test]
fn dropping_the_backend_commits_what_was_queued() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(&dir);
    let hold = hold_writer(&backend);
    let queued = submit(&backend, put("queued", "1"));
    let dropper = std::thread::spawn(move || drop(backend));
    hold.release().recv().unwrap().unwrap();
    queued.recv().unwrap().unwrap();
    dropper.join().unwrap();
    assert_eq!(value(&open(&dir), "queued").as_deref(), Some("1"));
}

#[tokio::test]
async fn reopening_keeps_committed_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    store
        .transact(|txn| {
            txn.put("k/1", "one");
            txn.put("k/2", "two");
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    store
        .transact(|txn| {
            txn.delete("k/2");
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    drop(store);
    let reopened = Store::open(dir.path()).unwrap();
    assert_eq!(reopened.scan(b"k/", None, 10).unwrap(), vec![(b"k/1".to_vec(), b"one".to_vec())]);
}

#[test]
fn a_new_store_records_the_current_format_version() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(&dir));
    assert_eq!(recorded_version(&dir), Some(FORMAT_VERSION));
}

#[test]
fn a_newer_format_version_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(open(&dir));
    set_recorded_version(&dir, FORMAT_VERSION + 1);
    let refused = DiskBackend::open(dir.path(), &DiskOptions::default());
    assert!(matches!(
        refused,
        Err(StoreError::TooNew { found, supported }) if found == FORMAT_VERSION + 1 && supported == FORMAT_VERSION
    ));
    assert_eq!(recorded_version(&dir), Some(FORMAT_VERSION + 1), "a refused open changes nothing");
}

#[test]
fn an_older_format_version_is_upgraded_keeping_data() {
    let dir = tempfile::tempdir().unwrap();
    let backend = open(&dir);
    submit(&backend, put("kept", "yes")).recv().unwrap().unwrap();
    drop(backend);
    set_recorded_version(&dir, FORMAT_VERSION - 1);
    let backend = open(&dir);
    assert_eq!(value(&backend, "kept").as_deref(), Some("yes"));
    drop(backend);
    assert_eq!(recorded_version(&dir), Some(FORMAT_VERSION));
}

#[test]
fn a_file_that_is_not_a_database_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(DATABASE_FILE), vec![0x5a; 64 * 1024]).unwrap();
    assert!(DiskBackend::open(dir.path(), &DiskOptions::default()).is_err());
}

#[test]
fn the_data_directory_is_created_when_missing() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("a").join("b");
    drop(DiskBackend::open(&nested, &DiskOptions::default()).unwrap());
    assert!(nested.join(DATABASE_FILE).is_file());
}
