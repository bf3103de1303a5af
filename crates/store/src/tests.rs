//! Behaviour every backend must share: each test runs once in memory and
//! once on disk.

use super::*;

#[derive(Debug)]
struct Refused;

impl From<StoreError> for Refused {
    fn from(_: StoreError) -> Self {
        Refused
    }
}

/// Turn `async fn name(store: Store) { ... }` into a module with one test
/// per backend.
macro_rules! on_every_backend {
    ($(async fn $name:ident($store:ident: Store) $body:block)*) => {
        $(mod $name {
            use super::*;

            async fn check($store: Store) $body

            #[tokio::test]
            async fn memory() {
                check(Store::memory()).await
            }

            #[tokio::test]
            async fn disk() {
                let dir = tempfile::tempdir().unwrap();
                check(Store::open(dir.path()).unwrap()).await
            }
        })*
    };
}

async fn put_all(store: &Store, keys: &[&str]) {
    let keys: Vec<Vec<u8>> = keys.iter().map(|k| k.as_bytes().to_vec()).collect();
    store
        .transact(move |t| {
            for k in keys {
                t.put(k, b"v".to_vec());
            }
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
}

fn keys(entries: Vec<Entry>) -> Vec<String> {
    entries.into_iter().map(|(k, _)| String::from_utf8(k).unwrap()).collect()
}

on_every_backend! {
    async fn watches_move_on_commits_that_write_under_their_prefixes(store: Store) {
        let watch = store.watch(vec![b"cfg/".to_vec(), b"key".to_vec()]);
        let start = watch.generation();
        put_all(&store, &["data/1", "cfg"]).await;
        assert_eq!(watch.generation(), start, "writes outside the prefixes leave it alone");
        put_all(&store, &["cfg/a"]).await;
        let after_put = watch.generation();
        assert_ne!(after_put, start);
        store
            .transact(|t| {
                t.delete(b"key".to_vec());
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
        let after_delete = watch.generation();
        assert_ne!(after_delete, after_put, "a deletion counts as a write");
        store.clear().await.unwrap();
        assert_ne!(watch.generation(), after_delete, "clearing the store counts as a write everywhere");
    }

    async fn a_watch_has_moved_by_the_time_the_writer_hears_of_the_commit(store: Store) {
        let watch = store.watch(vec![b"cfg/".to_vec()]);
        let clone = store.clone();
        let before = watch.generation();
        let seen = clone
            .transact({
                let watch = watch.clone();
                move |t| {
                    t.put(b"cfg/x".to_vec(), b"1".to_vec());
                    Ok::<_, StoreError>(watch.generation())
                }
            })
            .await
            .unwrap();
        assert_eq!(seen, before, "not before the commit");
        assert_ne!(watch.generation(), before);
    }

    async fn transactions_commit_all_or_nothing(store: Store) {
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

    async fn scans_respect_prefix_bound_limit_and_direction(store: Store) {
        put_all(&store, &["p/a", "p/b", "p/c", "q/a", "o/z"]).await;
        assert_eq!(keys(store.scan(b"p/", None, 10).unwrap()), ["p/a", "p/b", "p/c"]);
        assert_eq!(keys(store.scan(b"p/", Some(b"p/a"), 1).unwrap()), ["p/b"]);
        assert_eq!(keys(store.scan_rev(b"p/", None, 2).unwrap()), ["p/c", "p/b"]);
        assert_eq!(keys(store.scan_rev(b"p/", Some(b"p/b"), 5).unwrap()), ["p/a"]);
    }

    async fn scan_bounds_outside_the_prefix_are_harmless(store: Store) {
        put_all(&store, &["p/a", "p/b", "q/a", "o/z"]).await;
        assert_eq!(keys(store.scan(b"p/", Some(b"a"), 10).unwrap()), ["p/a", "p/b"]);
        assert_eq!(keys(store.scan(b"p/", Some(b"z"), 10).unwrap()), Vec::<String>::new());
        assert_eq!(keys(store.scan_rev(b"p/", Some(b"z"), 10).unwrap()), ["p/b", "p/a"]);
        assert_eq!(keys(store.scan_rev(b"p/", Some(b"a"), 10).unwrap()), Vec::<String>::new());
        assert_eq!(keys(store.scan(b"", None, 10).unwrap()), ["o/z", "p/a", "p/b", "q/a"]);
    }

    async fn a_transaction_sees_its_own_writes_in_scans(store: Store) {
        put_all(&store, &["k/1", "k/2"]).await;
        let seen = store
            .transact(|t| {
                t.delete(b"k/1".to_vec());
                t.put(b"k/3".to_vec(), b"y".to_vec());
                t.scan(b"k/", None, 10, false)
            })
            .await
            .unwrap();
        assert_eq!(keys(seen), ["k/2", "k/3"]);
    }

    async fn clear_all_drops_every_key_and_later_writes_stay(store: Store) {
        put_all(&store, &["a/1", "b/1", "c/1"]).await;
        store
            .transact(|t| {
                t.clear_all();
                t.put(b"d/1".to_vec(), b"after".to_vec());
                assert_eq!(t.get(b"a/1")?, None);
                Ok::<_, StoreError>(())
            })
            .await
            .unwrap();
        assert_eq!(keys(store.scan(b"", None, 10).unwrap()), ["d/1"]);
        store.clear().await.unwrap();
        assert_eq!(store.scan(b"", None, 10).unwrap(), vec![]);
    }

    async fn concurrent_transactions_never_interleave(store: Store) {
        let tasks: Vec<_> = (0..16)
            .map(|_| {
                let store = store.clone();
                tokio::spawn(async move {
                    for _ in 0..20 {
                        store
                            .transact(|t| {
                                let count: u64 = t.get_json(b"counter")?.unwrap_or(0);
                                t.put_json(b"counter".to_vec(), &(count + 1));
                                Ok::<_, StoreError>(())
                            })
                            .await
                            .unwrap();
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(store.get_json::<u64>(b"counter").unwrap(), Some(320));
    }

    async fn a_panicking_transaction_fails_alone(store: Store) {
        let panicked = store
            .transact(|t| {
                t.put(b"x".to_vec(), b"1".to_vec());
                if t.get(b"x")?.is_some() {
                    panic!("handler bug");
                }
                Ok::<_, StoreError>(())
            })
            .await;
        assert!(matches!(panicked, Err(StoreError::TransactionPanicked(m)) if m == "handler bug"));
        assert_eq!(store.get(b"x").unwrap(), None);
        put_all(&store, &["y"]).await;
        assert_eq!(store.get(b"y").unwrap(), Some(b"v".to_vec()));
    }

    async fn shutdown_keeps_committed_state_and_refuses_new_writes(store: Store) {
        put_all(&store, &["kept"]).await;
        store.shutdown();
        let refused = store
            .transact(|t| {
                t.put(b"late".to_vec(), b"v".to_vec());
                Ok::<_, StoreError>(())
            })
            .await;
        assert!(matches!(refused, Err(StoreError::Closed)));
        assert_eq!(store.get(b"kept").unwrap(), Some(b"v".to_vec()));
        assert_eq!(store.get(b"late").unwrap(), None);
    }
}
