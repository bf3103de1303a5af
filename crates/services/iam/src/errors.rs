//! The errors IAM answers with, worded and coded as AWS words and codes them.

use cloudbox_core::AwsError;

pub fn no_such_user(user_name: &str) -> AwsError {
    AwsError::new("NoSuchEntity", format!("The user with name {user_name} cannot be found."), 404)
}

pub fn no_such_access_key(access_key_id: &str) -> AwsError {
    AwsError::new("NoSuchEntity", format!("The Access Key with id {access_key_id} cannot be found."), 404)
}

pub fn user_already_exists(user_name: &str) -> AwsError {
    AwsError::new("EntityAlreadyExists", format!("User with name {user_name} already exists."), 409)
}

pub fn user_still_has_access_keys() -> AwsError {
    AwsError::new("DeleteConflict", "Cannot delete entity, must delete access keys first.", 409)
}

pub fn access_key_quota_exceeded(quota: usize) -> AwsError {
    AwsError::new("LimitExceeded", format!("Cannot exceed quota for AccessKeysPerUser: {quota}"), 409)
}

pub fn duplicate_tag_keys() -> AwsError {
    AwsError::new("InvalidInput", "Duplicate tag keys found. Please note that Tag keys are case insensitive.", 400)
}

pub fn invalid_permissions_boundary(arn: &str) -> AwsError {
    AwsError::new("InvalidInput", format!("Value ({arn}) for parameter PermissionsBoundary is invalid."), 400)
}

/// Asked about "my own" user with credentials that belong to no user.
pub fn user_name_required() -> AwsError {
    AwsError::validation("Must specify userName when calling with non-User credentials")
}

/// A key status the operation cannot set (the model also allows `Expired`).
pub fn invalid_key_status(status: &str) -> AwsError {
    AwsError::validation(format!(
        "1 validation error detected: Value '{status}' at 'status' failed to satisfy constraint: \
         Member must satisfy enum value set: [Active, Inactive]"
    ))
}
