//! cloudbox-sts: AWS Security Token Service.
//!
//! It answers who is calling (`identity`) and issues temporary credentials
//! (`session_token`). The credentials themselves are kept and resolved by
//! IAM's [`IamCredentials`], which STS shares with the authenticator.
//! AssumeRole and the other role and federation operations are not
//! implemented yet.

mod identity;
mod session_token;

use cloudbox_core::service::{parse_input, to_output};
use cloudbox_core::{AwsError, Clock, RequestContext, Service, ServiceFuture, Value};
use cloudbox_iam::IamCredentials;
use std::sync::Arc;

/// The operations this service implements.
pub const OPERATIONS: &[&str] = &["GetCallerIdentity", "GetSessionToken"];

/// The STS service.
pub struct StsService {
    /// Times expirations.
    clock: Clock,
    credentials: Arc<IamCredentials>,
}

impl StsService {
    /// STS keeps its sessions through `credentials`, which writes them to
    /// IAM's store.
    pub fn new(clock: Clock, credentials: Arc<IamCredentials>) -> StsService {
        StsService { clock, credentials }
    }

    async fn dispatch(&self, ctx: &RequestContext, operation: &str, input: Value) -> Result<Value, AwsError> {
        match operation {
            "GetCallerIdentity" => to_output(&identity::get_caller_identity(ctx)),
            "GetSessionToken" => {
                let input = parse_input(input)?;
                let output = session_token::get_session_token(&self.credentials, ctx, self.clock.now(), input).await?;
                to_output(&output)
            }
            other => Err(AwsError::not_implemented("sts", other)),
        }
    }
}

impl Service for StsService {
    fn name(&self) -> &'static str {
        "sts"
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
