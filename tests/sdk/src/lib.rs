//! Shared helpers for the end-to-end tests that drive a real cloudbox with
//! the AWS SDK for Rust.
