//! What a completed multipart object's ETag and checksum are, computed from
//! its parts as S3 computes them.
//!
//! - ETag: the MD5 of the parts' binary MD5s, concatenated, in hex, then
//!   `-<number of parts>`.
//! - COMPOSITE checksums: the algorithm applied to the parts' binary
//!   checksums, concatenated, in base64, then `-<number of parts>`.
//! - FULL_OBJECT checksums (CRC algorithms only): the CRC of the whole
//!   object, combined from the parts' CRCs and sizes without reading them.

use super::records::PartRecord;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use s3s::crypto::{Checksum, Crc32, Crc32c, Crc64Nvme, Md5, Sha1, Sha256};

pub const COMPOSITE: &str = "COMPOSITE";
pub const FULL_OBJECT: &str = "FULL_OBJECT";

/// The ETag (without quotes) of an object made of `parts`.
pub fn multipart_etag(parts: &[&PartRecord]) -> String {
    let mut md5 = Md5::new();
    for part in parts {
        // A part's ETag is always 32 hex digits we computed ourselves.
        let digest = hex::decode(&part.etag).unwrap_or_default();
        md5.update(&digest);
    }
    format!("{}-{}", hex::encode(md5.finalize()), parts.len())
}

/// The checksum type S3 gives an upload created with `algorithm` and no
/// type: FULL_OBJECT for CRC64NVME (the only type it supports), COMPOSITE
/// for the rest.
pub fn default_checksum_type(algorithm: &str) -> &'static str {
    if algorithm == "CRC64NVME" { FULL_OBJECT } else { COMPOSITE }
}

/// Whether S3 accepts `checksum_type` for `algorithm`: FULL_OBJECT only for
/// the CRCs, COMPOSITE for all but CRC64NVME.
pub fn type_supported(algorithm: &str, checksum_type: &str) -> bool {
    match checksum_type {
        FULL_OBJECT => matches!(algorithm, "CRC32" | "CRC32C" | "CRC64NVME"),
        COMPOSITE => algorithm != "CRC64NVME",
        _ => false,
    }
}

/// The object's checksum under `algorithm` and `checksum_type`, from its
/// parts' checksums (base64); `None` when a part lacks one or a stored
/// value is not valid.
pub fn object_checksum(algorithm: &str, checksum_type: &str, parts: &[&PartRecord]) -> Option<String> {
    let mut decoded = Vec::with_capacity(parts.len());
    for part in parts {
        decoded.push((BASE64.decode(part.checksums.get(algorithm)?).ok()?, part.size));
    }
    if checksum_type == FULL_OBJECT {
        return full_object_crc(algorithm, &decoded);
    }
    let concatenated: Vec<u8> = decoded.into_iter().flat_map(|(sum, _)| sum).collect();
    let digest = digest_of(algorithm, &concatenated)?;
    Some(format!("{}-{}", BASE64.encode(digest), parts.len()))
}

/// `data`'s checksum under `algorithm`, in binary.
pub fn digest_of(algorithm: &str, data: &[u8]) -> Option<Vec<u8>> {
    Some(match algorithm {
        "CRC32" => Crc32::checksum(data).to_vec(),
        "CRC32C" => Crc32c::checksum(data).to_vec(),
        "CRC64NVME" => Crc64Nvme::checksum(data).to_vec(),
        "SHA1" => Sha1::checksum(data).as_ref().to_vec(),
        "SHA256" => Sha256::checksum(data).as_ref().to_vec(),
        _ => return None,
    })
}

/// The CRC of the concatenation of parts given as (big-endian CRC, size).
fn full_object_crc(algorithm: &str, parts: &[(Vec<u8>, u64)]) -> Option<String> {
    let (crc, width) = match algorithm {
        "CRC32" => (crc_fast::CrcAlgorithm::Crc32IsoHdlc, 4),
        "CRC32C" => (crc_fast::CrcAlgorithm::Crc32Iscsi, 4),
        "CRC64NVME" => (crc_fast::CrcAlgorithm::Crc64Nvme, 8),
        _ => return None,
    };
    let mut combined: Option<u64> = None;
    for (sum, size) in parts {
        if sum.len() != width {
            return None;
        }
        let value = sum.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
        combined = Some(match combined {
            None => value,
            Some(so_far) => crc_fast::checksum_combine(crc, so_far, value, *size),
        });
    }
    let value = combined.unwrap_or(0);
    let bytes = value.to_be_bytes();
    Some(BASE64.encode(&bytes[8 - width..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::blobs::Segment;
    use std::collections::BTreeMap;

    fn part(number: i32, data: &[u8], algorithm: &str) -> PartRecord {
        let mut checksums = BTreeMap::new();
        checksums.insert(algorithm.to_string(), BASE64.encode(digest_of(algorithm, data).unwrap()));
        PartRecord {
            part_number: number,
            size: data.len() as u64,
            etag: hex::encode(Md5::checksum(data)),
            last_modified_ms: 0,
            checksums,
            body: Segment { id: "s".into(), len: 0, ..Segment::default() },
            encryption: None,
        }
    }

    #[test]
    fn etag_is_md5_of_part_md5s() {
        let a = part(1, b"hello ", "CRC32");
        let b = part(2, b"world", "CRC32");
        let mut joined = Md5::checksum(b"hello ").to_vec();
        joined.extend_from_slice(&Md5::checksum(b"world"));
        assert_eq!(multipart_etag(&[&a, &b]), format!("{}-2", hex::encode(Md5::checksum(&joined))));
    }

    #[test]
    fn known_multipart_etag() {
        // As S3 and every client compute it for parts "a" and "b".
        let a = part(1, b"a", "CRC32");
        let b = part(2, b"b", "CRC32");
        assert_eq!(multipart_etag(&[&a, &b]), "96e024ba2074fe77e8e965ba43a704be-2");
    }

    #[test]
    fn composite_checksum_hashes_part_checksums() {
        for algorithm in ["CRC32", "CRC32C", "SHA1", "SHA256"] {
            let a = part(1, b"hello ", algorithm);
            let b = part(2, b"world", algorithm);
            let mut joined = digest_of(algorithm, b"hello ").unwrap();
            joined.extend(digest_of(algorithm, b"world").unwrap());
            let expected = format!("{}-2", BASE64.encode(digest_of(algorithm, &joined).unwrap()));
            assert_eq!(object_checksum(algorithm, COMPOSITE, &[&a, &b]), Some(expected));
        }
    }

    #[test]
    fn full_object_crc_equals_crc_of_whole() {
        for algorithm in ["CRC32", "CRC32C", "CRC64NVME"] {
            let a = part(1, b"hello ", algorithm);
            let b = part(2, b"brave new ", algorithm);
            let c = part(3, b"world", algorithm);
            let whole = BASE64.encode(digest_of(algorithm, b"hello brave new world").unwrap());
            assert_eq!(object_checksum(algorithm, FULL_OBJECT, &[&a, &b, &c]), Some(whole), "{algorithm}");
        }
    }

    #[test]
    fn missing_part_checksum_gives_none() {
        let a = part(1, b"x", "CRC32");
        assert_eq!(object_checksum("SHA256", COMPOSITE, &[&a]), None);
    }

    #[test]
    fn checksum_types() {
        assert_eq!(default_checksum_type("CRC64NVME"), FULL_OBJECT);
        assert_eq!(default_checksum_type("SHA256"), COMPOSITE);
        assert!(!type_supported("SHA1", FULL_OBJECT));
        assert!(!type_supported("CRC64NVME", COMPOSITE));
        assert!(type_supported("CRC32C", FULL_OBJECT));
    }
}
