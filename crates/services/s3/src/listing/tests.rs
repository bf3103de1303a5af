//! Listing pages: order, rollups and their cost on a large bucket.

use super::*;
use crate::objects::commit::decode;
use crate::state::{ObjectRecord, object_key, objects_prefix};
use cloudbox_store::Store;

async fn fill(store: &Store, keys: impl Iterator<Item = String>) {
    let keys: Vec<String> = keys.collect();
    for batch in keys.chunks(10_000) {
        let batch = batch.to_vec();
        store
            .transact(move |txn| {
                for key in batch {
                    let record =
                        ObjectRecord { key: key.clone(), etag: "e".repeat(32), size: 1024, ..Default::default() };
                    txn.put_json(object_key("b", &key), &record);
                }
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
    }
}

fn list(store: &Store, prefix: &str, delimiter: Option<&str>, after: Option<&str>, max: usize) -> (Vec<String>, bool) {
    let mut scan_prefix = objects_prefix("b");
    scan_prefix.extend_from_slice(prefix.as_bytes());
    let walk = Walk {
        scan_prefix,
        bound: after.map(|key| object_key("b", key)),
        key_prefix: prefix,
        delimiter,
        after_key: after,
        max,
    };
    let page = walk
        .run(store, |_, value| decode(value), |r: &ObjectRecord| r.key.as_str(), |common| past(object_key("b", common)))
        .unwrap();
    let names = page
        .entries
        .iter()
        .map(|entry| match entry {
            Listed::Item(record) => record.key.clone(),
            Listed::Prefix(prefix) => format!("{prefix}*"),
        })
        .collect();
    (names, page.truncated)
}

#[tokio::test]
async fn rollups_count_toward_max_keys_and_are_skipped_in_one_seek() {
    let store = Store::memory();
    let keys = ["a", "b/1", "b/2", "b/3", "c", "d/x/1", "d/y", "e"];
    fill(&store, keys.iter().map(|k| k.to_string())).await;
    assert_eq!(list(&store, "", Some("/"), None, 1000).0, ["a", "b/*", "c", "d/*", "e"]);
    assert_eq!(list(&store, "", Some("/"), None, 2), (vec!["a".to_string(), "b/*".to_string()], true));
    assert_eq!(list(&store, "", Some("/"), Some("b/"), 2).0, ["c", "d/*"]);
    assert_eq!(list(&store, "d/", Some("/"), None, 10).0, ["d/x/*", "d/y"]);
    assert_eq!(list(&store, "", None, Some("d/x/1"), 10).0, ["d/y", "e"]);
    assert_eq!(list(&store, "", None, None, 0), (vec![], false));
    assert!(!list(&store, "", None, None, 8).1);
    assert!(list(&store, "", None, None, 7).1);
}

#[test]
fn tokens_round_trip_and_reject_garbage() {
    assert_eq!(decode_token(&encode_token("a/ü b")).unwrap(), "a/ü b");
    assert!(decode_token("!!").is_err());
    assert_eq!(shown("a b+c/ü", true), "a%20b%2Bc/%C3%BC");
    assert_eq!(max_keys(Some(5000)).unwrap(), (5000, 1000));
    assert!(max_keys(Some(-1)).is_err());
}

/// 1,000 keys from a 1,000,000-key bucket on disk, once the store's cache
/// holds the index (as under steady load; a page's first read from a cold
/// cache costs several milliseconds more). Run it in release:
/// `cargo test -p cloudbox-s3 --release -- --ignored listing_a_page`.
#[tokio::test]
#[ignore]
async fn listing_a_page_of_a_million_keys() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    fill(&store, (0..1_000_000).map(|i| format!("obj/{:02}/{i:08}", i % 16))).await;
    let mut after: Option<String> = None;
    loop {
        let (names, truncated) = list(&store, "obj/", None, after.as_deref(), 1000);
        after = names.last().cloned();
        if !truncated {
            break;
        }
    }
    let mut worst = std::time::Duration::ZERO;
    for start in ["obj/03/00500003", "obj/07/00000007", "obj/12/00999980", "obj/00"] {
        let began = std::time::Instant::now();
        let (names, _) = list(&store, "obj/", None, Some(start), 1000);
        let took = began.elapsed();
        worst = worst.max(took);
        assert_eq!(names.len(), 1000);
        println!("1,000 keys after {start}: {took:?}");
    }
    assert!(worst < std::time::Duration::from_millis(5), "{worst:?}");
}
