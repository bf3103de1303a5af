//! DeleteBucket: removes an empty bucket the caller owns.

use crate::CloudboxS3;
use crate::errors::{self, TxnFailure};
use crate::state::{BucketRecord, bucket_key, objects_prefix, owned_bucket_key};
use s3s::dto::{DeleteBucketInput, DeleteBucketOutput};
use s3s::{S3Request, S3Response, S3Result};

pub async fn delete_bucket(
    s3: &CloudboxS3,
    req: S3Request<DeleteBucketInput>,
) -> S3Result<S3Response<DeleteBucketOutput>> {
    let caller = s3.caller_of(&req)?;
    let bucket = req.input.bucket;
    let expected_owner = req.input.expected_bucket_owner;
    s3.store
        .transact(move |txn| {
            let global_key = bucket_key(&bucket);
            let record: BucketRecord =
                txn.get_json(&global_key)?.ok_or_else(|| TxnFailure(errors::no_such_bucket()))?;
            let owned = record.owner == caller.account.as_str();
            if !owned || expected_owner.is_some_and(|owner| owner != record.owner) {
                return Err(TxnFailure(errors::access_denied()));
            }
            if !txn.scan(&objects_prefix(&bucket), None, 1, false)?.is_empty() {
                return Err(TxnFailure(errors::bucket_not_empty()));
            }
            txn.delete(global_key);
            txn.delete(owned_bucket_key(&caller.account, &bucket));
            Ok(())
        })
        .await
        .map_err(|failure| failure.0)?;
    Ok(S3Response::new(DeleteBucketOutput {}))
}
