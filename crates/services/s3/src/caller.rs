//! The caller and region of an S3 request, as the bucket operations see them.

use crate::CloudboxS3;
use crate::access::RequestContext;
use crate::access_log::RemoteAddr;
use crate::errors;
use cloudbox_core::{AccountId, Caller, DEFAULT_REGION};
use s3s::{S3Request, S3Result};
use sha2::{Digest, Sha256};

/// Set by the gateway on requests it vouches for without a signature s3s
/// can check: unsigned requests (the [`anonymous`] principal) and, in
/// permissive mode, requests signed with unknown access keys.
#[derive(Debug, Clone)]
pub struct Vouched {
    pub caller: Caller,
    /// The region of the removed signature's credential scope, if any.
    pub region: Option<String>,
}

/// Who is calling, with what the request says that policy conditions may
/// test. Dereferences to the [`Caller`].
#[derive(Debug, Clone)]
pub struct RequestCaller {
    pub caller: Caller,
    pub context: RequestContext,
}

impl std::ops::Deref for RequestCaller {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.caller
    }
}

impl CloudboxS3 {
    /// Who is calling: the owner of the verified access key, or the caller
    /// the gateway vouched for (the anonymous principal for unsigned
    /// requests), with the request's condition keys.
    pub(crate) fn caller_of<T>(&self, req: &S3Request<T>) -> S3Result<RequestCaller> {
        let caller = match &req.credentials {
            Some(credentials) => self
                .credentials
                .resolve(&credentials.access_key)
                .map(|known| known.caller)
                .ok_or_else(errors::invalid_access_key_id)?,
            None => req.extensions.get::<Vouched>().map(|v| v.caller.clone()).ok_or_else(errors::access_denied)?,
        };
        let source = req.extensions.get::<RemoteAddr>().map(|addr| addr.0.ip());
        let context = RequestContext::of_request(&req.headers, &req.uri, source).with_caller(&caller);
        Ok(RequestCaller { caller, context })
    }

    /// The caller of an operation that acts for an account rather than on
    /// a bucket (ListBuckets, CreateBucket): the anonymous principal has no
    /// account, so S3 refuses it with `AccessDenied`.
    pub(crate) fn account_caller_of<T>(&self, req: &S3Request<T>) -> S3Result<RequestCaller> {
        let caller = self.caller_of(req)?;
        if is_anonymous(&caller) { Err(errors::access_denied()) } else { Ok(caller) }
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

/// The account id the anonymous principal carries. It owns nothing: the
/// authorization point never treats the anonymous caller as an account's
/// principal (see [`is_anonymous`]).
const ANONYMOUS_ACCOUNT: &str = "999999999999";

/// The principal of an unsigned request (and of website visitors), as AWS
/// calls it: `anonymous`, matched only by policies naming `*` and by ACL
/// grants to everyone.
pub fn anonymous() -> Caller {
    let account = AccountId::parse(ANONYMOUS_ACCOUNT).unwrap_or_else(AccountId::default_account);
    Caller { arn: "*".to_string(), user_id: "anonymous".to_string(), account, access_key_id: String::new() }
}

/// Whether `caller` is the anonymous principal of [`anonymous`].
pub fn is_anonymous(caller: &Caller) -> bool {
    caller.arn == "*" && caller.access_key_id.is_empty()
}

/// The canonical user id S3 shows for an account: 64 hex digits, stable
/// for the account.
pub fn canonical_user_id(account: &AccountId) -> String {
    hex::encode(Sha256::digest(format!("cloudbox canonical user {account}").as_bytes()))
}
