//! Long-term access keys: CreateAccessKey, ListAccessKeys, UpdateAccessKey
//! and DeleteAccessKey, for IAM users and for the root user's own keys.
//!
//! Every change drops the key from the credential cache once committed, so
//! the next signed request sees it as it now is.

use crate::IamService;
use crate::errors;
use crate::pagination::page;
use crate::persist::{decode, exists, load, scan, transact, unused_id};
use crate::principal::{KeyOwner, key_owner};
use crate::state::{AccessKeyRecord, AccountKeys, KeyLocation, KeyStatus, key_location};
use cloudbox_core::{AwsError, RequestContext, ids};
use serde::{Deserialize, Serialize};

/// How many access keys one user (or the root user) may have.
pub const ACCESS_KEYS_PER_USER: usize = 2;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateAccessKeyInput {
    user_name: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAccessKeysInput {
    user_name: Option<String>,
    marker: Option<String>,
    max_items: Option<i32>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UpdateAccessKeyInput {
    user_name: Option<String>,
    access_key_id: String,
    status: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct DeleteAccessKeyInput {
    user_name: Option<String>,
    access_key_id: String,
}

/// The model's `AccessKey` shape: a new key, with its secret.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessKey {
    /// Absent for the root user's keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    user_name: Option<String>,
    access_key_id: String,
    status: &'static str,
    secret_access_key: String,
    create_date: i64,
}

/// The model's `AccessKeyMetadata` shape: a key without its secret.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccessKeyMetadata {
    /// Absent for the root user's keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    user_name: Option<String>,
    access_key_id: String,
    status: &'static str,
    create_date: i64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateAccessKeyOutput {
    access_key: AccessKey,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ListAccessKeysOutput {
    access_key_metadata: Vec<AccessKeyMetadata>,
    is_truncated: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    marker: Option<String>,
}

impl IamService {
    pub(crate) async fn create_access_key(
        &self,
        ctx: &RequestContext,
        input: CreateAccessKeyInput,
    ) -> Result<CreateAccessKeyOutput, AwsError> {
        let (account, caller) = (ctx.account.clone(), ctx.caller.clone());
        let create_date = self.clock.now().timestamp();
        let access_key = transact(&self.store, move |txn| {
            let owner = key_owner(txn, &account, &caller, input.user_name.as_deref())?;
            let keys = AccountKeys::new(&account);
            let owner_id = owner.owner_id().to_string();
            if scan(txn, &keys.access_keys_of(&owner_id), None, ACCESS_KEYS_PER_USER)?.len() >= ACCESS_KEYS_PER_USER {
                return Err(errors::access_key_quota_exceeded(ACCESS_KEYS_PER_USER));
            }
            let record = AccessKeyRecord {
                access_key_id: unused_id(txn, || ids::iam_id("AKIA"), key_location)?,
                secret_access_key: ids::secret_access_key(),
                status: KeyStatus::Active,
                create_date,
            };
            txn.put_json(keys.access_key(&owner_id, &record.access_key_id), &record);
            let location = KeyLocation { account: account.to_string(), owner_id };
            txn.put_json(key_location(&record.access_key_id), &location);
            Ok(AccessKey {
                user_name: owner.user_name().map(str::to_string),
                access_key_id: record.access_key_id,
                status: record.status.as_str(),
                secret_access_key: record.secret_access_key,
                create_date,
            })
        })
        .await?;
        self.credentials.forget(&access_key.access_key_id);
        Ok(CreateAccessKeyOutput { access_key })
    }

    pub(crate) async fn list_access_keys(
        &self,
        ctx: &RequestContext,
        input: ListAccessKeysInput,
    ) -> Result<ListAccessKeysOutput, AwsError> {
        let owner = key_owner(&self.store, &ctx.account, &ctx.caller, input.user_name.as_deref())?;
        let prefix = AccountKeys::new(&ctx.account).access_keys_of(owner.owner_id());
        let found = page(&self.store, &prefix, input.marker.as_deref(), input.max_items, |bytes| {
            let key: AccessKeyRecord = decode(bytes)?;
            Ok(Some(metadata(&owner, key)))
        })?;
        Ok(ListAccessKeysOutput {
            access_key_metadata: found.items,
            is_truncated: found.is_truncated,
            marker: found.marker,
        })
    }

    pub(crate) async fn update_access_key(
        &self,
        ctx: &RequestContext,
        input: UpdateAccessKeyInput,
    ) -> Result<(), AwsError> {
        let status = match input.status.as_str() {
            "Active" => KeyStatus::Active,
            "Inactive" => KeyStatus::Inactive,
            other => return Err(errors::invalid_key_status(other)),
        };
        let (account, caller) = (ctx.account.clone(), ctx.caller.clone());
        let access_key_id = input.access_key_id.clone();
        transact(&self.store, move |txn| {
            let owner = key_owner(txn, &account, &caller, input.user_name.as_deref())?;
            let key = AccountKeys::new(&account).access_key(owner.owner_id(), &input.access_key_id);
            let mut record: AccessKeyRecord =
                load(txn, &key)?.ok_or_else(|| errors::no_such_access_key(&input.access_key_id))?;
            record.status = status;
            txn.put_json(key, &record);
            Ok(())
        })
        .await?;
        self.credentials.forget(&access_key_id);
        Ok(())
    }

    pub(crate) async fn delete_access_key(
        &self,
        ctx: &RequestContext,
        input: DeleteAccessKeyInput,
    ) -> Result<(), AwsError> {
        let (account, caller) = (ctx.account.clone(), ctx.caller.clone());
        let access_key_id = input.access_key_id.clone();
        transact(&self.store, move |txn| {
            let owner = key_owner(txn, &account, &caller, input.user_name.as_deref())?;
            let key = AccountKeys::new(&account).access_key(owner.owner_id(), &input.access_key_id);
            if !exists(txn, &key)? {
                return Err(errors::no_such_access_key(&input.access_key_id));
            }
            txn.delete(key);
            txn.delete(key_location(&input.access_key_id));
            Ok(())
        })
        .await?;
        self.credentials.forget(&access_key_id);
        Ok(())
    }
}

fn metadata(owner: &KeyOwner, key: AccessKeyRecord) -> AccessKeyMetadata {
    AccessKeyMetadata {
        user_name: owner.user_name().map(str::to_string),
        access_key_id: key.access_key_id,
        status: key.status.as_str(),
        create_date: key.create_date,
    }
}
