//! Bucket configurations: everything a bucket carries besides its objects,
//! each in its own module, stored through [`stored`].
//!
//! Later work reads them through these accessors on [`CloudboxS3`]:
//!
//! - [`CloudboxS3::lifecycle_rules`]: the lifecycle rules to execute;
//! - [`CloudboxS3::cors_configuration`]: CORS rules (the gateway answers
//!   browsers with them through [`cors_http`]);
//! - [`CloudboxS3::website_configuration`]: index/error documents, redirects;
//! - [`CloudboxS3::logging_target`]: where server access logs go;
//! - [`CloudboxS3::default_encryption`]: the encryption new objects get;
//! - [`CloudboxS3::bucket_policy`] and [`crate::access::authorize`];
//! - [`CloudboxS3::object_lock_configuration`]: object lock and default
//!   retention;
//! - [`CloudboxS3::object_ownership`], [`CloudboxS3::acls_disabled`],
//!   [`CloudboxS3::public_access_block`];
//! - [`tags::validate_object_tags`] and [`tags::parse_tagging_header`] for
//!   `x-amz-tagging`.

pub mod acl;
pub mod bucket_acl;
pub mod bucket_tagging;
pub mod by_id;
pub mod cors;
pub mod cors_http;
pub mod encryption;
pub mod errors;
pub mod lifecycle;
pub mod logging;
pub mod notification;
pub mod object_acl;
pub mod object_lock;
pub mod object_tagging;
mod object_versions;
pub mod ownership;
pub mod payment_accelerate;
pub mod policy;
pub mod public_access_block;
pub mod stored;
pub mod tags;
pub mod website;

use crate::CloudboxS3;
use s3s::S3Result;
use s3s::dto::{
    BucketLifecycleConfiguration, CORSConfiguration, LifecycleRule, LoggingEnabled, ServerSideEncryptionByDefault,
    ServerSideEncryptionConfiguration, Timestamp, WebsiteConfiguration,
};

impl CloudboxS3 {
    /// The bucket's lifecycle rules as PutBucketLifecycleConfiguration
    /// validated them (every rule, enabled or not: check
    /// `rule.status == ExpirationStatus::ENABLED`); empty when none are set.
    /// A rule selects objects by its `filter` (prefix, one tag, object size
    /// bounds, or an `and` of those) or by the legacy `prefix`; none selects
    /// every object.
    pub fn lifecycle_rules(&self, bucket: &str) -> S3Result<Vec<LifecycleRule>> {
        let config: Option<BucketLifecycleConfiguration> = self.stored_config(bucket, lifecycle::LIFECYCLE)?;
        Ok(config.map(|c| c.rules).unwrap_or_default())
    }

    /// The bucket's CORS configuration, if set.
    pub fn cors_configuration(&self, bucket: &str) -> S3Result<Option<CORSConfiguration>> {
        self.stored_config(bucket, cors::CORS)
    }

    /// The bucket's website configuration, if set.
    pub fn website_configuration(&self, bucket: &str) -> S3Result<Option<WebsiteConfiguration>> {
        self.stored_config(bucket, website::WEBSITE)
    }

    /// Where the bucket's server access logs go (target bucket, prefix,
    /// key format), or `None` when logging is off.
    pub fn logging_target(&self, bucket: &str) -> S3Result<Option<LoggingEnabled>> {
        let status: Option<s3s::dto::BucketLoggingStatus> = self.stored_config(bucket, logging::LOGGING)?;
        Ok(status.and_then(|s| s.logging_enabled))
    }

    /// The encryption objects written without SSE headers get: the stored
    /// default, else SSE-S3 (AES256).
    pub fn default_encryption(&self, bucket: &str) -> S3Result<ServerSideEncryptionByDefault> {
        let stored: Option<ServerSideEncryptionConfiguration> = self.stored_config(bucket, encryption::ENCRYPTION)?;
        let chosen = stored.and_then(|c| c.rules.into_iter().find_map(|r| r.apply_server_side_encryption_by_default));
        Ok(chosen.unwrap_or_else(encryption::sse_s3))
    }
}

/// A timestamp as ISO 8601 text (`2024-01-01T00:00:00.000Z`).
pub fn timestamp_text(timestamp: &Timestamp) -> Option<String> {
    let mut buffer = Vec::new();
    timestamp.format(s3s::dto::TimestampFormat::DateTime, &mut buffer).ok()?;
    String::from_utf8(buffer).ok()
}
