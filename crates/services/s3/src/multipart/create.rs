//! CreateMultipartUpload: records a new upload of a key, with the settings
//! the object gets when the upload completes.

use super::combine::{default_checksum_type, type_supported};
use super::errors;
use super::records::{ObjectSettings, UploadRecord, new_upload_id, upload_key};
use super::{ms_of_timestamp, store_failure};
use crate::CloudboxS3;
use crate::objects::{check_key, headers};
use s3s::dto::{ChecksumAlgorithm, ChecksumType, CreateMultipartUploadInput, CreateMultipartUploadOutput};
use s3s::{S3Request, S3Response, S3Result};

pub async fn create_multipart_upload(
    s3: &CloudboxS3,
    req: S3Request<CreateMultipartUploadInput>,
) -> S3Result<S3Response<CreateMultipartUploadOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    s3.accessible_bucket(
        &caller,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:PutObject",
        Some(&input.key),
    )?;
    check_key(&input.key)?;
    let (checksum_algorithm, checksum_type) =
        checksum_of(input.checksum_algorithm.as_ref(), input.checksum_type.as_ref())?;
    let initiated_ms = s3.clock.now().timestamp_millis();
    let record = UploadRecord {
        upload_id: new_upload_id(initiated_ms),
        bucket: input.bucket.clone(),
        key: input.key.clone(),
        initiated_ms,
        owner: caller.account.to_string(),
        initiator_arn: caller.arn.clone(),
        checksum_algorithm,
        checksum_type,
        settings: settings_of(&input)?,
    };
    let output = CreateMultipartUploadOutput {
        bucket: Some(record.bucket.clone()),
        key: Some(record.key.clone()),
        upload_id: Some(record.upload_id.clone()),
        checksum_algorithm: record.checksum_algorithm.clone().map(ChecksumAlgorithm::from),
        checksum_type: record.checksum_type.clone().map(ChecksumType::from),
        server_side_encryption: input.server_side_encryption,
        ssekms_key_id: input.ssekms_key_id,
        bucket_key_enabled: input.bucket_key_enabled,
        ..Default::default()
    };
    let key = upload_key(&record.bucket, &record.key, &record.upload_id);
    s3.store
        .transact(move |txn| {
            txn.put_json(key, &record);
            Ok::<(), cloudbox_store::StoreError>(())
        })
        .await
        .map_err(store_failure)?;
    Ok(S3Response::new(output))
}

/// The upload's checksum algorithm and type: both absent, or the algorithm
/// with the type given (which must suit it) or S3's default for it.
fn checksum_of(
    algorithm: Option<&ChecksumAlgorithm>,
    checksum_type: Option<&ChecksumType>,
) -> S3Result<(Option<String>, Option<String>)> {
    let Some(algorithm) = algorithm.map(|a| a.as_str().to_ascii_uppercase()) else {
        if checksum_type.is_some() {
            return Err(errors::invalid_request(
                "The x-amz-checksum-type header can only be used with the x-amz-checksum-algorithm header.",
            ));
        }
        return Ok((None, None));
    };
    if !matches!(algorithm.as_str(), "CRC32" | "CRC32C" | "CRC64NVME" | "SHA1" | "SHA256") {
        return Err(errors::invalid_request(
            "Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
        ));
    }
    let chosen =
        checksum_type.map_or_else(|| default_checksum_type(&algorithm).to_string(), |t| t.as_str().to_string());
    if !type_supported(&algorithm, &chosen) {
        return Err(errors::invalid_request(format!(
            "The {chosen} checksum type cannot be used with the {} checksum algorithm.",
            algorithm.to_ascii_lowercase()
        )));
    }
    Ok((Some(algorithm), Some(chosen)))
}

fn settings_of(input: &CreateMultipartUploadInput) -> S3Result<ObjectSettings> {
    let grants = [
        ("FULL_CONTROL", &input.grant_full_control),
        ("READ", &input.grant_read),
        ("READ_ACP", &input.grant_read_acp),
        ("WRITE_ACP", &input.grant_write_acp),
    ]
    .into_iter()
    .filter_map(|(permission, grantees)| grantees.as_ref().map(|g| (permission.to_string(), g.clone())))
    .collect();
    Ok(ObjectSettings {
        metadata: headers::user_metadata(input.metadata.as_ref())?,
        content: headers::content_headers(
            input.content_type.as_deref(),
            input.content_encoding.as_deref(),
            input.content_disposition.as_deref(),
            input.content_language.as_deref(),
            input.cache_control.as_deref(),
            input.expires.as_ref(),
        ),
        storage_class: headers::storage_class(input.storage_class.as_ref())?,
        tags: headers::parse_tagging(input.tagging.as_deref())?,
        website_redirect_location: input.website_redirect_location.clone(),
        acl: input.acl.as_ref().map(|acl| acl.as_str().to_string()),
        grants,
        server_side_encryption: input.server_side_encryption.as_ref().map(|s| s.as_str().to_string()),
        ssekms_key_id: input.ssekms_key_id.clone(),
        bucket_key_enabled: input.bucket_key_enabled,
        object_lock_mode: input.object_lock_mode.as_ref().map(|m| m.as_str().to_string()),
        object_lock_retain_until_ms: input.object_lock_retain_until_date.as_ref().and_then(ms_of_timestamp),
        object_lock_legal_hold: input.object_lock_legal_hold_status.as_ref().map(|s| s.as_str().to_string()),
    })
}
