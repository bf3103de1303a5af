//! The version index: commits in each versioning state, `null` version
//! replacement, delete markers, and removals that promote older versions.

use super::commit::{Versioning, commit_version, find_version, newest_committed, remove_version};
use super::*;
use crate::blobs::Segment;
use crate::state::{ListingEntry, VersioningRecord, inline_body_key, object_key, versioning_key};
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
    let record = super::current_version(store, "b", key).unwrap();
    let indexed = store.get(&object_key("b", key)).unwrap().map(|v| ListingEntry::decode(&v).unwrap());
    assert_eq!(indexed, record.as_ref().map(ListingEntry::of), "the listing index agrees with the versions");
    record
}

#[tokio::test]
async fn unversioned_writes_replace_the_null_version_and_its_body() {
    let store = Store::memory();
    let sequence = Arc::new(VersionSequence::default());
    let mut first = record("k", "one");
    first.body = vec![Segment { id: "inline-one".into(), len: 3, ..Segment::default() }];
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
    assert_eq!(first.version_id, "null");
    assert_eq!(first.reported_version_id(), None);
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

#[tokio::test]
async fn a_null_version_gets_a_pointer_only_once_a_newer_version_sits_above_it() {
    let store = Store::memory();
    let sequence = Arc::new(VersionSequence::default());
    let pointer = || store.get(&crate::state::null_version_key("b", "k")).unwrap();
    commit(&store, &sequence, record("k", "null-one")).await;
    commit(&store, &sequence, record("k", "null-two")).await;
    assert_eq!(pointer(), None, "a bucket never versioned keeps no pointers");
    assert_eq!(store.scan(&crate::state::key_versions_prefix("b", "k"), None, 10).unwrap().len(), 1);
    assert_eq!(find_version(&store, "b", "k", "null").unwrap().unwrap().etag, "null-two");
    set_versioning(&store, "Enabled").await;
    let v1 = commit(&store, &sequence, record("k", "one")).await.version_id;
    assert!(pointer().is_some());
    assert_eq!(current(&store, "k").unwrap().version_id, v1);
    assert_eq!(find_version(&store, "b", "k", "null").unwrap().unwrap().etag, "null-two");
    store.transact(move |txn| remove_version(txn, "b", "k", &v1)).await.unwrap();
    assert_eq!(current(&store, "k").unwrap().etag, "null-two");
    store.transact(|txn| remove_version(txn, "b", "k", "null")).await.unwrap();
    assert_eq!((current(&store, "k"), pointer()), (None, None));
}

#[tokio::test]
async fn small_bodies_live_in_their_version_record() {
    let store = Store::memory();
    let sequence = Arc::new(VersionSequence::default());
    let mut small = record("k", "e");
    let bytes = bytes::Bytes::from_static(b"hello\0body");
    small.body = vec![Segment { len: 10, in_record: true, bytes: Some(bytes.clone()), ..Segment::default() }];
    commit(&store, &sequence, small).await;
    let written: Vec<String> = store
        .scan(b"", None, 100)
        .unwrap()
        .into_iter()
        .map(|(k, _)| String::from_utf8_lossy(&k).into_owned())
        .collect();
    assert_eq!(written.len(), 2, "one version and one listing entry: {written:?}");
    let read = current(&store, "k").unwrap();
    assert_eq!(read.body[0].bytes.as_ref(), Some(&bytes));
    let changed = store.transact(|txn| update_version(txn, "b", "k", None, |r| r.tags.push(("t".into(), "v".into()))));
    assert!(changed.await.unwrap());
    let read = current(&store, "k").unwrap();
    assert_eq!((read.body[0].bytes.as_ref(), read.tags.len()), (Some(&bytes), 1), "rewrites keep the body");
}

#[tokio::test]
async fn versions_stored_by_earlier_builds_still_read_and_replace() {
    let store = Store::memory();
    let sequence = Arc::new(VersionSequence::default());
    // The earlier layout: the record as plain JSON under its version key
    // and again under the object key, a null pointer, the body under its own key.
    let mut old = record("k", "old");
    old.seq = 5;
    old.version_id = "null".into();
    old.body = vec![Segment { id: "inline-old".into(), len: 3, ..Segment::default() }];
    let written = old.clone();
    store
        .transact(move |txn| {
            txn.put(inline_body_key("inline-old"), b"old".to_vec());
            txn.put(crate::state::null_version_key("b", "k"), "5");
            txn.put_json(crate::state::version_key("b", "k", 5), &written);
            txn.put_json(object_key("b", "k"), &written);
            Ok::<_, StoreError>(())
        })
        .await
        .unwrap();
    let entry = ListingEntry::decode(&store.get(&object_key("b", "k")).unwrap().unwrap()).unwrap();
    assert_eq!(entry, ListingEntry::of(&old));
    assert_eq!(find_version(&store, "b", "k", "null").unwrap(), Some(old.clone()));
    commit(&store, &sequence, record("k", "new")).await;
    assert_eq!(current(&store, "k").unwrap().etag, "new");
    assert_eq!(store.get(&inline_body_key("inline-old")).unwrap(), None, "the old body went with its version");
    assert_eq!(store.get(&crate::state::null_version_key("b", "k")).unwrap(), None, "no stale pointer is left");
    assert_eq!(find_version(&store, "b", "k", "null").unwrap().unwrap().etag, "new");
}
