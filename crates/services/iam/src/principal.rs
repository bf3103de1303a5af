//! Finding principals: users by name or id, what kind of principal the
//! caller is, and whose access keys an operation manages when the request
//! names no user.

use crate::errors;
use crate::persist::{Reader, load};
use crate::state::{AccountKeys, UserRecord};
use cloudbox_core::arn::Arn;
use cloudbox_core::{AccountId, AwsError, Caller};

/// The prefix of temporary (STS-issued) access key ids.
pub const TEMPORARY_KEY_PREFIX: &str = "ASIA";

/// What kind of principal signed a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind<'a> {
    /// The account's root user.
    Root,
    /// An IAM user, by id and by the name in its ARN.
    User { user_id: &'a str, user_name: &'a str },
    /// Anything else (an assumed role, a federated user).
    Other,
}

pub fn caller_kind(caller: &Caller) -> CallerKind<'_> {
    let Some(arn) = Arn::parse(&caller.arn) else {
        return CallerKind::Other;
    };
    if arn.service != "iam" {
        return CallerKind::Other;
    }
    if arn.resource == "root" {
        return CallerKind::Root;
    }
    match arn.resource.strip_prefix("user/") {
        Some(_) => {
            let user_name = caller.arn.rsplit('/').next().unwrap_or_default();
            CallerKind::User { user_id: &caller.user_id, user_name }
        }
        None => CallerKind::Other,
    }
}

/// Whether the caller signed with temporary credentials.
pub fn uses_temporary_credentials(caller: &Caller) -> bool {
    caller.access_key_id.starts_with(TEMPORARY_KEY_PREFIX)
}

/// The user named `user_name` (case-insensitively), or `NoSuchEntity`.
pub fn find_user(reader: &impl Reader, account: &AccountId, user_name: &str) -> Result<UserRecord, AwsError> {
    load(reader, &AccountKeys::new(account).user(user_name))?.ok_or_else(|| errors::no_such_user(user_name))
}

/// The user with id `user_id`, if it still exists.
pub fn find_user_by_id(
    reader: &impl Reader,
    account: &AccountId,
    user_id: &str,
) -> Result<Option<UserRecord>, AwsError> {
    let keys = AccountKeys::new(account);
    let Some(lowercased_name) = load::<String>(reader, &keys.user_id(user_id))? else {
        return Ok(None);
    };
    let user: Option<UserRecord> = load(reader, &keys.user(&lowercased_name))?;
    Ok(user.filter(|u| u.user_id == user_id))
}

/// The calling IAM user's own record; `NoSuchEntity` when it was deleted.
pub fn calling_user(
    reader: &impl Reader,
    account: &AccountId,
    user_id: &str,
    user_name: &str,
) -> Result<UserRecord, AwsError> {
    find_user_by_id(reader, account, user_id)?.ok_or_else(|| errors::no_such_user(user_name))
}

/// Whose access keys an operation manages.
#[derive(Debug, Clone)]
pub enum KeyOwner {
    /// The root user of the account.
    Root(AccountId),
    User(UserRecord),
}

impl KeyOwner {
    /// The id the owner's keys are filed under.
    pub fn owner_id(&self) -> &str {
        match self {
            KeyOwner::Root(account) => account.as_str(),
            KeyOwner::User(user) => &user.user_id,
        }
    }

    /// The user name AWS reports on the owner's keys (none for root).
    pub fn user_name(&self) -> Option<&str> {
        match self {
            KeyOwner::Root(_) => None,
            KeyOwner::User(user) => Some(&user.user_name),
        }
    }
}

/// The named user, or, when no name is given, the caller itself: its own
/// user, or the root user. Temporary credentials must name the user.
pub fn key_owner(
    reader: &impl Reader,
    account: &AccountId,
    caller: &Caller,
    user_name: Option<&str>,
) -> Result<KeyOwner, AwsError> {
    if let Some(name) = user_name {
        return find_user(reader, account, name).map(KeyOwner::User);
    }
    if uses_temporary_credentials(caller) {
        return Err(errors::user_name_required());
    }
    match caller_kind(caller) {
        CallerKind::Root => Ok(KeyOwner::Root(account.clone())),
        CallerKind::User { user_id, user_name } => {
            calling_user(reader, account, user_id, user_name).map(KeyOwner::User)
        }
        CallerKind::Other => Err(errors::user_name_required()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(arn: &str, user_id: &str, key: &str) -> Caller {
        Caller {
            account: AccountId::parse("123456789012").unwrap(),
            arn: arn.into(),
            user_id: user_id.into(),
            access_key_id: key.into(),
        }
    }

    #[test]
    fn tells_root_users_and_others_apart() {
        let root = caller("arn:aws:iam::123456789012:root", "123456789012", "AKIAROOT");
        assert_eq!(caller_kind(&root), CallerKind::Root);
        let user = caller("arn:aws:iam::123456789012:user/team/alice", "AIDAEXAMPLE", "AKIAUSER");
        assert_eq!(caller_kind(&user), CallerKind::User { user_id: "AIDAEXAMPLE", user_name: "alice" });
        let role = caller("arn:aws:sts::123456789012:assumed-role/r/s", "AROAX:s", "ASIAX");
        assert_eq!(caller_kind(&role), CallerKind::Other);
        assert!(uses_temporary_credentials(&role));
        assert!(!uses_temporary_credentials(&user));
    }
}
