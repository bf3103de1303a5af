//! The caller and region of an S3 request, as the bucket operations see them.

use crate::CloudboxS3;
use crate::errors;
use cloudbox_core::{AccountId, Caller, DEFAULT_REGION};
use s3s::{S3Request, S3Result};
use sha2::{Digest, Sha256};

/// Set by the gateway on requests it vouches for without a signature s3s
/// can check (permissive mode: unknown access keys and unsigned requests).
#[derive(Debug, Clone)]
pub struct Vouched {
    pub caller: Caller,
    /// The region of the removed signature's credential scope, if any.
    pub region: Option<String>,
}

impl CloudboxS3 {
    /// Who is calling: the owner of the verified access key, or the caller
    /// the gateway vouched for.
    pub(crate) fn caller_of<T>(&self, req: &S3Request<T>) -> S3Result<Caller> {
        if let Some(credentials) = &req.credentials {
            return self
                .credentials
                .resolve(&credentials.access_key)
                .map(|known| known.caller)
                .ok_or_else(errors::invalid_access_key_id);
        }
        req.extensions.get::<Vouched>().map(|v| v.caller.clone()).ok_or_else(errors::access_denied)
    }
}

/// The region the request was sent to: its signature's (checked by s3s, or
/// removed by the gateway), else the one in its Host name, else us-east-1.
pub fn region_of<T>(req: &S3Request<T>) -> String {
    if let Some(region) = req.extensions.get::<Vouched>().and_then(|v| v.region.clone()) {
        return region;
    }
    req.region.as_ref().map_or_else(|| DEFAULT_REGION.to_string(), |r| r.as_str().to_string())
}

/// The canonical user id S3 shows for an account: 64 hex digits, stable
/// for the account.
pub fn canonical_user_id(account: &AccountId) -> String {
    hex::encode(Sha256::digest(format!("cloudbox canonical user {account}").as_bytes()))
}
