use cloudbox_store::{Store, StoreError};
fn rss() -> String { std::fs::read_to_string("/proc/self/status").unwrap().lines().filter(|l| l.starts_with("VmRSS")).collect() }
#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!("start {}", rss());
    let dir = std::env::args().nth(1).unwrap();
    let store = Store::open(std::path::Path::new(&dir)).unwrap();
    println!("opened {}", rss());
    for i in 0..200u64 { store.transact(move |t| { for j in 0..100u64 { t.put(format!("k{:08}", i*100+j), vec![7u8; 200]); } Ok::<_, StoreError>(()) }).await.unwrap(); }
    println!("after 20k writes {}", rss());
    for i in 0..20000u64 { store.get(format!("k{i:08}").as_bytes()).unwrap().unwrap(); }
    println!("after 20k reads {}", rss());
}
