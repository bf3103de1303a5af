//! The EC2 errors cloudbox answers, with AWS's codes, messages and statuses.

use cloudbox_core::AwsError;

/// A request with `DryRun` set that would otherwise have succeeded.
pub fn dry_run_operation() -> AwsError {
    AwsError::new("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412)
}

/// A filter name the operation does not support.
pub fn invalid_filter(name: &str) -> AwsError {
    invalid_parameter_value(format!("The filter '{name}' is invalid"))
}

/// A region name that is not a region (DescribeRegions' `RegionNames`), or a
/// request sent to a region that does not exist.
pub fn invalid_region(name: &str) -> AwsError {
    invalid_parameter_value(format!("Invalid region: [{name}]"))
}

/// A zone name that is not a zone of the request's region.
pub fn invalid_zone_name(name: &str) -> AwsError {
    invalid_parameter_value(format!("Invalid availability zone: [{name}]"))
}

/// A zone id that is not a zone of the request's region.
pub fn invalid_zone_id(id: &str) -> AwsError {
    invalid_parameter_value(format!("Invalid availability zone-id: [{id}]"))
}

fn invalid_parameter_value(message: String) -> AwsError {
    AwsError::new("InvalidParameterValue", message, 400)
}
