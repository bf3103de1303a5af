//! AWS-shaped errors: a code, a message, an HTTP status and who is at fault.
//!
//! Every protocol engine knows how to render an [`AwsError`] in its own wire
//! format; handlers only ever build one.

use std::fmt;

/// Whose fault an error is; query protocols print it as `Sender`/`Receiver`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Sender,
    Receiver,
}

/// An error as an AWS client sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct AwsError {
    /// The error code, e.g. `ValidationException` or `NoSuchEntity`.
    pub code: String,
    pub message: String,
    /// HTTP status code.
    pub status: u16,
    pub fault: Fault,
    /// Extra members of the error shape beyond code and message (for example
    /// DynamoDB's `CancellationReasons`), as a JSON object. Boxed: errors
    /// travel in every `Result`, so the common case stays small.
    pub extra: Option<Box<serde_json::Map<String, serde_json::Value>>>,
}

impl AwsError {
    pub fn new(code: impl Into<String>, message: impl Into<String>, status: u16) -> Self {
        let fault = if status >= 500 { Fault::Receiver } else { Fault::Sender };
        AwsError { code: code.into(), message: message.into(), status, fault, extra: None }
    }

    /// Attach one extra member of the error shape.
    pub fn with_member(mut self, name: &str, value: serde_json::Value) -> Self {
        self.extra.get_or_insert_with(Default::default).insert(name.to_string(), value);
        self
    }

    /// A modelled operation that has no handler yet.
    pub fn not_implemented(service: &str, operation: &str) -> Self {
        AwsError::new(
            "NotImplemented",
            format!("The operation {operation} of service {service} is not implemented by cloudbox"),
            501,
        )
    }

    pub fn validation(message: impl Into<String>) -> Self {
        AwsError::new("ValidationError", message, 400)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        AwsError::new("InternalFailure", message, 500)
    }

    pub fn access_denied(message: impl Into<String>) -> Self {
        AwsError::new("AccessDenied", message, 403)
    }
}

impl fmt::Display for AwsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({}): {}", self.code, self.status, self.message)
    }
}

impl std::error::Error for AwsError {}
