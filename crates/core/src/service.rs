//! The contract between the gateway and a service implementation.
//!
//! A service never sees HTTP: it gets a decoded, validated input value tree
//! and returns an output value tree or an [`AwsError`]. The gateway picks the
//! wire protocol, decodes and encodes.

use crate::{AwsError, RequestContext, Value};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

/// What a service call returns.
pub type ServiceFuture<'a> = Pin<Box<dyn Future<Output = Result<Value, AwsError>> + Send + 'a>>;

/// One AWS service, as served by cloudbox.
pub trait Service: Send + Sync + 'static {
    /// The model name this service implements (e.g. `sts`, `dynamodb`).
    fn name(&self) -> &'static str;

    /// The operations this service implements. Every other operation of the
    /// model answers `NotImplemented`; the coverage table is computed from this.
    fn operations(&self) -> &'static [&'static str];

    /// Run one operation. `input` has already been validated against the
    /// operation's input shape.
    fn call<'a>(&'a self, ctx: &'a RequestContext, operation: &'a str, input: Value) -> ServiceFuture<'a>;

    /// Forget any state cached outside the store; called after the store is
    /// emptied by an admin reset.
    fn on_reset(&self) {}
}

/// Convert a decoded input tree into a handler's own input struct.
/// The tree was validated against the model, so a failure here means the
/// handler's struct disagrees with the model: a validation error all the same.
pub fn parse_input<T: DeserializeOwned>(input: Value) -> Result<T, AwsError> {
    serde_json::from_value(input).map_err(|e| AwsError::validation(format!("invalid input: {e}")))
}

/// Convert a handler's output struct into the value tree the engines encode.
pub fn to_output<T: Serialize>(output: &T) -> Result<Value, AwsError> {
    serde_json::to_value(output).map_err(|e| AwsError::internal(format!("cannot encode output: {e}")))
}
