//! The verifier against requests signed by botocore (see `testdata/`), and
//! every way authentication fails.

use super::failure::{AuthFailure, ExpiresProblem, Location, Malformation};
use super::verify::{Times, check};
use super::*;
use bytes::Bytes;
use chrono::{DateTime, Duration, Utc};
use cloudbox_core::{AccountId, Credential};
use serde::Deserialize;

#[derive(Deserialize, Clone)]
struct Fixture {
    name: String,
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: String,
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    signed_at: String,
    region: String,
    service: String,
}

fn fixtures() -> Vec<Fixture> {
    serde_json::from_str(include_str!("testdata/botocore_signed.json")).unwrap()
}

fn fixture(name: &str) -> Fixture {
    fixtures().into_iter().find(|f| f.name == name).unwrap()
}

fn request(f: &Fixture) -> HttpRequest {
    let mut builder = http::Request::builder().method(f.method.as_str()).uri(&f.target);
    for (name, value) in &f.headers {
        builder = builder.header(name, value);
    }
    builder.body(Bytes::from(f.body.clone())).unwrap()
}

fn signed_at(f: &Fixture) -> DateTime<Utc> {
    super::time::SigningTime::from_amz_date(&f.signed_at).unwrap().at
}

/// Both clocks at the same moment.
fn at(now: DateTime<Utc>) -> Times {
    Times { real_now: now, clock_now: now }
}

fn alice() -> Caller {
    Caller {
        account: AccountId::parse("111122223333").unwrap(),
        arn: "arn:aws:iam::111122223333:user/alice".into(),
        user_id: "AIDAEXAMPLEALICE".into(),
        access_key_id: "AKIAIOSFODNN7EXAMPLE".into(),
    }
}

struct Keys(Vec<Credential>);

impl CredentialResolver for Keys {
    fn resolve(&self, access_key_id: &str) -> Option<Credential> {
        self.0.iter().find(|c| c.access_key_id == access_key_id).cloned()
    }
}

fn credential_for(f: &Fixture) -> Credential {
    Credential {
        access_key_id: f.access_key_id.clone(),
        secret_access_key: f.secret_access_key.clone(),
        session_token: f.session_token.clone(),
        caller: alice(),
        expires_at: f.session_token.as_ref().map(|_| signed_at(f) + Duration::hours(1)),
        active: true,
    }
}

fn knowing(credential: Credential) -> Keys {
    Keys(vec![credential])
}

fn no_keys() -> Keys {
    Keys(Vec::new())
}

fn strict(req: &HttpRequest, keys: &Keys, now: DateTime<Utc>) -> Result<Authenticated, AuthFailure> {
    check(req, keys, AuthMode::Strict, at(now))
}

#[test]
fn every_botocore_signed_request_verifies() {
    let all = fixtures();
    assert!(all.len() >= 14);
    for f in &all {
        let now = signed_at(f) + Duration::minutes(1);
        let auth =
            strict(&request(f), &knowing(credential_for(f)), now).unwrap_or_else(|e| panic!("{}: {e:?}", f.name));
        assert_eq!(auth.caller, alice(), "{}", f.name);
        assert_eq!(auth.region.as_deref(), Some(f.region.as_str()), "{}", f.name);
        assert_eq!(auth.signing_service.as_deref(), Some(f.service.as_str()), "{}", f.name);
    }
}

#[test]
fn any_change_to_a_signed_part_is_a_mismatch() {
    for f in fixtures() {
        let now = signed_at(&f) + Duration::minutes(1);
        let mut req = request(&f);
        req.headers_mut().insert("host", "elsewhere.example:4566".parse().unwrap());
        let result = strict(&req, &knowing(credential_for(&f)), now);
        assert!(matches!(result, Err(AuthFailure::SignatureMismatch(_))), "{}: {result:?}", f.name);
    }
    let f = fixture("json dynamodb ListTables");
    let mut req = request(&f);
    *req.body_mut() = Bytes::from_static(b"{\"Limit\": 11}");
    let result = strict(&req, &knowing(credential_for(&f)), signed_at(&f));
    assert!(matches!(result, Err(AuthFailure::SignatureMismatch(_))));
}

#[test]
fn unsigned_payloads_leave_the_body_out() {
    let f = fixture("s3 put with streaming trailer payload");
    let mut req = request(&f);
    *req.body_mut() = Bytes::from_static(b"anything at all");
    assert!(strict(&req, &knowing(credential_for(&f)), signed_at(&f)).is_ok());
}

#[test]
fn a_wrong_secret_is_reported_in_each_services_words() {
    let f = fixture("session token");
    let mut credential = credential_for(&f);
    credential.secret_access_key = "not-the-secret".into();
    let failure = strict(&request(&f), &knowing(credential), signed_at(&f)).unwrap_err();
    let query = failure.to_error(AuthFlavor::Query);
    assert_eq!((query.code.as_str(), query.status), ("SignatureDoesNotMatch", 403));
    assert_eq!(
        query.message,
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret \
         Access Key and signing method. Consult the service documentation for details."
    );
    let json = failure.to_error(AuthFlavor::Json);
    assert_eq!((json.code.as_str(), json.status), ("InvalidSignatureException", 400));
    let s3 = failure.to_error(AuthFlavor::S3);
    assert_eq!((s3.code.as_str(), s3.status), ("SignatureDoesNotMatch", 403));
    let extra = s3.extra.unwrap();
    assert_eq!(extra["AWSAccessKeyId"], "AKIAIOSFODNN7EXAMPLE");
    assert!(extra["CanonicalRequest"].as_str().unwrap().starts_with("POST\n/\n\ncontent-type:"));
    assert!(extra["StringToSign"].as_str().unwrap().starts_with("AWS4-HMAC-SHA256\n20260101T120000Z\n20260101/"));
}

#[test]
fn unknown_keys_are_refused_when_strict_and_root_when_permissive() {
    let f = fixture("session token");
    let failure = strict(&request(&f), &no_keys(), signed_at(&f)).unwrap_err();
    assert_eq!(failure, AuthFailure::UnknownAccessKey("AKIAIOSFODNN7EXAMPLE".into()));
    let expected = [
        (AuthFlavor::Query, "InvalidClientTokenId", 403),
        (AuthFlavor::Ec2, "AuthFailure", 401),
        (AuthFlavor::Json, "UnrecognizedClientException", 400),
        (AuthFlavor::RestJson, "UnrecognizedClientException", 403),
        (AuthFlavor::S3, "InvalidAccessKeyId", 403),
    ];
    for (flavor, code, status) in expected {
        let error = failure.to_error(flavor);
        assert_eq!((error.code.as_str(), error.status), (code, status), "{flavor:?}");
    }
    assert_eq!(failure.to_error(AuthFlavor::Query).message, "The security token included in the request is invalid.");

    // Permissive: no signature or clock check at all.
    let long_after = signed_at(&f) + Duration::days(30);
    let auth = check(&request(&f), &no_keys(), AuthMode::Permissive, at(long_after)).unwrap();
    assert_eq!(auth.caller, Caller::root(AccountId::default_account(), "AKIAIOSFODNN7EXAMPLE"));
    assert_eq!(auth.region.as_deref(), Some("us-east-1"));
}

#[test]
fn a_twelve_digit_key_selects_its_account() {
    let mut req = http::Request::builder().uri("http://localhost:4566/").body(Bytes::new()).unwrap();
    let credentials = SigningCredentials { access_key_id: "444455556666", secret_access_key: "x", session_token: None };
    let now = Utc::now();
    sign(&mut req, &credentials, "eu-west-1", "sts", now).unwrap();
    let auth = check(&req, &no_keys(), AuthMode::Permissive, at(now)).unwrap();
    assert_eq!(auth.caller.account.as_str(), "444455556666");
    assert_eq!(auth.caller.arn, "arn:aws:iam::444455556666:root");
}

#[test]
fn unsigned_requests_depend_on_the_mode() {
    let req = http::Request::builder().uri("/").body(Bytes::new()).unwrap();
    let now = Utc::now();
    let auth = check(&req, &no_keys(), AuthMode::Permissive, at(now)).unwrap();
    assert_eq!(auth.caller, Caller::root(AccountId::default_account(), ""));
    assert_eq!(auth.region, None);
    let failure = check(&req, &no_keys(), AuthMode::Strict, at(now)).unwrap_err();
    assert_eq!(failure, AuthFailure::MissingAuthentication);
    let error = failure.to_error(AuthFlavor::Query);
    assert_eq!((error.code.as_str(), error.status), ("MissingAuthenticationToken", 403));
    assert_eq!(error.message, "Request is missing Authentication Token");
    assert_eq!(failure.to_error(AuthFlavor::Json).code, "MissingAuthenticationTokenException");
}

#[test]
fn signatures_older_or_newer_than_fifteen_minutes_are_refused() {
    let f = fixture("session token");
    let signed = signed_at(&f);
    let keys = knowing(credential_for(&f));
    assert!(strict(&request(&f), &keys, signed + Duration::minutes(14)).is_ok());
    let late = strict(&request(&f), &keys, signed + Duration::minutes(30)).unwrap_err();
    let error = late.to_error(AuthFlavor::Query);
    assert_eq!((error.code.as_str(), error.status), ("SignatureDoesNotMatch", 403));
    assert_eq!(
        error.message,
        "Signature expired: 20260101T120000Z is now earlier than 20260101T121500Z (20260101T123000Z - 15 min.)"
    );
    let early = strict(&request(&f), &keys, signed - Duration::minutes(30)).unwrap_err();
    assert_eq!(
        early.to_error(AuthFlavor::Json).message,
        "Signature not yet current: 20260101T120000Z is still later than 20260101T114500Z (20260101T113000Z + 15 min.)"
    );
    assert_eq!(late.to_error(AuthFlavor::Ec2).code, "RequestExpired");
    let s3 = late.to_error(AuthFlavor::S3);
    assert_eq!((s3.code.as_str(), s3.status), ("RequestTimeTooSkewed", 403));
    assert_eq!(s3.extra.unwrap()["RequestTime"], "20260101T120000Z");
}

#[test]
fn presigned_s3_urls_live_for_their_expiry() {
    let f = fixture("presigned s3 get");
    let keys = knowing(credential_for(&f));
    let signed = signed_at(&f);
    assert!(strict(&request(&f), &keys, signed + Duration::seconds(3599)).is_ok());
    let failure = strict(&request(&f), &keys, signed + Duration::seconds(3601)).unwrap_err();
    assert!(matches!(failure, AuthFailure::PresignExpired { expires_secs: 3600, .. }));
    let error = failure.to_error(AuthFlavor::S3);
    assert_eq!(
        (error.code.as_str(), error.status, error.message.as_str()),
        ("AccessDenied", 403, "Request has expired")
    );
    let extra = error.extra.unwrap();
    assert_eq!(extra["X-Amz-Expires"], "3600");
    assert_eq!(extra["Expires"], "2026-01-01T13:00:00Z");
}

#[test]
fn presigned_urls_of_other_services_live_fifteen_minutes() {
    let f = fixture("presigned sts get caller identity");
    let keys = knowing(credential_for(&f));
    let signed = signed_at(&f);
    assert!(strict(&request(&f), &keys, signed + Duration::minutes(14)).is_ok());
    let failure = strict(&request(&f), &keys, signed + Duration::minutes(16)).unwrap_err();
    assert!(matches!(failure, AuthFailure::Skewed { .. }));
}

#[test]
fn session_tokens_must_match_their_credentials() {
    let with_token = fixture("session token");
    let without_token = fixture("json dynamodb ListTables");
    let signed = signed_at(&with_token);

    let mut temporary = credential_for(&without_token);
    temporary.session_token = Some("expected-token".into());
    let failure = strict(&request(&without_token), &knowing(temporary), signed).unwrap_err();
    assert_eq!(failure, AuthFailure::InvalidSessionToken);
    assert_eq!(failure.to_error(AuthFlavor::Query).code, "InvalidClientTokenId");
    assert_eq!(failure.to_error(AuthFlavor::S3).code, "InvalidToken");

    let mut long_term = credential_for(&with_token);
    long_term.session_token = None;
    let failure = strict(&request(&with_token), &knowing(long_term), signed).unwrap_err();
    assert_eq!(failure, AuthFailure::InvalidSessionToken);

    let mut wrong = credential_for(&with_token);
    wrong.session_token = Some("another-token".into());
    assert_eq!(strict(&request(&with_token), &knowing(wrong), signed).unwrap_err(), AuthFailure::InvalidSessionToken);
}

#[test]
fn temporary_credentials_expire_on_cloudboxs_clock() {
    let f = fixture("session token");
    let signed = signed_at(&f);
    let keys = knowing(credential_for(&f));
    // Real time is fine; cloudbox's clock has been moved two hours ahead.
    let times = Times { real_now: signed, clock_now: signed + Duration::hours(2) };
    let failure = check(&request(&f), &keys, AuthMode::Permissive, times).unwrap_err();
    assert_eq!(failure, AuthFailure::ExpiredToken);
    let error = failure.to_error(AuthFlavor::Query);
    assert_eq!(
        (error.code.as_str(), error.status, error.message.as_str()),
        ("ExpiredToken", 403, "The security token included in the request is expired")
    );
    assert_eq!(failure.to_error(AuthFlavor::Json).code, "ExpiredTokenException");
    let s3 = failure.to_error(AuthFlavor::S3);
    assert_eq!((s3.code.as_str(), s3.status), ("ExpiredToken", 400));
}

#[test]
fn inactive_keys_are_refused_in_every_mode() {
    let f = fixture("session token");
    let mut credential = credential_for(&f);
    credential.active = false;
    let failure = check(&request(&f), &knowing(credential), AuthMode::Permissive, at(signed_at(&f))).unwrap_err();
    assert_eq!(failure.to_error(AuthFlavor::Query).code, "InvalidClientTokenId");
}

fn with_authorization(authorization: &str, amz_date: Option<&str>) -> HttpRequest {
    let mut builder =
        http::Request::builder().uri("/").header("host", "localhost").header("authorization", authorization);
    if let Some(date) = amz_date {
        builder = builder.header("x-amz-date", date);
    }
    builder.body(Bytes::new()).unwrap()
}

fn malformation(req: &HttpRequest) -> String {
    let failure = check(req, &no_keys(), AuthMode::Permissive, at(Utc::now())).unwrap_err();
    let error = failure.to_error(AuthFlavor::Query);
    assert_eq!((error.code.as_str(), error.status), ("IncompleteSignature", 400));
    error.message
}

#[test]
fn malformed_authorization_headers_get_awss_messages() {
    let date = Some("20260101T120000Z");
    assert_eq!(
        malformation(&with_authorization("eyJhbGciOiJIUzI1NiJ9", None)),
        "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. \
         Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either \
         a 'X-Amz-Date' or a 'Date' header. Authorization=eyJhbGciOiJIUzI1NiJ9"
    );
    assert_eq!(
        malformation(&with_authorization("AWS4-HMAC-SHA256 Credential= AK/20260101/us-east-1/sts/aws4_request", date)),
        "'AK/20260101/us-east-1/sts/aws4_request' not a valid key=value pair (missing equal-sign) in Authorization \
         header: 'AWS4-HMAC-SHA256 Credential= AK/20260101/us-east-1/sts/aws4_request'."
    );
    assert_eq!(
        malformation(&with_authorization("AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/sts/aws4_request", date)),
        "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' \
         parameter. Authorization=AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/sts/aws4_request"
    );
    assert_eq!(
        malformation(&with_authorization(
            "AWS4-HMAC-SHA512 Credential=A/B/C/D/E, SignedHeaders=host, Signature=0",
            date
        )),
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512'"
    );
    assert_eq!(
        malformation(&with_authorization(
            "AWS4-HMAC-SHA256 Credential=AK/20260101, SignedHeaders=host, Signature=0",
            date
        )),
        "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AK/20260101'"
    );
    assert_eq!(
        malformation(&with_authorization(
            "AWS4-HMAC-SHA256 Credential=A/B/C/D/E, SignedHeaders=x-amz-date, Signature=0",
            date
        )),
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization."
    );
    assert_eq!(
        malformation(&with_authorization(
            "AWS4-HMAC-SHA256 Credential=A/B/C/D/E, SignedHeaders=host, Signature=0",
            Some("2026-01-01T12:00:00Z")
        )),
        "Date must be in ISO-8601 'basic format'. Got '2026-01-01T12:00:00Z'. See http://en.wikipedia.org/wiki/ISO_8601"
    );
}

#[test]
fn scope_date_and_terminator_must_agree() {
    let f = fixture("session token");
    let mut req = request(&f);
    req.headers_mut().insert("x-amz-date", "20260102T000000Z".parse().unwrap());
    let now = signed_at(&f) + Duration::hours(12);
    let failure = strict(&req, &knowing(credential_for(&f)), now).unwrap_err();
    assert_eq!(
        failure.to_error(AuthFlavor::Query).message,
        "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20260101' != \
         '20260102', from '20260102T000000Z'."
    );
    assert_eq!(failure.to_error(AuthFlavor::S3).code, "AuthorizationHeaderMalformed");

    let authorization =
        "AWS4-HMAC-SHA256 Credential=AK/20260101/us-east-1/sts/aws5_request, SignedHeaders=host, Signature=00";
    let req = with_authorization(authorization, Some("20260101T120000Z"));
    let credential = Credential { access_key_id: "AK".into(), ..credential_for(&f) };
    let failure = strict(&req, &knowing(credential), signed_at(&f)).unwrap_err();
    assert_eq!(
        failure.to_error(AuthFlavor::Query).message,
        "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'."
    );
}

#[test]
fn malformed_presigned_urls() {
    let f = fixture("presigned s3 get");
    let read = |target: &str| {
        let req = http::Request::builder().uri(target).header("host", "localhost:4566").body(Bytes::new()).unwrap();
        check(&req, &no_keys(), AuthMode::Permissive, at(signed_at(&f))).unwrap_err()
    };
    let without_signature = f.target.split("&X-Amz-Signature").next().unwrap().to_string();
    let failure = read(&without_signature);
    assert_eq!(
        failure,
        AuthFailure::Malformed {
            location: Location::Query,
            problem: Malformation::MissingQueryParameters(vec!["X-Amz-Signature"])
        }
    );
    assert_eq!(failure.to_error(AuthFlavor::S3).code, "AuthorizationQueryParametersError");
    let too_long = f.target.replace("X-Amz-Expires=3600", "X-Amz-Expires=604801");
    assert_eq!(
        read(&too_long),
        AuthFailure::Malformed {
            location: Location::Query,
            problem: Malformation::BadExpires(ExpiresProblem::TooLong)
        }
    );
    assert_eq!(
        read(&too_long).to_error(AuthFlavor::S3).message,
        "X-Amz-Expires must be less than a week (in seconds) that is 604800"
    );
    let mut both = request(&f);
    both.headers_mut().insert("authorization", "AWS4-HMAC-SHA256 Credential=x".parse().unwrap());
    let failure = check(&both, &no_keys(), AuthMode::Permissive, at(signed_at(&f))).unwrap_err();
    assert_eq!(failure.to_error(AuthFlavor::S3).code, "InvalidArgument");
}

/// Strip what botocore added while signing, so the request can be signed again.
fn unsigned_copy(f: &Fixture) -> HttpRequest {
    let mut req = request(f);
    for name in ["authorization", "x-amz-date", "content-length", "x-amz-security-token"] {
        req.headers_mut().remove(name);
    }
    req
}

fn credentials_of(f: &Fixture) -> SigningCredentials<'_> {
    SigningCredentials {
        access_key_id: &f.access_key_id,
        secret_access_key: &f.secret_access_key,
        session_token: f.session_token.as_deref(),
    }
}

#[test]
fn signing_reproduces_botocores_authorization_headers() {
    for name in [
        "json dynamodb ListTables",
        "session token",
        "rest path that needs encoding",
        "s3 put object with signed payload",
    ] {
        let f = fixture(name);
        let mut req = unsigned_copy(&f);
        if f.service == "s3" {
            req.headers_mut().remove("x-amz-content-sha256");
        }
        sign(&mut req, &credentials_of(&f), &f.region, &f.service, signed_at(&f)).unwrap();
        let expected = f.headers.iter().find(|(n, _)| n == "Authorization").unwrap();
        assert_eq!(req.headers()["authorization"], expected.1.as_str(), "{name}");
    }
}

#[test]
fn a_precomputed_payload_hash_signs_as_botocore_does() {
    for name in ["query form body with special characters", "s3 put object with signed payload"] {
        let f = fixture(name);
        let mut req = unsigned_copy(&f);
        req.headers_mut().remove("x-amz-content-sha256");
        let hash = super::canonical::payload_digest(req.body());
        sign_with_payload_hash(&mut req, &credentials_of(&f), &f.region, &f.service, signed_at(&f), &hash).unwrap();
        let expected = f.headers.iter().find(|(n, _)| n == "Authorization").unwrap();
        assert_eq!(req.headers()["authorization"], expected.1.as_str(), "{name}");
        assert_eq!(req.headers().get("x-amz-content-sha256").is_some(), f.service == "s3", "{name}");
    }
}

#[test]
fn presigning_reproduces_botocores_urls() {
    for name in ["presigned sts get caller identity", "presigned s3 get with session token"] {
        let f = fixture(name);
        let unsigned_target = f.target.split("X-Amz-Algorithm").next().unwrap().trim_end_matches(['?', '&']);
        let host = &f.headers[0].1;
        let mut req =
            http::Request::builder().uri(format!("http://{host}{unsigned_target}")).body(Bytes::new()).unwrap();
        let expires = if f.service == "s3" { 600 } else { 900 };
        presign(&mut req, &credentials_of(&f), &f.region, &f.service, signed_at(&f), expires).unwrap();
        assert_eq!(req.uri().path_and_query().unwrap().as_str(), f.target, "{name}");
    }
}

#[test]
fn signed_requests_verify_through_the_public_entry_point() {
    let credential = Credential::root(AccountId::default_account(), "test", "test");
    let mut req = http::Request::builder()
        .method("POST")
        .uri("http://localhost:4566/")
        .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
        .body(Bytes::from_static(b"Action=GetCallerIdentity&Version=2011-06-15"))
        .unwrap();
    let credentials = SigningCredentials { access_key_id: "test", secret_access_key: "test", session_token: None };
    sign(&mut req, &credentials, "us-east-1", "sts", Utc::now()).unwrap();
    let clock = Clock::new();
    let auth = authenticate(&req, &knowing(credential.clone()), AuthMode::Strict, &clock, AuthFlavor::Query).unwrap();
    assert_eq!(auth.caller.arn, "arn:aws:iam::000000000000:root");
    let tampered = req.map(|_| Bytes::from_static(b"Action=GetCallerIdentity&Version=2011-06-16"));
    let error = authenticate(&tampered, &knowing(credential), AuthMode::Strict, &clock, AuthFlavor::Query).unwrap_err();
    assert_eq!(error.code, "SignatureDoesNotMatch");
}
