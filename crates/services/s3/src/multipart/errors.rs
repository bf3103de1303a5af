//! The errors of multipart uploads, with the codes and messages S3 uses.
//! Those shared with the object operations come from there.

pub use crate::objects::errors::{
    checksum_mismatch, copy_from_delete_marker, copy_source_too_large, entity_too_large, invalid_range, malformed_xml,
    precondition_failed,
};
use s3s::{S3Error, S3ErrorCode};

pub fn no_such_upload() -> S3Error {
    S3Error::with_message(
        S3ErrorCode::NoSuchUpload,
        "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or \
         completed.",
    )
}

pub fn invalid_part_number() -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidArgument, "Part number must be an integer between 1 and 10000, inclusive")
}

pub fn invalid_part() -> S3Error {
    S3Error::with_message(
        S3ErrorCode::InvalidPart,
        "One or more of the specified parts could not be found.  The part may not have been uploaded, or the \
         specified entity tag may not have matched the part's entity tag.",
    )
}

pub fn invalid_part_order() -> S3Error {
    S3Error::with_message(
        S3ErrorCode::InvalidPartOrder,
        "The list of parts was not in ascending order. Parts must be ordered by part number.",
    )
}

pub fn entity_too_small() -> S3Error {
    S3Error::with_message(S3ErrorCode::EntityTooSmall, "Your proposed upload is smaller than the minimum allowed size")
}

pub fn invalid_request(message: impl Into<String>) -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidRequest, message.into())
}

pub fn invalid_argument(message: impl Into<String>) -> S3Error {
    S3Error::with_message(S3ErrorCode::InvalidArgument, message.into())
}
