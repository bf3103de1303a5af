//! What a write request says about the object besides its body: user
//! metadata, content headers, storage class and tags, checked as S3 checks
//! them.

use super::errors;
use crate::state::{ContentHeaders, ObjectRecord};
use s3s::S3Result;
use s3s::dto::{Metadata, StorageClass, Timestamp, TimestampFormat};
use std::collections::BTreeMap;

/// The most user metadata an object may carry: names and values, in bytes.
pub const MAX_METADATA_BYTES: usize = 2048;

/// The storage classes an object can be written in.
pub const STORAGE_CLASSES: &[&str] = &[
    "STANDARD",
    "REDUCED_REDUNDANCY",
    "STANDARD_IA",
    "ONEZONE_IA",
    "INTELLIGENT_TIERING",
    "GLACIER",
    "DEEP_ARCHIVE",
    "GLACIER_IR",
];

/// User metadata as stored: names lower-cased, within the size limit.
pub fn user_metadata(metadata: Option<&Metadata>) -> S3Result<BTreeMap<String, String>> {
    let Some(metadata) = metadata else { return Ok(BTreeMap::new()) };
    let stored: BTreeMap<String, String> = metadata.iter().map(|(k, v)| (k.to_ascii_lowercase(), v.clone())).collect();
    let size: usize = stored.iter().map(|(k, v)| k.len() + v.len()).sum();
    if size > MAX_METADATA_BYTES {
        return Err(errors::metadata_too_large());
    }
    Ok(stored)
}

/// The metadata of a record as s3s sends it (`x-amz-meta-*`).
pub fn metadata_out(record: &ObjectRecord) -> Option<Metadata> {
    (!record.metadata.is_empty()).then(|| record.metadata.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

/// The stored storage class (`None` for STANDARD), or InvalidStorageClass.
pub fn storage_class(requested: Option<&StorageClass>) -> S3Result<Option<String>> {
    match requested.map(StorageClass::as_str) {
        None | Some("STANDARD") => Ok(None),
        Some(class) if STORAGE_CLASSES.contains(&class) => Ok(Some(class.to_string())),
        Some(_) => Err(errors::invalid_storage_class()),
    }
}

/// The `x-amz-storage-class` S3 reports: only for classes other than STANDARD.
pub fn storage_class_out(record: &ObjectRecord) -> Option<StorageClass> {
    record.storage_class.clone().map(StorageClass::from)
}

/// The content headers of a write request. `aws-chunked` is a transfer
/// detail, not part of the object's Content-Encoding.
pub fn content_headers(
    content_type: Option<&str>,
    content_encoding: Option<&str>,
    content_disposition: Option<&str>,
    content_language: Option<&str>,
    cache_control: Option<&str>,
    expires: Option<&Timestamp>,
) -> ContentHeaders {
    let encoding = content_encoding.and_then(|value| {
        let is_chunked = |e: &str| e.trim().eq_ignore_ascii_case("aws-chunked");
        if !value.split(',').any(is_chunked) {
            return Some(value.to_string());
        }
        let kept: Vec<&str> = value.split(',').map(str::trim).filter(|e| !e.is_empty() && !is_chunked(e)).collect();
        (!kept.is_empty()).then(|| kept.join(", "))
    });
    ContentHeaders {
        content_type: content_type.map(str::to_string),
        content_encoding: encoding,
        content_disposition: content_disposition.map(str::to_string),
        content_language: content_language.map(str::to_string),
        cache_control: cache_control.map(str::to_string),
        expires: expires.and_then(format_http_date),
    }
}

fn format_http_date(timestamp: &Timestamp) -> Option<String> {
    let mut out = Vec::new();
    timestamp.format(TimestampFormat::HttpDate, &mut out).ok()?;
    String::from_utf8(out).ok()
}

/// A stored Expires value back as a timestamp.
pub fn expires_out(content: &ContentHeaders) -> Option<Timestamp> {
    Timestamp::parse(TimestampFormat::HttpDate, content.expires.as_deref()?).ok()
}

/// Tags from an `x-amz-tagging` header, validated as object tags.
pub fn parse_tagging(header: Option<&str>) -> S3Result<Vec<(String, String)>> {
    let Some(header) = header.filter(|h| !h.is_empty()) else { return Ok(Vec::new()) };
    let tags = crate::config::tags::parse_tagging_header(header)?;
    Ok(tags.into_iter().map(|t| (t.key.unwrap_or_default(), t.value.unwrap_or_default())).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_is_limited_to_two_kilobytes() {
        let mut metadata = Metadata::new();
        metadata.insert("Color".into(), "blue".into());
        assert_eq!(user_metadata(Some(&metadata)).unwrap()["color"], "blue");
        metadata.insert("big".into(), "x".repeat(MAX_METADATA_BYTES));
        assert_eq!(user_metadata(Some(&metadata)).unwrap_err().code().as_str(), "MetadataTooLarge");
    }

    #[test]
    fn storage_classes_are_checked() {
        assert_eq!(storage_class(None).unwrap(), None);
        assert_eq!(storage_class(Some(&StorageClass::from_static("STANDARD"))).unwrap(), None);
        assert_eq!(
            storage_class(Some(&StorageClass::from_static("GLACIER_IR"))).unwrap().as_deref(),
            Some("GLACIER_IR")
        );
        assert!(storage_class(Some(&StorageClass::from_static("COLD"))).is_err());
    }

    #[test]
    fn tagging_headers_are_decoded_and_checked() {
        assert_eq!(
            parse_tagging(Some("a=1&b%20c=d+e")).unwrap(),
            vec![("a".to_string(), "1".to_string()), ("b c".to_string(), "d e".to_string())]
        );
        assert!(parse_tagging(Some("a=1&a=2")).is_err());
        assert_eq!(parse_tagging(None).unwrap(), vec![]);
    }

    #[test]
    fn aws_chunked_is_not_a_content_encoding() {
        let content = content_headers(None, Some("aws-chunked"), None, None, None, None);
        assert_eq!(content.content_encoding, None);
        let content = content_headers(None, Some("gzip,aws-chunked"), None, None, None, None);
        assert_eq!(content.content_encoding.as_deref(), Some("gzip"));
        let content = content_headers(None, Some("aws-chunked, aws-chunked"), None, None, None, None);
        assert_eq!(content.content_encoding, None);
        // Without aws-chunked the value is kept as sent.
        let content = content_headers(None, Some("deflate, gzip"), None, None, None, None);
        assert_eq!(content.content_encoding.as_deref(), Some("deflate, gzip"));
    }
}
