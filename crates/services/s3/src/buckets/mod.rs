//! Buckets: create, inspect, list and delete. This is where [`CloudboxS3`]
//! implements s3s's [`S3`] trait; each operation lives in its own module.

mod create;
mod delete;
mod list;
mod names;
mod read;

use crate::CloudboxS3;
use crate::errors;
use crate::state::{BucketRecord, bucket_key};
use cloudbox_core::Caller;
use s3s::dto::*;
use s3s::{S3, S3Request, S3Response, S3Result};
use std::time::{Duration, SystemTime};

#[async_trait::async_trait]
impl S3 for CloudboxS3 {
    async fn create_bucket(&self, req: S3Request<CreateBucketInput>) -> S3Result<S3Response<CreateBucketOutput>> {
        create::create_bucket(self, req).await
    }

    async fn head_bucket(&self, req: S3Request<HeadBucketInput>) -> S3Result<S3Response<HeadBucketOutput>> {
        read::head_bucket(self, req)
    }

    async fn get_bucket_location(
        &self,
        req: S3Request<GetBucketLocationInput>,
    ) -> S3Result<S3Response<GetBucketLocationOutput>> {
        read::get_bucket_location(self, req)
    }

    async fn list_buckets(&self, req: S3Request<ListBucketsInput>) -> S3Result<S3Response<ListBucketsOutput>> {
        list::list_buckets(self, req)
    }

    async fn delete_bucket(&self, req: S3Request<DeleteBucketInput>) -> S3Result<S3Response<DeleteBucketOutput>> {
        delete::delete_bucket(self, req).await
    }
}

impl CloudboxS3 {
    /// A bucket the caller may act on: it exists, the caller's account owns
    /// it, and it belongs to `expected_owner` when the request names one.
    fn accessible_bucket(&self, caller: &Caller, bucket: &str, expected_owner: Option<&str>) -> S3Result<BucketRecord> {
        let record: BucketRecord = self
            .store
            .get_json(&bucket_key(bucket))
            .map_err(errors::store_failure)?
            .ok_or_else(errors::no_such_bucket)?;
        let owned = record.owner == caller.account.as_str();
        let expected = expected_owner.is_none_or(|owner| owner == record.owner);
        if owned && expected { Ok(record) } else { Err(errors::access_denied()) }
    }
}

/// A bucket's creation time as s3s carries timestamps.
fn creation_date(record: &BucketRecord) -> Timestamp {
    let millis = u64::try_from(record.creation_date_ms).unwrap_or(0);
    Timestamp::from(SystemTime::UNIX_EPOCH + Duration::from_millis(millis))
}
