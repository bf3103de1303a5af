//! The errors of requests that name no known operation or service, worded
//! as each protocol's services word them.

use crate::Wire;
use cloudbox_core::AwsError;

/// An operation the service does not have.
pub(crate) fn unknown_operation(wire: Wire, operation: &str, version: Option<&str>) -> AwsError {
    match wire {
        Wire::Query => AwsError::new(
            "InvalidAction",
            format!("Could not find operation {operation} for version {}", version.unwrap_or("NO_VERSION_SPECIFIED")),
            400,
        ),
        Wire::Ec2 => {
            AwsError::new("InvalidAction", format!("The action {operation} is not valid for this web service."), 400)
        }
        Wire::Json | Wire::Cbor => AwsError::new(
            "UnknownOperationException",
            format!("The operation {operation} is not known to this service"),
            400,
        ),
        Wire::RestJson | Wire::RestXml => {
            AwsError::new("UnknownOperationException", format!("No operation of this service matches {operation}"), 404)
        }
    }
}

/// A request for a service that speaks query or JSON but names no operation.
pub(crate) fn missing_operation(wire: Wire) -> AwsError {
    match wire {
        Wire::Query | Wire::Ec2 => AwsError::new("MissingAction", "Missing Action", 400),
        _ => AwsError::new("UnknownOperationException", "The request has no X-Amz-Target header", 400),
    }
}

/// A service cloudbox has no model of.
pub(crate) fn unknown_service(evidence: &str) -> AwsError {
    AwsError::new("NotImplemented", format!("cloudbox does not implement the service {evidence}"), 501)
}

/// A request whose routing evidence cannot be read.
pub(crate) fn unreadable(what: &str) -> AwsError {
    AwsError::new("InvalidRequest", format!("cannot tell which operation this request is for: {what}"), 400)
}
