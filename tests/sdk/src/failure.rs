//! What a failed SDK call came back with: the error code the SDK parsed
//! (`ProvideErrorMetadata::code()`), the HTTP status and the message.

use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;
use std::fmt::Debug;

/// A service error as the client saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub code: String,
    pub status: u16,
    pub message: String,
}

impl Failure {
    /// `(code, status)`, for one-line assertions.
    pub fn code_and_status(&self) -> (&str, u16) {
        (&self.code, self.status)
    }
}

/// The failure of `result`; panics if the call succeeded or never got an
/// answer from the server.
pub fn failure<T: Debug, E>(result: Result<T, SdkError<E, HttpResponse>>) -> Failure
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    let err = match result {
        Ok(output) => panic!("the call succeeded: {output:?}"),
        Err(err) => err,
    };
    let status = match err.raw_response() {
        Some(response) => response.status().as_u16(),
        None => panic!("no answer from the server: {:?}", err),
    };
    Failure {
        code: err.code().unwrap_or_default().to_string(),
        status,
        message: err.message().unwrap_or_default().to_string(),
    }
}
