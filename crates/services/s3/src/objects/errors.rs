//! The errors of the object operations, with AWS's codes and messages.

use s3s::{S3Error, S3ErrorCode};

fn error(code: S3ErrorCode, message: &'static str) -> S3Error {
    S3Error::with_message(code, message)
}

pub fn no_such_key() -> S3Error {
    error(S3ErrorCode::NoSuchKey, "The specified key does not exist.")
}

pub fn no_such_version() -> S3Error {
    error(S3ErrorCode::NoSuchVersion, "The specified version does not exist.")
}

pub fn invalid_version_id() -> S3Error {
    error(S3ErrorCode::InvalidArgument, "Invalid version id specified")
}

pub fn method_not_allowed() -> S3Error {
    error(S3ErrorCode::MethodNotAllowed, "The specified method is not allowed against this resource.")
}

pub fn key_too_long() -> S3Error {
    error(S3ErrorCode::KeyTooLongError, "Your key is too long")
}

pub fn metadata_too_large() -> S3Error {
    error(S3ErrorCode::MetadataTooLarge, "Your metadata headers exceed the maximum allowed metadata size.")
}

pub fn entity_too_large() -> S3Error {
    error(S3ErrorCode::EntityTooLarge, "Your proposed upload exceeds the maximum allowed size")
}

pub fn invalid_storage_class() -> S3Error {
    error(S3ErrorCode::InvalidStorageClass, "The storage class you specified is not valid")
}

pub fn invalid_digest() -> S3Error {
    error(S3ErrorCode::InvalidDigest, "The Content-MD5 you specified was invalid.")
}

pub fn bad_digest() -> S3Error {
    error(S3ErrorCode::BadDigest, "The Content-MD5 you specified did not match what we received.")
}

/// A flexible checksum that did not match the body.
pub fn checksum_mismatch(algorithm: &str) -> S3Error {
    S3Error::with_message(
        S3ErrorCode::BadDigest,
        format!("The {algorithm} you specified did not match the calculated checksum."),
    )
}

/// A checksum header whose value cannot be a checksum of its algorithm.
pub fn invalid_checksum(algorithm: &str) -> S3Error {
    S3Error::with_message(
        S3ErrorCode::InvalidRequest,
        format!("Value for x-amz-checksum-{} header is invalid.", algorithm.to_ascii_lowercase()),
    )
}

pub fn multiple_checksums() -> S3Error {
    error(
        S3ErrorCode::InvalidRequest,
        "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.",
    )
}

pub fn invalid_checksum_algorithm() -> S3Error {
    error(
        S3ErrorCode::InvalidRequest,
        "Checksum algorithm provided is unsupported. Please try again with any of the valid types: \
         [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]",
    )
}

pub fn incomplete_body() -> S3Error {
    error(
        S3ErrorCode::IncompleteBody,
        "You did not provide the number of bytes specified by the Content-Length HTTP header",
    )
}

pub fn precondition_failed() -> S3Error {
    error(S3ErrorCode::PreconditionFailed, "At least one of the pre-conditions you specified did not hold")
}

pub fn conditional_request_conflict() -> S3Error {
    error(
        S3ErrorCode::ConditionalRequestConflict,
        "The conditional request cannot succeed due to a conflicting operation against this resource.",
    )
}

pub fn not_modified() -> S3Error {
    error(S3ErrorCode::NotModified, "Not Modified")
}

pub fn invalid_range() -> S3Error {
    error(S3ErrorCode::InvalidRange, "The requested range is not satisfiable")
}

pub fn invalid_part_number() -> S3Error {
    let mut err = error(S3ErrorCode::Custom("InvalidPartNumber".into()), "The requested partnumber is not satisfiable");
    err.set_status_code(http::StatusCode::RANGE_NOT_SATISFIABLE);
    err
}

pub fn copy_to_itself() -> S3Error {
    error(
        S3ErrorCode::InvalidRequest,
        "This copy request is illegal because it is trying to copy an object to itself without changing the \
         object's metadata, storage class, website redirect location or encryption attributes.",
    )
}

pub fn copy_source_too_large() -> S3Error {
    error(
        S3ErrorCode::InvalidRequest,
        "The specified copy source is larger than the maximum allowable size for a copy source: 5368709120",
    )
}

pub fn copy_from_delete_marker() -> S3Error {
    error(
        S3ErrorCode::InvalidRequest,
        "The source of a copy request may not specifically refer to a delete marker by version id.",
    )
}

pub fn invalid_metadata_directive() -> S3Error {
    error(S3ErrorCode::InvalidArgument, "Unknown metadata directive.")
}

pub fn invalid_tagging_directive() -> S3Error {
    error(S3ErrorCode::InvalidArgument, "Unknown tagging directive.")
}

pub fn missing_content_md5() -> S3Error {
    error(S3ErrorCode::InvalidRequest, "Missing required header for this request: Content-MD5")
}

pub fn malformed_xml() -> S3Error {
    error(
        S3ErrorCode::MalformedXML,
        "The XML you provided was not well-formed or did not validate against our published schema",
    )
}

pub fn not_implemented(what: &'static str) -> S3Error {
    error(S3ErrorCode::NotImplemented, what)
}

pub fn internal(err: impl std::fmt::Display) -> S3Error {
    S3Error::with_message(S3ErrorCode::InternalError, format!("We encountered an internal error: {err}"))
}
