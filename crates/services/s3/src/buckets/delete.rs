//! DeleteBucket: removes an empty bucket the caller owns, with every
//! configuration it carries.

use super::quota::bucket_count_key;
use crate::CloudboxS3;
use crate::config::stored::remove_all_in;
use crate::errors::{self, TxnFailure};
use crate::state::{BucketRecord, bucket_key, owned_bucket_key, versioning_key, versions_prefix};
use cloudbox_core::AccountId;
use s3s::dto::{DeleteBucketInput, DeleteBucketOutput};
use s3s::{S3Request, S3Response, S3Result};

pub async fn delete_bucket(
    s3: &CloudboxS3,
    req: S3Request<DeleteBucketInput>,
) -> S3Result<S3Response<DeleteBucketOutput>> {
    let bucket = req.input.bucket.clone();
    let authorized = s3.bucket_for(&req, &bucket, req.input.expected_bucket_owner.as_deref(), "s3:DeleteBucket")?;
    let unused_files = s3
        .store
        .transact(move |txn| {
            let global_key = bucket_key(&bucket);
            let record: BucketRecord =
                txn.get_json(&global_key)?.ok_or_else(|| TxnFailure(errors::no_such_bucket()))?;
            if record.owner != authorized.owner {
                return Err(TxnFailure(errors::access_denied()));
            }
            if !txn.scan(&versions_prefix(&bucket), None, 1, false)?.is_empty() {
                return Err(TxnFailure(errors::bucket_not_empty()));
            }
            txn.delete(versioning_key(&bucket));
            txn.delete(global_key);
            if let Some(owner) = AccountId::parse(&record.owner) {
                txn.delete(owned_bucket_key(&owner, &bucket));
                let count_key = bucket_count_key(&owner);
                let owned: u64 = txn.get_json(&count_key)?.unwrap_or(0);
                txn.put_json(count_key, &owned.saturating_sub(1));
            }
            remove_all_in(txn, &bucket)?;
            Ok(crate::multipart::forget_bucket_uploads(txn, &bucket)?)
        })
        .await
        .map_err(|failure| failure.0)?;
    s3.blobs.remove_files(&unused_files);
    Ok(S3Response::new(DeleteBucketOutput {}))
}
