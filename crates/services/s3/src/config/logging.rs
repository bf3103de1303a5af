//! PutBucketLogging and GetBucketLogging: the server access logging
//! status. The target bucket must exist and belong to the same owner;
//! the log key format defaults to SimplePrefix.
//! Log delivery reads it through [`CloudboxS3::logging_target`].

use super::errors::invalid_target_bucket_for_logging;
use crate::CloudboxS3;
use crate::errors;
use crate::state::{BucketRecord, bucket_key};
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`BucketLoggingStatus`] of a bucket (none: logging disabled).
pub const LOGGING: &str = "logging";

pub async fn put(
    s3: &CloudboxS3,
    req: S3Request<PutBucketLoggingInput>,
) -> S3Result<S3Response<PutBucketLoggingOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:PutBucketLogging")?;
    let mut status = req.input.bucket_logging_status;
    match &mut status.logging_enabled {
        None => s3.remove_config(&bucket, LOGGING).await?,
        Some(enabled) => {
            check_target(s3, &bucket, &enabled.target_bucket)?;
            enabled.target_object_key_format.get_or_insert_with(simple_prefix);
            s3.store_config(&bucket, LOGGING, status).await?;
        }
    }
    Ok(S3Response::new(PutBucketLoggingOutput {}))
}

pub fn get(s3: &CloudboxS3, req: S3Request<GetBucketLoggingInput>) -> S3Result<S3Response<GetBucketLoggingOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:GetBucketLogging")?;
    let status: Option<BucketLoggingStatus> = s3.stored_config(&bucket.name, LOGGING)?;
    Ok(S3Response::new(GetBucketLoggingOutput { logging_enabled: status.and_then(|s| s.logging_enabled) }))
}

/// Log object keys `<prefix><date-time>-<unique>`: the format S3 uses
/// when the request names none.
fn simple_prefix() -> TargetObjectKeyFormat {
    TargetObjectKeyFormat { simple_prefix: Some(SimplePrefix {}), partitioned_prefix: None }
}

fn check_target(s3: &CloudboxS3, source: &BucketRecord, target: &str) -> S3Result<()> {
    let record: BucketRecord = s3
        .store
        .get_json(&bucket_key(target))
        .map_err(errors::store_failure)?
        .ok_or_else(|| invalid_target_bucket_for_logging("The target bucket for logging does not exist"))?;
    if record.owner != source.owner {
        return Err(invalid_target_bucket_for_logging(
            "The owner for the bucket to be logged and the target bucket must be the same.",
        ));
    }
    if record.region != source.region {
        return Err(invalid_target_bucket_for_logging("The source and target buckets must be in the same region."));
    }
    Ok(())
}
