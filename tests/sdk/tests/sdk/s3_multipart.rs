//! S3 multipart uploads through the SDK: parts streamed in, listed,
//! completed into one object whose bytes and ETag are checked, and the
//! part list checks AWS makes.

use aws_sdk_s3::Client as S3;
use aws_sdk_s3::primitives::ByteStream;
use aws_sdk_s3::types::{CompletedMultipartUpload, CompletedPart};
use cloudbox_sdk_tests::{Cloudbox, SdkBuilder, failure};

const PART: usize = 5 * 1024 * 1024;

fn s3(builder: SdkBuilder) -> S3 {
    let config = aws_sdk_s3::config::Builder::from(&builder.build()).force_path_style(true).build();
    S3::from_conf(config)
}

/// Bytes that differ from part to part and from offset to offset.
fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect()
}

async fn upload_parts(s3: &S3, bucket: &str, key: &str, parts: &[Vec<u8>]) -> (String, Vec<CompletedPart>) {
    let created = s3.create_multipart_upload().bucket(bucket).key(key).send().await.unwrap();
    let upload_id = created.upload_id().unwrap().to_string();
    let mut completed = Vec::new();
    for (index, data) in parts.iter().enumerate() {
        let number = i32::try_from(index + 1).unwrap();
        let uploaded = s3
            .upload_part()
            .bucket(bucket)
            .key(key)
            .upload_id(&upload_id)
            .part_number(number)
            .body(ByteStream::from(data.clone()))
            .send()
            .await
            .unwrap();
        completed.push(CompletedPart::builder().part_number(number).e_tag(uploaded.e_tag().unwrap()).build());
    }
    (upload_id, completed)
}

#[tokio::test]
async fn multipart_upload_round_trip() {
    let server = Cloudbox::start();
    let s3 = s3(server.sdk());
    s3.create_bucket().bucket("parts").send().await.unwrap();
    let parts = vec![pattern(PART, 1), pattern(PART, 2), pattern(1000, 3)];
    let (upload_id, completed) = upload_parts(&s3, "parts", "whole.bin", &parts).await;
    let listed = s3.list_parts().bucket("parts").key("whole.bin").upload_id(&upload_id).send().await.unwrap();
    let sizes: Vec<_> = listed.parts().iter().map(|p| (p.part_number(), p.size())).collect();
    assert_eq!(sizes, [(Some(1), Some(PART as i64)), (Some(2), Some(PART as i64)), (Some(3), Some(1000))]);
    let uploads = s3.list_multipart_uploads().bucket("parts").send().await.unwrap();
    assert_eq!(uploads.uploads().len(), 1);
    let done = s3
        .complete_multipart_upload()
        .bucket("parts")
        .key("whole.bin")
        .upload_id(&upload_id)
        .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(completed)).build())
        .send()
        .await
        .unwrap();
    let etag = done.e_tag().unwrap().to_string();
    assert!(etag.ends_with("-3\""), "{etag}");
    let got = s3.get_object().bucket("parts").key("whole.bin").send().await.unwrap();
    assert_eq!(got.e_tag(), Some(etag.as_str()));
    let bytes = got.body.collect().await.unwrap().into_bytes();
    assert_eq!(bytes.as_ref(), parts.concat().as_slice());
    let uploads = s3.list_multipart_uploads().bucket("parts").send().await.unwrap();
    assert!(uploads.uploads().is_empty());
}

#[tokio::test]
async fn completion_checks_the_part_list() {
    let server = Cloudbox::start();
    let s3 = s3(server.sdk());
    s3.create_bucket().bucket("parts").send().await.unwrap();
    let (upload_id, completed) = upload_parts(&s3, "parts", "k", &[pattern(10, 1), pattern(10, 2)]).await;
    let complete = |parts: Vec<CompletedPart>| {
        s3.complete_multipart_upload()
            .bucket("parts")
            .key("k")
            .upload_id(&upload_id)
            .multipart_upload(CompletedMultipartUpload::builder().set_parts(Some(parts)).build())
            .send()
    };
    let reversed = completed.iter().rev().cloned().collect();
    assert_eq!(failure(complete(reversed).await).code_and_status(), ("InvalidPartOrder", 400));
    assert_eq!(failure(complete(completed.clone()).await).code_and_status(), ("EntityTooSmall", 400));
    let wrong = vec![CompletedPart::builder().part_number(1).e_tag("\"00000000000000000000000000000000\"").build()];
    assert_eq!(failure(complete(wrong).await).code_and_status(), ("InvalidPart", 400));
    s3.abort_multipart_upload().bucket("parts").key("k").upload_id(&upload_id).send().await.unwrap();
    let gone = s3.list_parts().bucket("parts").key("k").upload_id(&upload_id).send().await;
    assert_eq!(failure(gone).code_and_status(), ("NoSuchUpload", 404));
}
