//! ListParts: the parts of an upload in progress, in part number order,
//! paged with MaxParts and PartNumberMarker. The upload's initiator always
//! may list them.

use super::records::{PartRecord, part_key, parts_prefix};
use super::{UploadAddress, initiator_of, load_upload, owner_of, storage_class_of, store_failure};
use crate::CloudboxS3;
use crate::objects::timestamp_of;
use s3s::dto::{ChecksumAlgorithm, ChecksumType, ListPartsInput, ListPartsOutput, Part};
use s3s::{S3Request, S3Response, S3Result};

/// The most parts one ListParts answers with.
const MAX_PARTS: i32 = 1000;

pub fn list_parts(s3: &CloudboxS3, req: S3Request<ListPartsInput>) -> S3Result<S3Response<ListPartsOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    let upload = load_upload(
        s3,
        &caller,
        &UploadAddress {
            bucket: &input.bucket,
            key: &input.key,
            upload_id: &input.upload_id,
            expected_owner: input.expected_bucket_owner.as_deref(),
        },
        "s3:ListMultipartUploadParts",
    )?;
    let max_parts = match input.max_parts {
        Some(n) if n < 0 => {
            return Err(super::errors::invalid_argument(
                "Argument max-parts must be an integer between 0 and 2147483647",
            ));
        }
        Some(n) => n.min(MAX_PARTS),
        None => MAX_PARTS,
    };
    let marker = input.part_number_marker.filter(|m| *m > 0);
    let after = marker.map(|m| part_key(&upload.upload_id, m.min(super::validate::MAX_PART_NUMBER)));
    let page = usize::try_from(max_parts).unwrap_or(0);
    let entries = s3.store.scan(&parts_prefix(&upload.upload_id), after.as_deref(), page + 1).map_err(store_failure)?;
    let mut parts = entries
        .iter()
        .map(|(_, value)| serde_json::from_slice::<PartRecord>(value))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| store_failure(cloudbox_store::StoreError::Corrupt(e.to_string())))?;
    let is_truncated = parts.len() > page;
    parts.truncate(page);
    let next_marker = parts.last().map(|p| p.part_number).or(marker).unwrap_or(0);
    Ok(S3Response::new(ListPartsOutput {
        bucket: Some(upload.bucket.clone()),
        key: Some(upload.key.clone()),
        upload_id: Some(upload.upload_id.clone()),
        part_number_marker: Some(marker.unwrap_or(0)),
        next_part_number_marker: Some(next_marker),
        max_parts: Some(max_parts),
        is_truncated: Some(is_truncated),
        parts: Some(parts.iter().map(part_entry).collect()),
        initiator: Some(initiator_of(&upload)),
        owner: Some(owner_of(&upload)),
        storage_class: Some(storage_class_of(&upload)),
        checksum_algorithm: upload.checksum_algorithm.clone().map(ChecksumAlgorithm::from),
        checksum_type: upload.checksum_type.clone().map(ChecksumType::from),
        ..Default::default()
    }))
}

fn part_entry(part: &PartRecord) -> Part {
    let checksum = |name: &str| part.checksums.get(name).cloned();
    Part {
        part_number: Some(part.part_number),
        e_tag: Some(s3s::dto::ETag::Strong(part.etag.clone())),
        size: Some(i64::try_from(part.size).unwrap_or(i64::MAX)),
        last_modified: Some(timestamp_of(part.last_modified_ms)),
        checksum_crc32: checksum("CRC32"),
        checksum_crc32c: checksum("CRC32C"),
        checksum_crc64nvme: checksum("CRC64NVME"),
        checksum_sha1: checksum("SHA1"),
        checksum_sha256: checksum("SHA256"),
    }
}
