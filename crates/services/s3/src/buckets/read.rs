//! HeadBucket and GetBucketLocation: whether a bucket is there for the
//! caller, and where it lives.

use crate::CloudboxS3;
use s3s::dto::{
    BucketLocationConstraint, GetBucketLocationInput, GetBucketLocationOutput, HeadBucketInput, HeadBucketOutput,
};
use s3s::{S3Request, S3Response, S3Result};

pub fn head_bucket(s3: &CloudboxS3, req: S3Request<HeadBucketInput>) -> S3Result<S3Response<HeadBucketOutput>> {
    let record = s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:ListBucket")?;
    Ok(S3Response::new(HeadBucketOutput {
        bucket_region: Some(record.region),
        access_point_alias: Some(false),
        ..Default::default()
    }))
}

pub fn get_bucket_location(
    s3: &CloudboxS3,
    req: S3Request<GetBucketLocationInput>,
) -> S3Result<S3Response<GetBucketLocationOutput>> {
    let record =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:GetBucketLocation")?;
    Ok(S3Response::new(GetBucketLocationOutput {
        location_constraint: record.location_constraint.map(BucketLocationConstraint::from),
    }))
}
