//! Whether an ACL grants a caller an action, by S3's mapping of ACL
//! permissions to policy actions.

use crate::caller::{canonical_user_id, is_anonymous};
use crate::config::acl::{ALL_USERS, AUTHENTICATED_USERS};
use cloudbox_core::Caller;
use s3s::dto::{AccessControlPolicy, Permission};

/// The ACL permission that grants `action`, if any does.
fn permission_for(action: &str) -> Option<&'static str> {
    Some(match action {
        "s3:ListBucket"
        | "s3:ListBucketVersions"
        | "s3:ListBucketMultipartUploads"
        | "s3:GetObject"
        | "s3:GetObjectVersion" => Permission::READ,
        "s3:PutObject" | "s3:DeleteObject" | "s3:DeleteObjectVersion" => Permission::WRITE,
        "s3:GetBucketAcl" | "s3:GetObjectAcl" | "s3:GetObjectVersionAcl" => Permission::READ_ACP,
        "s3:PutBucketAcl" | "s3:PutObjectAcl" | "s3:PutObjectVersionAcl" => Permission::WRITE_ACP,
        _ => return None,
    })
}

/// Whether `acl` grants `caller` the permission `action` needs (directly,
/// or through FULL_CONTROL). Grants to everyone and to authenticated users
/// count unless `ignore_public` (the public access block's IgnorePublicAcls);
/// the anonymous caller is only in the everyone group.
pub fn acl_allows(acl: &AccessControlPolicy, caller: &Caller, action: &str, ignore_public: bool) -> bool {
    let Some(needed) = permission_for(action) else { return false };
    let caller_id = canonical_user_id(&caller.account);
    let anonymous = is_anonymous(caller);
    acl.grants.iter().flatten().any(|grant| {
        let permitted =
            grant.permission.as_ref().is_some_and(|p| p.as_str() == needed || p.as_str() == Permission::FULL_CONTROL);
        let Some(grantee) = grant.grantee.as_ref().filter(|_| permitted) else { return false };
        match grantee.uri.as_deref() {
            Some(ALL_USERS) => !ignore_public,
            Some(AUTHENTICATED_USERS) => !ignore_public && !anonymous,
            Some(_) => false,
            None => !anonymous && grantee.id.as_deref() == Some(caller_id.as_str()),
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::acl::{AclInput, AclOwners, requested_acl};
    use cloudbox_core::AccountId;

    fn acl(canned: &str, extra_read: Option<String>) -> AccessControlPolicy {
        let input = AclInput { canned: Some(canned.into()), ..Default::default() };
        let input = match extra_read {
            Some(grant) => AclInput { grant_read: Some(grant), ..Default::default() },
            None => input,
        };
        let owner = "a".repeat(64);
        requested_acl(input, &AclOwners { owner_id: &owner, bucket_owner_id: &owner, for_object: false }).unwrap()
    }

    #[test]
    fn maps_permissions_to_actions() {
        let stranger = Caller::root(AccountId::parse("111122223333").unwrap(), "k");
        let public = acl("public-read", None);
        assert!(acl_allows(&public, &stranger, "s3:ListBucket", false));
        assert!(!acl_allows(&public, &stranger, "s3:ListBucket", true));
        assert!(!acl_allows(&public, &stranger, "s3:PutObject", false));
        assert!(acl_allows(&acl("public-read-write", None), &stranger, "s3:PutObject", false));
        assert!(!acl_allows(&acl("private", None), &stranger, "s3:ListBucket", false));
        let direct = acl("private", Some(format!("id={}", canonical_user_id(&stranger.account))));
        assert!(acl_allows(&direct, &stranger, "s3:GetObject", true));
        assert!(!acl_allows(&direct, &stranger, "s3:GetBucketTagging", false));
    }

    #[test]
    fn anonymous_callers_are_only_in_the_everyone_group() {
        let anonymous = crate::caller::anonymous();
        assert!(acl_allows(&acl("public-read", None), &anonymous, "s3:GetObject", false));
        assert!(!acl_allows(&acl("authenticated-read", None), &anonymous, "s3:GetObject", false));
        let direct = acl("private", Some(format!("id={}", canonical_user_id(&anonymous.account))));
        assert!(!acl_allows(&direct, &anonymous, "s3:GetObject", false));
    }
}
