//! GetCallerIdentity: who signed the request.

use cloudbox_core::RequestContext;
use serde::Serialize;

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetCallerIdentityOutput {
    user_id: String,
    account: String,
    arn: String,
}

/// The caller as authenticated: for a session, the principal it was issued to.
pub fn get_caller_identity(ctx: &RequestContext) -> GetCallerIdentityOutput {
    GetCallerIdentityOutput {
        user_id: ctx.caller.user_id.clone(),
        account: ctx.caller.account.to_string(),
        arn: ctx.caller.arn.clone(),
    }
}
