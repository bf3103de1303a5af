//! The per-account bucket quota: how many buckets an account may own.
//! AWS's default for general purpose buckets is 10,000; cloudbox takes
//! another from its environment (see [`super::settings`]).
//!
//! Each account keeps a count of the buckets it owns at
//! `s3/acct/<account>/bucket-count` (beside, not under, its `bucket/` list),
//! updated in the transactions that create and delete buckets.

use cloudbox_core::{AccountId, Scope};
use s3s::{S3Error, S3ErrorCode};

/// AWS's default quota of general purpose buckets per account.
pub const DEFAULT_BUCKET_QUOTA: u64 = 10_000;

/// The key of an account's bucket count.
pub fn bucket_count_key(account: &AccountId) -> Vec<u8> {
    format!("{}bucket-count", Scope::Account(account.clone()).key_prefix("s3")).into_bytes()
}

pub fn too_many_buckets() -> S3Error {
    S3Error::with_message(S3ErrorCode::TooManyBuckets, "You have attempted to create more buckets than allowed")
}
