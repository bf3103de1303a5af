//! PutBucketEncryption, GetBucketEncryption, DeleteBucketEncryption: the
//! bucket's default encryption. Every bucket has one: SSE-S3 (AES256)
//! until another is set, and again after DeleteBucketEncryption, as on
//! AWS. Object writes read it through [`CloudboxS3::default_encryption`].
//! With legacy bucket defaults (see [`crate::buckets::settings`]) a bucket
//! without a stored configuration answers GetBucketEncryption as S3 did
//! before 2023: ServerSideEncryptionConfigurationNotFoundError.

use super::errors::{invalid_argument, malformed_xml};
use crate::CloudboxS3;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`ServerSideEncryptionConfiguration`] of a bucket.
pub const ENCRYPTION: &str = "encryption";
const ALGORITHMS: &[&str] = &["AES256", "aws:kms", "aws:kms:dsse"];

pub async fn put(
    s3: &CloudboxS3,
    req: S3Request<PutBucketEncryptionInput>,
) -> S3Result<S3Response<PutBucketEncryptionOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutEncryptionConfiguration",
    )?;
    let config = req.input.server_side_encryption_configuration;
    validate(&config)?;
    s3.store_config(&bucket, ENCRYPTION, config).await?;
    Ok(S3Response::new(PutBucketEncryptionOutput {}))
}

pub fn get(
    s3: &CloudboxS3,
    req: S3Request<GetBucketEncryptionInput>,
) -> S3Result<S3Response<GetBucketEncryptionOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetEncryptionConfiguration",
    )?;
    let config = match s3.stored_config(&bucket.name, ENCRYPTION)? {
        Some(config) => config,
        // Before 2023 a bucket had no default encryption until one was set.
        None if s3.bucket_settings.legacy_defaults => return Err(configuration_not_found()),
        None => default_configuration(),
    };
    Ok(S3Response::new(GetBucketEncryptionOutput { server_side_encryption_configuration: Some(config) }))
}

pub async fn delete(
    s3: &CloudboxS3,
    req: S3Request<DeleteBucketEncryptionInput>,
) -> S3Result<S3Response<DeleteBucketEncryptionOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutEncryptionConfiguration",
    )?;
    s3.remove_config(&bucket, ENCRYPTION).await?;
    Ok(S3Response::new(DeleteBucketEncryptionOutput {}))
}

fn configuration_not_found() -> s3s::S3Error {
    let mut err = s3s::S3Error::with_message(
        s3s::S3ErrorCode::ServerSideEncryptionConfigurationNotFoundError,
        "The server side encryption configuration was not found",
    );
    err.set_status_code(http::StatusCode::NOT_FOUND);
    err
}

/// SSE-S3 with bucket keys off: what a bucket without a stored
/// configuration uses.
pub fn default_configuration() -> ServerSideEncryptionConfiguration {
    ServerSideEncryptionConfiguration {
        rules: vec![ServerSideEncryptionRule {
            apply_server_side_encryption_by_default: Some(sse_s3()),
            bucket_key_enabled: Some(false),
        }],
    }
}

/// SSE-S3: AES256 with keys S3 manages.
pub fn sse_s3() -> ServerSideEncryptionByDefault {
    ServerSideEncryptionByDefault {
        sse_algorithm: ServerSideEncryption::from_static(ServerSideEncryption::AES256),
        kms_master_key_id: None,
    }
}

fn validate(config: &ServerSideEncryptionConfiguration) -> S3Result<()> {
    if config.rules.len() != 1 {
        return Err(malformed_xml());
    }
    for rule in &config.rules {
        let Some(default) = &rule.apply_server_side_encryption_by_default else { continue };
        let algorithm = default.sse_algorithm.as_str();
        if !ALGORITHMS.contains(&algorithm) {
            return Err(malformed_xml());
        }
        if default.kms_master_key_id.is_some() && algorithm == "AES256" {
            return Err(invalid_argument(
                "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse",
            ));
        }
    }
    Ok(())
}
