//! Where S3 keeps its state in the store.
//!
//! Bucket names are one namespace shared by every account, so buckets live
//! in the global scope, `s3/global/`:
//!
//! - `bucket/<name>`: one [`BucketRecord`] per bucket;
//! - `versioning/<bucket>`: the bucket's [`VersioningRecord`], once set;
//! - `object/<bucket>/<key>`: the current version of every key whose newest
//!   version is an object (not a delete marker), as an [`ObjectRecord`].
//!   Keys are raw UTF-8 bytes, so a prefix scan lists in S3's key order and
//!   listing N keys reads N records however large the bucket is;
//! - `version/<bucket>/<escaped key>\0\0<newest-first>`: every version of
//!   every key, objects and delete markers ([`version_key`]): all versions
//!   of one key are adjacent, newest first, and keys keep S3's order;
//! - `nullversion/<bucket>/<key>`: the sequence number of the key's `null`
//!   version, when it has one;
//! - `inline/<id>` and `blobref/<id>`: object bodies, see [`crate::blobs`].
//!
//! A bucket name never contains `/`, so one bucket's entries of each kind
//! are exactly one prefix.
//!
//! Each account also keeps, under `s3/acct/<account>/`, `bucket/<name>`: a
//! copy of the record of every bucket it owns, written in the same
//! transaction as the global record, so ListBuckets is one scan.

use crate::blobs::Segment;
use cloudbox_core::{AccountId, Scope};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

fn global(rest: &str) -> Vec<u8> {
    format!("{}{rest}", Scope::Global.key_prefix("s3")).into_bytes()
}

/// The key of a bucket's global record.
pub fn bucket_key(bucket: &str) -> Vec<u8> {
    global(&format!("bucket/{bucket}"))
}

/// The prefix of every bucket an account owns.
pub fn owned_buckets_prefix(account: &AccountId) -> Vec<u8> {
    format!("{}bucket/", Scope::Account(account.clone()).key_prefix("s3")).into_bytes()
}

/// The key of a bucket in its owner's list.
pub fn owned_bucket_key(account: &AccountId, bucket: &str) -> Vec<u8> {
    let mut key = owned_buckets_prefix(account);
    key.extend_from_slice(bucket.as_bytes());
    key
}

/// The key of a bucket's versioning configuration.
pub fn versioning_key(bucket: &str) -> Vec<u8> {
    global(&format!("versioning/{bucket}"))
}

/// The prefix of the current version of every object of a bucket.
pub fn objects_prefix(bucket: &str) -> Vec<u8> {
    global(&format!("object/{bucket}/"))
}

/// The key of an object's current version.
pub fn object_key(bucket: &str, key: &str) -> Vec<u8> {
    let mut out = objects_prefix(bucket);
    out.extend_from_slice(key.as_bytes());
    out
}

/// The prefix of every version (and delete marker) of a bucket.
pub fn versions_prefix(bucket: &str) -> Vec<u8> {
    global(&format!("version/{bucket}/"))
}

/// The prefix of every version of one key: the key with each `\0` written
/// as `\0\x01`, then `\0\0`. That keeps keys in byte order (a key sorts
/// before every longer key it starts) and no key's versions inside another's.
pub fn key_versions_prefix(bucket: &str, key: &str) -> Vec<u8> {
    let mut out = versions_prefix(bucket);
    escape_key_into(&mut out, key);
    out
}

/// The prefix under which keys starting with `prefix` keep their versions.
pub fn versions_with_key_prefix(bucket: &str, prefix: &str) -> Vec<u8> {
    let mut out = versions_prefix(bucket);
    for &byte in prefix.as_bytes() {
        out.push(byte);
        if byte == 0 {
            out.push(1);
        }
    }
    out
}

fn escape_key_into(out: &mut Vec<u8>, key: &str) {
    for &byte in key.as_bytes() {
        out.push(byte);
        if byte == 0 {
            out.push(1);
        }
    }
    out.extend_from_slice(&[0, 0]);
}

/// The key of one version: newer versions (higher `seq`) sort first.
pub fn version_key(bucket: &str, key: &str, seq: u64) -> Vec<u8> {
    let mut out = key_versions_prefix(bucket, key);
    out.extend_from_slice(&(u64::MAX - seq).to_be_bytes());
    out
}

/// The key that remembers which version of `key` is its `null` version.
pub fn null_version_key(bucket: &str, key: &str) -> Vec<u8> {
    global(&format!("nullversion/{bucket}/{key}"))
}

/// The prefix of every `null`-version pointer of a bucket.
pub fn null_versions_prefix(bucket: &str) -> Vec<u8> {
    global(&format!("nullversion/{bucket}/"))
}

/// The key of a small body kept in the store.
pub fn inline_body_key(id: &str) -> Vec<u8> {
    global(&format!("inline/{id}"))
}

/// The key counting the records that use a body file.
pub fn blob_ref_key(id: &str) -> Vec<u8> {
    global(&format!("blobref/{id}"))
}

/// What the store holds for a bucket.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct BucketRecord {
    pub name: String,
    /// The region the bucket lives in.
    pub region: String,
    /// The constraint it was created with, as GetBucketLocation reports it
    /// (none for us-east-1; `EU` is kept as given).
    pub location_constraint: Option<String>,
    /// The 12-digit id of the owning account.
    pub owner: String,
    /// Milliseconds since the epoch.
    pub creation_date_ms: i64,
}

/// A bucket's versioning state as PutBucketVersioning set it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct VersioningRecord {
    /// `Enabled` or `Suspended`; a bucket never configured has no record.
    pub status: String,
    /// `Enabled` or `Disabled`, when the request named it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mfa_delete: Option<String>,
}

impl VersioningRecord {
    pub fn enabled(&self) -> bool {
        self.status == "Enabled"
    }
}

/// The `null` version id: versions written while versioning was never
/// enabled or was suspended.
pub const NULL_VERSION: &str = "null";

/// One version of an object, or a delete marker. The same record is kept
/// under the version's key and, while it is the newest and not a delete
/// marker, under the object's current key.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ObjectRecord {
    pub key: String,
    /// `null` or a generated id (see [`crate::objects::version_id_of`]).
    pub version_id: String,
    /// Orders the versions of a key: higher is newer.
    pub seq: u64,
    #[serde(default, skip_serializing_if = "is_false")]
    pub delete_marker: bool,
    /// Milliseconds since the epoch, on cloudbox's clock.
    pub last_modified_ms: i64,
    /// The 12-digit id of the account that wrote it.
    pub owner: String,
    #[serde(default)]
    pub size: u64,
    /// Without the quotes S3 sends it in: the MD5 in hex, or for multipart
    /// uploads `<hex>-<parts>`.
    #[serde(default)]
    pub etag: String,
    /// `None` for STANDARD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
    #[serde(default, skip_serializing_if = "ContentHeaders::is_empty")]
    pub content: ContentHeaders,
    /// User metadata, names lower-cased without `x-amz-meta-`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub metadata: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<StoredChecksum>,
    /// Object tags, in the order they were given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<(String, String)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website_redirect: Option<String>,
    /// The body, as one or more segments (the parts of a multipart upload).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub body: Vec<Segment>,
    /// The sizes of the parts when the object came from a multipart upload.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub part_sizes: Vec<u64>,
    /// Encryption at rest (see [`crate::encryption`]); `None`: stored in the clear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<crate::encryption::EncryptionRecord>,
    /// Retention and legal hold (see [`crate::lock`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lock: Option<crate::lock::LockRecord>,
    /// A restore of an archived version (see [`crate::restore`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore: Option<crate::restore::RestoreRecord>,
    /// The version's ACL grants (see [`crate::config::acl`]); empty: the
    /// writer has full control and nobody else has access.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acl: Vec<crate::config::acl::StoredGrant>,
}

/// The content headers stored with an object and sent back on GET/HEAD.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ContentHeaders {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_encoding: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_disposition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cache_control: Option<String>,
    /// As the client sent it (an HTTP date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<String>,
}

impl ContentHeaders {
    pub fn is_empty(&self) -> bool {
        *self == ContentHeaders::default()
    }
}

/// A checksum S3 keeps for an object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredChecksum {
    /// `CRC32`, `CRC32C`, `CRC64NVME`, `SHA1` or `SHA256`.
    pub algorithm: String,
    /// Base64, as clients send it (for multipart composites, with `-<parts>`).
    pub value: String,
    /// `FULL_OBJECT` or `COMPOSITE`.
    pub kind: String,
}

fn is_false(value: &bool) -> bool {
    !*value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_keep_key_order_and_newest_first() {
        let mut keys = vec![
            version_key("b", "a", 1),
            version_key("b", "a", 2),
            version_key("b", "a/b", 1),
            version_key("b", "a\0", 9),
            version_key("b", "a!", 3),
            version_key("b", "ab", 1),
        ];
        keys.sort();
        let expected = vec![
            version_key("b", "a", 2),
            version_key("b", "a", 1),
            version_key("b", "a\0", 9),
            version_key("b", "a!", 3),
            version_key("b", "a/b", 1),
            version_key("b", "ab", 1),
        ];
        assert_eq!(keys, expected);
        assert!(!version_key("b", "a\0", 9).starts_with(&key_versions_prefix("b", "a")));
        assert!(version_key("b", "a/b", 9).starts_with(&versions_with_key_prefix("b", "a/")));
    }
}
