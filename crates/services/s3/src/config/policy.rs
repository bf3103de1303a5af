//! PutBucketPolicy, GetBucketPolicy, DeleteBucketPolicy and
//! GetBucketPolicyStatus. The policy text is validated by
//! [`BucketPolicy::parse`], kept exactly as sent, and evaluated by
//! [`crate::access::authorize`] (read through [`CloudboxS3::bucket_policy`]).

use super::errors::{malformed_policy, no_such_bucket_policy};
use super::stored::config_key;
use crate::CloudboxS3;
use crate::access::BucketPolicy;
use crate::errors::{self, TxnFailure};
use crate::state::{BucketRecord, bucket_key};
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};
use serde::{Deserialize, Serialize};

/// The stored policy text of a bucket.
pub const POLICY: &str = "policy";

#[derive(Serialize, Deserialize)]
struct StoredPolicy {
    text: String,
}

pub async fn put(s3: &CloudboxS3, req: S3Request<PutBucketPolicyInput>) -> S3Result<S3Response<PutBucketPolicyOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:PutBucketPolicy")?;
    let text = req.input.policy;
    let policy = BucketPolicy::parse(&text, &bucket.name).map_err(|e| malformed_policy(e.0))?;
    let blocked = s3.public_access_block(&bucket.name)?.and_then(|b| b.block_public_policy).unwrap_or(false);
    if blocked && policy.is_public() {
        return Err(errors::access_denied());
    }
    let stored = serde_json::to_vec(&StoredPolicy { text })
        .map_err(|e| errors::store_failure(cloudbox_store::StoreError::Corrupt(e.to_string())))?;
    write(s3, &bucket, Some(stored)).await?;
    Ok(S3Response::new(PutBucketPolicyOutput {}))
}

pub fn get(s3: &CloudboxS3, req: S3Request<GetBucketPolicyInput>) -> S3Result<S3Response<GetBucketPolicyOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:GetBucketPolicy")?;
    let text = s3.bucket_policy_text(&bucket.name)?.ok_or_else(no_such_bucket_policy)?;
    Ok(S3Response::new(GetBucketPolicyOutput { policy: Some(text) }))
}

pub async fn delete(
    s3: &CloudboxS3,
    req: S3Request<DeleteBucketPolicyInput>,
) -> S3Result<S3Response<DeleteBucketPolicyOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:DeleteBucketPolicy")?;
    write(s3, &bucket, None).await?;
    Ok(S3Response::new(DeleteBucketPolicyOutput {}))
}

pub fn status(
    s3: &CloudboxS3,
    req: S3Request<GetBucketPolicyStatusInput>,
) -> S3Result<S3Response<GetBucketPolicyStatusOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:GetBucketPolicyStatus")?;
    let policy = s3.bucket_policy(&bucket.name)?.ok_or_else(no_such_bucket_policy)?;
    Ok(S3Response::new(GetBucketPolicyStatusOutput {
        policy_status: Some(PolicyStatus { is_public: Some(policy.is_public()) }),
    }))
}

async fn write(s3: &CloudboxS3, bucket: &BucketRecord, stored: Option<Vec<u8>>) -> S3Result<()> {
    let name = bucket.name.clone();
    s3.store
        .transact(move |txn| {
            if txn.get(&bucket_key(&name))?.is_none() {
                return Err(TxnFailure(errors::no_such_bucket()));
            }
            match stored {
                Some(bytes) => txn.put(config_key(&name, POLICY), bytes),
                None => txn.delete(config_key(&name, POLICY)),
            }
            Ok(())
        })
        .await
        .map_err(|failure| failure.0)
}

impl CloudboxS3 {
    /// The bucket's policy exactly as it was put, if any.
    pub fn bucket_policy_text(&self, bucket: &str) -> S3Result<Option<String>> {
        let stored: Option<StoredPolicy> =
            self.store.get_json(&config_key(bucket, POLICY)).map_err(errors::store_failure)?;
        Ok(stored.map(|s| s.text))
    }

    /// The bucket's policy, parsed for evaluation, if any.
    pub fn bucket_policy(&self, bucket: &str) -> S3Result<Option<BucketPolicy>> {
        self.cached(&config_key(bucket, POLICY), || {
            let Some(text) = self.bucket_policy_text(bucket)? else { return Ok(None) };
            BucketPolicy::parse(&text, bucket)
                .map(Some)
                .map_err(|e| errors::store_failure(cloudbox_store::StoreError::Corrupt(e.0)))
        })
    }
}
