use super::*;

#[derive(Debug)]
struct Refused;

impl From<StoreError> for Refused {
    fn from(_: StoreError) -> Self {
        Refused
    }
}

#[tokio::test]
async fn transactions_commit_all_or_nothing() {
    let store = Store::memory();
    store
        .transact(|t| {
            t.put(b"a/1".to_vec(), b"one".to_vec());
            t.put(b"a/2".to_vec(), b"two".to_vec());
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    let failed = store
        .transact(|t| {
            t.put(b"a/3".to_vec(), b"three".to_vec());
            t.delete(b"a/1".to_vec());
            Err::<(), _>(Refused)
        })
        .await;
    assert!(failed.is_err());
    let all = store.scan(b"a/", None, 10).unwrap();
    assert_eq!(all, vec![(b"a/1".to_vec(), b"one".to_vec()), (b"a/2".to_vec(), b"two".to_vec())]);
}

#[tokio::test]
async fn scans_respect_prefix_bound_limit_and_direction() {
    let store = Store::memory();
    store
        .transact(|t| {
            for k in ["p/a", "p/b", "p/c", "q/a", "o/z"] {
                t.put(k.as_bytes().to_vec(), b"v".to_vec());
            }
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    let keys = |v: Vec<Entry>| v.into_iter().map(|(k, _)| String::from_utf8(k).unwrap()).collect::<Vec<_>>();
    assert_eq!(keys(store.scan(b"p/", None, 10).unwrap()), ["p/a", "p/b", "p/c"]);
    assert_eq!(keys(store.scan(b"p/", Some(b"p/a"), 1).unwrap()), ["p/b"]);
    assert_eq!(keys(store.scan_rev(b"p/", None, 2).unwrap()), ["p/c", "p/b"]);
    assert_eq!(keys(store.scan_rev(b"p/", Some(b"p/b"), 5).unwrap()), ["p/a"]);
}

#[tokio::test]
async fn a_transaction_sees_its_own_writes_in_scans() {
    let store = Store::memory();
    store
        .transact(|t| {
            t.put(b"k/1".to_vec(), b"x".to_vec());
            t.put(b"k/2".to_vec(), b"x".to_vec());
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    let seen = store
        .transact(|t| {
            t.delete(b"k/1".to_vec());
            t.put(b"k/3".to_vec(), b"y".to_vec());
            t.scan(b"k/", None, 10, false)
        })
        .await
        .unwrap();
    let keys: Vec<_> = seen.into_iter().map(|(k, _)| k).collect();
    assert_eq!(keys, vec![b"k/2".to_vec(), b"k/3".to_vec()]);
}
