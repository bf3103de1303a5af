//! Store throughput: durable 100-byte put transactions with 1 and 16
//! concurrent writers, and point reads, on disk and in memory; and, for
//! scale, what one 4 KiB write plus fdatasync costs on the same disk (the
//! floor under every durable commit).
//!
//! Run with `cargo bench -p cloudbox-store`. Each put result is followed by
//! a line giving the commits made and the average transactions per commit.

use cloudbox_store::{Store, StoreError};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tempfile::TempDir;

const VALUE_BYTES: usize = 100;
const READ_KEYS: u64 = 10_000;

/// A store to measure, with the directory that must outlive it.
struct Subject {
    name: &'static str,
    store: Store,
    _dir: Option<TempDir>,
}

fn subjects() -> Vec<Subject> {
    let dir = tempfile::tempdir().unwrap();
    let disk = Store::open(dir.path()).unwrap();
    vec![
        Subject { name: "disk", store: disk, _dir: Some(dir) },
        Subject { name: "memory", store: Store::memory(), _dir: None },
    ]
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

fn key(n: u64) -> Vec<u8> {
    format!("bench/{n:012}").into_bytes()
}

async fn put(store: &Store, n: u64) {
    store
        .transact(move |txn| {
            txn.put(key(n), vec![0x61; VALUE_BYTES]);
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
}

/// Run `total` put transactions from `writers` concurrent tasks; the time taken.
async fn put_concurrently(store: &Store, writers: u64, total: u64, next_key: &Arc<AtomicU64>) -> Duration {
    let started = Instant::now();
    let tasks: Vec<_> = (0..writers)
        .map(|writer| {
            let (store, next_key) = (store.clone(), next_key.clone());
            let share = total / writers + u64::from(writer < total % writers);
            tokio::spawn(async move {
                for _ in 0..share {
                    put(&store, next_key.fetch_add(1, Ordering::Relaxed)).await;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    started.elapsed()
}

fn puts(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = c.benchmark_group("put_100_bytes");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(4));
    group.throughput(Throughput::Elements(1));
    for subject in subjects() {
        for writers in [1, 16] {
            let next_key = Arc::new(AtomicU64::new(0));
            let before = subject.store.commit_stats();
            group.bench_function(BenchmarkId::new(subject.name, writers), |b| {
                b.iter_custom(|iters| runtime.block_on(put_concurrently(&subject.store, writers, iters, &next_key)))
            });
            let after = subject.store.commit_stats();
            let commits = after.commits - before.commits;
            if commits > 0 {
                let per_commit = (after.transactions - before.transactions) as f64 / commits as f64;
                eprintln!("{}/{writers}: {commits} commits, {per_commit:.1} transactions per commit", subject.name);
            }
        }
    }
    group.finish();
}

fn point_reads(c: &mut Criterion) {
    let runtime = runtime();
    let mut group = c.benchmark_group("point_read");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(1));
    for subject in subjects() {
        runtime.block_on(put_concurrently(&subject.store, 16, READ_KEYS, &Arc::new(AtomicU64::new(0))));
        let mut n = 0u64;
        group.bench_function(subject.name, |b| {
            b.iter(|| {
                n = (n + 7919) % READ_KEYS;
                subject.store.get(&key(n)).unwrap().unwrap()
            })
        });
    }
    group.finish();
}

fn raw_fsync(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let file = std::fs::File::create(dir.path().join("probe")).unwrap();
    let page = vec![0x61; 4096];
    std::os::unix::fs::FileExt::write_all_at(&file, &page, 0).unwrap();
    file.sync_all().unwrap();
    let mut group = c.benchmark_group("raw_fsync");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    group.throughput(Throughput::Elements(1));
    group.bench_function("overwrite_4k_then_fdatasync", |b| {
        b.iter(|| {
            std::os::unix::fs::FileExt::write_all_at(&file, &page, 0).unwrap();
            file.sync_data().unwrap();
        })
    });
    group.finish();
}

criterion_group!(benches, puts, point_reads, raw_fsync);
criterion_main!(benches);
