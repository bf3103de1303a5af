//! Amazon CloudWatch.
//!
//! [`CloudWatchService`] receives requests decoded from any of CloudWatch's
//! three wire protocols (Smithy RPC v2 CBOR, JSON and query) and dispatches
//! each operation to the module of its resource family ([`metrics`] for now).
//! All state lives in the store, laid out by [`state`].
//!
//! Error codes are the query-protocol codes the model declares
//! (`InvalidParameterValue`, `MissingParameter`...): CloudWatch is
//! query-compatible, so those are the codes clients see on every protocol.

mod errors;
mod metrics;
pub mod state;

use cloudbox_core::{AwsError, Clock, RequestContext, Service, ServiceFuture, Value};
use cloudbox_store::Store;

/// The operations this crate implements, in the model's names.
pub const OPERATIONS: &[&str] = &["ListMetrics", "PutMetricData"];

/// CloudWatch, backed by the shared store.
pub struct CloudWatchService {
    store: Store,
    clock: Clock,
}

impl CloudWatchService {
    pub fn new(store: Store, clock: Clock) -> Self {
        CloudWatchService { store, clock }
    }

    async fn dispatch(&self, ctx: &RequestContext, operation: &str, input: Value) -> Result<Value, AwsError> {
        match operation {
            "PutMetricData" => metrics::put::put_metric_data(&self.store, &self.clock, ctx, input).await,
            "ListMetrics" => metrics::list::list_metrics(&self.store, &self.clock, ctx, input),
            other => Err(AwsError::not_implemented("cloudwatch", other)),
        }
    }
}

impl Service for CloudWatchService {
    fn name(&self) -> &'static str {
        "cloudwatch"
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
