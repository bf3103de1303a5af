//! GetCallerIdentity and GetSessionToken through `Service::call`, with the
//! credentials they issue resolved as the authenticator would.

use chrono::Utc;
use cloudbox_core::{AccountId, AwsError, Caller, Clock, CredentialResolver, Region, RequestContext, Service, Value};
use cloudbox_iam::{IamCredentials, IamService};
use cloudbox_store::Store;
use cloudbox_sts::StsService;
use serde_json::json;
use std::sync::Arc;

const ACCOUNT: &str = "123456789012";

struct Fixture {
    clock: Clock,
    iam: IamService,
    sts: StsService,
    credentials: Arc<IamCredentials>,
}

impl Fixture {
    fn new() -> Fixture {
        let (store, clock) = (Store::memory(), Clock::new());
        let iam = IamService::new(store.clone(), clock.clone());
        let credentials = iam.credentials();
        let sts = StsService::new(clock.clone(), credentials.clone());
        Fixture { clock, iam, sts, credentials }
    }

    async fn iam(&self, caller: &Caller, operation: &str, input: Value) -> Value {
        let ctx = context(caller, "iam", operation);
        self.iam.call(&ctx, operation, input).await.unwrap_or_else(|e| panic!("{operation}: {e}"))
    }

    async fn sts(&self, caller: &Caller, operation: &str, input: Value) -> Result<Value, AwsError> {
        let ctx = context(caller, "sts", operation);
        self.sts.call(&ctx, operation, input).await
    }

    /// A new IAM user with an access key; returns the caller behind the key.
    async fn user(&self, name: &str) -> Caller {
        self.iam(&root(), "CreateUser", json!({"UserName": name})).await;
        let out = self.iam(&root(), "CreateAccessKey", json!({"UserName": name})).await;
        let key = out["AccessKey"]["AccessKeyId"].as_str().unwrap();
        self.credentials.resolve(key).unwrap().caller
    }

    /// GetSessionToken as `caller`; returns the output's `Credentials`.
    async fn session(&self, caller: &Caller, input: Value) -> Value {
        self.sts(caller, "GetSessionToken", input).await.unwrap()["Credentials"].clone()
    }
}

fn root() -> Caller {
    Caller::root(AccountId::parse(ACCOUNT).unwrap(), "AKIAROOTEXAMPLE00000")
}

fn context(caller: &Caller, service: &'static str, operation: &str) -> RequestContext {
    RequestContext::new("test-request", caller.clone(), Region::new("us-east-1"), service, operation, Utc::now())
}

fn assert_error(error: &AwsError, code: &str, status: u16, message: &str) {
    assert_eq!((error.code.as_str(), error.status, error.message.as_str()), (code, status, message));
}

#[tokio::test]
async fn get_caller_identity_names_the_root_user() {
    let f = Fixture::new();
    let out = f.sts(&root(), "GetCallerIdentity", json!({})).await.unwrap();
    assert_eq!(out, json!({"UserId": ACCOUNT, "Account": ACCOUNT, "Arn": "arn:aws:iam::123456789012:root"}));
}

#[tokio::test]
async fn get_caller_identity_names_the_user_behind_a_key() {
    let f = Fixture::new();
    let alice = f.user("alice").await;
    let out = f.sts(&alice, "GetCallerIdentity", json!({})).await.unwrap();
    assert_eq!(out["Arn"], "arn:aws:iam::123456789012:user/alice");
    assert_eq!(out["UserId"], alice.user_id.as_str());
    assert_eq!(out["Account"], ACCOUNT);
}

#[tokio::test]
async fn session_tokens_last_twelve_hours_by_default() {
    let f = Fixture::new();
    let alice = f.user("alice").await;
    let before = f.clock.now().timestamp();
    let creds = f.session(&alice, json!({})).await;
    let id = creds["AccessKeyId"].as_str().unwrap();
    assert!(id.starts_with("ASIA") && id.len() == 20, "{id}");
    assert_eq!(creds["SecretAccessKey"].as_str().unwrap().len(), 40);
    assert!(creds["SessionToken"].as_str().unwrap().len() > 100);
    let expiration = creds["Expiration"].as_i64().unwrap();
    assert!((before + 43_200..=f.clock.now().timestamp() + 43_200).contains(&expiration));
}

#[tokio::test]
async fn a_session_acts_as_its_user_until_it_expires() {
    let f = Fixture::new();
    let alice = f.user("alice").await;
    let creds = f.session(&alice, json!({"DurationSeconds": 900})).await;
    let id = creds["AccessKeyId"].as_str().unwrap();

    // The authenticator holds the same resolver as a trait object.
    let resolver: Arc<dyn CredentialResolver> = f.credentials.clone();
    let credential = resolver.resolve(id).expect("usable on the very next request");
    assert_eq!(credential.secret_access_key, creds["SecretAccessKey"].as_str().unwrap());
    assert_eq!(credential.session_token.as_deref(), creds["SessionToken"].as_str());
    assert_eq!(credential.expires_at.unwrap().timestamp(), creds["Expiration"].as_i64().unwrap());
    assert!(credential.expires_at.unwrap() > f.clock.now());

    let identity = f.sts(&credential.caller, "GetCallerIdentity", json!({})).await.unwrap();
    assert_eq!(identity["Arn"], "arn:aws:iam::123456789012:user/alice");
    assert_eq!(identity["UserId"], alice.user_id.as_str());

    f.clock.advance(901);
    let expired = f.credentials.resolve(id).unwrap();
    assert!(expired.expires_at.unwrap() < f.clock.now());
}

#[tokio::test]
async fn the_root_user_gets_at_most_an_hour() {
    let f = Fixture::new();
    let before = f.clock.now().timestamp();
    let creds = f.session(&root(), json!({"DurationSeconds": 129_600})).await;
    let expiration = creds["Expiration"].as_i64().unwrap();
    assert!((before + 3600..=f.clock.now().timestamp() + 3600).contains(&expiration));
    let caller = f.credentials.resolve(creds["AccessKeyId"].as_str().unwrap()).unwrap().caller;
    assert_eq!(caller.arn, "arn:aws:iam::123456789012:root");
}

#[tokio::test]
async fn sessions_cannot_start_sessions() {
    let f = Fixture::new();
    let alice = f.user("alice").await;
    let creds = f.session(&alice, json!({})).await;
    let session_caller = f.credentials.resolve(creds["AccessKeyId"].as_str().unwrap()).unwrap().caller;
    let err = f.sts(&session_caller, "GetSessionToken", json!({})).await.unwrap_err();
    assert_error(&err, "AccessDenied", 403, "Cannot call GetSessionToken with session credentials");
}

#[tokio::test]
async fn mfa_codes_cannot_be_validated() {
    let f = Fixture::new();
    let alice = f.user("alice").await;
    let input = json!({"SerialNumber": "arn:aws:iam::123456789012:mfa/alice", "TokenCode": "123456"});
    let err = f.sts(&alice, "GetSessionToken", input).await.unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("AccessDenied", 403));
    assert!(err.message.starts_with("MultiFactorAuthentication failed"), "{}", err.message);
}

#[tokio::test]
async fn assume_role_is_not_implemented() {
    let f = Fixture::new();
    let input = json!({"RoleArn": "arn:aws:iam::123456789012:role/builder", "RoleSessionName": "s"});
    let err = f.sts(&root(), "AssumeRole", input).await.unwrap_err();
    assert_eq!((err.code.as_str(), err.status), ("NotImplemented", 501));
    assert_eq!(f.sts.operations(), ["GetCallerIdentity", "GetSessionToken"]);
}
