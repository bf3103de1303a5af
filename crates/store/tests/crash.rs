//! The durability promise under `kill -9`: every transaction whose future
//! resolved is in the store after the process is killed and the store is
//! reopened, and the reopened store reads cleanly.
//!
//! The test binary re-runs itself as the child that writes: `writer_child`
//! does nothing unless the parent sets `CHILD_DIR_VAR`.

use cloudbox_store::{Store, StoreError};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHILD_DIR_VAR: &str = "CLOUDBOX_STORE_CRASH_CHILD_DIR";
const CHILD_ROUND_VAR: &str = "CLOUDBOX_STORE_CRASH_CHILD_ROUND";
const WRITERS: usize = 16;
/// Each child stops by itself after this many writes per writer task.
const WRITES_PER_WRITER: usize = 100_000;
const CHILD_TIME_LIMIT: Duration = Duration::from_secs(60);
const ACKS_BEFORE_KILL: usize = 400;
const ROUNDS: usize = 3;

fn key_of(round: usize, writer: usize, n: usize) -> String {
    format!("r{round}/w{writer:02}/{n:08}")
}

fn value_of(key: &str) -> String {
    format!("value of {key} {}", "x".repeat(64))
}

/// Child mode: write forever (within bounds), printing each key only once
/// its transaction is acknowledged.
#[test]
fn writer_child() {
    let Ok(dir) = std::env::var(CHILD_DIR_VAR) else { return };
    let round: usize = std::env::var(CHILD_ROUND_VAR).unwrap().parse().unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    runtime.block_on(async move {
        let store = Store::open(Path::new(&dir)).unwrap();
        let deadline = Instant::now() + CHILD_TIME_LIMIT;
        let writers: Vec<_> = (0..WRITERS)
            .map(|writer| {
                let store = store.clone();
                tokio::spawn(async move {
                    for n in 0..WRITES_PER_WRITER {
                        if Instant::now() > deadline {
                            return;
                        }
                        let key = key_of(round, writer, n);
                        let (k, v) = (key.clone(), value_of(&key));
                        store
                            .transact(move |txn| {
                                txn.put(k, v);
                                Ok::<_, StoreError>(())
                            })
                            .await
                            .unwrap();
                        println!("ack {key}");
                    }
                })
            })
            .collect();
        for writer in writers {
            writer.await.unwrap();
        }
    });
}

/// Start a child writer, read acknowledgements until enough arrived, then
/// SIGKILL it. Returns the acknowledged keys.
fn run_and_kill_child(dir: &Path, round: usize) -> Vec<String> {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "writer_child", "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR_VAR, dir)
        .env(CHILD_ROUND_VAR, round.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let mut acknowledged = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        if let Some(key) = line.unwrap().strip_prefix("ack ") {
            acknowledged.push(key.to_string());
            if acknowledged.len() == ACKS_BEFORE_KILL {
                break;
            }
        }
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert_eq!(acknowledged.len(), ACKS_BEFORE_KILL, "the child stopped acknowledging early");
    acknowledged
}

#[tokio::test]
async fn acknowledged_writes_survive_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let mut acknowledged = Vec::new();
    for round in 0..ROUNDS {
        acknowledged.extend(run_and_kill_child(dir.path(), round));
        let store = Store::open(dir.path()).unwrap();
        for key in &acknowledged {
            let stored = store.get(key.as_bytes()).unwrap();
            assert_eq!(
                stored.as_deref(),
                Some(value_of(key).as_bytes()),
                "acknowledged {key} is missing after kill -9"
            );
        }
        assert_whole_store_reads_cleanly(&store);
        store.shutdown();
    }
}

/// Every stored entry has the value its key implies, and each writer's keys
/// of a round form an unbroken run from zero (a writer waits for each ack).
fn assert_whole_store_reads_cleanly(store: &Store) {
    let mut runs: BTreeMap<String, usize> = BTreeMap::new();
    let mut after: Option<Vec<u8>> = None;
    loop {
        let page = store.scan(b"r", after.as_deref(), 1000).unwrap();
        let Some((last, _)) = page.last() else { break };
        after = Some(last.clone());
        for (key, value) in page {
            let key = String::from_utf8(key).unwrap();
            assert_eq!(value, value_of(&key).as_bytes(), "{key} holds a wrong value");
            let (writer, n) = key.rsplit_once('/').unwrap();
            let expected = runs.entry(writer.to_string()).or_default();
            assert_eq!(n.parse::<usize>().unwrap(), *expected, "{writer} has a gap");
            *expected += 1;
        }
    }
}
