//! The limits of multipart uploads, and the checks CompleteMultipartUpload
//! makes of the part list it is sent.

use super::errors;
use super::records::PartRecord;
use s3s::S3Result;
use s3s::dto::CompletedPart;
use std::collections::BTreeMap;

pub const MAX_PART_NUMBER: i32 = 10_000;
/// Every part but the last must be at least this large.
pub const MIN_PART_SIZE: u64 = 5 * 1024 * 1024;
/// The largest part (as the largest single PUT).
pub const MAX_PART_SIZE: u64 = 5 * 1024 * 1024 * 1024;
/// The largest object.
pub const MAX_OBJECT_SIZE: u64 = 5 * 1024 * 1024 * 1024 * 1024;

/// Part numbers run from 1 to 10,000.
pub fn check_part_number(part_number: i32) -> S3Result<()> {
    if (1..=MAX_PART_NUMBER).contains(&part_number) { Ok(()) } else { Err(errors::invalid_part_number()) }
}

/// The uploaded parts a CompleteMultipartUpload names, in order, after
/// checking the list as S3 does: not empty, part numbers ascending (a
/// number repeated counts once, as its last entry), each part uploaded
/// with the ETag (and checksum) given, every part but the last at least
/// 5 MiB, and the whole at most 5 TiB.
pub fn chosen_parts<'a>(
    requested: &[CompletedPart],
    uploaded: &'a BTreeMap<i32, PartRecord>,
) -> S3Result<Vec<&'a PartRecord>> {
    if requested.is_empty() {
        return Err(errors::malformed_xml());
    }
    let numbers =
        requested.iter().map(|p| p.part_number.ok_or_else(errors::malformed_xml)).collect::<S3Result<Vec<i32>>>()?;
    if numbers.windows(2).any(|pair| pair[0] > pair[1]) {
        return Err(errors::invalid_part_order());
    }
    let mut chosen = Vec::with_capacity(requested.len());
    for (index, (wanted, number)) in requested.iter().zip(&numbers).enumerate() {
        if numbers.get(index + 1) == Some(number) {
            continue;
        }
        let part = uploaded.get(number).ok_or_else(errors::invalid_part)?;
        if !etag_matches(wanted, part) || !checksums_match(wanted, part) {
            return Err(errors::invalid_part());
        }
        chosen.push(part);
    }
    if let Some((_, all_but_last)) = chosen.split_last()
        && all_but_last.iter().any(|part| part.size < MIN_PART_SIZE)
    {
        return Err(errors::entity_too_small());
    }
    let total: u64 = chosen.iter().map(|part| part.size).sum();
    if total > MAX_OBJECT_SIZE {
        return Err(errors::entity_too_large());
    }
    Ok(chosen)
}

/// The ETag a client sends back, with or without its quotes, against the
/// part's.
fn etag_matches(wanted: &CompletedPart, part: &PartRecord) -> bool {
    wanted.e_tag.as_ref().is_some_and(|etag| etag.value().trim_matches('"') == part.etag)
}

/// Every checksum the client names must be the part's.
fn checksums_match(wanted: &CompletedPart, part: &PartRecord) -> bool {
    named_checksums(wanted).iter().all(|(algorithm, value)| part.checksums.get(*algorithm) == Some(value))
}

/// The checksums a completed part names, by algorithm.
pub fn named_checksums(part: &CompletedPart) -> Vec<(&'static str, &String)> {
    [
        ("CRC32", &part.checksum_crc32),
        ("CRC32C", &part.checksum_crc32c),
        ("CRC64NVME", &part.checksum_crc64nvme),
        ("SHA1", &part.checksum_sha1),
        ("SHA256", &part.checksum_sha256),
    ]
    .into_iter()
    .filter_map(|(name, value)| value.as_ref().map(|v| (name, v)))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blobs::Segment;
    use s3s::S3ErrorCode;
    use s3s::dto::ETag;

    fn uploaded(sizes: &[(i32, u64)]) -> BTreeMap<i32, PartRecord> {
        sizes
            .iter()
            .map(|&(number, size)| {
                let mut checksums = BTreeMap::new();
                checksums.insert("CRC32".to_string(), format!("crc{number}"));
                let record = PartRecord {
                    part_number: number,
                    size,
                    etag: format!("{number:032x}"),
                    last_modified_ms: 0,
                    checksums,
                    body: Segment { id: "s".into(), len: 0, ..Segment::default() },
                    encryption: None,
                };
                (number, record)
            })
            .collect()
    }

    fn completed(number: i32) -> CompletedPart {
        CompletedPart {
            part_number: Some(number),
            e_tag: Some(ETag::Strong(format!("{number:032x}"))),
            ..Default::default()
        }
    }

    fn code(result: S3Result<Vec<&PartRecord>>) -> S3ErrorCode {
        result.err().map(|e| e.code().clone()).unwrap()
    }

    const BIG: u64 = MIN_PART_SIZE;

    #[test]
    fn part_numbers_run_from_one_to_ten_thousand() {
        assert!(check_part_number(1).is_ok());
        assert!(check_part_number(10_000).is_ok());
        assert_eq!(*check_part_number(0).unwrap_err().code(), S3ErrorCode::InvalidArgument);
        assert!(check_part_number(10_001).is_err());
        assert!(check_part_number(-1).is_err());
    }

    #[test]
    fn chooses_the_named_parts_in_order() {
        let parts = uploaded(&[(1, BIG), (2, BIG), (3, 1)]);
        let chosen = chosen_parts(&[completed(1), completed(3)], &parts).unwrap();
        assert_eq!(chosen.iter().map(|p| p.part_number).collect::<Vec<_>>(), [1, 3]);
    }

    #[test]
    fn an_empty_list_is_malformed() {
        assert_eq!(code(chosen_parts(&[], &uploaded(&[(1, 1)]))), S3ErrorCode::MalformedXML);
    }

    #[test]
    fn parts_must_ascend() {
        let parts = uploaded(&[(1, BIG), (2, BIG)]);
        let list = [completed(2), completed(1)];
        assert_eq!(code(chosen_parts(&list, &parts)), S3ErrorCode::InvalidPartOrder);
        let mut stale = completed(1);
        stale.e_tag = Some(ETag::Strong("0".repeat(32)));
        let repeated = [stale, completed(1), completed(2)];
        let chosen = chosen_parts(&repeated, &parts).unwrap();
        assert_eq!(
            chosen.iter().map(|p| p.part_number).collect::<Vec<_>>(),
            [1, 2],
            "the last entry of a number counts"
        );
    }

    #[test]
    fn missing_parts_and_wrong_etags_are_invalid() {
        let parts = uploaded(&[(1, BIG)]);
        assert_eq!(code(chosen_parts(&[completed(2)], &parts)), S3ErrorCode::InvalidPart);
        let mut wrong = completed(1);
        wrong.e_tag = Some(ETag::Strong("0".repeat(32)));
        assert_eq!(code(chosen_parts(&[wrong], &parts)), S3ErrorCode::InvalidPart);
        let mut unquoted_match = completed(1);
        unquoted_match.e_tag = Some(ETag::Strong(format!("\"{:032x}\"", 1)));
        assert!(chosen_parts(&[unquoted_match], &parts).is_ok());
    }

    #[test]
    fn small_parts_only_last() {
        let parts = uploaded(&[(1, BIG - 1), (2, 10)]);
        let list = [completed(1), completed(2)];
        assert_eq!(code(chosen_parts(&list, &parts)), S3ErrorCode::EntityTooSmall);
        assert!(chosen_parts(&[completed(2)], &parts).is_ok());
    }

    #[test]
    fn checksums_named_must_match() {
        let parts = uploaded(&[(1, 10)]);
        let mut right = completed(1);
        right.checksum_crc32 = Some("crc1".into());
        assert!(chosen_parts(&[right.clone()], &parts).is_ok());
        let mut wrong = right;
        wrong.checksum_crc32 = Some("other".into());
        assert_eq!(code(chosen_parts(&[wrong], &parts)), S3ErrorCode::InvalidPart);
    }
}
