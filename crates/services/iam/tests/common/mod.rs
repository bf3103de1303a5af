//! Shared test fixtures: an IAM service on an in-memory store, and requests
//! made as a given caller.

#![allow(dead_code)]

use chrono::Utc;
use cloudbox_core::{AccountId, AwsError, Caller, Clock, CredentialResolver, Region, RequestContext, Service, Value};
use cloudbox_iam::{IamCredentials, IamService};
use cloudbox_store::Store;
use serde_json::json;
use std::sync::Arc;

pub const ACCOUNT: &str = "123456789012";
pub const OTHER_ACCOUNT: &str = "210987654321";

pub struct Fixture {
    pub store: Store,
    pub clock: Clock,
    pub iam: IamService,
    pub credentials: Arc<IamCredentials>,
}

impl Fixture {
    pub fn new() -> Fixture {
        Fixture::on(Store::memory(), Clock::new())
    }

    /// A fresh service over existing state, as after a restart.
    pub fn on(store: Store, clock: Clock) -> Fixture {
        let iam = IamService::new(store.clone(), clock.clone());
        let credentials = iam.credentials();
        Fixture { store, clock, iam, credentials }
    }

    pub async fn call(&self, caller: &Caller, operation: &str, input: Value) -> Result<Value, AwsError> {
        let ctx = context(caller, "iam", operation);
        self.iam.call(&ctx, operation, input).await
    }

    /// Call as the root user of [`ACCOUNT`], expecting success.
    pub async fn ok(&self, operation: &str, input: Value) -> Value {
        self.call(&root(), operation, input).await.unwrap_or_else(|e| panic!("{operation} failed: {e}"))
    }

    /// Call as the root user of [`ACCOUNT`], expecting an error.
    pub async fn err(&self, operation: &str, input: Value) -> AwsError {
        match self.call(&root(), operation, input).await {
            Ok(v) => panic!("{operation} unexpectedly succeeded: {v}"),
            Err(e) => e,
        }
    }

    pub async fn create_user(&self, name: &str) -> Value {
        self.ok("CreateUser", json!({"UserName": name})).await["User"].clone()
    }

    /// A new access key for `user`; returns (key id, secret).
    pub async fn create_key(&self, user: &str) -> (String, String) {
        let out = self.ok("CreateAccessKey", json!({"UserName": user})).await;
        let key = &out["AccessKey"];
        (key["AccessKeyId"].as_str().unwrap().to_string(), key["SecretAccessKey"].as_str().unwrap().to_string())
    }

    /// The caller behind an access key, as the authenticator would see it.
    pub fn caller_of(&self, access_key_id: &str) -> Caller {
        self.credentials.resolve(access_key_id).expect("key resolves").caller
    }
}

pub fn account(id: &str) -> AccountId {
    AccountId::parse(id).unwrap()
}

pub fn root() -> Caller {
    Caller::root(account(ACCOUNT), "AKIAROOTEXAMPLE00000")
}

pub fn root_of(id: &str) -> Caller {
    Caller::root(account(id), "AKIAROOTEXAMPLE00000")
}

pub fn context(caller: &Caller, service: &'static str, operation: &str) -> RequestContext {
    RequestContext::new("test-request", caller.clone(), Region::new("us-east-1"), service, operation, Utc::now())
}

/// Assert an error's code, HTTP status and message.
pub fn assert_error(error: &AwsError, code: &str, status: u16, message: &str) {
    assert_eq!((error.code.as_str(), error.status, error.message.as_str()), (code, status, message));
}
