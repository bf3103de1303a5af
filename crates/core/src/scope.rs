//! Accounts, regions and the scope a piece of state lives in.

use std::fmt;

/// The account that unknown access keys map to.
pub const DEFAULT_ACCOUNT: &str = "000000000000";
/// The region used when a request does not name one.
pub const DEFAULT_REGION: &str = "us-east-1";

/// A 12-digit AWS account id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountId(String);

impl AccountId {
    /// Accepts exactly twelve ASCII digits.
    pub fn parse(s: &str) -> Option<Self> {
        (s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())).then(|| AccountId(s.to_string()))
    }

    pub fn default_account() -> Self {
        AccountId(DEFAULT_ACCOUNT.to_string())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A region name such as `eu-west-1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region(String);

impl Region {
    pub fn new(name: impl Into<String>) -> Self {
        Region(name.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a piece of state lives: everywhere, in one account, or in one
/// account's region. Store keys start with the scope's prefix, so one account
/// or region never sees another's state.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Scope {
    /// Shared by every account (for example S3 bucket names).
    Global,
    /// One account, every region (for example IAM).
    Account(AccountId),
    /// One account in one region (most services).
    Regional(AccountId, Region),
}

impl Scope {
    /// The key prefix for this scope inside a service's key space.
    pub fn key_prefix(&self, service: &str) -> String {
        match self {
            Scope::Global => format!("{service}/global/"),
            Scope::Account(a) => format!("{service}/acct/{a}/"),
            Scope::Regional(a, r) => format!("{service}/acct/{a}/{r}/"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(AccountId::parse("123456789012").is_some());
        assert!(AccountId::parse("12345678901").is_none());
        assert!(AccountId::parse("12345678901a").is_none());
    }

    #[test]
    fn scopes_do_not_share_prefixes() {
        let a = AccountId::parse("111111111111").unwrap();
        let b = AccountId::parse("222222222222").unwrap();
        let r = Region::new("us-east-1");
        assert_ne!(Scope::Account(a.clone()).key_prefix("iam"), Scope::Account(b).key_prefix("iam"));
        assert_eq!(Scope::Regional(a, r).key_prefix("ec2"), "ec2/acct/111111111111/us-east-1/");
    }
}
