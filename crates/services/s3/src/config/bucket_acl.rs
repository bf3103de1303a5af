//! PutBucketAcl and GetBucketAcl. A bucket whose ObjectOwnership is
//! BucketOwnerEnforced (the default) accepts only ACLs that give its owner
//! full control and nobody else anything; public grants are refused while
//! the bucket's public access block sets BlockPublicAcls.

use super::acl::{AclInput, AclOwners, acl_of_stored, is_owner_only, is_public, private_acl, requested_acl};
use super::errors::access_control_list_not_supported;
use crate::CloudboxS3;
use crate::caller::canonical_user_id;
use crate::errors;
use crate::objects::NewestVersion;
use crate::state::BucketRecord;
use cloudbox_core::AccountId;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

/// The stored [`AccessControlPolicy`] of a bucket (none: private).
pub const ACL: &str = "acl";

pub async fn put(s3: &CloudboxS3, req: S3Request<PutBucketAclInput>) -> S3Result<S3Response<PutBucketAclOutput>> {
    let req_caller = s3.caller_of(&req)?;
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:PutBucketAcl")?;
    let input = req.input;
    let acl_input = AclInput {
        canned: input.acl.map(|a| a.as_str().to_string()),
        grant_full_control: input.grant_full_control,
        grant_read: input.grant_read,
        grant_read_acp: input.grant_read_acp,
        grant_write: input.grant_write,
        grant_write_acp: input.grant_write_acp,
        policy: input.access_control_policy,
    };
    let owner_id = bucket.owner_canonical_id();
    let owners = AclOwners { owner_id: &owner_id, bucket_owner_id: &owner_id, for_object: false };
    let acl = requested_acl(acl_input, &owners)?;
    s3.check_acl_allowed(&bucket, &acl, &requester_id_while_acls_disabled(s3, &req_caller, &bucket, owner_id)?)?;
    s3.store_config(&bucket, ACL, acl).await?;
    Ok(S3Response::new(PutBucketAclOutput {}))
}

pub fn get(s3: &CloudboxS3, req: S3Request<GetBucketAclInput>) -> S3Result<S3Response<GetBucketAclOutput>> {
    let bucket =
        s3.bucket_for(&req, &req.input.bucket, req.input.expected_bucket_owner.as_deref(), "s3:GetBucketAcl")?;
    let acl = s3.stored_config(&bucket.name, ACL)?.unwrap_or_else(|| private_acl(&bucket.owner_canonical_id()));
    Ok(S3Response::new(GetBucketAclOutput { grants: acl.grants, owner: acl.owner }))
}

/// Whose full control alone an ACL may grant: while ACLs are disabled
/// (BucketOwnerEnforced), the requester's, so that only the bucket owner's
/// own requests can set an ACL at all (and only one giving it full
/// control); otherwise the resource owner's, `owner_id`.
pub(crate) fn requester_id_while_acls_disabled(
    s3: &CloudboxS3,
    requester: &cloudbox_core::Caller,
    bucket: &BucketRecord,
    owner_id: String,
) -> S3Result<String> {
    if s3.acls_disabled(&bucket.name)? { Ok(canonical_user_id(&requester.account)) } else { Ok(owner_id) }
}

/// Actions an object's own ACL grants (the bucket's ACL grants the rest).
const OBJECT_ACL_ACTIONS: &[&str] =
    &["s3:GetObject", "s3:GetObjectVersion", "s3:GetObjectAcl", "s3:GetObjectVersionAcl", "s3:PutObjectAcl"];

/// The canonical user id of a 12-digit account id.
pub fn account_canonical_id(account: &str) -> String {
    AccountId::parse(account).map(|a| canonical_user_id(&a)).unwrap_or_default()
}

impl CloudboxS3 {
    /// The ACL that may grant `action`: the current version's of object
    /// `key` for reading an object or its ACL, else the bucket's; `None`
    /// while ACLs are disabled (BucketOwnerEnforced) or the object is absent.
    pub(crate) fn effective_acl(
        &self,
        bucket: &BucketRecord,
        action: &str,
        object: Option<&NewestVersion<'_>>,
    ) -> S3Result<Option<AccessControlPolicy>> {
        if self.acls_disabled(&bucket.name)? {
            return Ok(None);
        }
        if let Some(object) = object.filter(|_| OBJECT_ACL_ACTIONS.contains(&action)) {
            let record = object.current().map_err(errors::store_failure)?;
            return Ok(record.map(|r| acl_of_stored(&account_canonical_id(&r.owner), &r.acl)));
        }
        Ok(Some(self.stored_config(&bucket.name, ACL)?.unwrap_or_else(|| private_acl(&bucket.owner_canonical_id()))))
    }

    /// Whether `action` reads or changes, through its ACL, an object
    /// another account wrote while ACLs are enabled: then the object's ACL
    /// decides even for the bucket owner (who may still delete it).
    pub(crate) fn owned_by_another_account(
        &self,
        bucket: &BucketRecord,
        action: &str,
        object: Option<&NewestVersion<'_>>,
    ) -> S3Result<bool> {
        let Some(object) = object.filter(|_| OBJECT_ACL_ACTIONS.contains(&action)) else { return Ok(false) };
        let record = object.current().map_err(errors::store_failure)?;
        if record.is_none_or(|r| r.owner == bucket.owner) {
            return Ok(false);
        }
        Ok(!self.acls_disabled(&bucket.name)?)
    }

    /// Whether `bucket` lets `acl` be set on it or its objects: refused by
    /// BucketOwnerEnforced unless it is owner-only, and refused when public
    /// while BlockPublicAcls is on.
    pub(crate) fn check_acl_allowed(
        &self,
        bucket: &BucketRecord,
        acl: &AccessControlPolicy,
        owner_id: &str,
    ) -> S3Result<()> {
        if self.acls_disabled(&bucket.name)? && !is_owner_only(acl, owner_id) {
            return Err(access_control_list_not_supported());
        }
        let blocked = self.public_access_block(&bucket.name)?.and_then(|b| b.block_public_acls).unwrap_or(false);
        if blocked && is_public(acl) {
            return Err(errors::access_denied());
        }
        Ok(())
    }
}
