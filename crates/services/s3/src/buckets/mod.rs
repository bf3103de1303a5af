//! Buckets: create, inspect, list and delete. This is where [`CloudboxS3`]
//! implements s3s's [`S3`] trait; each operation lives in its own module.

mod create;
mod delete;
mod list;
mod names;
pub mod quota;
mod read;
pub mod settings;

use crate::CloudboxS3;
use crate::access::{AccessRequest, Decision, RequestContext, authorize};
use crate::caller::RequestCaller;
use crate::config;
use crate::errors;
use crate::objects::NewestVersion;
use crate::state::BucketRecord;
use crate::{listing, objects};
use s3s::dto::*;
use s3s::{S3, S3Request, S3Response, S3Result};
use std::borrow::Cow;
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

    async fn put_object(&self, req: S3Request<PutObjectInput>) -> S3Result<S3Response<PutObjectOutput>> {
        objects::put::put_object(self, req).await
    }

    async fn get_object(&self, req: S3Request<GetObjectInput>) -> S3Result<S3Response<GetObjectOutput>> {
        objects::get::get_object(self, req).await
    }

    async fn head_object(&self, req: S3Request<HeadObjectInput>) -> S3Result<S3Response<HeadObjectOutput>> {
        objects::get::head_object(self, req).await
    }

    async fn delete_object(&self, req: S3Request<DeleteObjectInput>) -> S3Result<S3Response<DeleteObjectOutput>> {
        objects::delete::delete_object(self, req).await
    }

    async fn delete_objects(&self, req: S3Request<DeleteObjectsInput>) -> S3Result<S3Response<DeleteObjectsOutput>> {
        objects::delete::delete_objects(self, req).await
    }

    async fn copy_object(&self, req: S3Request<CopyObjectInput>) -> S3Result<S3Response<CopyObjectOutput>> {
        objects::copy::copy_object(self, req).await
    }

    async fn get_object_attributes(
        &self,
        req: S3Request<GetObjectAttributesInput>,
    ) -> S3Result<S3Response<GetObjectAttributesOutput>> {
        objects::attributes::get_object_attributes(self, req).await
    }

    async fn put_bucket_versioning(
        &self,
        req: S3Request<PutBucketVersioningInput>,
    ) -> S3Result<S3Response<PutBucketVersioningOutput>> {
        objects::versioning::put_bucket_versioning(self, req).await
    }

    async fn get_bucket_versioning(
        &self,
        req: S3Request<GetBucketVersioningInput>,
    ) -> S3Result<S3Response<GetBucketVersioningOutput>> {
        objects::versioning::get_bucket_versioning(self, req).await
    }

    async fn list_objects(&self, req: S3Request<ListObjectsInput>) -> S3Result<S3Response<ListObjectsOutput>> {
        listing::objects::list_objects(self, req).await
    }

    async fn list_objects_v2(&self, req: S3Request<ListObjectsV2Input>) -> S3Result<S3Response<ListObjectsV2Output>> {
        listing::objects::list_objects_v2(self, req).await
    }

    async fn list_object_versions(
        &self,
        req: S3Request<ListObjectVersionsInput>,
    ) -> S3Result<S3Response<ListObjectVersionsOutput>> {
        listing::versions::list_object_versions(self, req).await
    }

    async fn put_bucket_tagging(
        &self,
        req: S3Request<PutBucketTaggingInput>,
    ) -> S3Result<S3Response<PutBucketTaggingOutput>> {
        config::bucket_tagging::put(self, req).await
    }

    async fn get_bucket_tagging(
        &self,
        req: S3Request<GetBucketTaggingInput>,
    ) -> S3Result<S3Response<GetBucketTaggingOutput>> {
        config::bucket_tagging::get(self, req)
    }

    async fn delete_bucket_tagging(
        &self,
        req: S3Request<DeleteBucketTaggingInput>,
    ) -> S3Result<S3Response<DeleteBucketTaggingOutput>> {
        config::bucket_tagging::delete(self, req).await
    }

    async fn put_bucket_cors(&self, req: S3Request<PutBucketCorsInput>) -> S3Result<S3Response<PutBucketCorsOutput>> {
        config::cors::put(self, req).await
    }

    async fn get_bucket_cors(&self, req: S3Request<GetBucketCorsInput>) -> S3Result<S3Response<GetBucketCorsOutput>> {
        config::cors::get(self, req)
    }

    async fn delete_bucket_cors(
        &self,
        req: S3Request<DeleteBucketCorsInput>,
    ) -> S3Result<S3Response<DeleteBucketCorsOutput>> {
        config::cors::delete(self, req).await
    }

    async fn put_bucket_website(
        &self,
        req: S3Request<PutBucketWebsiteInput>,
    ) -> S3Result<S3Response<PutBucketWebsiteOutput>> {
        config::website::put(self, req).await
    }

    async fn get_bucket_website(
        &self,
        req: S3Request<GetBucketWebsiteInput>,
    ) -> S3Result<S3Response<GetBucketWebsiteOutput>> {
        config::website::get(self, req)
    }

    async fn delete_bucket_website(
        &self,
        req: S3Request<DeleteBucketWebsiteInput>,
    ) -> S3Result<S3Response<DeleteBucketWebsiteOutput>> {
        config::website::delete(self, req).await
    }

    async fn put_bucket_logging(
        &self,
        req: S3Request<PutBucketLoggingInput>,
    ) -> S3Result<S3Response<PutBucketLoggingOutput>> {
        config::logging::put(self, req).await
    }

    async fn get_bucket_logging(
        &self,
        req: S3Request<GetBucketLoggingInput>,
    ) -> S3Result<S3Response<GetBucketLoggingOutput>> {
        config::logging::get(self, req)
    }

    async fn put_bucket_encryption(
        &self,
        req: S3Request<PutBucketEncryptionInput>,
    ) -> S3Result<S3Response<PutBucketEncryptionOutput>> {
        config::encryption::put(self, req).await
    }

    async fn get_bucket_encryption(
        &self,
        req: S3Request<GetBucketEncryptionInput>,
    ) -> S3Result<S3Response<GetBucketEncryptionOutput>> {
        config::encryption::get(self, req)
    }

    async fn delete_bucket_encryption(
        &self,
        req: S3Request<DeleteBucketEncryptionInput>,
    ) -> S3Result<S3Response<DeleteBucketEncryptionOutput>> {
        config::encryption::delete(self, req).await
    }

    async fn put_bucket_lifecycle_configuration(
        &self,
        req: S3Request<PutBucketLifecycleConfigurationInput>,
    ) -> S3Result<S3Response<PutBucketLifecycleConfigurationOutput>> {
        config::lifecycle::put(self, req).await
    }

    async fn get_bucket_lifecycle_configuration(
        &self,
        req: S3Request<GetBucketLifecycleConfigurationInput>,
    ) -> S3Result<S3Response<GetBucketLifecycleConfigurationOutput>> {
        config::lifecycle::get(self, req)
    }

    async fn delete_bucket_lifecycle(
        &self,
        req: S3Request<DeleteBucketLifecycleInput>,
    ) -> S3Result<S3Response<DeleteBucketLifecycleOutput>> {
        config::lifecycle::delete(self, req).await
    }

    async fn put_bucket_acl(&self, req: S3Request<PutBucketAclInput>) -> S3Result<S3Response<PutBucketAclOutput>> {
        config::bucket_acl::put(self, req).await
    }

    async fn get_bucket_acl(&self, req: S3Request<GetBucketAclInput>) -> S3Result<S3Response<GetBucketAclOutput>> {
        config::bucket_acl::get(self, req)
    }

    async fn put_bucket_ownership_controls(
        &self,
        req: S3Request<PutBucketOwnershipControlsInput>,
    ) -> S3Result<S3Response<PutBucketOwnershipControlsOutput>> {
        config::ownership::put(self, req).await
    }

    async fn get_bucket_ownership_controls(
        &self,
        req: S3Request<GetBucketOwnershipControlsInput>,
    ) -> S3Result<S3Response<GetBucketOwnershipControlsOutput>> {
        config::ownership::get(self, req)
    }

    async fn delete_bucket_ownership_controls(
        &self,
        req: S3Request<DeleteBucketOwnershipControlsInput>,
    ) -> S3Result<S3Response<DeleteBucketOwnershipControlsOutput>> {
        config::ownership::delete(self, req).await
    }

    async fn put_public_access_block(
        &self,
        req: S3Request<PutPublicAccessBlockInput>,
    ) -> S3Result<S3Response<PutPublicAccessBlockOutput>> {
        config::public_access_block::put(self, req).await
    }

    async fn get_public_access_block(
        &self,
        req: S3Request<GetPublicAccessBlockInput>,
    ) -> S3Result<S3Response<GetPublicAccessBlockOutput>> {
        config::public_access_block::get(self, req)
    }

    async fn delete_public_access_block(
        &self,
        req: S3Request<DeletePublicAccessBlockInput>,
    ) -> S3Result<S3Response<DeletePublicAccessBlockOutput>> {
        config::public_access_block::delete(self, req).await
    }

    async fn put_bucket_policy(
        &self,
        req: S3Request<PutBucketPolicyInput>,
    ) -> S3Result<S3Response<PutBucketPolicyOutput>> {
        config::policy::put(self, req).await
    }

    async fn get_bucket_policy(
        &self,
        req: S3Request<GetBucketPolicyInput>,
    ) -> S3Result<S3Response<GetBucketPolicyOutput>> {
        config::policy::get(self, req)
    }

    async fn delete_bucket_policy(
        &self,
        req: S3Request<DeleteBucketPolicyInput>,
    ) -> S3Result<S3Response<DeleteBucketPolicyOutput>> {
        config::policy::delete(self, req).await
    }

    async fn get_bucket_policy_status(
        &self,
        req: S3Request<GetBucketPolicyStatusInput>,
    ) -> S3Result<S3Response<GetBucketPolicyStatusOutput>> {
        config::policy::status(self, req)
    }

    async fn put_object_lock_configuration(
        &self,
        req: S3Request<PutObjectLockConfigurationInput>,
    ) -> S3Result<S3Response<PutObjectLockConfigurationOutput>> {
        config::object_lock::put(self, req).await
    }

    async fn get_object_lock_configuration(
        &self,
        req: S3Request<GetObjectLockConfigurationInput>,
    ) -> S3Result<S3Response<GetObjectLockConfigurationOutput>> {
        config::object_lock::get(self, req)
    }

    async fn put_bucket_request_payment(
        &self,
        req: S3Request<PutBucketRequestPaymentInput>,
    ) -> S3Result<S3Response<PutBucketRequestPaymentOutput>> {
        config::payment_accelerate::put_request_payment(self, req).await
    }

    async fn get_bucket_request_payment(
        &self,
        req: S3Request<GetBucketRequestPaymentInput>,
    ) -> S3Result<S3Response<GetBucketRequestPaymentOutput>> {
        config::payment_accelerate::get_request_payment(self, req)
    }

    async fn put_bucket_accelerate_configuration(
        &self,
        req: S3Request<PutBucketAccelerateConfigurationInput>,
    ) -> S3Result<S3Response<PutBucketAccelerateConfigurationOutput>> {
        config::payment_accelerate::put_accelerate(self, req).await
    }

    async fn get_bucket_accelerate_configuration(
        &self,
        req: S3Request<GetBucketAccelerateConfigurationInput>,
    ) -> S3Result<S3Response<GetBucketAccelerateConfigurationOutput>> {
        config::payment_accelerate::get_accelerate(self, req)
    }

    async fn put_bucket_notification_configuration(
        &self,
        req: S3Request<PutBucketNotificationConfigurationInput>,
    ) -> S3Result<S3Response<PutBucketNotificationConfigurationOutput>> {
        config::notification::put(self, req).await
    }

    async fn get_bucket_notification_configuration(
        &self,
        req: S3Request<GetBucketNotificationConfigurationInput>,
    ) -> S3Result<S3Response<GetBucketNotificationConfigurationOutput>> {
        config::notification::get(self, req)
    }

    async fn put_bucket_analytics_configuration(
        &self,
        req: S3Request<PutBucketAnalyticsConfigurationInput>,
    ) -> S3Result<S3Response<PutBucketAnalyticsConfigurationOutput>> {
        config::by_id::put_analytics(self, req).await
    }

    async fn get_bucket_analytics_configuration(
        &self,
        req: S3Request<GetBucketAnalyticsConfigurationInput>,
    ) -> S3Result<S3Response<GetBucketAnalyticsConfigurationOutput>> {
        config::by_id::get_analytics(self, req)
    }

    async fn delete_bucket_analytics_configuration(
        &self,
        req: S3Request<DeleteBucketAnalyticsConfigurationInput>,
    ) -> S3Result<S3Response<DeleteBucketAnalyticsConfigurationOutput>> {
        config::by_id::delete_analytics(self, req).await
    }

    async fn list_bucket_analytics_configurations(
        &self,
        req: S3Request<ListBucketAnalyticsConfigurationsInput>,
    ) -> S3Result<S3Response<ListBucketAnalyticsConfigurationsOutput>> {
        config::by_id::list_analytics(self, req)
    }

    async fn put_bucket_inventory_configuration(
        &self,
        req: S3Request<PutBucketInventoryConfigurationInput>,
    ) -> S3Result<S3Response<PutBucketInventoryConfigurationOutput>> {
        config::by_id::put_inventory(self, req).await
    }

    async fn get_bucket_inventory_configuration(
        &self,
        req: S3Request<GetBucketInventoryConfigurationInput>,
    ) -> S3Result<S3Response<GetBucketInventoryConfigurationOutput>> {
        config::by_id::get_inventory(self, req)
    }

    async fn delete_bucket_inventory_configuration(
        &self,
        req: S3Request<DeleteBucketInventoryConfigurationInput>,
    ) -> S3Result<S3Response<DeleteBucketInventoryConfigurationOutput>> {
        config::by_id::delete_inventory(self, req).await
    }

    async fn list_bucket_inventory_configurations(
        &self,
        req: S3Request<ListBucketInventoryConfigurationsInput>,
    ) -> S3Result<S3Response<ListBucketInventoryConfigurationsOutput>> {
        config::by_id::list_inventory(self, req)
    }

    async fn put_bucket_metrics_configuration(
        &self,
        req: S3Request<PutBucketMetricsConfigurationInput>,
    ) -> S3Result<S3Response<PutBucketMetricsConfigurationOutput>> {
        config::by_id::put_metrics(self, req).await
    }

    async fn get_bucket_metrics_configuration(
        &self,
        req: S3Request<GetBucketMetricsConfigurationInput>,
    ) -> S3Result<S3Response<GetBucketMetricsConfigurationOutput>> {
        config::by_id::get_metrics(self, req)
    }

    async fn delete_bucket_metrics_configuration(
        &self,
        req: S3Request<DeleteBucketMetricsConfigurationInput>,
    ) -> S3Result<S3Response<DeleteBucketMetricsConfigurationOutput>> {
        config::by_id::delete_metrics(self, req).await
    }

    async fn list_bucket_metrics_configurations(
        &self,
        req: S3Request<ListBucketMetricsConfigurationsInput>,
    ) -> S3Result<S3Response<ListBucketMetricsConfigurationsOutput>> {
        config::by_id::list_metrics(self, req)
    }

    async fn put_bucket_intelligent_tiering_configuration(
        &self,
        req: S3Request<PutBucketIntelligentTieringConfigurationInput>,
    ) -> S3Result<S3Response<PutBucketIntelligentTieringConfigurationOutput>> {
        config::by_id::put_intelligent_tiering(self, req).await
    }

    async fn get_bucket_intelligent_tiering_configuration(
        &self,
        req: S3Request<GetBucketIntelligentTieringConfigurationInput>,
    ) -> S3Result<S3Response<GetBucketIntelligentTieringConfigurationOutput>> {
        config::by_id::get_intelligent_tiering(self, req)
    }

    async fn delete_bucket_intelligent_tiering_configuration(
        &self,
        req: S3Request<DeleteBucketIntelligentTieringConfigurationInput>,
    ) -> S3Result<S3Response<DeleteBucketIntelligentTieringConfigurationOutput>> {
        config::by_id::delete_intelligent_tiering(self, req).await
    }

    async fn list_bucket_intelligent_tiering_configurations(
        &self,
        req: S3Request<ListBucketIntelligentTieringConfigurationsInput>,
    ) -> S3Result<S3Response<ListBucketIntelligentTieringConfigurationsOutput>> {
        config::by_id::list_intelligent_tiering(self, req)
    }

    async fn put_object_tagging(
        &self,
        req: S3Request<PutObjectTaggingInput>,
    ) -> S3Result<S3Response<PutObjectTaggingOutput>> {
        config::object_tagging::put(self, req).await
    }

    async fn get_object_tagging(
        &self,
        req: S3Request<GetObjectTaggingInput>,
    ) -> S3Result<S3Response<GetObjectTaggingOutput>> {
        config::object_tagging::get(self, req)
    }

    async fn delete_object_tagging(
        &self,
        req: S3Request<DeleteObjectTaggingInput>,
    ) -> S3Result<S3Response<DeleteObjectTaggingOutput>> {
        config::object_tagging::delete(self, req).await
    }

    async fn put_object_acl(&self, req: S3Request<PutObjectAclInput>) -> S3Result<S3Response<PutObjectAclOutput>> {
        config::object_acl::put(self, req).await
    }

    async fn get_object_acl(&self, req: S3Request<GetObjectAclInput>) -> S3Result<S3Response<GetObjectAclOutput>> {
        config::object_acl::get(self, req)
    }

    async fn create_multipart_upload(
        &self,
        req: S3Request<CreateMultipartUploadInput>,
    ) -> S3Result<S3Response<CreateMultipartUploadOutput>> {
        crate::multipart::create_multipart_upload(self, req).await
    }

    async fn upload_part(&self, req: S3Request<UploadPartInput>) -> S3Result<S3Response<UploadPartOutput>> {
        crate::multipart::upload_part(self, req).await
    }

    async fn upload_part_copy(
        &self,
        req: S3Request<UploadPartCopyInput>,
    ) -> S3Result<S3Response<UploadPartCopyOutput>> {
        crate::multipart::upload_part_copy(self, req).await
    }

    async fn list_parts(&self, req: S3Request<ListPartsInput>) -> S3Result<S3Response<ListPartsOutput>> {
        crate::multipart::list_parts(self, req)
    }

    async fn list_multipart_uploads(
        &self,
        req: S3Request<ListMultipartUploadsInput>,
    ) -> S3Result<S3Response<ListMultipartUploadsOutput>> {
        crate::multipart::list_multipart_uploads(self, req)
    }

    async fn complete_multipart_upload(
        &self,
        req: S3Request<CompleteMultipartUploadInput>,
    ) -> S3Result<S3Response<CompleteMultipartUploadOutput>> {
        crate::multipart::complete_multipart_upload(self, req).await
    }

    async fn abort_multipart_upload(
        &self,
        req: S3Request<AbortMultipartUploadInput>,
    ) -> S3Result<S3Response<AbortMultipartUploadOutput>> {
        crate::multipart::abort_multipart_upload(self, req).await
    }

    async fn restore_object(&self, req: S3Request<RestoreObjectInput>) -> S3Result<S3Response<RestoreObjectOutput>> {
        crate::restore::restore_object(self, req).await
    }

    async fn put_object_retention(
        &self,
        req: S3Request<PutObjectRetentionInput>,
    ) -> S3Result<S3Response<PutObjectRetentionOutput>> {
        crate::lock::put_object_retention(self, req).await
    }

    async fn get_object_retention(
        &self,
        req: S3Request<GetObjectRetentionInput>,
    ) -> S3Result<S3Response<GetObjectRetentionOutput>> {
        crate::lock::get_object_retention(self, req)
    }

    async fn put_object_legal_hold(
        &self,
        req: S3Request<PutObjectLegalHoldInput>,
    ) -> S3Result<S3Response<PutObjectLegalHoldOutput>> {
        crate::lock::put_object_legal_hold(self, req).await
    }

    async fn get_object_legal_hold(
        &self,
        req: S3Request<GetObjectLegalHoldInput>,
    ) -> S3Result<S3Response<GetObjectLegalHoldOutput>> {
        crate::lock::get_object_legal_hold(self, req)
    }
}

/// What an access decision is asked about: `action` on the bucket, or on
/// one of its objects (whose newest version is read at most once), under
/// the bucket's policy.
#[derive(Clone, Copy)]
struct Asked<'a> {
    record: &'a BucketRecord,
    policy: Option<&'a crate::access::BucketPolicy>,
    action: &'a str,
    object: Option<&'a NewestVersion<'a>>,
}

impl Asked<'_> {
    fn key(&self) -> Option<&str> {
        self.object.map(|object| object.key())
    }
}

impl CloudboxS3 {
    /// The bucket a request acts on, once the caller is known and
    /// [`authorize`] lets it do `action` (an IAM action such as
    /// `s3:GetBucketTagging`) on the bucket.
    pub(crate) fn bucket_for<T>(
        &self,
        req: &S3Request<T>,
        bucket: &str,
        expected_owner: Option<&str>,
        action: &str,
    ) -> S3Result<BucketRecord> {
        let caller = self.caller_of(req)?;
        self.accessible_bucket(&caller, bucket, expected_owner, action, None)
    }

    /// A bucket the caller may act on: it exists, it belongs to
    /// `expected_owner` when the request names one, and [`authorize`]
    /// allows `action` (an IAM action such as `s3:GetObject`) on the
    /// bucket, or on object `key` in it.
    pub(crate) fn accessible_bucket(
        &self,
        caller: &RequestCaller,
        bucket: &str,
        expected_owner: Option<&str>,
        action: &str,
        key: Option<&str>,
    ) -> S3Result<BucketRecord> {
        let object = key.map(|key| NewestVersion::of(self, bucket, key));
        self.accessible_bucket_or(caller, bucket, expected_owner, action, object.as_ref(), || Ok(false))
    }

    /// [`Self::accessible_bucket`] for `action` on `object`, whose newest
    /// version the decision reads (if it needs it) for the operation to
    /// use too.
    pub(crate) fn accessible_object(
        &self,
        caller: &RequestCaller,
        expected_owner: Option<&str>,
        action: &str,
        object: &NewestVersion<'_>,
    ) -> S3Result<BucketRecord> {
        self.accessible_bucket_or(caller, object.bucket(), expected_owner, action, Some(object), || Ok(false))
    }

    /// Like [`Self::accessible_bucket`], but a caller that nothing allows
    /// (no explicit Deny) is also let in when `also_allowed` says so: for
    /// what S3 lets some callers do by default, such as the initiator of a
    /// multipart upload aborting it.
    pub(crate) fn accessible_bucket_or(
        &self,
        caller: &RequestCaller,
        bucket: &str,
        expected_owner: Option<&str>,
        action: &str,
        object: Option<&NewestVersion<'_>>,
        also_allowed: impl FnOnce() -> S3Result<bool>,
    ) -> S3Result<BucketRecord> {
        let record = self.bucket_record(bucket)?.ok_or_else(errors::no_such_bucket)?;
        if expected_owner.is_some_and(|owner| owner != record.owner) {
            return Err(errors::access_denied());
        }
        let policy = self.bucket_policy(bucket)?;
        let asked = Asked { record: &record, policy: policy.as_ref(), action, object };
        match self.decide(caller, &asked)? {
            Decision::Allow => Ok(record),
            Decision::ImplicitDeny if self.may_learn_object_is_missing(caller, &asked)? => Ok(record),
            Decision::ImplicitDeny if also_allowed()? => Ok(record),
            Decision::ExplicitDeny | Decision::ImplicitDeny => Err(errors::access_denied()),
        }
    }

    /// What [`authorize`] decides about `action` on the bucket or its object `key`.
    fn decide(&self, caller: &RequestCaller, asked: &Asked<'_>) -> S3Result<Decision> {
        let Asked { record, policy, action, object } = *asked;
        let key = asked.key();
        let foreign_object = self.owned_by_another_account(record, action, object)?;
        let acl = if caller.account.as_str() == record.owner && !foreign_object {
            None
        } else {
            self.effective_acl(record, action, object)?
        };
        let block = self.public_access_block(&record.name)?;
        let ignore_public_acls = acl.is_some() && block.as_ref().and_then(|b| b.ignore_public_acls).unwrap_or(false);
        let restrict_public_policy = block.as_ref().and_then(|b| b.restrict_public_buckets).unwrap_or(false)
            && policy.is_some_and(|p| p.is_public());
        let context = self.context_with_object_tags(caller, object, policy)?;
        let request = AccessRequest {
            caller,
            action,
            bucket: record,
            key,
            acl: acl.as_ref(),
            ignore_public_acls,
            restrict_public_policy,
            foreign_object,
            context: &context,
        };
        Ok(authorize(&request, policy))
    }

    /// A read of an object that does not exist answers 404 to callers who
    /// may list the bucket (they could learn it anyway) and 403 to others,
    /// as S3 answers.
    fn may_learn_object_is_missing(&self, caller: &RequestCaller, asked: &Asked<'_>) -> S3Result<bool> {
        let Some(object) = asked.object.filter(|_| asked.action == "s3:GetObject") else {
            return Ok(false);
        };
        if object.current().map_err(errors::store_failure)?.is_some() {
            return Ok(false);
        }
        let key = object.key();
        // The listing that would reveal the key is the one of its own name.
        let mut lister = caller.clone();
        lister.context.insert("s3:prefix", key.to_string());
        let listing = Asked { action: "s3:ListBucket", object: None, ..*asked };
        Ok(self.decide(&lister, &listing)? == Decision::Allow)
    }
}

impl CloudboxS3 {
    /// The request's condition keys, with the tags of the object acted on
    /// when the bucket policy tests them (`s3:ExistingObjectTag/<key>`).
    fn context_with_object_tags<'c>(
        &self,
        caller: &'c RequestCaller,
        object: Option<&NewestVersion<'_>>,
        policy: Option<&crate::access::BucketPolicy>,
    ) -> S3Result<Cow<'c, RequestContext>> {
        let context = &caller.context;
        let (Some(object), Some(policy)) = (object, policy) else { return Ok(Cow::Borrowed(context)) };
        if !policy.reads_key_prefix("s3:ExistingObjectTag/") {
            return Ok(Cow::Borrowed(context));
        }
        let tags = object.current().map_err(errors::store_failure)?.map(|r| r.tags.as_slice()).unwrap_or_default();
        let tags = tags.iter().map(|(k, v)| (k.as_str(), v.as_str()));
        Ok(Cow::Owned(context.clone().with_existing_tags(tags)))
    }
}

impl BucketRecord {
    /// The canonical user id of the bucket's owner.
    pub fn owner_canonical_id(&self) -> String {
        config::bucket_acl::account_canonical_id(&self.owner)
    }
}

/// A bucket's creation time as s3s carries timestamps.
fn creation_date(record: &BucketRecord) -> Timestamp {
    let millis = u64::try_from(record.creation_date_ms).unwrap_or(0);
    Timestamp::from(SystemTime::UNIX_EPOCH + Duration::from_millis(millis))
}
