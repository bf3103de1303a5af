//! End-to-end tests with the AWS SDK for Rust, one module per service; each
//! test starts its own cloudbox. They are one test binary so the SDK is
//! linked once.

mod cloudwatch;
mod dynamodb;
mod dynamodb_streams;
mod dynamodb_transactions;
mod glacier;
mod iam;
mod s3;
mod s3_multipart;
mod s3_objects;
mod strict;
mod sts;
mod tls;
