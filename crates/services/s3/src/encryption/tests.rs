use super::cipher::*;
use super::customer::*;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use futures::StreamExt;

const KEY: DataKey = [7u8; 32];
const IV: [u8; 16] = [9u8; 16];

#[test]
fn the_keystream_at_an_offset_matches_the_keystream_from_the_start() {
    let plain: Vec<u8> = (0..1000u32).map(|n| (n % 251) as u8).collect();
    let mut whole = plain.clone();
    SegmentCipher::at(&KEY, &IV, 0).apply(&mut whole);
    assert_ne!(whole, plain);
    for start in [0usize, 1, 15, 16, 17, 500, 999] {
        let mut part = whole[start..].to_vec();
        SegmentCipher::at(&KEY, &IV, start as u64).apply(&mut part);
        assert_eq!(part, plain[start..]);
    }
}

#[tokio::test]
async fn a_stream_decrypts_chunk_by_chunk() {
    let plain: Vec<u8> = (0..300u32).map(|n| n as u8).collect();
    let mut sealed = plain.clone();
    SegmentCipher::at(&KEY, &IV, 0).apply(&mut sealed);
    let chunks: Vec<std::io::Result<bytes::Bytes>> =
        sealed[100..].chunks(33).map(|c| Ok(bytes::Bytes::copy_from_slice(c))).collect();
    let stream = decrypt_stream(futures::stream::iter(chunks), SegmentCipher::at(&KEY, &IV, 100));
    let out: Vec<u8> = stream.map(|c| c.expect("chunk").to_vec()).concat().await;
    assert_eq!(out, plain[100..]);
}

fn md5_b64(key: &[u8]) -> String {
    use s3s::crypto::{Checksum as _, Md5};
    let mut hasher = Md5::new();
    hasher.update(key);
    STANDARD.encode(hasher.finalize())
}

#[test]
fn customer_keys_are_checked_as_s3_checks_them() {
    let key = STANDARD.encode([1u8; 32]);
    let md5 = md5_b64(&[1u8; 32]);
    let parsed = customer_key(Some("AES256"), Some(&key), Some(&md5)).expect("valid").expect("a key");
    assert_eq!(parsed.key, [1u8; 32]);
    assert_eq!(parsed.key_md5, md5);
    assert_eq!(customer_key(None, None, None).expect("none"), None);
    let code = |r: Result<Option<CustomerKey>, s3s::S3Error>| r.expect_err("refused").code().as_str().to_string();
    assert_eq!(code(customer_key(Some("AES256"), Some(&key), Some("bad"))), "InvalidArgument");
    assert_eq!(code(customer_key(Some("AES128"), Some(&key), Some(&md5))), "InvalidArgument");
    assert_eq!(code(customer_key(None, Some(&key), Some(&md5))), "InvalidArgument");
    assert_eq!(code(customer_key(Some("AES256"), None, None)), "InvalidArgument");
    let short = STANDARD.encode([1u8; 16]);
    assert_eq!(code(customer_key(Some("AES256"), Some(&short), Some(&md5_b64(&[1u8; 16])))), "InvalidArgument");
    assert!(!format!("{parsed:?}").contains(&key));
}

#[test]
fn multipart_records_keep_each_parts_counter_and_refuse_mixed_keys() {
    use super::record::EncryptionRecord;
    let a = EncryptionRecord::single(None, &[1u8; 16]);
    let b = EncryptionRecord::single(None, &[2u8; 16]);
    let combined = EncryptionRecord::of_parts([Some(&a), None, Some(&b)]).expect("same key").expect("encrypted");
    assert_eq!(combined.segment_ivs, vec![hex::encode([1u8; 16]), String::new(), hex::encode([2u8; 16])]);
    assert_eq!(EncryptionRecord::of_parts([None, None]), Ok(None));
    let customer = EncryptionRecord::single(Some("md5".into()), &[3u8; 16]);
    assert_eq!(EncryptionRecord::of_parts([Some(&a), Some(&customer)]), Err(super::record::MixedKeys));
}

#[tokio::test]
async fn bodies_are_stored_encrypted_and_read_back_by_range() {
    use super::record::{EncryptionRecord, read_decrypted};
    use crate::blobs::{Blobs, Digests};
    let store = cloudbox_store::Store::memory();
    let blobs = Blobs::temporary();
    let plain: Vec<u8> = (0..200_000u32).map(|n| (n % 253) as u8).collect();
    let mut writer = blobs.writer(Digests::new(["CRC32"]));
    writer.encrypt_with(SegmentCipher::at(&KEY, &IV, 0));
    for chunk in plain.chunks(7000) {
        writer.write(chunk).await.expect("write");
    }
    let written = writer.finish().await.expect("finish");
    let mut plain_digests = Digests::new(["CRC32"]);
    plain_digests.update(&plain);
    assert_eq!(written.digests, plain_digests.finish(), "digests see the plain bytes");
    let staged = written.staged();
    let segment =
        store.transact(move |txn| Ok::<_, cloudbox_store::StoreError>(staged.stage(txn))).await.expect("commit");
    written.keep();
    let segments = vec![segment];
    let raw = blobs.read(&store, &segments, 0, 100).expect("open").into_stream();
    let raw: Vec<u8> = raw.map(|c| c.expect("chunk").to_vec()).concat().await;
    assert_ne!(raw, plain[..100]);
    let record = EncryptionRecord::single(None, &IV);
    for (start, end) in [(0u64, 200_000u64), (5, 6), (70_000, 140_001)] {
        let stream = read_decrypted(&blobs, &store, &segments, &record, &KEY, start, end).expect("open");
        let out: Vec<u8> = stream.map(|c| c.expect("chunk").to_vec()).concat().await;
        assert_eq!(out, plain[start as usize..end as usize]);
    }
}
