//! IAM users: CreateUser, GetUser, ListUsers and DeleteUser.

use crate::IamService;
use crate::errors;
use crate::pagination::page;
use crate::persist::{decode, exists, load, scan, transact, unused_id};
use crate::principal::{CallerKind, caller_kind, calling_user, find_user};
use crate::state::{AccountKeys, AccountRecord, Tag, UserRecord, user_arn};
use cloudbox_core::arn::Arn;
use cloudbox_core::{AccountId, AwsError, RequestContext, ids};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserInput {
    path: Option<String>,
    user_name: String,
    permissions_boundary: Option<String>,
    #[serde(default)]
    tags: Vec<Tag>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserInput {
    user_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersInput {
    path_prefix: Option<String>,
    marker: Option<String>,
    max_items: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteUserInput {
    user_name: String,
}

/// The model's `User` shape.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct User {
    /// Absent for the root user.
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<String>,
    /// Absent for the root user.
    #[serde(skip_serializing_if = "Option::is_none")]
    user_name: Option<String>,
    user_id: String,
    arn: String,
    create_date: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    permissions_boundary: Option<AttachedPermissionsBoundary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tags: Option<Vec<Tag>>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
struct AttachedPermissionsBoundary {
    permissions_boundary_type: &'static str,
    permissions_boundary_arn: String,
}

impl User {
    /// Everything about a user, as CreateUser and GetUser report it.
    fn full(user: &UserRecord) -> User {
        User {
            permissions_boundary: user.permissions_boundary.as_ref().map(|arn| AttachedPermissionsBoundary {
                permissions_boundary_type: "PermissionsBoundaryPolicy",
                permissions_boundary_arn: arn.clone(),
            }),
            tags: (!user.tags.is_empty()).then(|| user.tags.clone()),
            ..User::listed(user)
        }
    }

    /// A user as ListUsers reports it: without boundary and tags.
    fn listed(user: &UserRecord) -> User {
        User {
            path: Some(user.path.clone()),
            user_name: Some(user.user_name.clone()),
            user_id: user.user_id.clone(),
            arn: user.arn.clone(),
            create_date: user.create_date,
            permissions_boundary: None,
            tags: None,
        }
    }

    /// The root user, which has neither path nor name.
    fn root(ctx: &RequestContext, account: &AccountRecord) -> User {
        User {
            path: None,
            user_name: None,
            user_id: ctx.caller.user_id.clone(),
            arn: ctx.caller.arn.clone(),
            create_date: account.create_date,
            permissions_boundary: None,
            tags: None,
        }
    }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateUserOutput {
    user: User,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetUserOutput {
    user: User,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListUsersOutput {
    users: Vec<User>,
    is_truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
}

impl IamService {
    pub(crate) async fn create_user(
        &self,
        ctx: &RequestContext,
        input: CreateUserInput,
    ) -> Result<CreateUserOutput, AwsError> {
        check_tag_keys_unique(&input.tags)?;
        if let Some(arn) = &input.permissions_boundary {
            check_permissions_boundary(arn)?;
        }
        let account = ctx.account.clone();
        let create_date = self.clock.now().timestamp();
        let user = transact(&self.store, move |txn| {
            let keys = AccountKeys::new(&account);
            if exists(txn, &keys.user(&input.user_name))? {
                return Err(errors::user_already_exists(&input.user_name));
            }
            let path = input.path.unwrap_or_else(|| "/".to_string());
            let user = UserRecord {
                arn: user_arn(&account, &path, &input.user_name),
                path,
                user_id: unused_id(txn, || ids::principal_id("AIDA"), |id| keys.user_id(id))?,
                user_name: input.user_name,
                create_date,
                permissions_boundary: input.permissions_boundary,
                tags: input.tags,
            };
            txn.put_json(keys.user(&user.user_name), &user);
            txn.put_json(keys.user_id(&user.user_id), &user.user_name.to_lowercase());
            Ok(user)
        })
        .await?;
        Ok(CreateUserOutput { user: User::full(&user) })
    }

    pub(crate) async fn get_user(&self, ctx: &RequestContext, input: GetUserInput) -> Result<GetUserOutput, AwsError> {
        let user = match (input.user_name, caller_kind(&ctx.caller)) {
            (Some(name), _) => User::full(&find_user(&self.store, &ctx.account, &name)?),
            (None, CallerKind::Root) => User::root(ctx, &self.account_record(&ctx.account).await?),
            (None, CallerKind::User { user_id, user_name }) => {
                User::full(&calling_user(&self.store, &ctx.account, user_id, user_name)?)
            }
            (None, CallerKind::Other) => return Err(errors::user_name_required()),
        };
        Ok(GetUserOutput { user })
    }

    pub(crate) async fn list_users(
        &self,
        ctx: &RequestContext,
        input: ListUsersInput,
    ) -> Result<ListUsersOutput, AwsError> {
        let path_prefix = input.path_prefix.unwrap_or_else(|| "/".to_string());
        let keys = AccountKeys::new(&ctx.account);
        let found = page(&self.store, &keys.users(), input.marker.as_deref(), input.max_items, |bytes| {
            let user: UserRecord = decode(bytes)?;
            Ok(user.path.starts_with(&path_prefix).then(|| User::listed(&user)))
        })?;
        Ok(ListUsersOutput { users: found.items, is_truncated: found.is_truncated, marker: found.marker })
    }

    pub(crate) async fn delete_user(&self, ctx: &RequestContext, input: DeleteUserInput) -> Result<(), AwsError> {
        let account = ctx.account.clone();
        transact(&self.store, move |txn| {
            let user = find_user(txn, &account, &input.user_name)?;
            let keys = AccountKeys::new(&account);
            if !scan(txn, &keys.access_keys_of(&user.user_id), None, 1)?.is_empty() {
                return Err(errors::user_still_has_access_keys());
            }
            txn.delete(keys.user(&user.user_name));
            txn.delete(keys.user_id(&user.user_id));
            Ok(())
        })
        .await?;
        // Temporary credentials issued to the user die with it.
        self.credentials.forget_temporary();
        Ok(())
    }

    /// The account's own record, created the first time it is asked for.
    async fn account_record(&self, account: &AccountId) -> Result<AccountRecord, AwsError> {
        let key = AccountKeys::new(account).account();
        if let Some(record) = load(&self.store, &key)? {
            return Ok(record);
        }
        let create_date = self.clock.now().timestamp();
        transact(&self.store, move |txn| match load(txn, &key)? {
            Some(record) => Ok(record),
            None => {
                let record = AccountRecord { create_date };
                txn.put_json(key, &record);
                Ok(record)
            }
        })
        .await
    }
}

/// Tag keys must be unique, ignoring case.
fn check_tag_keys_unique(tags: &[Tag]) -> Result<(), AwsError> {
    let mut seen = HashSet::new();
    match tags.iter().all(|tag| seen.insert(tag.key.to_lowercase())) {
        true => Ok(()),
        false => Err(errors::duplicate_tag_keys()),
    }
}

/// A permissions boundary must be the ARN of a managed policy
/// (`arn:aws:iam::<account or "aws">:policy/<path and name>`).
fn check_permissions_boundary(arn: &str) -> Result<(), AwsError> {
    let is_policy_arn = Arn::parse(arn).is_some_and(|parsed| {
        let account_ok = parsed.account == "aws" || AccountId::parse(&parsed.account).is_some();
        let name = parsed.resource.strip_prefix("policy/").map(|rest| rest.rsplit('/').next().unwrap_or(rest));
        parsed.partition == "aws"
            && parsed.service == "iam"
            && parsed.region.is_empty()
            && account_ok
            && name.is_some_and(|n| !n.is_empty())
    });
    match is_policy_arn {
        true => Ok(()),
        false => Err(errors::invalid_permissions_boundary(arn)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permissions_boundaries_must_be_policy_arns() {
        assert!(check_permissions_boundary("arn:aws:iam::aws:policy/PowerUserAccess").is_ok());
        assert!(check_permissions_boundary("arn:aws:iam::123456789012:policy/team/Boundary").is_ok());
        for bad in [
            "arn:aws:iam::123456789012:role/Boundary",
            "arn:aws:iam::123456789012:policy/",
            "arn:aws:s3:::bucket/policy/x",
            "arn:aws:iam::12345:policy/Boundary",
            "not an arn at all, but long",
        ] {
            let err = check_permissions_boundary(bad).unwrap_err();
            assert_eq!(err.code, "InvalidInput");
            assert_eq!(err.message, format!("Value ({bad}) for parameter PermissionsBoundary is invalid."));
        }
    }

    #[test]
    fn tag_keys_clash_regardless_of_case() {
        let tag = |k: &str| Tag { key: k.into(), value: "v".into() };
        assert!(check_tag_keys_unique(&[tag("a"), tag("b")]).is_ok());
        let err = check_tag_keys_unique(&[tag("Team"), tag("team")]).unwrap_err();
        assert_eq!((err.code.as_str(), err.status), ("InvalidInput", 400));
    }
}
