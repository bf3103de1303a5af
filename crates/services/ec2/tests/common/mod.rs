//! Test helpers: call the EC2 service the way the gateway does.

#![allow(dead_code)]

use cloudbox_core::{AccountId, AwsError, Caller, RequestContext, Service, Value};
use cloudbox_ec2::Ec2Service;
use serde_json::json;

/// A request context for `operation` in `region`, from the default account.
pub fn context(region: &str, operation: &str) -> RequestContext {
    let caller = Caller::root(AccountId::default_account(), "AKIAIOSFODNN7EXAMPLE");
    RequestContext::new(
        "test-request",
        caller,
        cloudbox_core::Region::new(region),
        "ec2",
        operation,
        chrono::Utc::now(),
    )
}

/// Run one operation in a region with a value-tree input.
pub fn call_in(region: &str, operation: &str, input: Value) -> Result<Value, AwsError> {
    let service = Ec2Service::new();
    let ctx = context(region, operation);
    futures::executor::block_on(service.call(&ctx, operation, input))
}

/// A filter list with one filter.
pub fn filter(name: &str, values: &[&str]) -> Value {
    json!([{ "Name": name, "Values": values }])
}

/// The values of one string member across a list of items.
pub fn member<'a>(items: &'a [Value], name: &str) -> Vec<&'a str> {
    items.iter().map(|item| item[name].as_str().unwrap_or_default()).collect()
}

/// Assert an error's code, message and status.
pub fn assert_error(result: Result<Value, AwsError>, code: &str, message: &str, status: u16) {
    let err = result.expect_err("expected an error");
    assert_eq!((err.code.as_str(), err.message.as_str(), err.status), (code, message, status));
}
