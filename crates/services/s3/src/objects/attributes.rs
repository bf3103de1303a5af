//! GetObjectAttributes: the attributes asked for, of the current version
//! or of one named by id.

use super::{etag_of, get::ChecksumValues, headers, resolve_version, timestamp_of};
use crate::CloudboxS3;
use s3s::dto::{Checksum, GetObjectAttributesInput, GetObjectAttributesOutput, GetObjectAttributesParts};
use s3s::{S3Request, S3Response, S3Result};

pub async fn get_object_attributes(
    s3: &CloudboxS3,
    req: S3Request<GetObjectAttributesInput>,
) -> S3Result<S3Response<GetObjectAttributesOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    let action = if input.version_id.is_some() { "s3:GetObjectVersionAttributes" } else { "s3:GetObjectAttributes" };
    s3.accessible_bucket(&caller, &input.bucket, input.expected_bucket_owner.as_deref(), action, Some(&input.key))?;
    let record = resolve_version(s3, &input.bucket, &input.key, input.version_id.as_deref())?;
    // The header is one comma-separated list, however s3s split it.
    let wanted: Vec<String> =
        input.object_attributes.iter().flat_map(|a| a.as_str().split(',').map(|n| n.trim().to_string())).collect();
    let wants = |name: &str| wanted.iter().any(|a| a == name);
    let mut output = GetObjectAttributesOutput {
        last_modified: Some(timestamp_of(record.last_modified_ms)),
        version_id: super::get::reported_version(s3, &input.bucket, &record),
        ..GetObjectAttributesOutput::default()
    };
    if wants("ETag") {
        output.e_tag = Some(etag_of(&record));
    }
    if wants("ObjectSize") {
        output.object_size = i64::try_from(record.size).ok();
    }
    if wants("StorageClass") {
        output.storage_class =
            Some(headers::storage_class_out(&record).unwrap_or_else(|| "STANDARD".to_string().into()));
    }
    if wants("Checksum") && record.checksum.is_some() {
        let sums = ChecksumValues::of(record.checksum.as_ref());
        output.checksum = Some(Checksum {
            checksum_crc32: sums.crc32,
            checksum_crc32c: sums.crc32c,
            checksum_crc64nvme: sums.crc64nvme,
            checksum_sha1: sums.sha1,
            checksum_sha256: sums.sha256,
            checksum_type: sums.kind,
        });
    }
    if wants("ObjectParts") && !record.part_sizes.is_empty() {
        output.object_parts = Some(GetObjectAttributesParts {
            total_parts_count: i32::try_from(record.part_sizes.len()).ok(),
            ..GetObjectAttributesParts::default()
        });
    }
    Ok(S3Response::new(output))
}
