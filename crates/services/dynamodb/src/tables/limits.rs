//! DescribeLimits and DescribeEndpoints: fixed facts about the service.

use cloudbox_core::{AwsError, RequestContext, Value};
use serde_json::json;

/// The default quotas of a new AWS account.
pub fn describe_limits() -> Result<Value, AwsError> {
    Ok(json!({
        "AccountMaxReadCapacityUnits": 80000,
        "AccountMaxWriteCapacityUnits": 80000,
        "TableMaxReadCapacityUnits": 40000,
        "TableMaxWriteCapacityUnits": 40000
    }))
}

/// The regional endpoint, cached for a day as AWS says.
pub fn describe_endpoints(ctx: &RequestContext) -> Result<Value, AwsError> {
    Ok(json!({
        "Endpoints": [{"Address": format!("dynamodb.{}.amazonaws.com", ctx.region), "CachePeriodInMinutes": 1440}]
    }))
}
