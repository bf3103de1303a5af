//! PutBucketTagging, GetBucketTagging, DeleteBucketTagging.

use super::errors::no_such_tag_set;
use super::tags::validate_bucket_tags;
use crate::CloudboxS3;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`Tagging`] of a bucket.
pub const TAGGING: &str = "tagging";

pub async fn put(
    s3: &CloudboxS3,
    req: S3Request<PutBucketTaggingInput>,
) -> S3Result<S3Response<PutBucketTaggingOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:PutBucketTagging")?;
    validate_bucket_tags(&req.input.tagging.tag_set)?;
    s3.store_config(&bucket, TAGGING, req.input.tagging).await?;
    Ok(S3Response::new(PutBucketTaggingOutput {}))
}

pub fn get(s3: &CloudboxS3, req: S3Request<GetBucketTaggingInput>) -> S3Result<S3Response<GetBucketTaggingOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:GetBucketTagging")?;
    let tagging: Tagging = s3.required_config(&bucket.name, TAGGING, no_such_tag_set)?;
    Ok(S3Response::new(GetBucketTaggingOutput { tag_set: tagging.tag_set }))
}

pub async fn delete(
    s3: &CloudboxS3,
    req: S3Request<DeleteBucketTaggingInput>,
) -> S3Result<S3Response<DeleteBucketTaggingOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:PutBucketTagging")?;
    s3.remove_config(&bucket, TAGGING).await?;
    Ok(S3Response::new(DeleteBucketTaggingOutput {}))
}
