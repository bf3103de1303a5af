//! cloudbox-ec2: Amazon EC2 as cloudbox serves it.
//!
//! [`Ec2Service`] dispatches each operation to the module of its resource
//! family; [`geography`] owns regions and zones. Operations not listed in
//! [`OPERATIONS`] answer `NotImplemented` from the gateway.

// Handlers return the core contract's `AwsError` by value, as every service does.
#![allow(clippy::result_large_err)]

mod errors;
mod filters;
pub mod geography;
mod wildcard;

use cloudbox_core::{AwsError, RequestContext, Service, ServiceFuture, Value};

/// The EC2 operations cloudbox implements.
pub const OPERATIONS: &[&str] = &["DescribeAvailabilityZones", "DescribeRegions"];

/// The EC2 service.
#[derive(Debug, Default)]
pub struct Ec2Service {}

impl Ec2Service {
    pub fn new() -> Self {
        Ec2Service {}
    }

    fn dispatch(&self, ctx: &RequestContext, operation: &str, input: Value) -> Result<Value, AwsError> {
        // EC2 has an endpoint in every region it knows, and in no other.
        let region =
            geography::region(ctx.region.as_str()).ok_or_else(|| errors::invalid_region(ctx.region.as_str()))?;
        match operation {
            "DescribeRegions" => geography::describe_regions(input),
            "DescribeAvailabilityZones" => geography::describe_availability_zones(region, input),
            other => Err(AwsError::not_implemented("ec2", other)),
        }
    }
}

impl Service for Ec2Service {
    fn name(&self) -> &'static str {
        "ec2"
    }

    fn operations(&self) -> &'static [&'static str] {
        OPERATIONS
    }

    fn call<'a>(&'a self, ctx: &'a RequestContext, operation: &'a str, input: Value) -> ServiceFuture<'a> {
        Box::pin(async move { self.dispatch(ctx, operation, input) })
    }
}
