//! How cloudbox treats new buckets, as the server is configured
//! (`cloudbox serve --s3-bucket-quota`, `--s3-legacy-bucket-defaults`):
//!
//! - the quota: how many buckets one account may own (default: AWS's
//!   10,000);
//! - legacy defaults: new buckets start as AWS created them before April
//!   2023, for suites written against that behaviour: ACLs enabled (no
//!   ownership controls, so ObjectWriter), no public access block and no
//!   default encryption configuration to read back (objects are still
//!   encrypted at rest). Off
//!   by default: new buckets get today's AWS defaults, BucketOwnerEnforced
//!   and every public access block setting on.

use super::quota::DEFAULT_BUCKET_QUOTA;

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
