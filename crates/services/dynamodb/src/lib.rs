//! Amazon DynamoDB.
//!
//! [`DynamoDbService`] receives decoded JSON 1.0 requests from the gateway and
//! dispatches each operation to the module of its resource family
//! ([`tables`] for now). All state lives in the store, laid out by [`state`].

pub mod changes;
mod errors;
pub mod state;
mod tables;
pub mod value;

use cloudbox_core::{AwsError, Clock, RequestContext, Service, ServiceFuture, Value};
use cloudbox_store::Store;

/// The operations this crate implements, in the model's names.
pub const OPERATIONS: &[&str] = &["ListTables"];

/// DynamoDB, backed by the shared store.
pub struct DynamoDbService {
    store: Store,
    /// Creation and update times of tables and items come from this clock.
    #[allow(dead_code)]
    clock: Clock,
}

impl DynamoDbService {
    pub fn new(store: Store, clock: Clock) -> Self {
        DynamoDbService { store, clock }
    }

    async fn dispatch(&self, ctx: &RequestContext, operation: &str, input: Value) -> Result<Value, AwsError> {
        match operation {
            "ListTables" => tables::list::list_tables(&self.store, ctx, input),
            other => Err(AwsError::not_implemented("dynamodb", other)),
        }
    }
}

impl Service for DynamoDbService {
    fn name(&self) -> &'static str {
        "dynamodb"
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
