//! Why authentication failed, and how each kind of service tells the client.
//!
//! One [`AuthFailure`] says what went wrong; [`AuthFailure::to_error`] renders
//! it with the codes, messages and statuses of the target service's family
//! ([`AuthFlavor`]): query services say `InvalidClientTokenId`, JSON services
//! `UnrecognizedClientException`, EC2 `AuthFailure`, S3 `InvalidAccessKeyId`.

use super::time::{format_basic, format_extended};
use chrono::{DateTime, Utc};
use cloudbox_core::AwsError;
use serde_json::Value as Json;

/// The standard signature mismatch message (query, JSON and EC2 services).
const MISMATCH: &str = "The request signature we calculated does not match the signature you provided. \
Check your AWS Secret Access Key and signing method. Consult the service documentation for details.";
const S3_MISMATCH: &str =
    "The request signature we calculated does not match the signature you provided. Check your key and signing method.";
const INVALID_TOKEN: &str = "The security token included in the request is invalid.";
const EXPIRED_TOKEN: &str = "The security token included in the request is expired";
const MISSING_TOKEN: &str = "Request is missing Authentication Token";
const EC2_AUTH_FAILURE: &str = "AWS was not able to validate the provided access credentials";
const S3_CREDENTIAL_SHAPE: &str =
    "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".";
/// The allowed difference between a client's clock and real time.
pub(crate) const MAX_SKEW_MINUTES: i64 = 15;

/// Which family of services a request is for, as far as authentication
/// errors go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFlavor {
    /// Query services (IAM, STS, SNS...), REST-XML services other than S3,
    /// and JSON services answering in query-compatible mode.
    Query,
    Ec2,
    /// JSON 1.0/1.1 and CBOR services (DynamoDB, Kinesis, CloudWatch...).
    Json,
    /// REST-JSON services (Lambda, Glacier, IoT...): JSON codes, 403 statuses.
    RestJson,
    /// S3 and S3 Control.
    S3,
}

/// Where a signature was presented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    Header,
    Query,
}

/// Why a presigned URL's `X-Amz-Expires` was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExpiresProblem {
    NotANumber,
    Negative,
    TooLong,
}

/// How a signature claim is malformed.
#[derive(Debug, Clone, PartialEq)]
pub enum Malformation {
    /// Parts of the `Authorization` header, or its date, are missing.
    MissingParts {
        credential: bool,
        signature: bool,
        signed_headers: bool,
        date: bool,
        header: String,
    },
    /// A component of the `Authorization` header is not `name=value`.
    NotKeyValue {
        component: String,
        header: String,
    },
    UnsupportedAlgorithm(String),
    /// The credential does not have five slash-separated elements.
    BadCredential(String),
    /// The signing time is not in the required format.
    BadDate(String),
    HostNotSigned,
    MissingQueryParameters(Vec<&'static str>),
    BadExpires(ExpiresProblem),
    /// Both an `Authorization` header and presigned query parameters.
    TwoMechanisms,
}

/// Why a request was not authenticated.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthFailure {
    Malformed {
        location: Location,
        problem: Malformation,
    },
    /// Unsigned, and unsigned requests are not accepted.
    MissingAuthentication,
    /// The access key is unknown (strict mode) or inactive.
    UnknownAccessKey(String),
    /// The session token is missing, unexpected or wrong.
    InvalidSessionToken,
    /// The temporary credentials have expired.
    ExpiredToken,
    /// The signature is not the one the secret produces.
    SignatureMismatch(Box<MismatchDetail>),
    /// The credential scope's date is not the signing time's date.
    CredentialDate {
        scope_date: String,
        request_time: String,
        location: Location,
    },
    /// The credential scope does not end in `aws4_request`.
    BadTerminator {
        terminator: String,
        location: Location,
    },
    /// The signing time is more than 15 minutes from real time.
    Skewed {
        request: DateTime<Utc>,
        server: DateTime<Utc>,
    },
    /// A presigned URL past its `X-Amz-Expires`.
    PresignExpired {
        expires_secs: i64,
        expired_at: DateTime<Utc>,
        server: DateTime<Utc>,
    },
}

/// What the server computed when a signature did not match; S3 shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct MismatchDetail {
    pub access_key_id: String,
    pub canonical_request: String,
    pub string_to_sign: String,
    pub signature_provided: String,
}

impl AuthFailure {
    /// The error the client sees, in the words of the service's family.
    pub fn to_error(&self, flavor: AuthFlavor) -> AwsError {
        match flavor {
            AuthFlavor::S3 => self.s3_error(),
            AuthFlavor::Ec2 => self.ec2_error(),
            AuthFlavor::Query => self.query_error(),
            AuthFlavor::Json => self.json_error(400, MISSING_TOKEN),
            AuthFlavor::RestJson => self.json_error(403, "Missing Authentication Token"),
        }
    }

    fn query_error(&self) -> AwsError {
        match self {
            AuthFailure::Malformed { problem, .. } => AwsError::new("IncompleteSignature", problem.message(), 400),
            AuthFailure::MissingAuthentication => AwsError::new("MissingAuthenticationToken", MISSING_TOKEN, 403),
            AuthFailure::UnknownAccessKey(_) | AuthFailure::InvalidSessionToken => {
                AwsError::new("InvalidClientTokenId", INVALID_TOKEN, 403)
            }
            AuthFailure::ExpiredToken => AwsError::new("ExpiredToken", EXPIRED_TOKEN, 403),
            AuthFailure::PresignExpired { .. } => self.s3_error(),
            other => AwsError::new("SignatureDoesNotMatch", other.mismatch_message(), 403),
        }
    }

    fn ec2_error(&self) -> AwsError {
        match self {
            AuthFailure::UnknownAccessKey(_) | AuthFailure::InvalidSessionToken => {
                AwsError::new("AuthFailure", EC2_AUTH_FAILURE, 401)
            }
            AuthFailure::ExpiredToken | AuthFailure::Skewed { .. } => {
                AwsError::new("RequestExpired", "Request has expired.", 400)
            }
            other => other.query_error(),
        }
    }

    fn json_error(&self, status: u16, missing_token: &str) -> AwsError {
        match self {
            AuthFailure::Malformed { problem, .. } => {
                AwsError::new("IncompleteSignatureException", problem.message(), status)
            }
            AuthFailure::MissingAuthentication => {
                AwsError::new("MissingAuthenticationTokenException", missing_token, status)
            }
            AuthFailure::UnknownAccessKey(_) | AuthFailure::InvalidSessionToken => {
                AwsError::new("UnrecognizedClientException", INVALID_TOKEN, status)
            }
            AuthFailure::ExpiredToken => AwsError::new("ExpiredTokenException", EXPIRED_TOKEN, status),
            AuthFailure::PresignExpired { .. } => self.s3_error(),
            other => AwsError::new("InvalidSignatureException", other.mismatch_message(), status),
        }
    }

    /// The message of a `SignatureDoesNotMatch`-family error.
    fn mismatch_message(&self) -> String {
        match self {
            AuthFailure::CredentialDate { scope_date, request_time, .. } => format!(
                "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: \
                 '{scope_date}' != '{}', from '{request_time}'.",
                &request_time[..8.min(request_time.len())]
            ),
            AuthFailure::BadTerminator { terminator, .. } => {
                format!("Credential should be scoped with a valid terminator: 'aws4_request', not '{terminator}'.")
            }
            AuthFailure::Skewed { request, server } => skew_message(*request, *server),
            _ => MISMATCH.to_string(),
        }
    }

    fn s3_error(&self) -> AwsError {
        match self {
            AuthFailure::Malformed { location, problem } => problem.s3_error(*location),
            AuthFailure::MissingAuthentication => AwsError::access_denied("Access Denied"),
            AuthFailure::UnknownAccessKey(key) => AwsError::new(
                "InvalidAccessKeyId",
                "The AWS Access Key Id you provided does not exist in our records.",
                403,
            )
            .with_member("AWSAccessKeyId", Json::from(key.as_str())),
            AuthFailure::InvalidSessionToken => {
                AwsError::new("InvalidToken", "The provided token is malformed or otherwise invalid.", 400)
            }
            AuthFailure::ExpiredToken => AwsError::new("ExpiredToken", "The provided token has expired.", 400),
            AuthFailure::SignatureMismatch(detail) => AwsError::new("SignatureDoesNotMatch", S3_MISMATCH, 403)
                .with_member("AWSAccessKeyId", Json::from(detail.access_key_id.as_str()))
                .with_member("StringToSign", Json::from(detail.string_to_sign.as_str()))
                .with_member("SignatureProvided", Json::from(detail.signature_provided.as_str()))
                .with_member("CanonicalRequest", Json::from(detail.canonical_request.as_str())),
            AuthFailure::CredentialDate { location, .. } => {
                s3_malformed(*location, "Invalid credential date. Date is not the same as X-Amz-Date.".into())
            }
            AuthFailure::BadTerminator { location, .. } => s3_malformed(*location, S3_CREDENTIAL_SHAPE.into()),
            AuthFailure::Skewed { request, server } => AwsError::new(
                "RequestTimeTooSkewed",
                "The difference between the request time and the current time is too large.",
                403,
            )
            .with_member("RequestTime", Json::from(format_basic(*request)))
            .with_member("ServerTime", Json::from(format_extended(*server)))
            .with_member("MaxAllowedSkewMilliseconds", Json::from((MAX_SKEW_MINUTES * 60_000).to_string())),
            AuthFailure::PresignExpired { expires_secs, expired_at, server } => {
                AwsError::access_denied("Request has expired")
                    .with_member("X-Amz-Expires", Json::from(expires_secs.to_string()))
                    .with_member("Expires", Json::from(format_extended(*expired_at)))
                    .with_member("ServerTime", Json::from(format_extended(*server)))
            }
        }
    }
}

/// "Signature expired: ... (now - 15 min.)" or "Signature not yet current: ...".
fn skew_message(request: DateTime<Utc>, server: DateTime<Utc>) -> String {
    let window = chrono::Duration::minutes(MAX_SKEW_MINUTES);
    let (request_text, server_text) = (format_basic(request), format_basic(server));
    if request < server {
        let earliest = format_basic(server - window);
        format!(
            "Signature expired: {request_text} is now earlier than {earliest} ({server_text} - {MAX_SKEW_MINUTES} min.)"
        )
    } else {
        let latest = format_basic(server + window);
        format!(
            "Signature not yet current: {request_text} is still later than {latest} ({server_text} + {MAX_SKEW_MINUTES} min.)"
        )
    }
}

/// S3's malformed-signature error: one code for headers, another for presigned URLs.
fn s3_malformed(location: Location, detail: String) -> AwsError {
    match location {
        Location::Header => AwsError::new(
            "AuthorizationHeaderMalformed",
            format!("The authorization header is malformed; {detail}"),
            400,
        ),
        Location::Query => AwsError::new(
            "AuthorizationQueryParametersError",
            format!("Error parsing the X-Amz-Credential parameter; {detail}"),
            400,
        ),
    }
}

impl Malformation {
    /// The `IncompleteSignature` message non-S3 services give.
    fn message(&self) -> String {
        match self {
            Malformation::MissingParts { credential, signature, signed_headers, date, header } => {
                let mut message = String::new();
                for (missing, name) in
                    [(credential, "Credential"), (signature, "Signature"), (signed_headers, "SignedHeaders")]
                {
                    if *missing {
                        message.push_str(&format!("Authorization header requires '{name}' parameter. "));
                    }
                }
                if *date {
                    message.push_str(
                        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ",
                    );
                }
                message.push_str(&format!("Authorization={header}"));
                message
            }
            Malformation::NotKeyValue { component, header } => format!(
                "'{component}' not a valid key=value pair (missing equal-sign) in Authorization header: '{header}'."
            ),
            Malformation::UnsupportedAlgorithm(algorithm) => format!("Unsupported AWS 'algorithm': '{algorithm}'"),
            Malformation::BadCredential(credential) => format!(
                "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '{credential}'"
            ),
            Malformation::BadDate(value) => {
                format!(
                    "Date must be in ISO-8601 'basic format'. Got '{value}'. See http://en.wikipedia.org/wiki/ISO_8601"
                )
            }
            Malformation::HostNotSigned => {
                "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.".into()
            }
            Malformation::MissingQueryParameters(names) => names
                .iter()
                .map(|name| format!("AWS query-string parameters must include '{name}'."))
                .chain(["Re-examine the query-string parameters.".to_string()])
                .collect::<Vec<_>>()
                .join(" "),
            Malformation::BadExpires(problem) => problem.message().into(),
            Malformation::TwoMechanisms => TWO_MECHANISMS.into(),
        }
    }

    fn s3_error(&self, location: Location) -> AwsError {
        let query_error = |message: &str| AwsError::new("AuthorizationQueryParametersError", message, 400);
        match (self, location) {
            (Malformation::TwoMechanisms, _) => AwsError::new("InvalidArgument", TWO_MECHANISMS, 400),
            (Malformation::BadDate(_), Location::Header)
            | (
                Malformation::MissingParts {
                    date: true,
                    credential: false,
                    signature: false,
                    signed_headers: false,
                    ..
                },
                _,
            ) => AwsError::access_denied("AWS authentication requires a valid Date or x-amz-date header"),
            (Malformation::UnsupportedAlgorithm(_), Location::Header) => AwsError::new(
                "InvalidRequest",
                "The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.",
                400,
            ),
            (Malformation::UnsupportedAlgorithm(_), Location::Query) => {
                query_error("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
            }
            (Malformation::BadCredential(_), _) => s3_malformed(location, S3_CREDENTIAL_SHAPE.into()),
            (Malformation::BadDate(_), Location::Query) => {
                query_error("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
            }
            (Malformation::MissingQueryParameters(_), _) => query_error(
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, \
                 X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.",
            ),
            (Malformation::BadExpires(problem), _) => query_error(problem.message()),
            (_, Location::Query) => query_error(&self.message()),
            (_, Location::Header) => s3_malformed(
                location,
                "the authorization header requires three components: Credential, SignedHeaders, and Signature.".into(),
            ),
        }
    }
}

const TWO_MECHANISMS: &str = "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, \
Signature query string parameter or the Authorization header should be specified";

impl ExpiresProblem {
    fn message(self) -> &'static str {
        match self {
            ExpiresProblem::NotANumber => "X-Amz-Expires should be a number",
            ExpiresProblem::Negative => "X-Amz-Expires must be non-negative",
            ExpiresProblem::TooLong => "X-Amz-Expires must be less than a week (in seconds) that is 604800",
        }
    }
}
