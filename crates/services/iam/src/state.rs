//! IAM's persisted state: the records it keeps in the store and the keys
//! they live under.
//!
//! Per account, under `Scope::Account(account).key_prefix("iam")`:
//! - `account`: the account's own record (when IAM first saw its root user);
//! - `user/<lowercased name>`: a user; names are unique case-insensitively,
//!   so the key is the lowercased name and scans list users by name;
//! - `user-id/<AIDA...>`: the lowercased name of the user with that id;
//! - `access-key/<owner id>/<key id>`: a long-term access key. The owner id
//!   is the user's id, or the account id for the root user's own keys.
//!
//! Global, under `Scope::Global.key_prefix("iam")`:
//! - `access-key/<key id>`: which account and owner hold a key, so that a
//!   key can be found from its id alone.
//!
//! Values are JSON. Times are whole seconds since the Unix epoch.

use cloudbox_core::{AccountId, Scope};
use serde::{Deserialize, Serialize};

/// A tag on an IAM resource, as stored and as the model spells it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// An IAM user.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserRecord {
    pub path: String,
    pub user_name: String,
    pub user_id: String,
    pub arn: String,
    pub create_date: i64,
    pub permissions_boundary: Option<String>,
    #[serde(default)]
    pub tags: Vec<Tag>,
}

/// What IAM knows about an account itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccountRecord {
    /// When the account's root user was first seen; reported as its
    /// creation date.
    pub create_date: i64,
}

/// Whether an access key may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum KeyStatus {
    Active,
    Inactive,
}

impl KeyStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyStatus::Active => "Active",
            KeyStatus::Inactive => "Inactive",
        }
    }
}

/// A long-term access key.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessKeyRecord {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub status: KeyStatus,
    pub create_date: i64,
}

/// Where the access key with a given id is kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct KeyLocation {
    pub account: String,
    /// The owning user's id, or the account id for the root user.
    pub owner_id: String,
}

/// Store keys of one account's IAM state.
pub struct AccountKeys {
    prefix: String,
}

impl AccountKeys {
    pub fn new(account: &AccountId) -> Self {
        AccountKeys { prefix: Scope::Account(account.clone()).key_prefix("iam") }
    }

    pub fn account(&self) -> Vec<u8> {
        format!("{}account", self.prefix).into_bytes()
    }

    /// The prefix under which every user lives.
    pub fn users(&self) -> Vec<u8> {
        format!("{}user/", self.prefix).into_bytes()
    }

    pub fn user(&self, user_name: &str) -> Vec<u8> {
        format!("{}user/{}", self.prefix, user_name.to_lowercase()).into_bytes()
    }

    pub fn user_id(&self, user_id: &str) -> Vec<u8> {
        format!("{}user-id/{user_id}", self.prefix).into_bytes()
    }

    /// The prefix under which one owner's access keys live.
    pub fn access_keys_of(&self, owner_id: &str) -> Vec<u8> {
        format!("{}access-key/{owner_id}/", self.prefix).into_bytes()
    }

    pub fn access_key(&self, owner_id: &str, access_key_id: &str) -> Vec<u8> {
        format!("{}access-key/{owner_id}/{access_key_id}", self.prefix).into_bytes()
    }
}

/// The global key that says where an access key is kept.
pub fn key_location(access_key_id: &str) -> Vec<u8> {
    format!("{}access-key/{access_key_id}", Scope::Global.key_prefix("iam")).into_bytes()
}

/// A user's ARN: `arn:aws:iam::<account>:user<path><name>`.
pub fn user_arn(account: &AccountId, path: &str, user_name: &str) -> String {
    format!("arn:aws:iam::{account}:user{path}{user_name}")
}
