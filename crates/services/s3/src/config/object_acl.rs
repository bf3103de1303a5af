//! PutObjectAcl and GetObjectAcl: the ACL of one object version, kept in
//! its record. The bucket's ownership controls and public access block
//! apply as for bucket ACLs.

use super::acl::{AclInput, AclOwners, StoredGrant, acl_of_stored, requested_acl, stored_grants};
use super::bucket_acl::account_canonical_id;
use crate::CloudboxS3;
use crate::caller::canonical_user_id;
use crate::state::{BucketRecord, ObjectRecord};
use cloudbox_core::Caller;
use s3s::dto::*;
use s3s::{S3Request, S3Response, S3Result};

pub async fn put(s3: &CloudboxS3, req: S3Request<PutObjectAclInput>) -> S3Result<S3Response<PutObjectAclOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    let bucket = s3.accessible_bucket(
        &caller,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:PutObjectAcl",
        Some(&input.key),
    )?;
    let record = s3.addressed_version(&input.bucket, &input.key, input.version_id.as_deref())?;
    let owner_id = object_owner_id(s3, &bucket, &record)?;
    let bucket_owner_id = bucket.owner_canonical_id();
    let owners = AclOwners { owner_id: &owner_id, bucket_owner_id: &bucket_owner_id, for_object: true };
    let acl_input = AclInput {
        canned: input.acl.map(|a| a.as_str().to_string()),
        grant_full_control: input.grant_full_control,
        grant_read: input.grant_read,
        grant_read_acp: input.grant_read_acp,
        grant_write: input.grant_write,
        grant_write_acp: input.grant_write_acp,
        policy: input.access_control_policy,
    };
    let acl = requested_acl(acl_input, &owners)?;
    let allowed_owner = super::bucket_acl::requester_id_while_acls_disabled(s3, &caller, &bucket, owner_id.clone())?;
    s3.check_acl_allowed(&bucket, &acl, &allowed_owner)?;
    let grants = stored_grants(&acl);
    let version_id = Some(record.version_id.as_str());
    s3.change_version(&input.bucket, &input.key, version_id, move |r| r.acl = grants).await?;
    Ok(S3Response::new(PutObjectAclOutput { request_charged: None }))
}

pub fn get(s3: &CloudboxS3, req: S3Request<GetObjectAclInput>) -> S3Result<S3Response<GetObjectAclOutput>> {
    let caller = s3.caller_of(&req)?;
    let input = req.input;
    let bucket = s3.accessible_bucket(
        &caller,
        &input.bucket,
        input.expected_bucket_owner.as_deref(),
        "s3:GetObjectAcl",
        Some(&input.key),
    )?;
    let record = s3.addressed_version(&input.bucket, &input.key, input.version_id.as_deref())?;
    let acl = acl_of_stored(&object_owner_id(s3, &bucket, &record)?, &record.acl);
    Ok(S3Response::new(GetObjectAclOutput { grants: acl.grants, owner: acl.owner, request_charged: None }))
}

/// Who owns an object version: the bucket owner while ACLs are disabled
/// (BucketOwnerEnforced), else the account that wrote it.
fn object_owner_id(s3: &CloudboxS3, bucket: &BucketRecord, record: &ObjectRecord) -> S3Result<String> {
    if s3.acls_disabled(&bucket.name)? {
        return Ok(bucket.owner_canonical_id());
    }
    Ok(account_canonical_id(&record.owner))
}

/// The grants a new object gets from the ACL its write request asks for
/// (PutObject, CopyObject, CreateMultipartUpload: a canned ACL or
/// `x-amz-grant-*` headers), checked as PutObjectAcl checks them (ownership
/// controls, public access block); none when it asks for none (the
/// writer's full control is implied).
pub(crate) fn requested_object_grants(
    s3: &CloudboxS3,
    bucket: &BucketRecord,
    writer: &Caller,
    asked: AclInput,
) -> S3Result<Vec<StoredGrant>> {
    if asked.is_empty() {
        return Ok(Vec::new());
    }
    let acls_disabled = s3.acls_disabled(&bucket.name)?;
    if acls_disabled && asked.canned.as_deref() == Some(ObjectCannedACL::BUCKET_OWNER_FULL_CONTROL) {
        // What BucketOwnerEnforced does anyway: the object is the bucket owner's.
        return Ok(Vec::new());
    }
    let owner_id = canonical_user_id(&writer.account);
    let bucket_owner_id = bucket.owner_canonical_id();
    let owners = AclOwners { owner_id: &owner_id, bucket_owner_id: &bucket_owner_id, for_object: true };
    let acl = requested_acl(asked, &owners)?;
    // With ACLs disabled only an ACL that gives the bucket owner alone full control is accepted.
    s3.check_acl_allowed(bucket, &acl, if acls_disabled { &bucket_owner_id } else { &owner_id })?;
    Ok(stored_grants(&acl))
}
