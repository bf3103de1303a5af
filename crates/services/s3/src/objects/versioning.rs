//! PutBucketVersioning and GetBucketVersioning: the bucket's versioning
//! status (Enabled or Suspended; a bucket never configured reports none)
//! and its MFA Delete setting, stored as given. A bucket with object lock
//! stays versioned: suspending it is refused.

use super::errors;
use crate::CloudboxS3;
use crate::errors::{TxnFailure, no_such_bucket};
use crate::state::{VersioningRecord, bucket_key, versioning_key};
use s3s::dto::{
    BucketVersioningStatus, GetBucketVersioningInput, GetBucketVersioningOutput, MFADeleteStatus,
    PutBucketVersioningInput, PutBucketVersioningOutput,
};
use s3s::{S3Request, S3Response, S3Result};

pub async fn put_bucket_versioning(
    s3: &CloudboxS3,
    req: S3Request<PutBucketVersioningInput>,
) -> S3Result<S3Response<PutBucketVersioningOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    s3.accessible_bucket(
        &caller,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:PutBucketVersioning",
        None,
    )?;
    let config = input.versioning_configuration;
    let status = config.status.as_ref().map(|s| s.as_str().to_string());
    let mfa_delete = config.mfa_delete.as_ref().map(|m| m.as_str().to_string());
    if status.as_deref().is_some_and(|s| s != "Enabled" && s != "Suspended")
        || mfa_delete.as_deref().is_some_and(|m| m != "Enabled" && m != "Disabled")
    {
        return Err(errors::malformed_xml());
    }
    if status.as_deref() == Some("Suspended") && s3.object_lock_configuration(&input.bucket)?.is_some() {
        return Err(lock_keeps_versioning());
    }
    let bucket = input.bucket;
    s3.store
        .transact(move |txn| {
            if txn.get(&bucket_key(&bucket))?.is_none() {
                return Err(TxnFailure(no_such_bucket()));
            }
            let previous: Option<VersioningRecord> = txn.get_json(&versioning_key(&bucket))?;
            let Some(status) = status.or_else(|| previous.as_ref().map(|p| p.status.clone())) else {
                // Only MFA Delete named on a bucket never versioned: nothing to record yet.
                return Ok(());
            };
            let mfa_delete = mfa_delete.or_else(|| previous.and_then(|p| p.mfa_delete));
            txn.put_json(versioning_key(&bucket), &VersioningRecord { status, mfa_delete });
            Ok(())
        })
        .await
        .map_err(|failure: TxnFailure| failure.0)?;
    Ok(S3Response::new(PutBucketVersioningOutput {}))
}

/// Suspending versioning on a bucket with object lock.
fn lock_keeps_versioning() -> s3s::S3Error {
    s3s::S3Error::with_message(
        s3s::S3ErrorCode::InvalidBucketState,
        "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.",
    )
}

pub async fn get_bucket_versioning(
    s3: &CloudboxS3,
    req: S3Request<GetBucketVersioningInput>,
) -> S3Result<S3Response<GetBucketVersioningOutput>> {
    let caller = s3.caller_of(&req)?;
    s3.accessible_bucket(
        &caller,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketVersioning",
        None,
    )?;
    let record: Option<VersioningRecord> =
        s3.store.get_json(&versioning_key(&req.input.bucket)).map_err(crate::errors::store_failure)?;
    let output = match record {
        None => GetBucketVersioningOutput::default(),
        Some(record) => GetBucketVersioningOutput {
            status: Some(BucketVersioningStatus::from(record.status)),
            mfa_delete: record.mfa_delete.map(MFADeleteStatus::from),
        },
    };
    Ok(S3Response::new(output))
}
