//! AbortMultipartUpload: forgets an upload and its parts, then removes the
//! parts' files. The upload's initiator always may; for anyone else the
//! bucket's access rules decide.

use super::errors;
use super::ms_of_timestamp;
use super::records::{PartRecord, UploadRecord, completed_prefix, parts_prefix, upload_key, uploads_prefix};
use super::validate::MAX_PART_NUMBER;
use super::{UploadAddress, load_upload};
use crate::CloudboxS3;
use crate::blobs;
use crate::errors::TxnFailure;
use cloudbox_store::{StoreError, Txn};
use s3s::dto::{AbortMultipartUploadInput, AbortMultipartUploadOutput};
use s3s::{S3Request, S3Response, S3Result};

pub async fn abort_multipart_upload(
    s3: &CloudboxS3,
    req: S3Request<AbortMultipartUploadInput>,
) -> S3Result<S3Response<AbortMultipartUploadOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    load_upload(
        s3,
        &caller,
        &UploadAddress {
            bucket: &input.bucket,
            key: &input.key,
            upload_id: &input.upload_id,
            expected_owner: input.expected_bucket_owner.as_deref(),
        },
        "s3:AbortMultipartUpload",
    )?;
    let key = upload_key(&input.bucket, &input.key, &input.upload_id);
    let initiated_ms = match &input.if_match_initiated_time {
        Some(time) => Some(ms_of_timestamp(time).ok_or_else(errors::precondition_failed)?),
        None => None,
    };
    let unused = s3
        .store
        .transact(move |txn| {
            let upload: UploadRecord = txn.get_json(&key)?.ok_or_else(|| TxnFailure(errors::no_such_upload()))?;
            if initiated_ms.is_some_and(|ms| ms / 1000 != upload.initiated_ms / 1000) {
                return Err(TxnFailure(errors::precondition_failed()));
            }
            txn.delete(key);
            Ok(forget_parts(txn, &upload.upload_id, &[])?)
        })
        .await
        .map_err(|failure: TxnFailure| failure.0)?;
    s3.blobs.remove_files(&unused);
    Ok(S3Response::new(AbortMultipartUploadOutput::default()))
}

/// Delete every part record of an upload and release the bodies of those
/// not in `kept` (part numbers, ascending). Returns the files no longer
/// used, to remove once the transaction committed. Aborting an upload
/// (here, or by a lifecycle rule) is deleting its record and this.
pub fn forget_parts(txn: &mut Txn, upload_id: &str, kept: &[i32]) -> Result<Vec<String>, StoreError> {
    let limit = usize::try_from(MAX_PART_NUMBER).unwrap_or(10_000) + 1;
    let mut unused = Vec::new();
    for (part_key, value) in txn.scan(&parts_prefix(upload_id), None, limit, false)? {
        let part: PartRecord = serde_json::from_slice(&value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        txn.delete(part_key);
        if kept.binary_search(&part.part_number).is_err() {
            unused.extend(blobs::release(txn, std::slice::from_ref(&part.body))?);
        }
    }
    Ok(unused)
}

/// Abort every upload in progress in `bucket`, as deleting a bucket does on
/// S3. Returns the files no longer used, to remove once the transaction
/// committed.
pub fn forget_bucket_uploads(txn: &mut Txn, bucket: &str) -> Result<Vec<String>, StoreError> {
    const BATCH: usize = 1000;
    let prefix = uploads_prefix(bucket);
    let mut unused = Vec::new();
    let mut after: Option<Vec<u8>> = None;
    loop {
        let batch = txn.scan(&prefix, after.as_deref(), BATCH, false)?;
        let exhausted = batch.len() < BATCH;
        for (key, value) in batch {
            let upload: UploadRecord =
                serde_json::from_slice(&value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            unused.extend(forget_parts(txn, &upload.upload_id, &[])?);
            txn.delete(key.clone());
            after = Some(key);
        }
        if exhausted {
            break;
        }
    }
    let completed = txn.scan(&completed_prefix(bucket), None, usize::MAX, false)?;
    for (key, _) in completed {
        txn.delete(key);
    }
    Ok(unused)
}
