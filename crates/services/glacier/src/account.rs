//! The `accountId` path parameter every Glacier operation carries.

use crate::errors;
use cloudbox_core::{AccountId, AwsError, RequestContext};

/// The account a request acts on. `-` stands for the caller's own account;
/// an explicit id must be the caller's, as no vault access policy grants
/// other accounts anything.
pub fn resolve(ctx: &RequestContext, account_id: &str) -> Result<AccountId, AwsError> {
    if account_id == "-" || account_id == ctx.account.as_str() {
        Ok(ctx.account.clone())
    } else {
        Err(errors::access_denied_for_account(account_id))
    }
}
