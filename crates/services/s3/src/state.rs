//! Where S3 keeps its state in the store.
//!
//! Bucket names are one namespace shared by every account, so buckets live
//! in the global scope, `s3/global/`:
//!
//! - `bucket/<name>`: one [`BucketRecord`] per bucket;
//! - `versioning/<bucket>`: the bucket's [`VersioningRecord`], once set;
//! - `object/<bucket>/<key>`: for every key whose newest version is an
//!   object (not a delete marker), a [`ListingEntry`]: what listings show
//!   of it and the sequence number of that version. Keys are raw UTF-8
//!   bytes, so a prefix scan lists in S3's key order and listing N keys
//!   reads N small entries however large the bucket is;
//! - `version/<bucket>/<escaped key>\0\0<newest-first>`: every version of
//!   every key, objects and delete markers ([`version_key`]), as
//!   [`encode_version`] writes them (small PUT bodies inside): all versions
//!   of one key are adjacent, newest first, and keys keep S3's order, so the
//!   current version of a key is the first entry of one short scan;
//! - `nullversion/<bucket>/<key>`: the sequence number of the key's `null`
//!   version, when it has one that is not its newest version (a `null`
//!   version that is the newest needs no pointer; one may be kept anyway);
//! - `inline/<id>` and `blobref/<id>`: object bodies not kept in their
//!   records, see [`crate::blobs`].
//!
//! A bucket name never contains `/`, so one bucket's entries of each kind
//! are exactly one prefix.
//!
//! Each account also keeps, under `s3/acct/<account>/`, `bucket/<name>`: a
//! copy of the record of every bucket it owns, written in the same
//! transaction as the global record, so ListBuckets is one scan.

use crate::blobs::Segment;
use cloudbox_core::{AccountId, Scope};
use cloudbox_store::StoreError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// `s3/global/`: where every global S3 key starts (worked out once).
fn global_root() -> &'static str {
    static ROOT: LazyLock<String> = LazyLock::new(|| Scope::Global.key_prefix("s3"));
    &ROOT
}

/// The global key made of `parts` one after another, built in one
/// allocation (keys are built on every request's path).
pub fn global_key(parts: &[&str]) -> Vec<u8> {
    let root = global_root();
    let len = root.len() + parts.iter().map(|part| part.len()).sum::<usize>();
    // Room for what callers append: an escaped key's terminator and a sequence number.
    let mut key = Vec::with_capacity(len + 10);
    key.extend_from_slice(root.as_bytes());
    for part in parts {
        key.extend_from_slice(part.as_bytes());
    }
    key
}

/// The key of a bucket's global record.
pub fn bucket_key(bucket: &str) -> Vec<u8> {
    global_key(&["bucket/", bucket])
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
    global_key(&["versioning/", bucket])
}

/// The prefix of the current version of every object of a bucket.
pub fn objects_prefix(bucket: &str) -> Vec<u8> {
    global_key(&["object/", bucket, "/"])
}

/// The key of an object's current version.
pub fn object_key(bucket: &str, key: &str) -> Vec<u8> {
    let mut out = objects_prefix(bucket);
    out.extend_from_slice(key.as_bytes());
    out
}

/// The prefix of every version (and delete marker) of a bucket.
pub fn versions_prefix(bucket: &str) -> Vec<u8> {
    global_key(&["version/", bucket, "/"])
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
    global_key(&["nullversion/", bucket, "/", key])
}

/// The prefix of every `null`-version pointer of a bucket.
pub fn null_versions_prefix(bucket: &str) -> Vec<u8> {
    global_key(&["nullversion/", bucket, "/"])
}

/// The key of a small body kept in the store.
pub fn inline_body_key(id: &str) -> Vec<u8> {
    global_key(&["inline/", id])
}

/// The key counting the records that use a body file.
pub fn blob_ref_key(id: &str) -> Vec<u8> {
    global_key(&["blobref/", id])
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
    /// Each part's checksum under the object's algorithm (base64), when the
    /// object came from a multipart upload with a checksum algorithm.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub part_checksums: Vec<String>,
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

/// What the current-object index keeps for a key: the fields listings
/// show and the sequence number of the version that is current. Its field
/// names are [`ObjectRecord`]'s, so an index entry written as a whole
/// record (as earlier builds did) still reads as one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ListingEntry {
    pub seq: u64,
    pub last_modified_ms: i64,
    pub owner: String,
    #[serde(default)]
    pub size: u64,
    #[serde(default)]
    pub etag: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<ListedChecksum>,
}

/// The part of a [`StoredChecksum`] listings show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListedChecksum {
    pub algorithm: String,
    pub kind: String,
}

impl ListingEntry {
    pub fn of(record: &ObjectRecord) -> ListingEntry {
        ListingEntry {
            seq: record.seq,
            last_modified_ms: record.last_modified_ms,
            owner: record.owner.clone(),
            size: record.size,
            etag: record.etag.clone(),
            storage_class: record.storage_class.clone(),
            checksum: record
                .checksum
                .as_ref()
                .map(|c| ListedChecksum { algorithm: c.algorithm.clone(), kind: c.kind.clone() }),
        }
    }

    pub fn decode(bytes: &[u8]) -> Result<ListingEntry, StoreError> {
        serde_json::from_slice(bytes).map_err(|e| StoreError::Corrupt(e.to_string()))
    }
}

/// A version as the store keeps it: the record as JSON and, when segments
/// of its body are kept in the record, a 0 byte (JSON text never holds
/// one) followed by their bytes, one segment after another.
pub fn encode_version(record: &ObjectRecord) -> Vec<u8> {
    let mut out = cloudbox_store::to_json(record);
    let mut kept = record.body.iter().filter(|s| s.in_record).peekable();
    if kept.peek().is_some() {
        out.push(0);
        for segment in kept {
            out.extend_from_slice(segment.bytes.as_deref().unwrap_or_default());
        }
    }
    out
}

/// A version as [`encode_version`] wrote it (or as plain JSON).
pub fn decode_version(bytes: &[u8]) -> Result<ObjectRecord, StoreError> {
    let corrupt = |why: String| StoreError::Corrupt(why);
    let (json, kept) = match bytes.iter().position(|&b| b == 0) {
        Some(at) => (&bytes[..at], Some(&bytes[at + 1..])),
        None => (bytes, None),
    };
    let mut record: ObjectRecord = serde_json::from_slice(json).map_err(|e| corrupt(e.to_string()))?;
    let kept = bytes::Bytes::copy_from_slice(kept.unwrap_or_default());
    let mut at = 0usize;
    for segment in record.body.iter_mut().filter(|s| s.in_record) {
        let end = usize::try_from(segment.len).ok().and_then(|len| at.checked_add(len));
        let end = end.filter(|&end| end <= kept.len()).ok_or_else(|| corrupt("version body is cut short".into()))?;
        segment.bytes = Some(kept.slice(at..end));
        at = end;
    }
    if at != kept.len() {
        return Err(corrupt("version record has trailing bytes".into()));
    }
    Ok(record)
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

    fn with_body(parts: &[(&[u8], bool)]) -> ObjectRecord {
        let body = parts
            .iter()
            .map(|(bytes, in_record)| Segment {
                id: if *in_record { String::new() } else { "f".into() },
                len: bytes.len() as u64,
                in_record: *in_record,
                bytes: in_record.then(|| bytes::Bytes::copy_from_slice(bytes)),
                ..Segment::default()
            })
            .collect();
        ObjectRecord { key: "k".into(), seq: 7, etag: "e".into(), body, ..ObjectRecord::default() }
    }

    #[test]
    fn versions_keep_small_bodies_inside_and_read_back_whole() {
        for record in [
            with_body(&[]),
            with_body(&[(b"hello\0world", true)]),
            with_body(&[(b"", true)]),
            with_body(&[(b"abc", true), (b"elsewhere", false), (b"\0\0", true)]),
        ] {
            let encoded = encode_version(&record);
            assert_eq!(decode_version(&encoded).unwrap(), record);
        }
        let plain = cloudbox_store::to_json(&with_body(&[(b"x", false)]));
        assert_eq!(decode_version(&plain).unwrap(), with_body(&[(b"x", false)]));
    }

    #[test]
    fn damaged_versions_are_reported_not_misread() {
        let encoded = encode_version(&with_body(&[(b"hello", true)]));
        assert!(decode_version(&encoded[..encoded.len() - 1]).is_err());
        let mut longer = encoded.clone();
        longer.push(b'!');
        assert!(decode_version(&longer).is_err());
    }

    #[test]
    fn listing_entries_read_whole_records_written_by_earlier_builds() {
        let record = ObjectRecord {
            key: "k".into(),
            seq: 9,
            size: 3,
            etag: "abc".into(),
            owner: "111122223333".into(),
            last_modified_ms: 5,
            storage_class: Some("GLACIER".into()),
            checksum: Some(StoredChecksum {
                algorithm: "CRC32".into(),
                value: "AAAA".into(),
                kind: "FULL_OBJECT".into(),
            }),
            metadata: BTreeMap::from([("a".into(), "b".into())]),
            ..ObjectRecord::default()
        };
        let entry = ListingEntry::decode(&cloudbox_store::to_json(&record)).unwrap();
        assert_eq!(entry, ListingEntry::of(&record));
        let compact = cloudbox_store::to_json(&entry);
        assert_eq!(ListingEntry::decode(&compact).unwrap(), entry);
    }
}
