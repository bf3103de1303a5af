//! PutPublicAccessBlock, GetPublicAccessBlock, DeletePublicAccessBlock
//! (bucket level). New buckets get all four settings on, as on AWS.
//! BlockPublicAcls refuses public ACLs; BlockPublicPolicy refuses public
//! bucket policies.

use super::errors::no_such_public_access_block;
use crate::CloudboxS3;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`PublicAccessBlockConfiguration`] of a bucket.
pub const PUBLIC_ACCESS_BLOCK: &str = "public-access-block";

pub async fn put(
    s3: &CloudboxS3,
    req: S3Request<PutPublicAccessBlockInput>,
) -> S3Result<S3Response<PutPublicAccessBlockOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutBucketPublicAccessBlock",
    )?;
    let config = normalized(req.input.public_access_block_configuration);
    s3.store_config(&bucket, PUBLIC_ACCESS_BLOCK, config).await?;
    Ok(S3Response::new(PutPublicAccessBlockOutput {}))
}

pub fn get(
    s3: &CloudboxS3,
    req: S3Request<GetPublicAccessBlockInput>,
) -> S3Result<S3Response<GetPublicAccessBlockOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketPublicAccessBlock",
    )?;
    let config = s3.required_config(&bucket.name, PUBLIC_ACCESS_BLOCK, no_such_public_access_block)?;
    Ok(S3Response::new(GetPublicAccessBlockOutput { public_access_block_configuration: Some(config) }))
}

pub async fn delete(
    s3: &CloudboxS3,
    req: S3Request<DeletePublicAccessBlockInput>,
) -> S3Result<S3Response<DeletePublicAccessBlockOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutBucketPublicAccessBlock",
    )?;
    s3.remove_config(&bucket, PUBLIC_ACCESS_BLOCK).await?;
    Ok(S3Response::new(DeletePublicAccessBlockOutput {}))
}

/// Every setting on: what new buckets get.
pub fn all_blocked() -> PublicAccessBlockConfiguration {
    PublicAccessBlockConfiguration {
        block_public_acls: Some(true),
        block_public_policy: Some(true),
        ignore_public_acls: Some(true),
        restrict_public_buckets: Some(true),
    }
}

/// Settings left out are off, and S3 reports them so.
fn normalized(config: PublicAccessBlockConfiguration) -> PublicAccessBlockConfiguration {
    PublicAccessBlockConfiguration {
        block_public_acls: Some(config.block_public_acls.unwrap_or(false)),
        block_public_policy: Some(config.block_public_policy.unwrap_or(false)),
        ignore_public_acls: Some(config.ignore_public_acls.unwrap_or(false)),
        restrict_public_buckets: Some(config.restrict_public_buckets.unwrap_or(false)),
    }
}

impl CloudboxS3 {
    /// The bucket's public access block, if set.
    pub fn public_access_block(&self, bucket: &str) -> S3Result<Option<PublicAccessBlockConfiguration>> {
        self.stored_config(bucket, PUBLIC_ACCESS_BLOCK)
    }
}
