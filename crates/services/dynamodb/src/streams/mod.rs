//! DynamoDB Streams: the change log of tables, and the `dynamodbstreams`
//! service that reads it.
//!
//! - [`lifecycle`]: enabling and disabling a table's stream (CreateTable,
//!   UpdateTable, DeleteTable call it).
//! - [`record`]: appending a change, from the change hook, in the writer's
//!   transaction.
//! - [`read`]: ListStreams, DescribeStream, GetShardIterator, GetRecords.
//! - [`retention`]: the 24-hour trim, as timed work.
//! - [`state`], [`table`], [`iterator`]: storage layout, the table record's
//!   stream fields, shard iterators.

pub mod iterator;
pub mod lifecycle;
mod read;
pub mod record;
pub mod retention;
pub mod state;
pub mod table;

use cloudbox_core::{AwsError, RequestContext, Service, ServiceFuture, Value};
use cloudbox_store::Store;

pub use retention::StreamRetention;

/// The operations the DynamoDB Streams service implements, in the model's names.
pub const OPERATIONS: &[&str] = &["DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"];

/// Amazon DynamoDB Streams, reading the streams DynamoDB writes into the store.
pub struct DynamoDbStreamsService {
    store: Store,
}

impl DynamoDbStreamsService {
    pub fn new(store: Store) -> Self {
        DynamoDbStreamsService { store }
    }

    fn dispatch(&self, ctx: &RequestContext, operation: &str, input: Value) -> Result<Value, AwsError> {
        match operation {
            "ListStreams" => read::list_streams(&self.store, ctx, input),
            "DescribeStream" => read::describe_stream(&self.store, ctx, input),
            "GetShardIterator" => read::get_shard_iterator(&self.store, ctx, input),
            "GetRecords" => read::get_records(&self.store, ctx, input),
            other => Err(AwsError::not_implemented("dynamodbstreams", other)),
        }
    }
}

impl Service for DynamoDbStreamsService {
    fn name(&self) -> &'static str {
        "dynamodbstreams"
    }

    fn operations(&self) -> &'static [&'static str] {
        OPERATIONS
    }

    fn call<'a>(&'a self, ctx: &'a RequestContext, operation: &'a str, input: Value) -> ServiceFuture<'a> {
        Box::pin(async move { self.dispatch(ctx, operation, input) })
    }
}

#[cfg(test)]
pub(crate) mod tests;
