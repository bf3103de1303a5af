//! The s3 service.
