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
//!    do everything (identity policies are not enforced yet);
//! 3. the bucket policy's `Allow` statements: they let principals of other
//!    accounts in.
//!
//! The owner account's root user may always get, put and delete the bucket
//! policy, as on AWS.
//!
//! IAM enforcement plugs in here: it adds the caller's identity policies to
//! [`AccessRequest`] and replaces step 2 with their evaluation, keeping the
//! rule that an explicit deny anywhere wins.

mod policy;

pub use policy::{BucketPolicy, wildcard_match};

use crate::state::BucketRecord;
use cloudbox_core::Caller;

/// One request to authorize.
pub struct AccessRequest<'a> {
    pub caller: &'a Caller,
    /// The IAM action, e.g. `s3:GetObject`.
    pub action: &'a str,
    pub bucket: &'a BucketRecord,
    /// The object key, for object-level actions.
    pub key: Option<&'a str>,
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
pub fn authorize(request: &AccessRequest<'_>, bucket_policy: Option<&BucketPolicy>) -> Decision {
    let owner_root = format!("arn:aws:iam::{}:root", request.bucket.owner);
    if request.caller.arn == owner_root && POLICY_ACTIONS.contains(&request.action) {
        return Decision::Allow;
    }
    let resource = request.resource_arn();
    if let Some(policy) = bucket_policy
        && policy.denies(request.caller, request.action, &resource)
    {
        return Decision::ExplicitDeny;
    }
    if request.caller.account.as_str() == request.bucket.owner {
        return Decision::Allow;
    }
    match bucket_policy {
        Some(policy) if policy.allows(request.caller, request.action, &resource) => Decision::Allow,
        _ => Decision::ImplicitDeny,
    }
}
