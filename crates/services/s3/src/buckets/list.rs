//! ListBuckets: the caller's buckets in name order, optionally filtered by
//! prefix and region and paged with MaxBuckets and a continuation token.

use super::creation_date;
use crate::CloudboxS3;
use crate::caller::canonical_user_id;
use crate::errors;
use crate::state::{BucketRecord, owned_buckets_prefix};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as TOKEN_ENCODING;
use cloudbox_store::StoreError;
use s3s::dto::{Bucket, ListBucketsInput, ListBucketsOutput, Owner};
use s3s::{S3Request, S3Response, S3Result};

/// Buckets read from the store at a time.
const SCAN_BATCH: usize = 1000;
const MAX_BUCKETS: i32 = 10_000;

pub fn list_buckets(s3: &CloudboxS3, req: S3Request<ListBucketsInput>) -> S3Result<S3Response<ListBucketsOutput>> {
    let caller = s3.account_caller_of(&req)?;
    let input = req.input;
    let page_size = match input.max_buckets {
        None => None,
        Some(n) if (1..=MAX_BUCKETS).contains(&n) => Some(n as usize),
        Some(_) => return Err(errors::invalid_argument("Argument max-buckets must be an integer between 1 and 10000")),
    };
    let owned = owned_buckets_prefix(&caller.account);
    let mut scan_prefix = owned.clone();
    scan_prefix.extend_from_slice(input.prefix.as_deref().unwrap_or("").as_bytes());
    let start_after = match input.continuation_token.as_deref() {
        Some(token) => Some([owned.as_slice(), &decode_token(token)?].concat()),
        None => None,
    };
    let wanted = |b: &BucketRecord| input.bucket_region.as_ref().is_none_or(|r| *r == b.region);
    let mut records =
        scan_buckets(s3, &scan_prefix, start_after, page_size.map(|n| n + 1), wanted).map_err(errors::store_failure)?;
    let more_follow = page_size.is_some_and(|n| records.len() > n);
    if let Some(n) = page_size {
        records.truncate(n);
    }
    let continuation_token = if more_follow { records.last().map(|b| TOKEN_ENCODING.encode(&b.name)) } else { None };
    Ok(S3Response::new(ListBucketsOutput {
        buckets: Some(records.iter().map(bucket_entry).collect()),
        owner: Some(Owner { id: Some(canonical_user_id(&caller.account)), display_name: None }),
        continuation_token,
        prefix: input.prefix,
    }))
}

/// Buckets under `prefix` after `start_after` that pass `wanted`; all of
/// them, or at most `limit`.
fn scan_buckets(
    s3: &CloudboxS3,
    prefix: &[u8],
    start_after: Option<Vec<u8>>,
    limit: Option<usize>,
    wanted: impl Fn(&BucketRecord) -> bool,
) -> Result<Vec<BucketRecord>, StoreError> {
    let mut cursor = start_after;
    let mut found = Vec::new();
    loop {
        let batch = s3.store.scan(prefix, cursor.as_deref(), SCAN_BATCH)?;
        let exhausted = batch.len() < SCAN_BATCH;
        for (key, value) in batch {
            let record: BucketRecord =
                serde_json::from_slice(&value).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            if wanted(&record) {
                found.push(record);
                if limit.is_some_and(|n| found.len() >= n) {
                    return Ok(found);
                }
            }
            cursor = Some(key);
        }
        if exhausted {
            return Ok(found);
        }
    }
}

fn decode_token(token: &str) -> S3Result<Vec<u8>> {
    TOKEN_ENCODING.decode(token).map_err(|_| errors::invalid_argument("The continuation token provided is incorrect"))
}

fn bucket_entry(record: &BucketRecord) -> Bucket {
    Bucket {
        name: Some(record.name.clone()),
        creation_date: Some(creation_date(record)),
        bucket_region: Some(record.region.clone()),
    }
}
