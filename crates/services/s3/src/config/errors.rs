//! The errors of the bucket configuration operations, with AWS's codes,
//! statuses and messages.

use super::stored::custom_error;
use crate::error_xml::ErrorDocument;
use http::StatusCode;
use s3s::{S3Error, S3ErrorCode};

fn error(code: S3ErrorCode, message: &'static str) -> S3Error {
    S3Error::with_message(code, message)
}

pub fn no_such_tag_set() -> S3Error {
    error(S3ErrorCode::NoSuchTagSet, "The TagSet does not exist")
}

pub fn no_such_cors_configuration() -> S3Error {
    error(S3ErrorCode::NoSuchCORSConfiguration, "The CORS configuration does not exist")
}

pub fn no_such_website_configuration() -> S3Error {
    error(S3ErrorCode::NoSuchWebsiteConfiguration, "The specified bucket does not have a website configuration")
}

pub fn no_such_lifecycle_configuration() -> S3Error {
    error(S3ErrorCode::NoSuchLifecycleConfiguration, "The lifecycle configuration does not exist")
}

pub fn no_such_bucket_policy() -> S3Error {
    error(S3ErrorCode::NoSuchBucketPolicy, "The bucket policy does not exist")
}

pub fn object_lock_configuration_not_found() -> S3Error {
    error(S3ErrorCode::ObjectLockConfigurationNotFoundError, "Object Lock configuration does not exist for this bucket")
}

pub fn ownership_controls_not_found() -> S3Error {
    error(S3ErrorCode::OwnershipControlsNotFoundError, "The bucket ownership controls were not found")
}

pub fn no_such_public_access_block() -> S3Error {
    custom_error(
        "NoSuchPublicAccessBlockConfiguration",
        StatusCode::NOT_FOUND,
        "The public access block configuration was not found",
    )
}

pub fn no_such_configuration() -> S3Error {
    custom_error("NoSuchConfiguration", StatusCode::NOT_FOUND, "The specified configuration does not exist.")
}

/// A bucket ACL other than the owner's full control, with BucketOwnerEnforced.
pub fn invalid_bucket_acl_with_object_ownership() -> S3Error {
    custom_error(
        "InvalidBucketAclWithObjectOwnership",
        http::StatusCode::BAD_REQUEST,
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting",
    )
}

pub fn access_control_list_not_supported() -> S3Error {
    error(S3ErrorCode::AccessControlListNotSupported, "The bucket does not allow ACLs")
}

pub fn invalid_tag(message: &'static str) -> S3Error {
    error(S3ErrorCode::InvalidTag, message)
}

pub fn malformed_xml() -> S3Error {
    error(
        S3ErrorCode::MalformedXML,
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
}

pub fn malformed_policy(message: String) -> S3Error {
    S3Error::with_message(S3ErrorCode::MalformedPolicy, message)
}

pub fn invalid_request(message: impl Into<String>) -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidRequest, message.into())
}

pub fn invalid_argument(message: impl Into<String>) -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidArgument, message.into())
}

pub fn invalid_bucket_state(message: &'static str) -> S3Error {
    error(S3ErrorCode::InvalidBucketState, message)
}

pub fn invalid_target_bucket_for_logging(message: &'static str) -> S3Error {
    error(S3ErrorCode::InvalidTargetBucketForLogging, message)
}

pub fn malformed_acl() -> S3Error {
    error(
        S3ErrorCode::MalformedACLError,
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
}

/// s3s answers XML bodies it cannot read with a `MalformedXML` error that
/// has no message; give it S3's (the gateway calls this on every response).
pub fn complete_malformed_xml(response: &mut http::Response<s3s::Body>) {
    if response.status() != StatusCode::BAD_REQUEST {
        return;
    }
    let Some(body) = response.body().bytes() else { return };
    let Some(mut document) = ErrorDocument::parse(&body) else { return };
    if document.code() != Some("MalformedXML") || document.member("Message").is_some() {
        return;
    }
    document.set_message_if_missing(
        "The XML you provided was not well-formed or did not validate against our published schema",
    );
    let completed = document.to_xml();
    if let Ok(length) = http::HeaderValue::from_str(&completed.len().to_string()) {
        response.headers_mut().insert(http::header::CONTENT_LENGTH, length);
    }
    *response.body_mut() = s3s::Body::from(bytes::Bytes::from(completed));
}
