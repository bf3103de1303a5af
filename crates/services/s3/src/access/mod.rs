//! Who may do what to a bucket and its objects: the one place S3 requests
//! are authorized.
//!
//! Every bucket and object operation asks [`authorize`] before it acts.
//! Today the decision combines:
//!
//! 1. the bucket policy's explicit `Deny` statements that match the
//!    request's principal, action and resource: they refuse the request,
//!    even for the bucket owner (as on AWS);
//! 2. the owner rule: principals of the account that owns the bucket may
//!    do everything (identity policies are not enforced yet), except read
//!    or change through its ACL an object another account wrote;
//! 3. the bucket policy's `Allow` statements: they let principals of other
//!    accounts in (unless the policy is public and the public access block
//!    sets RestrictPublicBuckets);
//! 4. the ACL (unless the bucket's ObjectOwnership is BucketOwnerEnforced):
//!    its grants let other accounts, or everyone, in for the actions S3
//!    maps ACL permissions to (public grants are ignored under the public
//!    access block's IgnorePublicAcls).
//!
//! The owner account's root user may always get, put and delete the bucket
//! policy, as on AWS.
//!
//! Unsigned requests come from the anonymous principal
//! ([`crate::caller::anonymous`]): it belongs to no account, so only policy
//! statements for `*` and ACL grants to everyone (AllUsers) let it in.
//!
//! IAM enforcement plugs in here: it adds the caller's identity policies to
//! [`AccessRequest`] and replaces step 2 with their evaluation, keeping the
//! rule that an explicit deny anywhere wins.

mod acl_grants;
mod conditions;
mod policy;

pub use acl_grants::acl_allows;
pub use conditions::RequestContext;
pub use policy::{BucketPolicy, wildcard_match};

use crate::caller::is_anonymous;
use crate::state::BucketRecord;
use cloudbox_core::Caller;
use s3s::dto::AccessControlPolicy;

/// One request to authorize.
pub struct AccessRequest<'a> {
    pub caller: &'a Caller,
    /// The IAM action, e.g. `s3:GetObject`.
    pub action: &'a str,
    pub bucket: &'a BucketRecord,
    /// The object key, for object-level actions.
    pub key: Option<&'a str>,
    /// The ACL that applies (the bucket's, or the object's for object
    /// actions), already left out when ACLs are disabled on the bucket and
    /// stripped of public grants when the public access block ignores them.
    pub acl: Option<&'a AccessControlPolicy>,
    /// The public access block's IgnorePublicAcls.
    pub ignore_public_acls: bool,
    /// The public access block's RestrictPublicBuckets, on a bucket whose
    /// policy is public: the policy lets no one outside the owner's
    /// account in.
    pub restrict_public_policy: bool,
    /// The object acted on through its ACL was written by another account
    /// (ACLs enabled): the bucket owner gets only what its ACL grants.
    pub foreign_object: bool,
    /// What policy conditions may test about the request.
    pub context: &'a RequestContext,
}

impl AccessRequest<'_> {
    /// The ARN of the resource acted on: the bucket or one object.
    pub fn resource_arn(&self) -> String {
        match self.key {
            Some(key) => format!("arn:aws:s3:::{}/{key}", self.bucket.name),
            None => format!("arn:aws:s3:::{}", self.bucket.name),
        }
    }
}

/// The outcome of [`authorize`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Refused by an explicit `Deny` statement.
    ExplicitDeny,
    /// Nothing allowed it.
    ImplicitDeny,
}

/// What the bucket owner's root user may always do, whatever the policy
/// says, so that a policy can never lock the owner out for good.
const POLICY_ACTIONS: &[&str] = &["s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy"];

/// Decide whether `request` may proceed, given the bucket's policy.
///
/// Object ACLs: object operations of other owners that want an object's
/// ACL considered pass it as [`AccessRequest::acl`] (see
/// [`crate::config::acl::acl_of_stored`]).
pub fn authorize(request: &AccessRequest<'_>, bucket_policy: Option<&BucketPolicy>) -> Decision {
    let owner_root = format!("arn:aws:iam::{}:root", request.bucket.owner);
    if request.caller.arn == owner_root && POLICY_ACTIONS.contains(&request.action) {
        return Decision::Allow;
    }
    let resource = request.resource_arn();
    if let Some(policy) = bucket_policy
        && policy.denies(request.caller, request.action, &resource, request.context)
    {
        return Decision::ExplicitDeny;
    }
    let of_owner_account = !is_anonymous(request.caller) && request.caller.account.as_str() == request.bucket.owner;
    if of_owner_account && !request.foreign_object {
        return Decision::Allow;
    }
    if !request.restrict_public_policy
        && bucket_policy.is_some_and(|policy| policy.allows(request.caller, request.action, &resource, request.context))
    {
        return Decision::Allow;
    }
    match request.acl {
        Some(acl) if acl_allows(acl, request.caller, request.action, request.ignore_public_acls) => Decision::Allow,
        _ => Decision::ImplicitDeny,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::caller::anonymous;
    use crate::config::acl::{AclInput, AclOwners, requested_acl};
    use cloudbox_core::AccountId;

    const OWNER: &str = "111122223333";

    fn bucket() -> BucketRecord {
        BucketRecord {
            name: "b".into(),
            region: "us-east-1".into(),
            location_constraint: None,
            owner: OWNER.into(),
            creation_date_ms: 0,
        }
    }

    fn canned(name: &str) -> AccessControlPolicy {
        let owner = crate::caller::canonical_user_id(&AccountId::parse(OWNER).unwrap());
        let owners = AclOwners { owner_id: &owner, bucket_owner_id: &owner, for_object: true };
        requested_acl(AclInput { canned: Some(name.into()), ..Default::default() }, &owners).unwrap()
    }

    fn decide(caller: &Caller, action: &str, acl: Option<&AccessControlPolicy>, policy: Option<&str>) -> Decision {
        decide_with(caller, action, acl, policy, false, false)
    }

    fn decide_with(
        caller: &Caller,
        action: &str,
        acl: Option<&AccessControlPolicy>,
        policy: Option<&str>,
        restrict_public_policy: bool,
        foreign_object: bool,
    ) -> Decision {
        let record = bucket();
        let context = RequestContext::default();
        let request = AccessRequest {
            caller,
            action,
            bucket: &record,
            key: Some("k"),
            acl,
            ignore_public_acls: false,
            restrict_public_policy,
            foreign_object,
            context: &context,
        };
        let policy = policy.map(|text| BucketPolicy::parse(text, "b").unwrap());
        authorize(&request, policy.as_ref())
    }

    const PUBLIC_READ_POLICY: &str = r#"{"Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject",
        "Resource":"arn:aws:s3:::b/*"}]}"#;

    #[test]
    fn anonymous_callers_get_only_what_everyone_gets() {
        let anonymous = anonymous();
        assert_eq!(decide(&anonymous, "s3:GetObject", None, None), Decision::ImplicitDeny);
        assert_eq!(decide(&anonymous, "s3:GetObject", Some(&canned("public-read")), None), Decision::Allow);
        assert_eq!(
            decide(&anonymous, "s3:GetObject", Some(&canned("authenticated-read")), None),
            Decision::ImplicitDeny
        );
        assert_eq!(decide(&anonymous, "s3:GetObject", None, Some(PUBLIC_READ_POLICY)), Decision::Allow);
        assert_eq!(decide(&anonymous, "s3:PutObject", None, Some(PUBLIC_READ_POLICY)), Decision::ImplicitDeny);
    }

    #[test]
    fn restrict_public_buckets_keeps_public_policies_to_the_owner() {
        let stranger = Caller::root(AccountId::parse("999988887777").unwrap(), "k");
        let owner = Caller::root(AccountId::parse(OWNER).unwrap(), "k");
        let restricted =
            |caller: &Caller| decide_with(caller, "s3:GetObject", None, Some(PUBLIC_READ_POLICY), true, false);
        assert_eq!(restricted(&stranger), Decision::ImplicitDeny);
        assert_eq!(restricted(&anonymous()), Decision::ImplicitDeny);
        assert_eq!(restricted(&owner), Decision::Allow);
    }

    #[test]
    fn the_bucket_owner_reads_other_accounts_objects_through_their_acl() {
        let owner = Caller::root(AccountId::parse(OWNER).unwrap(), "k");
        let private_to_writer = canned("private");
        let writer_only = AccessControlPolicy { grants: Some(vec![]), ..private_to_writer };
        assert_eq!(decide_with(&owner, "s3:GetObject", Some(&writer_only), None, false, true), Decision::ImplicitDeny);
        let shared = canned("public-read");
        assert_eq!(decide_with(&owner, "s3:GetObject", Some(&shared), None, false, true), Decision::Allow);
        assert_eq!(decide_with(&owner, "s3:DeleteObject", None, None, false, false), Decision::Allow);
    }
}
