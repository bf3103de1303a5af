//! PutObjectLockConfiguration and GetObjectLockConfiguration. Object lock
//! is on for buckets created with ObjectLockEnabledForBucket (which also
//! turns versioning on), and can be turned on later for buckets whose
//! versioning is enabled, as on AWS; its default retention rule is validated and
//! stored here, and enforced on objects through
//! [`CloudboxS3::object_lock_configuration`].

use super::errors::{invalid_bucket_state, malformed_xml, object_lock_configuration_not_found};
use super::stored::custom_error;
use crate::CloudboxS3;
use crate::state::{VersioningRecord, versioning_key};
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`ObjectLockConfiguration`] of a bucket (none: lock off).
pub const OBJECT_LOCK: &str = "object-lock";

pub async fn put(
    s3: &CloudboxS3,
    req: S3Request<PutObjectLockConfigurationInput>,
) -> S3Result<S3Response<PutObjectLockConfigurationOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutBucketObjectLockConfiguration",
    )?;
    let config = req.input.object_lock_configuration.ok_or_else(malformed_xml)?;
    validate(&config)?;
    if s3.object_lock_configuration(&bucket.name)?.is_none() && !s3.versioning_enabled(&bucket.name)? {
        return Err(invalid_bucket_state(
            "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration",
        ));
    }
    s3.store_config(&bucket, OBJECT_LOCK, config).await?;
    Ok(S3Response::new(PutObjectLockConfigurationOutput { request_charged: None }))
}

pub fn get(
    s3: &CloudboxS3,
    req: S3Request<GetObjectLockConfigurationInput>,
) -> S3Result<S3Response<GetObjectLockConfigurationOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketObjectLockConfiguration",
    )?;
    let config = s3.required_config(&bucket.name, OBJECT_LOCK, object_lock_configuration_not_found)?;
    Ok(S3Response::new(GetObjectLockConfigurationOutput { object_lock_configuration: Some(config) }))
}

/// What a bucket created with object lock starts with: enabled, no rule.
pub fn enabled_without_rule() -> ObjectLockConfiguration {
    ObjectLockConfiguration {
        object_lock_enabled: Some(ObjectLockEnabled::from_static(ObjectLockEnabled::ENABLED)),
        rule: None,
    }
}

fn validate(config: &ObjectLockConfiguration) -> S3Result<()> {
    if config.object_lock_enabled.as_ref().is_none_or(|e| e.as_str() != ObjectLockEnabled::ENABLED) {
        return Err(malformed_xml());
    }
    let Some(retention) = config.rule.as_ref().map(|r| r.default_retention.as_ref()) else { return Ok(()) };
    let Some(retention) = retention else { return Err(malformed_xml()) };
    let modes = [ObjectLockRetentionMode::GOVERNANCE, ObjectLockRetentionMode::COMPLIANCE];
    if !retention.mode.as_ref().is_some_and(|m| modes.contains(&m.as_str())) {
        return Err(malformed_xml());
    }
    let period = match (retention.days, retention.years) {
        (Some(days), None) => days,
        (None, Some(years)) => years,
        _ => return Err(malformed_xml()),
    };
    if period <= 0 {
        return Err(custom_error(
            "InvalidRetentionPeriod",
            http::StatusCode::BAD_REQUEST,
            "Default retention period must be a positive integer value.",
        ));
    }
    Ok(())
}

impl CloudboxS3 {
    fn versioning_enabled(&self, bucket: &str) -> S3Result<bool> {
        let record: Option<VersioningRecord> =
            self.store.get_json(&versioning_key(bucket)).map_err(crate::errors::store_failure)?;
        Ok(record.is_some_and(|r| r.enabled()))
    }

    /// The bucket's object lock configuration; `None` when object lock is
    /// off for the bucket.
    pub fn object_lock_configuration(&self, bucket: &str) -> S3Result<Option<ObjectLockConfiguration>> {
        self.stored_config(bucket, OBJECT_LOCK)
    }
}
