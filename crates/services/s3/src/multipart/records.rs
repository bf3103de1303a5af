//! Where multipart uploads live in the store, and what their records hold.
//!
//! Bucket names are global, so uploads live in the global S3 scope
//! (`s3/global/`), beside the buckets and objects:
//!
//! - `upload/<bucket>/<key>\0<upload id>`: one [`UploadRecord`] per upload
//!   in progress. An upload id begins with its initiation time in
//!   fixed-width hex, so one bucket's uploads scan in key order, then in
//!   initiation order: the order ListMultipartUploads answers in. A bucket
//!   name never contains `/`, so one bucket's uploads are one prefix.
//! - `part/<upload id>/<part number, 5 digits>`: one [`PartRecord`] per part
//!   uploaded, in part number order.
//! - `completed/<bucket>/<key>\0<upload id>`: a [`CompletedRecord`] for the
//!   newest completed upload of each key, so that repeating that completion
//!   answers as the first one did, as S3 does.
//!
//! A part's bytes are one body segment ([`crate::blobs`]): a file of its own,
//! or for a small part a value in the store. The part record is committed
//! only after the file is durable, and the file is removed only after the
//! record that used it is gone.

use crate::blobs::Segment;
use crate::config::acl::StoredGrant;
use crate::state::{ContentHeaders, StoredChecksum};
use cloudbox_core::Scope;
use s3s::dto::Timestamp;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Separates an object key from an upload id in upload keys; sorts before
/// every character a key can continue with.
const KEY_END: u8 = 0;

fn global_prefix() -> String {
    Scope::Global.key_prefix("s3")
}

/// The prefix of every upload in progress in a bucket.
pub fn uploads_prefix(bucket: &str) -> Vec<u8> {
    format!("{}upload/{bucket}/", global_prefix()).into_bytes()
}

/// The key of an upload of `key` into `bucket`.
pub fn upload_key(bucket: &str, key: &str, upload_id: &str) -> Vec<u8> {
    let mut out = uploads_prefix(bucket);
    out.extend_from_slice(key.as_bytes());
    out.push(KEY_END);
    out.extend_from_slice(upload_id.as_bytes());
    out
}

/// A bound that every upload of `key` sorts before and every upload of a
/// later key sorts after (upload ids are ASCII).
pub fn after_all_uploads_of(bucket: &str, key: &str) -> Vec<u8> {
    let mut out = uploads_prefix(bucket);
    out.extend_from_slice(key.as_bytes());
    out.push(KEY_END);
    out.push(0xff);
    out
}

/// The prefix of the completion records of a bucket.
pub fn completed_prefix(bucket: &str) -> Vec<u8> {
    format!("{}completed/{bucket}/", global_prefix()).into_bytes()
}

/// The prefix of the completion records of one key.
pub fn completed_prefix_of_key(bucket: &str, key: &str) -> Vec<u8> {
    let mut out = completed_prefix(bucket);
    out.extend_from_slice(key.as_bytes());
    out.push(KEY_END);
    out
}

/// The key of the completion record of an upload.
pub fn completed_key(bucket: &str, key: &str, upload_id: &str) -> Vec<u8> {
    let mut out = completed_prefix_of_key(bucket, key);
    out.extend_from_slice(upload_id.as_bytes());
    out
}

/// The prefix of every part of an upload.
pub fn parts_prefix(upload_id: &str) -> Vec<u8> {
    format!("{}part/{upload_id}/", global_prefix()).into_bytes()
}

/// The key of one part of an upload.
pub fn part_key(upload_id: &str, part_number: i32) -> Vec<u8> {
    format!("{}part/{upload_id}/{part_number:05}", global_prefix()).into_bytes()
}

/// A new upload id: the initiation time (milliseconds, 12 hex digits) then
/// 32 random hex digits. Clients treat it as opaque.
pub fn new_upload_id(initiated_ms: i64) -> String {
    let random = cloudbox_core::ids::request_id().replace('-', "");
    format!("{:012x}{random}", initiated_ms.max(0))
}

/// An upload in progress.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UploadRecord {
    pub upload_id: String,
    pub bucket: String,
    pub key: String,
    /// Milliseconds since the epoch.
    pub initiated_ms: i64,
    /// The 12-digit id of the account that started it.
    pub owner: String,
    /// The ARN of the principal that started it.
    pub initiator_arn: String,
    /// `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1` or `SHA256`, when the upload
    /// was created with a checksum algorithm.
    pub checksum_algorithm: Option<String>,
    /// `COMPOSITE` or `FULL_OBJECT`, when `checksum_algorithm` is set.
    pub checksum_type: Option<String>,
    /// What the object gets when the upload completes.
    pub settings: ObjectSettings,
}

/// The object's settings given at CreateMultipartUpload, applied when the
/// upload completes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct ObjectSettings {
    /// User metadata (`x-amz-meta-*`), names in lower case.
    pub metadata: BTreeMap<String, String>,
    pub content: ContentHeaders,
    /// `None` for STANDARD.
    pub storage_class: Option<String>,
    /// Tags from `x-amz-tagging`, in the order given.
    pub tags: Vec<(String, String)>,
    pub website_redirect_location: Option<String>,
    /// The ACL grants from `x-amz-acl` or `x-amz-grant-*`, checked at
    /// creation; empty: private.
    pub acl: Vec<StoredGrant>,
    pub server_side_encryption: Option<String>,
    /// SSE-C: the base64 MD5 of the customer's key the upload was created
    /// with; every part must be sent with that key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub customer_key_md5: Option<String>,
    pub ssekms_key_id: Option<String>,
    pub bucket_key_enabled: Option<bool>,
    pub object_lock_mode: Option<String>,
    pub object_lock_retain_until: Option<Timestamp>,
    pub object_lock_legal_hold: Option<String>,
}

/// What a completed upload became, to answer a repeated completion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CompletedRecord {
    /// The part numbers and ETags (no quotes) the completion named.
    pub parts: Vec<(i32, String)>,
    /// The object's ETag (no quotes).
    pub etag: String,
    pub version_id: Option<String>,
    pub checksum: Option<StoredChecksum>,
}

/// One uploaded part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct PartRecord {
    pub part_number: i32,
    pub size: u64,
    /// The MD5 of the part's bytes, 32 hex digits (no quotes).
    pub etag: String,
    /// Milliseconds since the epoch.
    pub last_modified_ms: i64,
    /// Base64 checksums of the part's bytes, by algorithm name (`CRC32`...).
    pub checksums: BTreeMap<String, String>,
    /// Where the part's bytes are: one body segment, counted as used by
    /// this record until the upload completes (the object then uses it) or
    /// is aborted.
    pub body: Segment,
    /// How the part's bytes are encrypted at rest (see [`crate::encryption`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<crate::encryption::EncryptionRecord>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uploads_sort_by_key_then_initiation() {
        let early = new_upload_id(1_000);
        let late = new_upload_id(2_000);
        let mut keys = [
            upload_key("b", "a/b", &early),
            upload_key("b", "a", &late),
            upload_key("b", "a", &early),
            upload_key("b", "ab", &early),
        ];
        keys.sort();
        assert_eq!(
            keys,
            [
                upload_key("b", "a", &early),
                upload_key("b", "a", &late),
                upload_key("b", "a/b", &early),
                upload_key("b", "ab", &early)
            ]
        );
        assert!(after_all_uploads_of("b", "a") > upload_key("b", "a", &late));
        assert!(after_all_uploads_of("b", "a") < upload_key("b", "a/b", &early));
        assert!(upload_key("b", "a", &late).starts_with(&uploads_prefix("b")));
    }

    #[test]
    fn parts_sort_by_number() {
        assert!(part_key("u", 9) < part_key("u", 10));
        assert!(part_key("u", 10_000).starts_with(&parts_prefix("u")));
        assert!(!part_key("u2", 1).starts_with(&parts_prefix("u")));
    }

    #[test]
    fn upload_ids_are_fixed_width() {
        assert_eq!(new_upload_id(0).len(), new_upload_id(i64::from(u32::MAX) * 1000).len());
    }
}
