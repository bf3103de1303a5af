//! Request payment and transfer acceleration: stored and returned (cloudbox
//! bills nobody and has one endpoint speed).

use super::errors::{invalid_request, malformed_xml};
use crate::CloudboxS3;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`RequestPaymentConfiguration`] of a bucket (none: the owner pays).
pub const REQUEST_PAYMENT: &str = "request-payment";
/// The stored [`AccelerateConfiguration`] of a bucket.
pub const ACCELERATE: &str = "accelerate";

pub async fn put_request_payment(
    s3: &CloudboxS3,
    req: S3Request<PutBucketRequestPaymentInput>,
) -> S3Result<S3Response<PutBucketRequestPaymentOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutBucketRequestPayment",
    )?;
    let config = req.input.request_payment_configuration;
    if ![Payer::BUCKET_OWNER, Payer::REQUESTER].contains(&config.payer.as_str()) {
        return Err(malformed_xml());
    }
    s3.store_config(&bucket, REQUEST_PAYMENT, config).await?;
    Ok(S3Response::new(PutBucketRequestPaymentOutput {}))
}

pub fn get_request_payment(
    s3: &CloudboxS3,
    req: S3Request<GetBucketRequestPaymentInput>,
) -> S3Result<S3Response<GetBucketRequestPaymentOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketRequestPayment",
    )?;
    let stored: Option<RequestPaymentConfiguration> = s3.stored_config(&bucket.name, REQUEST_PAYMENT)?;
    let payer = stored.map_or_else(|| Payer::from_static(Payer::BUCKET_OWNER), |c| c.payer);
    Ok(S3Response::new(GetBucketRequestPaymentOutput { payer: Some(payer) }))
}

pub async fn put_accelerate(
    s3: &CloudboxS3,
    req: S3Request<PutBucketAccelerateConfigurationInput>,
) -> S3Result<S3Response<PutBucketAccelerateConfigurationOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutAccelerateConfiguration",
    )?;
    let config = req.input.accelerate_configuration;
    let valid = [BucketAccelerateStatus::ENABLED, BucketAccelerateStatus::SUSPENDED];
    if !config.status.as_ref().is_some_and(|s| valid.contains(&s.as_str())) {
        return Err(malformed_xml());
    }
    if bucket.name.contains('.') {
        return Err(invalid_request(
            "S3 Transfer Acceleration is not supported for buckets with periods (.) in their names",
        ));
    }
    s3.store_config(&bucket, ACCELERATE, config).await?;
    Ok(S3Response::new(PutBucketAccelerateConfigurationOutput {}))
}

pub fn get_accelerate(
    s3: &CloudboxS3,
    req: S3Request<GetBucketAccelerateConfigurationInput>,
) -> S3Result<S3Response<GetBucketAccelerateConfigurationOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetAccelerateConfiguration",
    )?;
    let stored: Option<AccelerateConfiguration> = s3.stored_config(&bucket.name, ACCELERATE)?;
    Ok(S3Response::new(GetBucketAccelerateConfigurationOutput {
        status: stored.and_then(|c| c.status),
        request_charged: None,
    }))
}
