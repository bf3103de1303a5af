//! S3 objects through the SDK: put and get with flexible checksums (the
//! SDK's own CRC trailers on upload and its validation on download),
//! ranges, listing with pagination, DeleteObjects and versions.

use aws_sdk_s3::Client as S3;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{
    BucketVersioningStatus, ChecksumAlgorithm, ChecksumMode, Delete, ObjectIdentifier, VersioningConfiguration,
};
use cloudbox_sdk_tests::{Cloudbox, SdkBuilder, failure};

fn s3(builder: SdkBuilder) -> S3 {
    let config = aws_sdk_s3::config::Builder::from(&builder.build()).force_path_style(true).build();
    S3::from_conf(config)
}

fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 7 % 251) as u8).collect()
}

async fn read(s3: &S3, bucket: &str, key: &str) -> Vec<u8> {
    let got = s3.get_object().bucket(bucket).key(key).checksum_mode(ChecksumMode::Enabled).send().await.unwrap();
    got.body.collect().await.unwrap().into_bytes().to_vec()
}

#[tokio::test]
async fn put_and_get_with_checksums() {
    let server = Cloudbox::start();
    let s3 = s3(server.sdk());
    s3.create_bucket().bucket("sdk-objects").send().await.unwrap();
    for (algorithm, len) in [
        (ChecksumAlgorithm::Crc32, 10),
        (ChecksumAlgorithm::Crc32C, 100_000),
        (ChecksumAlgorithm::Sha1, 1),
        (ChecksumAlgorithm::Sha256, 70_000),
        (ChecksumAlgorithm::Crc64Nvme, 2 * 1024 * 1024),
    ] {
        let key = format!("sum/{}", algorithm.as_str());
        let body = pattern(len);
        let put = s3
            .put_object()
            .bucket("sdk-objects")
            .key(&key)
            .checksum_algorithm(algorithm.clone())
            .body(ByteStream::from(body.clone()))
            .send()
            .await
            .unwrap();
        assert!(put.e_tag().is_some());
        // The SDK validates the returned checksum against the bytes.
        assert_eq!(read(&s3, "sdk-objects", &key).await, body, "{key}");
        let head = s3.head_object().bucket("sdk-objects").key(&key).checksum_mode(ChecksumMode::Enabled).send().await;
        assert_eq!(head.unwrap().content_length(), Some(len as i64));
    }
}

#[tokio::test]
async fn file_uploads_stream_with_trailers() {
    let server = Cloudbox::start();
    let s3 = s3(server.sdk());
    s3.create_bucket().bucket("sdk-files").send().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("upload.bin");
    let body = pattern(3 * 1024 * 1024 + 5);
    std::fs::write(&path, &body).unwrap();
    let stream = ByteStream::from_path(&path).await.unwrap();
    s3.put_object().bucket("sdk-files").key("file.bin").body(stream).send().await.unwrap();
    assert_eq!(read(&s3, "sdk-files", "file.bin").await, body);
    let range = s3.get_object().bucket("sdk-files").key("file.bin").range("bytes=100-199").send().await.unwrap();
    assert_eq!(range.content_range(), Some(format!("bytes 100-199/{}", body.len()).as_str()));
    assert_eq!(range.body.collect().await.unwrap().into_bytes().to_vec(), body[100..200]);
}

#[tokio::test]
async fn list_pages_and_delete_objects() {
    let server = Cloudbox::start();
    let s3 = s3(server.sdk());
    s3.create_bucket().bucket("sdk-list").send().await.unwrap();
    let keys: Vec<String> = (0..25).map(|i| format!("dir{}/key-{i:02}", i % 3)).collect();
    for key in &keys {
        s3.put_object().bucket("sdk-list").key(key).body(ByteStream::from_static(b"x")).send().await.unwrap();
    }
    let mut listed = Vec::new();
    let mut pages = s3.list_objects_v2().bucket("sdk-list").max_keys(7).into_paginator().send();
    while let Some(page) = pages.next().await {
        listed.extend(page.unwrap().contents().iter().filter_map(|o| o.key()).map(str::to_string));
    }
    let mut expected = keys.clone();
    expected.sort();
    assert_eq!(listed, expected);
    let grouped = s3.list_objects_v2().bucket("sdk-list").delimiter("/").send().await.unwrap();
    let prefixes: Vec<_> = grouped.common_prefixes().iter().filter_map(|p| p.prefix()).collect();
    assert_eq!(prefixes, ["dir0/", "dir1/", "dir2/"]);
    let objects: Vec<ObjectIdentifier> =
        keys.iter().map(|k| ObjectIdentifier::builder().key(k).build().unwrap()).collect();
    let delete = Delete::builder().set_objects(Some(objects)).quiet(true).build().unwrap();
    let deleted = s3.delete_objects().bucket("sdk-list").delete(delete).send().await.unwrap();
    assert!(deleted.errors().is_empty());
    assert_eq!(s3.list_objects_v2().bucket("sdk-list").send().await.unwrap().key_count(), Some(0));
}

#[tokio::test]
async fn versions_and_missing_keys() {
    let server = Cloudbox::start();
    let s3 = s3(server.sdk());
    s3.create_bucket().bucket("sdk-versions").send().await.unwrap();
    let enabled = VersioningConfiguration::builder().status(BucketVersioningStatus::Enabled).build();
    s3.put_bucket_versioning().bucket("sdk-versions").versioning_configuration(enabled).send().await.unwrap();
    let first = s3.put_object().bucket("sdk-versions").key("k").body(ByteStream::from_static(b"1")).send().await;
    let first = first.unwrap().version_id().unwrap().to_string();
    s3.put_object().bucket("sdk-versions").key("k").body(ByteStream::from_static(b"2")).send().await.unwrap();
    let old = s3.get_object().bucket("sdk-versions").key("k").version_id(&first).send().await.unwrap();
    assert_eq!(old.body.collect().await.unwrap().into_bytes().as_ref(), b"1");
    let marker = s3.delete_object().bucket("sdk-versions").key("k").send().await.unwrap();
    assert_eq!(marker.delete_marker(), Some(true));
    let missing = failure(s3.get_object().bucket("sdk-versions").key("k").send().await);
    assert_eq!((missing.code.as_str(), missing.status), ("NoSuchKey", 404));
    let versions = s3.list_object_versions().bucket("sdk-versions").send().await.unwrap();
    assert_eq!(versions.versions().len(), 2);
    assert_eq!(versions.delete_markers().len(), 1);
}
