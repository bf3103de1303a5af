//! S3's errors, with the codes and messages AWS uses.

use cloudbox_store::StoreError;
use s3s::{S3Error, S3ErrorCode};

fn error(code: S3ErrorCode, message: &'static str) -> S3Error {
    S3Error::with_message(code, message)
}

pub fn no_such_bucket() -> S3Error {
    error(S3ErrorCode::NoSuchBucket, "The specified bucket does not exist")
}

pub fn access_denied() -> S3Error {
    error(S3ErrorCode::AccessDenied, "Access Denied")
}

pub fn invalid_bucket_name() -> S3Error {
    error(S3ErrorCode::InvalidBucketName, "The specified bucket is not valid.")
}

pub fn bucket_already_exists() -> S3Error {
    error(
        S3ErrorCode::BucketAlreadyExists,
        "The requested bucket name is not available. The bucket namespace is shared by all users of the system. \
         Please select a different name and try again.",
    )
}

pub fn bucket_already_owned_by_you() -> S3Error {
    error(
        S3ErrorCode::BucketAlreadyOwnedByYou,
        "Your previous request to create the named bucket succeeded and you already own it.",
    )
}

pub fn bucket_not_empty() -> S3Error {
    error(S3ErrorCode::BucketNotEmpty, "The bucket you tried to delete is not empty")
}

pub fn invalid_location_constraint() -> S3Error {
    error(S3ErrorCode::InvalidLocationConstraint, "The specified location-constraint is not valid")
}

/// A location constraint that the endpoint's region does not allow; `None`
/// when the request named no constraint.
pub fn illegal_location_constraint(constraint: Option<&str>) -> S3Error {
    let named = constraint.unwrap_or("unspecified");
    S3Error::with_message(
        S3ErrorCode::IllegalLocationConstraintException,
        format!(
            "The {named} location constraint is incompatible for the region specific endpoint this request was sent to."
        ),
    )
}

pub fn invalid_argument(message: &'static str) -> S3Error {
    error(S3ErrorCode::InvalidArgument, message)
}

pub fn invalid_access_key_id() -> S3Error {
    error(S3ErrorCode::InvalidAccessKeyId, "The AWS Access Key Id you provided does not exist in our records.")
}

pub fn expired_token() -> S3Error {
    error(S3ErrorCode::ExpiredToken, "The provided token has expired.")
}

pub fn invalid_token() -> S3Error {
    error(S3ErrorCode::InvalidToken, "The provided token is malformed or otherwise invalid.")
}

pub fn store_failure(err: StoreError) -> S3Error {
    S3Error::with_message(S3ErrorCode::InternalError, format!("We encountered an internal error: {err}"))
}

/// The error of a store transaction: the operation's own, or the store's.
pub struct TxnFailure(pub S3Error);

impl From<StoreError> for TxnFailure {
    fn from(err: StoreError) -> Self {
        TxnFailure(store_failure(err))
    }
}
