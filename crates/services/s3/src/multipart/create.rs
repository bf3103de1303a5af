//! CreateMultipartUpload: records a new upload of a key, with the settings
//! the object gets when the upload completes.

use super::combine::{default_checksum_type, type_supported};
use super::errors;
use super::records::{ObjectSettings, UploadRecord, new_upload_id, upload_key};
use super::{lock_of, store_failure};
use crate::CloudboxS3;
use crate::config::acl::{AclInput, StoredGrant};
use crate::encryption::requests::CustomerKeyInput;
use crate::objects::{check_key, headers};
use crate::state::BucketRecord;
use cloudbox_core::Caller;
use s3s::dto::{ChecksumAlgorithm, ChecksumType, CreateMultipartUploadInput, CreateMultipartUploadOutput};
use s3s::{S3Request, S3Response, S3Result};

pub async fn create_multipart_upload(
    s3: &CloudboxS3,
    req: S3Request<CreateMultipartUploadInput>,
) -> S3Result<S3Response<CreateMultipartUploadOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    let bucket = s3.accessible_bucket(
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
    let settings = settings_of(&input, acl_of(s3, &bucket, &caller, &input)?)?;
    lock_of(s3, &input.bucket, &settings, initiated_ms)?;
    let sse = crate::encryption::requests::headers_for_request(
        s3,
        &input.bucket,
        input.server_side_encryption.as_ref().map(|s| s.as_str()),
        input.customer_values(),
    )
    .await?;
    let settings = ObjectSettings { customer_key_md5: sse.customer_key_md5.clone(), ..settings };
    let record = UploadRecord {
        upload_id: new_upload_id(initiated_ms),
        bucket: input.bucket.clone(),
        key: input.key.clone(),
        initiated_ms,
        owner: s3.new_object_owner(&bucket, &caller, input.acl.as_ref().map(|a| a.as_str()))?,
        initiator_arn: caller.arn.clone(),
        checksum_algorithm,
        checksum_type,
        settings,
    };
    let output = CreateMultipartUploadOutput {
        bucket: Some(record.bucket.clone()),
        key: Some(record.key.clone()),
        upload_id: Some(record.upload_id.clone()),
        checksum_algorithm: record.checksum_algorithm.clone().map(ChecksumAlgorithm::from),
        checksum_type: record.checksum_type.clone().map(ChecksumType::from),
        server_side_encryption: sse.server_side_encryption,
        sse_customer_algorithm: sse.customer_algorithm,
        sse_customer_key_md5: sse.customer_key_md5,
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

fn settings_of(input: &CreateMultipartUploadInput, acl: Vec<StoredGrant>) -> S3Result<ObjectSettings> {
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
        acl,
        server_side_encryption: input.server_side_encryption.as_ref().map(|s| s.as_str().to_string()),
        customer_key_md5: None,
        ssekms_key_id: input.ssekms_key_id.clone(),
        bucket_key_enabled: input.bucket_key_enabled,
        object_lock_mode: input.object_lock_mode.as_ref().map(|m| m.as_str().to_string()),
        object_lock_retain_until: input.object_lock_retain_until_date.clone(),
        object_lock_legal_hold: input.object_lock_legal_hold_status.as_ref().map(|s| s.as_str().to_string()),
    })
}

/// The grants of the ACL the request asks the object to get.
fn acl_of(
    s3: &CloudboxS3,
    bucket: &BucketRecord,
    caller: &Caller,
    input: &CreateMultipartUploadInput,
) -> S3Result<Vec<StoredGrant>> {
    let asked = AclInput {
        canned: input.acl.as_ref().map(|acl| acl.as_str().to_string()),
        grant_full_control: input.grant_full_control.clone(),
        grant_read: input.grant_read.clone(),
        grant_read_acp: input.grant_read_acp.clone(),
        grant_write_acp: input.grant_write_acp.clone(),
        ..AclInput::default()
    };
    crate::config::object_acl::requested_object_grants(s3, bucket, caller, asked)
}
