//! Where S3 keeps its state in the store.
//!
//! Bucket names are one namespace shared by every account, so buckets live
//! in the global scope, `s3/global/`:
//!
//! - `bucket/<name>`: one [`BucketRecord`] per bucket;
//! - `object/<bucket>/<key>`: the objects of a bucket (a bucket name never
//!   contains `/`, so one bucket's objects are exactly one prefix).
//!
//! Each account also keeps, under `s3/acct/<account>/`, `bucket/<name>`: a
//! copy of the record of every bucket it owns, written in the same
//! transaction as the global record, so ListBuckets is one scan.

use cloudbox_core::{AccountId, Scope};
use serde::{Deserialize, Serialize};

/// The key of a bucket's global record.
pub fn bucket_key(bucket: &str) -> Vec<u8> {
    format!("{}bucket/{bucket}", Scope::Global.key_prefix("s3")).into_bytes()
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

/// The prefix of every object of a bucket.
pub fn objects_prefix(bucket: &str) -> Vec<u8> {
    format!("{}object/{bucket}/", Scope::Global.key_prefix("s3")).into_bytes()
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
