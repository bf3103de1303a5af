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
//! - [`presign`]: presigned URLs' lifetime and signature;
//! - [`signed_read`]: plain signed GETs and HEADs, verified before s3s;
//! - [`post`]: browser POST uploads;
//! - [`website`]: static website hosting on the website endpoint;
//! - [`access_log`]: server access logs delivered to target buckets;
//! - [`buckets`]: the bucket operations;
//! - [`config`]: bucket configurations (tagging, CORS, website, logging,
//!   encryption, lifecycle, ACLs, ownership, public access block, policy,
//!   object lock, ...) and object tag validation;
//! - [`access`]: the one authorization entry point, `access::authorize`;
//! - [`objects`]: object versions and the object operations;
//! - [`listing`]: ListObjects, ListObjectsV2 and ListObjectVersions;
//! - [`multipart`]: multipart uploads;
//! - [`lifecycle`]: lifecycle rules executed on cloudbox's clock;
//! - [`restore`]: Glacier storage classes and RestoreObject;
//! - [`lock`]: object retention and legal holds, enforced;
//! - [`encryption`]: SSE-S3 and SSE-C at rest;
//! - [`blobs`]: where object bodies live;
//! - [`chunked`]: aws-chunked bodies the gateway decodes itself;
//! - [`state`]: the store key layout;
//! - [`cache`]: bucket facts and the SSE-S3 key kept in memory.

mod access;
mod access_log;
mod auth;
pub mod blobs;
mod buckets;
mod cache;
mod caller;
mod chunked;
pub mod config;
pub mod encryption;
mod error_xml;
mod errors;
mod gateway;
mod host;
mod identity;
mod lifecycle;
mod listing;
mod lock;
mod multipart;
pub mod objects;
mod post;
mod presign;
mod restore;
mod signed_read;
pub mod state;
mod website;

pub use access_log::RemoteAddr;
pub use buckets::settings::BucketSettings;
pub use gateway::{S3Gateway, s3_service, s3_service_in};
/// The body type of the requests and responses [`S3Gateway::handle`] takes
/// and returns; it converts from `hyper::body::Incoming` and `bytes::Bytes`.
pub use s3s::Body;

use blobs::Blobs;
use cloudbox_core::{Clock, CredentialResolver};
use cloudbox_store::Store;
use std::sync::Arc;

/// The S3 operations this crate implements, in the model's names. Every
/// other operation answers s3s's `NotImplemented`.
pub const OPERATIONS: &[&str] = &[
    // Buckets.
    "CreateBucket",
    "DeleteBucket",
    "GetBucketLocation",
    "HeadBucket",
    "ListBuckets",
    // Objects, versioning and listing.
    "PutObject",
    "GetObject",
    "HeadObject",
    "DeleteObject",
    "DeleteObjects",
    "CopyObject",
    "GetObjectAttributes",
    "PutBucketVersioning",
    "GetBucketVersioning",
    "ListObjects",
    "ListObjectsV2",
    "ListObjectVersions",
    // Bucket configurations.
    "PutBucketTagging",
    "GetBucketTagging",
    "DeleteBucketTagging",
    "PutBucketCors",
    "GetBucketCors",
    "DeleteBucketCors",
    "PutBucketWebsite",
    "GetBucketWebsite",
    "DeleteBucketWebsite",
    "PutBucketLogging",
    "GetBucketLogging",
    "PutBucketEncryption",
    "GetBucketEncryption",
    "DeleteBucketEncryption",
    "PutBucketLifecycleConfiguration",
    "GetBucketLifecycleConfiguration",
    "DeleteBucketLifecycle",
    "PutBucketAcl",
    "GetBucketAcl",
    "PutBucketOwnershipControls",
    "GetBucketOwnershipControls",
    "DeleteBucketOwnershipControls",
    "PutPublicAccessBlock",
    "GetPublicAccessBlock",
    "DeletePublicAccessBlock",
    "PutBucketPolicy",
    "GetBucketPolicy",
    "DeleteBucketPolicy",
    "GetBucketPolicyStatus",
    "PutObjectLockConfiguration",
    "GetObjectLockConfiguration",
    "PutBucketRequestPayment",
    "GetBucketRequestPayment",
    "PutBucketAccelerateConfiguration",
    "GetBucketAccelerateConfiguration",
    "PutBucketNotificationConfiguration",
    "GetBucketNotificationConfiguration",
    "PutBucketAnalyticsConfiguration",
    "GetBucketAnalyticsConfiguration",
    "DeleteBucketAnalyticsConfiguration",
    "ListBucketAnalyticsConfigurations",
    "PutBucketInventoryConfiguration",
    "GetBucketInventoryConfiguration",
    "DeleteBucketInventoryConfiguration",
    "ListBucketInventoryConfigurations",
    "PutBucketMetricsConfiguration",
    "GetBucketMetricsConfiguration",
    "DeleteBucketMetricsConfiguration",
    "ListBucketMetricsConfigurations",
    "PutBucketIntelligentTieringConfiguration",
    "GetBucketIntelligentTieringConfiguration",
    "DeleteBucketIntelligentTieringConfiguration",
    "ListBucketIntelligentTieringConfigurations",
    // Object ACLs and tags.
    "PutObjectTagging",
    "GetObjectTagging",
    "DeleteObjectTagging",
    "PutObjectAcl",
    "GetObjectAcl",
    // Multipart uploads.
    "CreateMultipartUpload",
    "UploadPart",
    "UploadPartCopy",
    "ListParts",
    "ListMultipartUploads",
    "CompleteMultipartUpload",
    "AbortMultipartUpload",
    // Glacier restores and object lock.
    "RestoreObject",
    "PutObjectRetention",
    "GetObjectRetention",
    "PutObjectLegalHold",
    "GetObjectLegalHold",
];

/// cloudbox's implementation of the S3 API. Cheap to clone; clones share
/// the store, the bodies and the version sequence.
#[derive(Clone)]
pub struct CloudboxS3 {
    store: Store,
    clock: Clock,
    credentials: Arc<dyn CredentialResolver>,
    /// Object bodies.
    blobs: Blobs,
    /// Orders the versions of every key.
    version_seq: Arc<objects::VersionSequence>,
    /// The bucket quota and the defaults of new buckets.
    bucket_settings: BucketSettings,
    /// Bucket records, versioning, configurations and the SSE-S3 key.
    cache: Arc<cache::BucketCache>,
    /// The newest versions of keys GET and HEAD read.
    newest_versions: Arc<cache::BucketCache>,
}

impl CloudboxS3 {
    pub fn new(store: Store, clock: Clock, credentials: Arc<dyn CredentialResolver>, blobs: Blobs) -> Self {
        CloudboxS3 {
            cache: Arc::new(cache::BucketCache::new(&store)),
            newest_versions: Arc::new(cache::BucketCache::of_versions(&store)),
            store,
            clock,
            credentials,
            blobs,
            version_seq: Arc::default(),
            bucket_settings: BucketSettings::default(),
        }
    }

    /// The same S3 with `settings` for the quota and defaults of new buckets.
    pub fn with_bucket_settings(mut self, settings: BucketSettings) -> Self {
        self.bucket_settings = settings;
        self
    }
}

#[cfg(test)]
mod tests;
