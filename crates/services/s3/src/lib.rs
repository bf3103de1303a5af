//! Amazon S3.
//!
//! S3's REST-XML protocol (routing, virtual-hosted and path-style
//! addressing, SigV4 and SigV2 checks, streaming payloads, XML bodies) is
//! handled by the s3s crate; this crate implements s3s's [`s3s::S3`] trait on
//! cloudbox's store ([`CloudboxS3`]) and wraps it in the [`S3Gateway`] the
//! server hands S3 requests to.
//!
//! - [`gateway`]: building the s3s service and handling one request;
//! - [`auth`] and [`identity`]: who signed a request, in strict and
//!   permissive mode;
//! - [`host`]: which Host headers carry a bucket name;
//! - [`buckets`]: the bucket operations;
//! - [`state`]: the store key layout.

mod auth;
mod buckets;
mod caller;
mod errors;
mod gateway;
mod host;
mod identity;
pub mod state;

pub use gateway::{S3Gateway, s3_service};
/// The body type of the requests and responses [`S3Gateway::handle`] takes
/// and returns; it converts from `hyper::body::Incoming` and `bytes::Bytes`.
pub use s3s::Body;

use cloudbox_core::{Clock, CredentialResolver};
use cloudbox_store::Store;
use std::sync::Arc;

/// The S3 operations this crate implements, in the model's names. Every
/// other operation answers s3s's `NotImplemented`.
pub const OPERATIONS: &[&str] = &["CreateBucket", "DeleteBucket", "GetBucketLocation", "HeadBucket", "ListBuckets"];

/// cloudbox's implementation of the S3 API.
pub struct CloudboxS3 {
    store: Store,
    clock: Clock,
    credentials: Arc<dyn CredentialResolver>,
}

impl CloudboxS3 {
    pub fn new(store: Store, clock: Clock, credentials: Arc<dyn CredentialResolver>) -> Self {
        CloudboxS3 { store, clock, credentials }
    }
}

#[cfg(test)]
mod tests;
