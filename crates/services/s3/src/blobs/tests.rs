//! Body storage: inline and file bodies, ranges, counts, cleanup.

use super::*;
use futures::StreamExt;

async fn write(blobs: &Blobs, data: &[u8]) -> WrittenBlob {
    let mut writer = blobs.writer(Digests::new(["CRC32"]));
    for chunk in data.chunks(7000) {
        writer.write(chunk).await.unwrap();
    }
    writer.finish().await.unwrap()
}

async fn commit(store: &Store, written: &WrittenBlob) -> Segment {
    let staged = written.staged();
    store.transact(move |txn| Ok::<_, StoreError>(staged.stage(txn))).await.unwrap()
}

async fn read_all(blobs: &Blobs, store: &Store, segments: &[Segment], start: u64, end: u64) -> Vec<u8> {
    let reader = blobs.read(store, segments, start, end).unwrap();
    let mut out = Vec::new();
    let mut stream = Box::pin(reader.into_stream());
    while let Some(chunk) = stream.next().await {
        out.extend_from_slice(&chunk.unwrap());
    }
    out
}

fn data(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[tokio::test]
async fn small_bodies_stay_in_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::memory();
    let blobs = Blobs::persistent(dir.path(), &store);
    let written = write(&blobs, b"hello").await;
    assert_eq!(written.digests.etag(), "\"5d41402abc4b2a76b9719d911017c592\"");
    let segment = commit(&store, &written).await;
    written.keep();
    assert!(!segment.file);
    assert!(blobs.files().is_empty());
    assert_eq!(read_all(&blobs, &store, std::slice::from_ref(&segment), 1, 4).await, b"ell");
    store.transact(move |txn| release(txn, &[segment])).await.unwrap();
}

#[tokio::test]
async fn large_bodies_go_to_files_and_read_back_in_ranges() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::memory();
    let blobs = Blobs::persistent(dir.path(), &store);
    let body = data(3 * 1024 * 1024 + 17);
    let written = write(&blobs, &body).await;
    let segment = commit(&store, &written).await;
    written.keep();
    assert!(segment.file);
    assert_eq!(segment.len, body.len() as u64);
    assert_eq!(read_all(&blobs, &store, std::slice::from_ref(&segment), 0, body.len() as u64).await, body);
    let two = vec![segment.clone(), Segment { id: "x".into(), len: 0, ..Segment::default() }, segment.clone()];
    let len = body.len() as u64;
    let middle = read_all(&blobs, &store, &two, len - 5, len + 5).await;
    assert_eq!(middle, [&body[body.len() - 5..], &body[..5]].concat());

    let shared = store
        .transact({
            let blobs = blobs.clone();
            let segment = segment.clone();
            move |txn| share(&blobs, txn, &[segment])
        })
        .await
        .unwrap();
    let unused = store
        .transact({
            let s = segment.clone();
            move |txn| release(txn, &[s])
        })
        .await
        .unwrap();
    assert!(unused.is_empty());
    let unused = store.transact(move |txn| release(txn, &shared)).await.unwrap();
    assert_eq!(unused, vec![segment.id.clone()]);
    blobs.remove_files(&unused);
    assert!(blobs.files().is_empty());
}

#[tokio::test]
async fn unfinished_or_uncommitted_files_are_removed() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::memory();
    let blobs = Blobs::persistent(dir.path(), &store);
    let mut writer = blobs.writer(Digests::default());
    writer.write(&data(2 * 1024 * 1024)).await.unwrap();
    assert_eq!(blobs.files().len(), 1);
    drop(writer);
    assert!(blobs.files().is_empty());
    let written = write(&blobs, &data(100_000)).await;
    assert_eq!(blobs.files().len(), 1);
    drop(written);
    assert!(blobs.files().is_empty());
}

#[tokio::test]
async fn start_up_sweeps_files_no_record_counts() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::memory();
    let blobs = Blobs::persistent(dir.path(), &store);
    let kept = write(&blobs, &data(100_000)).await;
    commit(&store, &kept).await;
    kept.keep();
    let orphan = write(&blobs, &data(100_000)).await;
    std::mem::forget(orphan);
    assert_eq!(blobs.files().len(), 2);
    std::thread::sleep(std::time::Duration::from_millis(20));
    let reopened = Blobs::persistent(dir.path(), &store);
    assert_eq!(reopened.files().len(), 1);
    reopened.clear();
    assert!(reopened.files().is_empty());
}

#[test]
fn temporary_directories_go_with_their_last_handle() {
    let blobs = Blobs::temporary();
    let root = blobs.dir.root.clone();
    std::fs::create_dir_all(&root).unwrap();
    drop(blobs);
    assert!(!root.exists());
}

#[tokio::test]
async fn streamed_bodies_get_the_digests_of_their_plain_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::memory();
    let blobs = Blobs::persistent(dir.path(), &store);
    let body = data(5 * 1024 * 1024 + 3);
    let mut writer = blobs.writer(Digests::new(["CRC64NVME"]));
    writer.encrypt_with(crate::encryption::SegmentCipher::at(&[3; 32], &[4; 16], 0));
    for chunk in body.chunks(333_333) {
        writer.write_bytes(bytes::Bytes::copy_from_slice(chunk)).await.unwrap();
    }
    let written = writer.finish().await.unwrap();
    let mut whole = Digests::new(["CRC64NVME"]);
    whole.update(&body);
    assert_eq!(written.digests, whole.finish());
    let segment = commit(&store, &written).await;
    let stored = std::fs::read(blobs.path_of(&segment.id)).unwrap();
    assert_eq!(stored.len(), body.len());
    assert_ne!(stored, body);
}
