//! What streams read from, and write into, a table's record: its scope, its
//! key, and its stream settings (`StreamSpecification`, `LatestStreamArn`,
//! `LatestStreamLabel`).

use crate::errors::{corrupt, validation};
use crate::state::TableRecord;
use cloudbox_core::arn::Arn;
use cloudbox_core::{AccountId, AwsError, Region};

/// The stream a table writes to, while its stream is enabled.
#[derive(Debug, Clone, PartialEq)]
pub struct TableStream {
    pub view_type: String,
    pub label: String,
}

/// The table's enabled stream, if it has one.
pub fn stream_of(table: &TableRecord) -> Option<TableStream> {
    let spec = table.stream_specification.as_ref()?;
    if spec.get("StreamEnabled").and_then(|v| v.as_bool()) != Some(true) {
        return None;
    }
    let view_type = spec.get("StreamViewType")?.as_str()?.to_string();
    let label = table.latest_stream_label.clone()?;
    Some(TableStream { view_type, label })
}

/// The account and region a table belongs to, read from its ARN.
pub fn table_scope(table: &TableRecord) -> Result<(AccountId, Region), AwsError> {
    let arn = Arn::parse(&table.table_arn);
    let account = arn.as_ref().and_then(|a| AccountId::parse(&a.account));
    match (arn, account) {
        (Some(arn), Some(account)) => Ok((account, Region::new(arn.region))),
        _ => Err(corrupt(format!("table ARN {} is malformed", table.table_arn))),
    }
}

/// A stream specification as a request gives it, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestedStream {
    pub enabled: bool,
    pub view_type: Option<String>,
}

/// Read a request's `StreamSpecification` member.
pub fn requested(spec: &serde_json::Value) -> RequestedStream {
    RequestedStream {
        enabled: spec.get("StreamEnabled").and_then(|v| v.as_bool()).unwrap_or(false),
        view_type: spec.get("StreamViewType").and_then(|v| v.as_str()).map(str::to_string),
    }
}

/// The `StreamSpecification` a table with an enabled stream describes.
pub fn enabled_specification(view_type: &str) -> serde_json::Value {
    serde_json::json!({"StreamEnabled": true, "StreamViewType": view_type})
}

/// The error for a specification that cannot be applied.
pub fn invalid(message: &str) -> AwsError {
    validation(format!("One or more parameter values were invalid: {message}"))
}
