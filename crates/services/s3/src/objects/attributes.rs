//! GetObjectAttributes: the attributes asked for, of the current version
//! or of one named by id, with the parts of a multipart object a page at a
//! time (`max-parts`, `part-number-marker`).
//!
//! S3 sends this operation's `<ETag>` without the quotes every other
//! operation puts around it; s3s always quotes, so the handler marks its
//! answer and the gateway drops them ([`unquote_etag`]).

use super::{etag_of, get::ChecksumValues, headers, resolve_version, timestamp_of};
use crate::CloudboxS3;
use crate::encryption::requests::CustomerKeyInput;
use crate::state::ObjectRecord;
use bytes::Bytes;
use http::HeaderValue;
use s3s::dto::{Checksum, GetObjectAttributesInput, GetObjectAttributesOutput, GetObjectAttributesParts, ObjectPart};
use s3s::{S3Request, S3Response, S3Result};

/// The internal header marking an answer whose `<ETag>` goes unquoted.
const UNQUOTED_ETAG_FIELD: &str = "x-cloudbox-unquoted-etag";

/// Parts listed when the request names no `max-parts`.
const DEFAULT_MAX_PARTS: i32 = 1000;

pub async fn get_object_attributes(
    s3: &CloudboxS3,
    req: S3Request<GetObjectAttributesInput>,
) -> S3Result<S3Response<GetObjectAttributesOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    let action = if input.version_id.is_some() { "s3:GetObjectVersionAttributes" } else { "s3:GetObjectAttributes" };
    s3.accessible_bucket(&caller, &input.bucket, input.expected_bucket_owner.as_deref(), action, Some(&input.key))?;
    let record = resolve_version(s3, &input.bucket, &input.key, input.version_id.as_deref())?;
    crate::encryption::key_for_read(s3, &record, input.customer_values())?;
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
        output.object_parts = Some(parts_page(&record, input.part_number_marker, input.max_parts)?);
    }
    let mut response = S3Response::new(output);
    response.headers.insert(UNQUOTED_ETAG_FIELD, HeaderValue::from_static("1"));
    Ok(response)
}

/// The parts after `marker` (a part number; none: from the first), at
/// most `max_parts` of them.
fn parts_page(
    record: &ObjectRecord,
    marker: Option<i32>,
    max_parts: Option<i32>,
) -> S3Result<GetObjectAttributesParts> {
    let marker = marker.unwrap_or(0);
    let max_parts = max_parts.unwrap_or(DEFAULT_MAX_PARTS);
    if marker < 0 || max_parts < 0 {
        return Err(crate::errors::invalid_argument("The value of the part number marker or max parts is invalid."));
    }
    // Only a composite checksum is made of the parts' checksums.
    let algorithm = record.checksum.as_ref().filter(|c| c.kind == "COMPOSITE").map(|c| c.algorithm.as_str());
    let after: Vec<ObjectPart> = record
        .part_sizes
        .iter()
        .enumerate()
        .map(|(index, size)| object_part(index, *size, algorithm, record.part_checksums.get(index)))
        .filter(|part| part.part_number.unwrap_or_default() > marker)
        .collect();
    let page_len = usize::try_from(max_parts).unwrap_or_default();
    let is_truncated = after.len() > page_len;
    let parts: Vec<ObjectPart> = after.into_iter().take(page_len).collect();
    let next_marker = parts.last().and_then(|p| p.part_number);
    Ok(GetObjectAttributesParts {
        total_parts_count: i32::try_from(record.part_sizes.len()).ok(),
        part_number_marker: Some(marker),
        next_part_number_marker: next_marker,
        max_parts: Some(max_parts),
        is_truncated: Some(is_truncated),
        parts: Some(parts),
    })
}

/// Part `index` (zero-based) of an object, with its checksum when kept.
fn object_part(index: usize, size: u64, algorithm: Option<&str>, checksum: Option<&String>) -> ObjectPart {
    let mut part = ObjectPart {
        part_number: i32::try_from(index + 1).ok(),
        size: i64::try_from(size).ok(),
        ..ObjectPart::default()
    };
    let value = checksum.cloned();
    match algorithm {
        Some("CRC32") => part.checksum_crc32 = value,
        Some("CRC32C") => part.checksum_crc32c = value,
        Some("CRC64NVME") => part.checksum_crc64nvme = value,
        Some("SHA1") => part.checksum_sha1 = value,
        Some("SHA256") => part.checksum_sha256 = value,
        _ => {}
    }
    part
}

/// Drop the quotes around the `<ETag>` of an answer the handler marked
/// (and remove the mark).
pub fn unquote_etag(response: &mut http::Response<s3s::Body>) {
    if response.headers_mut().remove(UNQUOTED_ETAG_FIELD).is_none() {
        return;
    }
    let Some(body) = response.body().bytes() else { return };
    let Ok(text) = std::str::from_utf8(&body) else { return };
    let unquoted = unquote_etag_element(text);
    set_body(response, unquoted);
}

fn unquote_etag_element(text: &str) -> String {
    text.replacen("<ETag>\"", "<ETag>", 1).replacen("\"</ETag>", "</ETag>", 1)
}

fn set_body(response: &mut http::Response<s3s::Body>, text: String) {
    let len = text.len();
    *response.body_mut() = s3s::Body::from(Bytes::from(text));
    if let Ok(value) = HeaderValue::from_str(&len.to_string()) {
        response.headers_mut().insert(http::header::CONTENT_LENGTH, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::StoredChecksum;

    fn multipart(parts: usize) -> ObjectRecord {
        ObjectRecord {
            part_sizes: vec![5; parts],
            part_checksums: (1..=parts).map(|n| format!("sum{n}")).collect(),
            checksum: Some(StoredChecksum {
                algorithm: "SHA256".into(),
                value: "whole".into(),
                kind: "COMPOSITE".into(),
            }),
            ..ObjectRecord::default()
        }
    }

    #[test]
    fn parts_come_a_page_at_a_time_after_the_marker() {
        let record = multipart(6);
        let page = parts_page(&record, Some(3), Some(1)).unwrap();
        assert_eq!(page.total_parts_count, Some(6));
        assert_eq!(page.is_truncated, Some(true));
        assert_eq!(page.next_part_number_marker, Some(4));
        let parts = page.parts.unwrap();
        assert_eq!(parts.len(), 1);
        assert_eq!(parts[0].part_number, Some(4));
        assert_eq!(parts[0].checksum_sha256.as_deref(), Some("sum4"));
        let rest = parts_page(&record, Some(4), Some(10)).unwrap();
        assert_eq!(rest.is_truncated, Some(false));
        let numbers: Vec<_> = rest.parts.unwrap().iter().map(|p| p.part_number.unwrap()).collect();
        assert_eq!(numbers, [5, 6]);
        let all = parts_page(&record, None, None).unwrap();
        assert_eq!((all.max_parts, all.part_number_marker), (Some(1000), Some(0)));
        assert!(parts_page(&record, Some(-1), None).is_err());
    }

    #[test]
    fn only_the_etag_loses_its_quotes() {
        let xml = "<R><ETag>\"abc-2\"</ETag><Other>\"x\"</Other></R>";
        assert_eq!(unquote_etag_element(xml), "<R><ETag>abc-2</ETag><Other>\"x\"</Other></R>");
    }
}
