//! Access control lists: canned ACLs, `x-amz-grant-*` headers and
//! `AccessControlPolicy` documents turned into one validated list of
//! grants, for buckets (CreateBucket, PutBucketAcl) and objects
//! (PutObjectAcl, and the object writes that carry ACL headers).

use super::errors::{invalid_argument, invalid_request, malformed_acl};
use super::stored::custom_error;
use s3s::S3Result;
use s3s::dto::{AccessControlPolicy, Grant, Grantee, Owner, Permission, Type};
use serde::{Deserialize, Serialize};

pub const ALL_USERS: &str = "http://acs.amazonaws.com/groups/global/AllUsers";
pub const AUTHENTICATED_USERS: &str = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
pub const LOG_DELIVERY: &str = "http://acs.amazonaws.com/groups/s3/LogDelivery";
/// The canonical user `aws-exec-read` grants READ to (EC2's bundle reader).
const EC2_BUNDLE_READER: &str = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c";

/// The ACL parts of a request, as sent.
#[derive(Default)]
pub struct AclInput {
    pub canned: Option<String>,
    pub grant_full_control: Option<String>,
    pub grant_read: Option<String>,
    pub grant_read_acp: Option<String>,
    pub grant_write: Option<String>,
    pub grant_write_acp: Option<String>,
    pub policy: Option<AccessControlPolicy>,
}

impl AclInput {
    /// Whether the request carries any ACL at all.
    pub fn is_empty(&self) -> bool {
        self.canned.is_none() && !self.has_grant_headers() && self.policy.is_none()
    }

    fn has_grant_headers(&self) -> bool {
        self.header_grants().iter().any(|(_, value)| value.is_some())
    }

    fn header_grants(&self) -> [(&'static str, Option<&str>); 5] {
        [
            (Permission::FULL_CONTROL, self.grant_full_control.as_deref()),
            (Permission::READ, self.grant_read.as_deref()),
            (Permission::READ_ACP, self.grant_read_acp.as_deref()),
            (Permission::WRITE, self.grant_write.as_deref()),
            (Permission::WRITE_ACP, self.grant_write_acp.as_deref()),
        ]
    }
}

/// Whom an ACL is for: the resource's owner, and the bucket's owner
/// (they differ for objects other accounts wrote).
pub struct AclOwners<'a> {
    pub owner_id: &'a str,
    pub bucket_owner_id: &'a str,
    pub for_object: bool,
}

/// The ACL a request asks for; `private` when it asks for none.
pub fn requested_acl(input: AclInput, owners: &AclOwners<'_>) -> S3Result<AccessControlPolicy> {
    let headers = input.has_grant_headers();
    if input.canned.is_some() && headers {
        return Err(invalid_request("Specifying both Canned ACLs and Header Grants is not allowed"));
    }
    if input.policy.is_some() && (input.canned.is_some() || headers) {
        return Err(custom_error(
            "UnexpectedContent",
            http::StatusCode::BAD_REQUEST,
            "This request does not support content",
        ));
    }
    let owner = owner_of(owners.owner_id);
    if let Some(policy) = input.policy {
        return validated_policy(policy, owners.owner_id);
    }
    let grants = if headers {
        let mut grants = Vec::new();
        for (permission, value) in input.header_grants() {
            if let Some(value) = value {
                grants.extend(parse_grant_header(permission, value)?);
            }
        }
        grants
    } else {
        canned_grants(input.canned.as_deref().unwrap_or("private"), owners)?
    };
    Ok(AccessControlPolicy { owner: Some(owner), grants: Some(grants) })
}

/// The ACL of a resource nobody set one on: its owner has full control.
pub fn private_acl(owner_id: &str) -> AccessControlPolicy {
    AccessControlPolicy {
        owner: Some(owner_of(owner_id)),
        grants: Some(vec![grant(canonical(owner_id), Permission::FULL_CONTROL)]),
    }
}

/// Whether an ACL gives nobody but `owner_id` any access (what a bucket
/// whose ObjectOwnership is BucketOwnerEnforced still accepts).
pub fn is_owner_only(policy: &AccessControlPolicy, owner_id: &str) -> bool {
    policy.grants.iter().flatten().all(|g| {
        g.grantee.as_ref().is_some_and(|grantee| grantee.id.as_deref() == Some(owner_id))
            && g.permission.as_ref().is_some_and(|p| p.as_str() == Permission::FULL_CONTROL)
    })
}

/// Whether an ACL grants anything to everyone or to every AWS user.
pub fn is_public(policy: &AccessControlPolicy) -> bool {
    policy.grants.iter().flatten().any(|g| {
        g.grantee
            .as_ref()
            .and_then(|grantee| grantee.uri.as_deref())
            .is_some_and(|uri| uri == ALL_USERS || uri == AUTHENTICATED_USERS)
    })
}

pub fn owner_of(id: &str) -> Owner {
    Owner { id: Some(id.to_string()), display_name: None }
}

/// One grant as an object version keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredGrant {
    /// `CanonicalUser` or `Group`.
    pub grantee_type: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
    pub permission: String,
}

/// The grants of a validated ACL, as stored with an object version.
pub fn stored_grants(policy: &AccessControlPolicy) -> Vec<StoredGrant> {
    policy
        .grants
        .iter()
        .flatten()
        .filter_map(|g| {
            let grantee = g.grantee.as_ref()?;
            Some(StoredGrant {
                grantee_type: grantee.type_.as_str().to_string(),
                id: grantee.id.clone(),
                uri: grantee.uri.clone(),
                permission: g.permission.as_ref()?.as_str().to_string(),
            })
        })
        .collect()
}

/// The ACL of an object version owned by `owner_id` with `grants` stored.
pub fn acl_of_stored(owner_id: &str, grants: &[StoredGrant]) -> AccessControlPolicy {
    if grants.is_empty() {
        return private_acl(owner_id);
    }
    let grants = grants
        .iter()
        .map(|g| Grant {
            grantee: Some(Grantee {
                type_: Type::from(g.grantee_type.clone()),
                id: g.id.clone(),
                uri: g.uri.clone(),
                ..grantee_base()
            }),
            permission: Some(Permission::from(g.permission.clone())),
        })
        .collect();
    AccessControlPolicy { owner: Some(owner_of(owner_id)), grants: Some(grants) }
}

fn canned_grants(canned: &str, owners: &AclOwners<'_>) -> S3Result<Vec<Grant>> {
    let mut grants = vec![grant(canonical(owners.owner_id), Permission::FULL_CONTROL)];
    let mut add = |grantee: Grantee, permission: &'static str| grants.push(grant(grantee, permission));
    match canned {
        "private" => {}
        "public-read" => add(group(ALL_USERS), Permission::READ),
        "public-read-write" => {
            add(group(ALL_USERS), Permission::READ);
            add(group(ALL_USERS), Permission::WRITE);
        }
        "authenticated-read" => add(group(AUTHENTICATED_USERS), Permission::READ),
        "aws-exec-read" => add(canonical(EC2_BUNDLE_READER), Permission::READ),
        "log-delivery-write" if !owners.for_object => {
            add(group(LOG_DELIVERY), Permission::WRITE);
            add(group(LOG_DELIVERY), Permission::READ_ACP);
        }
        "bucket-owner-read" | "bucket-owner-full-control" if !owners.for_object => {}
        "bucket-owner-read" if owners.owner_id != owners.bucket_owner_id => {
            add(canonical(owners.bucket_owner_id), Permission::READ);
        }
        "bucket-owner-full-control" if owners.owner_id != owners.bucket_owner_id => {
            add(canonical(owners.bucket_owner_id), Permission::FULL_CONTROL);
        }
        "bucket-owner-read" | "bucket-owner-full-control" => {}
        _ => return Err(invalid_argument("")),
    }
    Ok(grants)
}

/// `id="...", uri="...", emailAddress="..."`: the grantees of one
/// `x-amz-grant-<permission>` header.
fn parse_grant_header(permission: &'static str, value: &str) -> S3Result<Vec<Grant>> {
    let mut grants = Vec::new();
    for item in value.split(',').map(str::trim).filter(|item| !item.is_empty()) {
        let (kind, id) = item.split_once('=').ok_or_else(|| invalid_argument("Argument format not recognized"))?;
        let id = id.trim().trim_matches('"');
        let grantee = match kind.trim().to_ascii_lowercase().as_str() {
            "id" => canonical(id),
            "uri" => group(id),
            "emailaddress" => Grantee {
                type_: Type::from_static(Type::AMAZON_CUSTOMER_BY_EMAIL),
                email_address: Some(id.to_string()),
                ..grantee_base()
            },
            _ => return Err(invalid_argument("Argument format not recognized")),
        };
        check_grantee(&grantee)?;
        grants.push(grant(grantee, permission));
    }
    Ok(grants)
}

/// A policy document as sent: its grantees checked, the owner filled in.
fn validated_policy(policy: AccessControlPolicy, owner_id: &str) -> S3Result<AccessControlPolicy> {
    if policy.owner.as_ref().and_then(|o| o.id.as_deref()).is_some_and(|id| id != owner_id) {
        return Err(custom_error("AccessDenied", http::StatusCode::FORBIDDEN, "Access Denied"));
    }
    let grants = policy.grants.unwrap_or_default();
    for g in &grants {
        let (Some(grantee), Some(permission)) = (&g.grantee, &g.permission) else { return Err(malformed_acl()) };
        let known = [
            Permission::FULL_CONTROL,
            Permission::READ,
            Permission::READ_ACP,
            Permission::WRITE,
            Permission::WRITE_ACP,
        ];
        if !known.contains(&permission.as_str()) {
            return Err(malformed_acl());
        }
        check_grantee(grantee)?;
    }
    Ok(AccessControlPolicy { owner: Some(owner_of(owner_id)), grants: Some(grants) })
}

fn check_grantee(grantee: &Grantee) -> S3Result<()> {
    match grantee.type_.as_str() {
        Type::CANONICAL_USER => {
            let id = grantee.id.as_deref().unwrap_or("");
            if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid_argument("Invalid id"));
            }
        }
        Type::GROUP => {
            let uri = grantee.uri.as_deref().unwrap_or("");
            if ![ALL_USERS, AUTHENTICATED_USERS, LOG_DELIVERY].contains(&uri) {
                return Err(invalid_argument("Invalid group uri"));
            }
        }
        Type::AMAZON_CUSTOMER_BY_EMAIL => {
            return Err(s3s::S3Error::with_message(
                s3s::S3ErrorCode::UnresolvableGrantByEmailAddress,
                "The e-mail address you provided does not match any account on record.",
            ));
        }
        _ => return Err(malformed_acl()),
    }
    Ok(())
}

fn grantee_base() -> Grantee {
    Grantee {
        display_name: None,
        email_address: None,
        id: None,
        type_: Type::from_static(Type::CANONICAL_USER),
        uri: None,
    }
}

fn canonical(id: &str) -> Grantee {
    Grantee { id: Some(id.to_string()), ..grantee_base() }
}

fn group(uri: &str) -> Grantee {
    Grantee { type_: Type::from_static(Type::GROUP), uri: Some(uri.to_string()), ..grantee_base() }
}

fn grant(grantee: Grantee, permission: &'static str) -> Grant {
    Grant { grantee: Some(grantee), permission: Some(Permission::from_static(permission)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    const OWNER: &str = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    const OTHER: &str = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

    fn owners(for_object: bool) -> AclOwners<'static> {
        AclOwners { owner_id: OWNER, bucket_owner_id: OWNER, for_object }
    }

    #[test]
    fn canned_acls() {
        let acl = |canned: &str| {
            requested_acl(AclInput { canned: Some(canned.into()), ..Default::default() }, &owners(false)).unwrap()
        };
        assert!(is_owner_only(&acl("private"), OWNER));
        assert!(is_public(&acl("public-read")));
        assert_eq!(acl("public-read-write").grants.unwrap().len(), 3);
        assert_eq!(acl("log-delivery-write").grants.unwrap().len(), 3);
        assert!(!is_public(&acl("aws-exec-read")));
        let bad = requested_acl(AclInput { canned: Some("nope".into()), ..Default::default() }, &owners(false));
        assert!(bad.is_err());
    }

    #[test]
    fn grant_headers() {
        let input = AclInput {
            grant_read: Some(format!("id=\"{OTHER}\", uri=\"{ALL_USERS}\"")),
            grant_write_acp: Some(format!("id={OTHER}")),
            ..Default::default()
        };
        let acl = requested_acl(input, &owners(true)).unwrap();
        assert_eq!(acl.grants.as_ref().unwrap().len(), 3);
        assert!(is_public(&acl));
        let both =
            AclInput { canned: Some("private".into()), grant_read: Some(format!("id={OTHER}")), ..Default::default() };
        assert_eq!(requested_acl(both, &owners(false)).unwrap_err().code().as_str(), "InvalidRequest");
        let email = AclInput { grant_read: Some("emailAddress=\"a@b.c\"".into()), ..Default::default() };
        assert_eq!(
            requested_acl(email, &owners(false)).unwrap_err().code().as_str(),
            "UnresolvableGrantByEmailAddress"
        );
        let bad_id = AclInput { grant_read: Some("id=short".into()), ..Default::default() };
        assert_eq!(requested_acl(bad_id, &owners(false)).unwrap_err().code().as_str(), "InvalidArgument");
    }
}
