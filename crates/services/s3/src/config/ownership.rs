//! PutBucketOwnershipControls, GetBucketOwnershipControls,
//! DeleteBucketOwnershipControls. New buckets get BucketOwnerEnforced
//! (ACLs disabled) unless CreateBucket names another setting; a bucket
//! whose ACL grants anyone but its owner cannot be switched to it. With
//! BucketOwnerEnforced, and with BucketOwnerPreferred for writes that give
//! the bucket owner full control, new objects belong to the bucket owner
//! ([`CloudboxS3::new_object_owner`]).

use super::acl::{is_owner_only, private_acl};
use super::bucket_acl::ACL;
use super::errors::{invalid_bucket_acl_with_object_ownership, malformed_xml, ownership_controls_not_found};
use crate::CloudboxS3;
use crate::state::BucketRecord;
use cloudbox_core::Caller;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`OwnershipControls`] of a bucket.
pub const OWNERSHIP: &str = "ownership";
const SETTINGS: &[&str] =
    &[ObjectOwnership::BUCKET_OWNER_ENFORCED, ObjectOwnership::BUCKET_OWNER_PREFERRED, ObjectOwnership::OBJECT_WRITER];

pub async fn put(
    s3: &CloudboxS3,
    req: S3Request<PutBucketOwnershipControlsInput>,
) -> S3Result<S3Response<PutBucketOwnershipControlsOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutBucketOwnershipControls",
    )?;
    let controls = req.input.ownership_controls;
    check_setting(&controls)?;
    let enforced = controls.rules.iter().any(|r| r.object_ownership.as_str() == ObjectOwnership::BUCKET_OWNER_ENFORCED);
    if enforced {
        let owner_id = bucket.owner_canonical_id();
        let acl = s3.stored_config(&bucket.name, ACL)?.unwrap_or_else(|| private_acl(&owner_id));
        if !is_owner_only(&acl, &owner_id) {
            return Err(invalid_bucket_acl_with_object_ownership());
        }
    }
    s3.store_config(&bucket, OWNERSHIP, controls).await?;
    Ok(S3Response::new(PutBucketOwnershipControlsOutput {}))
}

pub fn get(
    s3: &CloudboxS3,
    req: S3Request<GetBucketOwnershipControlsInput>,
) -> S3Result<S3Response<GetBucketOwnershipControlsOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:GetBucketOwnershipControls",
    )?;
    let controls = s3.required_config(&bucket.name, OWNERSHIP, ownership_controls_not_found)?;
    Ok(S3Response::new(GetBucketOwnershipControlsOutput { ownership_controls: Some(controls) }))
}

pub async fn delete(
    s3: &CloudboxS3,
    req: S3Request<DeleteBucketOwnershipControlsInput>,
) -> S3Result<S3Response<DeleteBucketOwnershipControlsOutput>> {
    let bucket = s3.bucket_for(
        &req,
        &req.input.bucket,
        req.input.expected_bucket_owner.as_deref(),
        "s3:PutBucketOwnershipControls",
    )?;
    s3.remove_config(&bucket, OWNERSHIP).await?;
    Ok(S3Response::new(DeleteBucketOwnershipControlsOutput {}))
}

/// Exactly one rule, naming one of S3's three settings.
pub fn check_setting(controls: &OwnershipControls) -> S3Result<()> {
    match controls.rules.as_slice() {
        [rule] if SETTINGS.contains(&rule.object_ownership.as_str()) => Ok(()),
        _ => Err(malformed_xml()),
    }
}

/// Ownership controls holding one setting.
pub fn controls_of(setting: ObjectOwnership) -> OwnershipControls {
    OwnershipControls { rules: vec![OwnershipControlsRule { object_ownership: setting }] }
}

impl CloudboxS3 {
    /// The bucket's ObjectOwnership setting; `None` when its controls were
    /// deleted (then ACLs work as with ObjectWriter).
    pub fn object_ownership(&self, bucket: &str) -> S3Result<Option<ObjectOwnership>> {
        let controls: Option<OwnershipControls> = self.stored_config(bucket, OWNERSHIP)?;
        Ok(controls.and_then(|c| c.rules.into_iter().next()).map(|r| r.object_ownership))
    }

    /// The account that owns an object `writer` writes with the canned
    /// ACL `canned`: the bucket owner under BucketOwnerEnforced, and under
    /// BucketOwnerPreferred when the write gives it full control
    /// (`bucket-owner-full-control`); the writer otherwise.
    pub fn new_object_owner(&self, bucket: &BucketRecord, writer: &Caller, canned: Option<&str>) -> S3Result<String> {
        let to_bucket_owner = match self.object_ownership(&bucket.name)? {
            Some(o) if o.as_str() == ObjectOwnership::BUCKET_OWNER_ENFORCED => true,
            Some(o) if o.as_str() == ObjectOwnership::BUCKET_OWNER_PREFERRED => {
                canned == Some(ObjectCannedACL::BUCKET_OWNER_FULL_CONTROL)
            }
            _ => false,
        };
        Ok(if to_bucket_owner { bucket.owner.clone() } else { writer.account.to_string() })
    }

    /// Whether ACLs are disabled on the bucket (BucketOwnerEnforced).
    pub fn acls_disabled(&self, bucket: &str) -> S3Result<bool> {
        Ok(self.object_ownership(bucket)?.is_some_and(|o| o.as_str() == ObjectOwnership::BUCKET_OWNER_ENFORCED))
    }
}
