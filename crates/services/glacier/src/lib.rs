//! Amazon S3 Glacier (the vault API of 2012).
//!
//! [`GlacierService`] receives decoded REST-JSON requests from the gateway and
//! dispatches each operation to the module of its resource family
//! ([`vaults`] for now). All state lives in the store, laid out by [`state`].

mod account;
mod errors;
pub mod state;
mod vaults;

use cloudbox_core::{AwsError, Clock, RequestContext, Service, ServiceFuture, Value};
use cloudbox_store::Store;

/// The operations this crate implements, in the model's names.
pub const OPERATIONS: &[&str] = &["CreateVault", "DeleteVault", "DescribeVault", "ListVaults"];

/// Glacier, backed by the shared store.
pub struct GlacierService {
    store: Store,
    clock: Clock,
}

impl GlacierService {
    pub fn new(store: Store, clock: Clock) -> Self {
        GlacierService { store, clock }
    }

    async fn dispatch(&self, ctx: &RequestContext, operation: &str, input: Value) -> Result<Value, AwsError> {
        match operation {
            "CreateVault" => vaults::create::create_vault(&self.store, &self.clock, ctx, input).await,
            "DescribeVault" => vaults::describe::describe_vault(&self.store, ctx, input),
            "ListVaults" => vaults::list::list_vaults(&self.store, ctx, input),
            "DeleteVault" => vaults::delete::delete_vault(&self.store, ctx, input).await,
            other => Err(AwsError::not_implemented("glacier", other)),
        }
    }
}

impl Service for GlacierService {
    fn name(&self) -> &'static str {
        "glacier"
    }

    fn operations(&self) -> &'static [&'static str] {
        OPERATIONS
    }

    fn call<'a>(&'a self, ctx: &'a RequestContext, operation: &'a str, input: Value) -> ServiceFuture<'a> {
        Box::pin(self.dispatch(ctx, operation, input))
    }
}

#[cfg(test)]
mod tests;
