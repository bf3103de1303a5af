//! UploadPart: streams one part's bytes to its own body segment, checks
//! them against Content-MD5 and any x-amz-checksum-* header or trailer the
//! client sent (as PutObject does), and only then records the part,
//! replacing an earlier upload of the same part number.

use super::records::{PartRecord, UploadRecord, part_key, upload_key};
use super::validate::check_part_number;
use super::{UploadAddress, errors, load_upload};
use crate::CloudboxS3;
use crate::blobs::{self, Segment, WrittenBlob};
use crate::encryption::requests::CustomerKeyInput;
use crate::errors::TxnFailure;
use crate::objects::upload::Declared;
use s3s::dto::{ETag, UploadPartInput, UploadPartOutput};
use s3s::{S3Request, S3Response, S3Result};
use std::collections::BTreeMap;

pub async fn upload_part(
    s3: &CloudboxS3,
    mut req: S3Request<UploadPartInput>,
) -> S3Result<S3Response<UploadPartOutput>> {
    let caller = s3.caller_of(&req)?;
    check_part_number(req.input.part_number)?;
    let input = &req.input;
    let upload = load_upload(
        s3,
        &caller,
        &UploadAddress {
            bucket: &input.bucket,
            key: &input.key,
            upload_id: &input.upload_id,
            expected_owner: input.expected_bucket_owner.as_deref(),
        },
        "s3:PutObject",
    )?;
    let declared = Declared::from_headers(&req.headers)?;
    let sse_c = input.customer_values();
    let encryption = crate::encryption::for_part(s3, upload.settings.customer_key_md5.as_deref(), sse_c).await?;
    let body = req.input.body.take();
    let algorithm = upload.checksum_algorithm.as_deref();
    let written = declared.receive_with(&s3.blobs, body, algorithm, Some(encryption.cipher)).await?;
    let verified = declared.verify(&req, &written)?;
    let mut checksums = BTreeMap::new();
    checksums.insert(verified.algorithm, verified.value);
    if let Some(algorithm) = &upload.checksum_algorithm
        && let Some(value) = written.digests.checksum(algorithm)
    {
        checksums.insert(algorithm.clone(), value.to_string());
    }
    let mut part = new_part(s3, req.input.part_number, &written, checksums);
    let sse = crate::encryption::EncryptionHeaders::of(Some(&encryption.record));
    part.encryption = Some(encryption.record);
    let output = UploadPartOutput {
        server_side_encryption: sse.server_side_encryption,
        sse_customer_algorithm: sse.customer_algorithm,
        sse_customer_key_md5: sse.customer_key_md5,
        e_tag: Some(ETag::Strong(part.etag.clone())),
        checksum_crc32: part.checksums.get("CRC32").cloned(),
        checksum_crc32c: part.checksums.get("CRC32C").cloned(),
        checksum_crc64nvme: part.checksums.get("CRC64NVME").cloned(),
        checksum_sha1: part.checksums.get("SHA1").cloned(),
        checksum_sha256: part.checksums.get("SHA256").cloned(),
        ..Default::default()
    };
    commit_part(s3, &upload, part, written).await?;
    Ok(S3Response::new(output))
}

/// The record of a part just written (its segment is set when committed).
pub(super) fn new_part(
    s3: &CloudboxS3,
    part_number: i32,
    written: &WrittenBlob,
    checksums: BTreeMap<String, String>,
) -> PartRecord {
    PartRecord {
        part_number,
        size: written.len(),
        etag: hex::encode(written.digests.md5),
        last_modified_ms: s3.clock.now().timestamp_millis(),
        checksums,
        body: Segment { id: String::new(), len: 0, ..Segment::default() },
        encryption: None,
    }
}

/// Record a written part, replacing any earlier part of the same number,
/// as long as the upload is still in progress. Only once that committed is
/// the part's file kept and the replaced part's file removed.
pub(super) async fn commit_part(
    s3: &CloudboxS3,
    upload: &UploadRecord,
    mut part: PartRecord,
    written: WrittenBlob,
) -> S3Result<()> {
    let staged = written.staged();
    let upload_key = upload_key(&upload.bucket, &upload.key, &upload.upload_id);
    let part_key = part_key(&upload.upload_id, part.part_number);
    let unused = s3
        .store
        .transact(move |txn| {
            if txn.get(&upload_key)?.is_none() {
                return Err(TxnFailure(errors::no_such_upload()));
            }
            let mut unused = Vec::new();
            if let Some(old) = txn.get_json::<PartRecord>(&part_key)? {
                unused = blobs::release(txn, std::slice::from_ref(&old.body))?;
            }
            part.body = staged.stage(txn);
            txn.put_json(part_key, &part);
            Ok(unused)
        })
        .await
        .map_err(|failure: TxnFailure| failure.0)?;
    written.keep();
    s3.blobs.remove_files(&unused);
    Ok(())
}
