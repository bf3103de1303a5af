use cloudbox_store::{Store, StoreError};
use std::time::Instant;
#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let dir = std::env::args().nth(1).unwrap();
    let n: u64 = std::env::args().nth(2).unwrap().parse().unwrap();
    let writers: u64 = std::env::args().nth(3).unwrap().parse().unwrap();
    let store = Store::open(std::path::Path::new(&dir)).unwrap();
    let t = Instant::now();
    let next = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let seq = std::env::args().nth(4).is_some();
    let tasks: Vec<_> = (0..writers).map(|w| { let store = store.clone(); let next = next.clone(); tokio::spawn(async move {
        for i in 0..n / writers {
            let next = next.clone(); store.transact(move |txn| { let k = if seq { format!("s{:013}", next.clone().fetch_add(1, std::sync::atomic::Ordering::Relaxed)) } else { format!("k{w:03}{i:010}") }; txn.put(k, vec![1u8; 100]); Ok::<_, StoreError>(()) }).await.unwrap();
        }})}).collect();
    for t in tasks { t.await.unwrap(); }
    let e = t.elapsed();
    let s = store.commit_stats();
    println!("{n} txns in {e:?}: {:.0}/s; {} commits ({:.0}/s), {:.1}/commit", n as f64 / e.as_secs_f64(), s.commits, s.commits as f64 / e.as_secs_f64(), s.transactions as f64 / s.commits as f64);
}
