//! How cloudbox treats new buckets, from its environment:
//!
//! - `CLOUDBOX_S3_BUCKET_QUOTA`: how many buckets one account may own
//!   (default: AWS's 10,000);
//! - `CLOUDBOX_S3_LEGACY_BUCKET_DEFAULTS=1`: new buckets start as AWS
//!   created them before April 2023, for suites written against that
//!   behaviour: ACLs enabled (no ownership controls, so ObjectWriter) and no
//!   public access block. Off by default: new buckets get today's AWS
//!   defaults, BucketOwnerEnforced and every public access block setting on.

use super::quota::DEFAULT_BUCKET_QUOTA;

pub const QUOTA_VARIABLE: &str = "CLOUDBOX_S3_BUCKET_QUOTA";
pub const LEGACY_DEFAULTS_VARIABLE: &str = "CLOUDBOX_S3_LEGACY_BUCKET_DEFAULTS";

/// The bucket settings in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BucketSettings {
    pub quota: u64,
    pub legacy_defaults: bool,
}

impl Default for BucketSettings {
    fn default() -> Self {
        BucketSettings { quota: DEFAULT_BUCKET_QUOTA, legacy_defaults: false }
    }
}

impl BucketSettings {
    /// The settings the environment asks for; AWS's where it asks for none
    /// (or names something that is not a setting).
    pub fn from_environment() -> BucketSettings {
        let variable = |name| std::env::var(name).ok().map(|v| v.trim().to_string());
        let quota = variable(QUOTA_VARIABLE).and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_BUCKET_QUOTA);
        let legacy_defaults = variable(LEGACY_DEFAULTS_VARIABLE).is_some_and(|v| v == "1" || v == "true");
        BucketSettings { quota, legacy_defaults }
    }
}
