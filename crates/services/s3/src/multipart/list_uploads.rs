//! ListMultipartUploads: a bucket's uploads in progress, in key order then
//! initiation order, with Prefix, Delimiter (common prefixes), KeyMarker,
//! UploadIdMarker, MaxUploads and encoding-type=url.

use super::records::{UploadRecord, after_all_uploads_of, upload_key, uploads_prefix};
use super::{initiator_of, owner_of, storage_class_of, store_failure};
use crate::CloudboxS3;
use crate::objects::timestamp_of;
use cloudbox_store::StoreError;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use s3s::dto::{
    ChecksumAlgorithm, ChecksumType, CommonPrefix, EncodingType, ListMultipartUploadsInput, ListMultipartUploadsOutput,
    MultipartUpload,
};
use s3s::{S3Request, S3Response, S3Result};

/// The most uploads (and common prefixes) one answer holds.
const MAX_UPLOADS: i32 = 1000;
/// Records read from the store at a time.
const SCAN_BATCH: usize = 1000;

/// What one page holds: uploads and common prefixes, in key order.
#[derive(Default)]
struct Page {
    uploads: Vec<UploadRecord>,
    common_prefixes: Vec<String>,
    truncated: bool,
    /// The key and upload id the next page starts after.
    next_key_marker: Option<String>,
    next_upload_id_marker: Option<String>,
}

pub fn list_multipart_uploads(
    s3: &CloudboxS3,
    req: S3Request<ListMultipartUploadsInput>,
) -> S3Result<S3Response<ListMultipartUploadsOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    s3.accessible_bucket(
        &caller,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:ListBucketMultipartUploads",
        None,
    )?;
    let url_encoded = match input.encoding_type.as_ref().map(EncodingType::as_str) {
        None => false,
        Some("url") => true,
        Some(_) => return Err(super::errors::invalid_argument("Invalid Encoding Method specified in Request")),
    };
    let max_uploads = match input.max_uploads {
        Some(n) if n < 0 => {
            return Err(super::errors::invalid_argument(
                "Argument max-uploads must be an integer between 0 and 2147483647",
            ));
        }
        Some(n) => n.min(MAX_UPLOADS),
        None => MAX_UPLOADS,
    };
    let prefix = input.prefix.clone().unwrap_or_default();
    let delimiter = input.delimiter.clone().filter(|d| !d.is_empty());
    let start_after = start_bound(&input, &prefix, delimiter.as_deref());
    let limit = usize::try_from(max_uploads).unwrap_or(0);
    let page =
        read_page(s3, &input.bucket, &prefix, delimiter.as_deref(), start_after, limit).map_err(store_failure)?;
    let encode = |text: String| if url_encoded { url_encode(&text) } else { text };
    Ok(S3Response::new(ListMultipartUploadsOutput {
        bucket: Some(input.bucket.clone()),
        prefix: Some(encode(prefix.clone())),
        delimiter: delimiter.clone().map(encode),
        key_marker: Some(encode(input.key_marker.clone().unwrap_or_default())),
        upload_id_marker: Some(input.upload_id_marker.clone().unwrap_or_default()),
        next_key_marker: Some(encode(page.next_key_marker.clone().unwrap_or_default())),
        next_upload_id_marker: Some(page.next_upload_id_marker.clone().unwrap_or_default()),
        max_uploads: Some(max_uploads),
        is_truncated: Some(page.truncated),
        encoding_type: input.encoding_type.clone(),
        uploads: Some(page.uploads.iter().map(|u| upload_entry(u, &encode)).collect()),
        common_prefixes: Some(
            page.common_prefixes.into_iter().map(|p| CommonPrefix { prefix: Some(encode(p)) }).collect(),
        ),
        ..Default::default()
    }))
}

/// The store key the listing starts after: the marked upload of the marked
/// key, or (with no upload id marker) every upload of the marked key, or
/// every key under the marked common prefix.
fn start_bound(input: &ListMultipartUploadsInput, prefix: &str, delimiter: Option<&str>) -> Option<Vec<u8>> {
    let key_marker = input.key_marker.as_deref().filter(|k| !k.is_empty())?;
    if let Some(upload_id) = input.upload_id_marker.as_deref().filter(|u| !u.is_empty()) {
        return Some(upload_key(&input.bucket, key_marker, upload_id));
    }
    if let Some(delimiter) = delimiter
        && let Some(rest) = key_marker.strip_prefix(prefix)
        && rest.find(delimiter).is_some_and(|at| at + delimiter.len() == rest.len())
    {
        let mut bound = uploads_prefix(&input.bucket);
        bound.extend_from_slice(key_marker.as_bytes());
        bound.push(0xff);
        return Some(bound);
    }
    Some(after_all_uploads_of(&input.bucket, key_marker))
}

fn read_page(
    s3: &CloudboxS3,
    bucket: &str,
    prefix: &str,
    delimiter: Option<&str>,
    start_after: Option<Vec<u8>>,
    limit: usize,
) -> Result<Page, StoreError> {
    let mut scan_prefix = uploads_prefix(bucket);
    scan_prefix.extend_from_slice(prefix.as_bytes());
    let mut cursor = start_after;
    let mut page = Page::default();
    loop {
        let batch = s3.store.scan(&scan_prefix, cursor.as_deref(), SCAN_BATCH)?;
        let exhausted = batch.len() < SCAN_BATCH;
        for (key, value) in batch {
            cursor = Some(key);
            let upload: UploadRecord =
                serde_json::from_slice(&value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let rolled_up = delimiter.and_then(|d| common_prefix_of(&upload.key, prefix, d));
            if let Some(common) = &rolled_up
                && page.common_prefixes.last() == Some(common)
            {
                continue;
            }
            if page.uploads.len() + page.common_prefixes.len() >= limit {
                page.truncated = true;
                return Ok(page);
            }
            match rolled_up {
                Some(common) => {
                    page.next_key_marker = Some(common.clone());
                    page.next_upload_id_marker = None;
                    page.common_prefixes.push(common);
                }
                None => {
                    page.next_key_marker = Some(upload.key.clone());
                    page.next_upload_id_marker = Some(upload.upload_id.clone());
                    page.uploads.push(upload);
                }
            }
        }
        if exhausted {
            return Ok(page);
        }
    }
}

/// The common prefix `key` rolls up into: the prefix, then up to and
/// including the first delimiter after it.
fn common_prefix_of(key: &str, prefix: &str, delimiter: &str) -> Option<String> {
    let rest = key.strip_prefix(prefix)?;
    let at = rest.find(delimiter)?;
    Some(format!("{prefix}{}", &rest[..at + delimiter.len()]))
}

/// What S3's `encoding-type=url` leaves as it is.
const URL_SAFE: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~').remove(b'/');

fn url_encode(text: &str) -> String {
    utf8_percent_encode(text, URL_SAFE).to_string()
}

fn upload_entry(upload: &UploadRecord, encode: &impl Fn(String) -> String) -> MultipartUpload {
    MultipartUpload {
        key: Some(encode(upload.key.clone())),
        upload_id: Some(upload.upload_id.clone()),
        initiated: Some(timestamp_of(upload.initiated_ms)),
        initiator: Some(initiator_of(upload)),
        owner: Some(owner_of(upload)),
        storage_class: Some(storage_class_of(upload)),
        checksum_algorithm: upload.checksum_algorithm.clone().map(ChecksumAlgorithm::from),
        checksum_type: upload.checksum_type.clone().map(ChecksumType::from),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_prefixes() {
        assert_eq!(common_prefix_of("photos/2024/a.jpg", "photos/", "/"), Some("photos/2024/".into()));
        assert_eq!(common_prefix_of("photos/a.jpg", "photos/", "/"), None);
        assert_eq!(common_prefix_of("a--b--c", "", "--"), Some("a--".into()));
        assert_eq!(common_prefix_of("other", "photos/", "/"), None);
    }

    #[test]
    fn url_encoding_keeps_slashes() {
        assert_eq!(url_encode("a b/c+d"), "a%20b/c%2Bd");
    }
}
