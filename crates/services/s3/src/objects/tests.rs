//! The version index: commits in each versioning state, `null` version
//! replacement, delete markers, and removals that promote older versions.

use super::commit::{Versioning, commit_version, find_version, newest_committed, remove_version};
use super::*;
use crate::blobs::Segment;
use crate::state::{VersioningRecord, inline_body_key, object_key, versioning_key};
use cloudbox_store::{Store, StoreError};
use std::sync::Arc;

fn record(key: &str, etag: &str) -> ObjectRecord {
    ObjectRecord { key: key.into(), etag: etag.into(), ..ObjectRecord::default() }
}

async fn set_versioning(store: &Store, status: &str) {
    let status = status.to_string();
    store
        .transact(move |txn| {
            txn.put_json(versioning_key("b"), &VersioningRecord { status, mfa_delete: None });
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
}

async fn commit(store: &Store, sequence: &Arc<VersionSequence>, record: ObjectRecord) -> Committed {
    let sequence = sequence.clone();
    store.transact(move |txn| commit_version(txn, &sequence, "b", record)).await.unwrap()
}

fn current(store: &Store, key: &str) -> Option<ObjectRecord> {
    store.get_json(&object_key("b", key)).unwrap()
}

#[tokio::test]
async fn unversioned_writes_replace_the_null_version_and_its_body() {
    let store = Store::memory();
    let sequence = Arc::new(VersionSequence::default());
    let mut first = record("k", "one");
    first.body = vec![Segment { id: "inline-one".into(), len: 3, file: false }];
    store
        .transact(|txn| {
            txn.put(inline_body_key("inline-one"), b"one".to_vec());
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    let committed = commit(&store, &sequence, first).await;
    assert_eq!((committed.version_id.as_str(), committed.versioning), ("null", Versioning::Unversioned));
    assert_eq!(committed.reported_version_id(), None);
    commit(&store, &sequence, record("k", "two")).await;
    assert_eq!(current(&store, "k").unwrap().etag, "two");
    assert_eq!(store.get(&inline_body_key("inline-one")).unwrap(), None);
    assert_eq!(find_version(&store, "b", "k", "null").unwrap().unwrap().etag, "two");
}

#[tokio::test]
async fn enabled_buckets_keep_every_version_newest_first() {
    let store = Store::memory();
    let sequence = Arc::new(VersionSequence::default());
    commit(&store, &sequence, record("k", "null-one")).await;
    set_versioning(&store, "Enabled").await;
    let v1 = commit(&store, &sequence, record("k", "one")).await.version_id;
    let v2 = commit(&store, &sequence, record("k", "two")).await.version_id;
    assert_ne!(v1, v2);
    assert_eq!(current(&store, "k").unwrap().version_id, v2);
    let mut marker = record("k", "");
    marker.delete_marker = true;
    let marker_id = commit(&store, &sequence, marker).await.version_id;
    assert!(current(&store, "k").is_none());
    assert_eq!(newest_committed(&store, "b", "k").unwrap().unwrap().version_id, marker_id);
    // Removing the marker makes v2 current again; removing v2 promotes v1.
    let removed = store
        .transact({
            let id = marker_id.clone();
            move |txn| remove_version(txn, "b", "k", &id)
        })
        .await;
    assert!(removed.unwrap().unwrap().0.delete_marker);
    assert_eq!(current(&store, "k").unwrap().version_id, v2);
    store
        .transact({
            let id = v2.clone();
            move |txn| remove_version(txn, "b", "k", &id)
        })
        .await
        .unwrap();
    assert_eq!(current(&store, "k").unwrap().version_id, v1);
    assert_eq!(find_version(&store, "b", "k", "null").unwrap().unwrap().etag, "null-one");
    assert!(find_version(&store, "b", "k", &v2).unwrap().is_none());
}

#[tokio::test]
async fn suspended_buckets_replace_only_the_null_version() {
    let store = Store::memory();
    let sequence = Arc::new(VersionSequence::default());
    set_versioning(&store, "Enabled").await;
    let kept = commit(&store, &sequence, record("k", "versioned")).await.version_id;
    set_versioning(&store, "Suspended").await;
    let first = commit(&store, &sequence, record("k", "null-a")).await;
    assert_eq!(first.reported_version_id().as_deref(), Some("null"));
    commit(&store, &sequence, record("k", "null-b")).await;
    let versions = store.scan(&crate::state::key_versions_prefix("b", "k"), None, 10).unwrap();
    let ids: Vec<String> = versions.iter().map(|(_, v)| commit::decode(v).unwrap().version_id).collect();
    assert_eq!(ids, vec!["null".to_string(), kept]);
    assert_eq!(current(&store, "k").unwrap().etag, "null-b");
}

#[test]
fn version_ids_locate_their_versions() {
    let sequence = VersionSequence::default();
    let (a, b) = (sequence.next(0), sequence.next(0));
    assert!(b > a);
    assert!(sequence.next(u64::MAX / 4) > u64::MAX / 4);
    let id = commit::new_version_id(a);
    assert_eq!(id.len(), 32);
    assert_eq!(commit::seq_of_version_id(&id), Some(a));
    assert_eq!(commit::seq_of_version_id("null"), None);
    assert_eq!(commit::seq_of_version_id("zz"), None);
}
