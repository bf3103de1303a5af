//! cloudbox-iam: AWS Identity and Access Management.
//!
//! It owns IAM users and their long-term access keys (and the root user's
//! own keys), the temporary credentials STS issues, and the resolver that
//! turns any of those access key ids into a secret and a principal for the
//! request authenticator ([`IamCredentials`]).
//!
//! Modules: `users` and `access_keys` hold the operations; `state` the
//! persisted records and their keys; `persist` store access; `principal`
//! who a request is about; `pagination` Marker/MaxItems paging;
//! `credentials` and `sessions` the resolver and temporary credentials;
//! `errors` IAM's error wording.

mod access_keys;
mod credentials;
mod errors;
mod pagination;
mod persist;
mod principal;
mod sessions;
mod state;
mod users;

pub use credentials::IamCredentials;
pub use principal::{CallerKind, caller_kind, uses_temporary_credentials};
pub use sessions::{EXPIRED_SESSION_RETENTION_SECONDS, SessionCredentials, SessionExpiry};

use cloudbox_core::service::{parse_input, to_output};
use cloudbox_core::{AwsError, Clock, RequestContext, Service, ServiceFuture, Value};
use cloudbox_store::Store;
use std::sync::Arc;

/// The operations this service implements.
pub const OPERATIONS: &[&str] = &[
    "CreateUser",
    "GetUser",
    "ListUsers",
    "DeleteUser",
    "CreateAccessKey",
    "ListAccessKeys",
    "UpdateAccessKey",
    "DeleteAccessKey",
];

/// The IAM service.
pub struct IamService {
    store: Store,
    /// Stamps creation dates.
    clock: Clock,
    credentials: Arc<IamCredentials>,
}

impl IamService {
    pub fn new(store: Store, clock: Clock) -> IamService {
        let credentials = Arc::new(IamCredentials::new(store.clone()));
        IamService { store, clock, credentials }
    }

    /// The resolver for every key IAM and STS issue; hand it to STS and to
    /// the request authenticator.
    pub fn credentials(&self) -> Arc<IamCredentials> {
        self.credentials.clone()
    }

    async fn dispatch(&self, ctx: &RequestContext, operation: &str, input: Value) -> Result<Value, AwsError> {
        match operation {
            "CreateUser" => to_output(&self.create_user(ctx, parse_input(input)?).await?),
            "GetUser" => to_output(&self.get_user(ctx, parse_input(input)?).await?),
            "ListUsers" => to_output(&self.list_users(ctx, parse_input(input)?).await?),
            "DeleteUser" => no_output(self.delete_user(ctx, parse_input(input)?).await?),
            "CreateAccessKey" => to_output(&self.create_access_key(ctx, parse_input(input)?).await?),
            "ListAccessKeys" => to_output(&self.list_access_keys(ctx, parse_input(input)?).await?),
            "UpdateAccessKey" => no_output(self.update_access_key(ctx, parse_input(input)?).await?),
            "DeleteAccessKey" => no_output(self.delete_access_key(ctx, parse_input(input)?).await?),
            other => Err(AwsError::not_implemented("iam", other)),
        }
    }
}

/// The output of an operation whose model has no output shape.
fn no_output(_: ()) -> Result<Value, AwsError> {
    Ok(Value::Object(Default::default()))
}

impl Service for IamService {
    fn name(&self) -> &'static str {
        "iam"
    }

    fn operations(&self) -> &'static [&'static str] {
        OPERATIONS
    }

    fn call<'a>(&'a self, ctx: &'a RequestContext, operation: &'a str, input: Value) -> ServiceFuture<'a> {
        Box::pin(self.dispatch(ctx, operation, input))
    }

    fn on_reset(&self) {
        self.credentials.clear();
    }
}
