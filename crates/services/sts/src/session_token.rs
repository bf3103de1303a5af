//! GetSessionToken: temporary credentials for an IAM user or the root user,
//! acting as that same principal until they expire.

use chrono::{DateTime, Duration, Utc};
use cloudbox_core::{AwsError, RequestContext};
use cloudbox_iam::{CallerKind, IamCredentials, SessionCredentials, caller_kind, uses_temporary_credentials};
use serde::{Deserialize, Serialize};

/// How long sessions last when the request does not say (12 hours).
const DEFAULT_DURATION_SECONDS: i64 = 43_200;
/// The range the model allows.
const MIN_DURATION_SECONDS: i64 = 900;
const MAX_DURATION_SECONDS: i64 = 129_600;
/// The longest session the root user gets (1 hour); longer requests are cut
/// to this silently.
const ROOT_MAX_DURATION_SECONDS: i64 = 3_600;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetSessionTokenInput {
    duration_seconds: Option<i64>,
    serial_number: Option<String>,
    token_code: Option<String>,
}

/// The model's `Credentials` shape.
#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: String,
    expiration: i64,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct GetSessionTokenOutput {
    credentials: Credentials,
}

pub async fn get_session_token(
    credentials: &IamCredentials,
    ctx: &RequestContext,
    now: DateTime<Utc>,
    input: GetSessionTokenInput,
) -> Result<GetSessionTokenOutput, AwsError> {
    if uses_temporary_credentials(&ctx.caller) {
        return Err(AwsError::access_denied("Cannot call GetSessionToken with session credentials"));
    }
    if input.serial_number.is_some() || input.token_code.is_some() {
        // cloudbox has no MFA devices yet, so no serial number can match one.
        return Err(AwsError::access_denied(
            "MultiFactorAuthentication failed, unable to validate MFA code.  \
             Please verify your MFA serial number is valid and associated with this user.",
        ));
    }
    // The model's range was checked before the call; clamping only keeps
    // the date arithmetic in bounds.
    let mut duration =
        input.duration_seconds.unwrap_or(DEFAULT_DURATION_SECONDS).clamp(MIN_DURATION_SECONDS, MAX_DURATION_SECONDS);
    if caller_kind(&ctx.caller) == CallerKind::Root {
        duration = duration.min(ROOT_MAX_DURATION_SECONDS);
    }
    let issued = credentials.issue_session(&ctx.caller, now + Duration::seconds(duration)).await?;
    Ok(GetSessionTokenOutput { credentials: output_credentials(issued) })
}

fn output_credentials(issued: SessionCredentials) -> Credentials {
    Credentials {
        access_key_id: issued.access_key_id,
        secret_access_key: issued.secret_access_key,
        session_token: issued.session_token,
        expiration: issued.expiration.timestamp(),
    }
}
