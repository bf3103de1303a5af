//! Tests through the gateway, with requests as clients send them: unsigned,
//! signed with SigV4 by a known key, or signed by keys cloudbox never issued.

use crate::state::{BucketRecord, versions_prefix};
use crate::{S3Gateway, s3_service};
use bytes::Bytes;
use cloudbox_core::{AccountId, Caller, Clock, Credential, CredentialResolver};
use cloudbox_store::Store;
use hmac::{Hmac, Mac};
use s3s::Body;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Arc;

const KNOWN_KEY: &str = "AKIAKNOWNKEY00000001";
const KNOWN_SECRET: &str = "known/secret/key/0000000000000000000000";
const KNOWN_ACCOUNT: &str = "444455556666";
const TEMP_KEY: &str = "ASIATEMPORARYKEY0001";
const TEMP_TOKEN: &str = "session-token-value";
const EXPIRED_KEY: &str = "ASIAEXPIREDKEY000001";

/// Credentials as IAM and STS would hand them to the gateway.
struct FixedCredentials(HashMap<String, Credential>);

impl CredentialResolver for FixedCredentials {
    fn resolve(&self, access_key_id: &str) -> Option<Credential> {
        self.0.get(access_key_id).cloned()
    }
}

fn credential(key: &str, token: Option<&str>, expires_in_seconds: Option<i64>) -> Credential {
    let account = AccountId::parse(KNOWN_ACCOUNT).unwrap();
    Credential {
        access_key_id: key.into(),
        secret_access_key: KNOWN_SECRET.into(),
        session_token: token.map(str::to_string),
        caller: Caller::root(account, key),
        expires_at: expires_in_seconds.map(|s| chrono::Utc::now() + chrono::Duration::seconds(s)),
        active: true,
    }
}

fn resolver() -> Arc<dyn CredentialResolver> {
    let mut known = HashMap::new();
    known.insert(KNOWN_KEY.to_string(), credential(KNOWN_KEY, None, None));
    known.insert(TEMP_KEY.to_string(), credential(TEMP_KEY, Some(TEMP_TOKEN), Some(3600)));
    known.insert(EXPIRED_KEY.to_string(), credential(EXPIRED_KEY, Some(TEMP_TOKEN), Some(-60)));
    Arc::new(FixedCredentials(known))
}

struct Fixture {
    store: Store,
    gateway: S3Gateway,
}

fn fixture(strict: bool) -> Fixture {
    let store = Store::memory();
    let gateway = s3_service(store.clone(), Clock::new(), resolver(), strict);
    Fixture { store, gateway }
}

/// A request to send, and how to sign it.
struct Call {
    method: &'static str,
    path_and_query: String,
    host: String,
    body: Vec<u8>,
    signer: Signer,
}

enum Signer {
    Unsigned,
    /// SigV4 with this key, secret, region and optional session token.
    V4 {
        key: &'static str,
        secret: &'static str,
        region: &'static str,
        token: Option<&'static str>,
    },
}

struct Reply {
    status: u16,
    headers: http::HeaderMap,
    body: String,
}

impl Call {
    fn new(method: &'static str, path_and_query: &str) -> Self {
        Call {
            method,
            path_and_query: path_and_query.to_string(),
            host: "localhost:4566".into(),
            body: Vec::new(),
            // A key no resolver knows: the default account's root in permissive mode.
            signer: Signer::V4 { key: "AKIDUNKNOWN", secret: "any-secret", region: "us-east-1", token: None },
        }
    }

    /// Send it unsigned: the anonymous principal.
    fn unsigned(mut self) -> Self {
        self.signer = Signer::Unsigned;
        self
    }

    fn body(mut self, body: &str) -> Self {
        self.body = body.as_bytes().to_vec();
        self
    }

    fn host(mut self, host: &str) -> Self {
        self.host = host.to_string();
        self
    }

    fn signed(mut self, key: &'static str, secret: &'static str, region: &'static str) -> Self {
        self.signer = Signer::V4 { key, secret, region, token: None };
        self
    }

    fn with_token(mut self, token: &'static str) -> Self {
        if let Signer::V4 { token: t, .. } = &mut self.signer {
            *t = Some(token);
        }
        self
    }

    async fn send(self, gateway: &S3Gateway) -> Reply {
        let payload_hash = hex::encode(Sha256::digest(&self.body));
        let mut builder = http::Request::builder()
            .method(self.method)
            .uri(&self.path_and_query)
            .header("host", &self.host)
            .header("x-amz-content-sha256", &payload_hash)
            .header("content-length", self.body.len().to_string());
        if let Signer::V4 { key, secret, region, token } = self.signer {
            let now = chrono::Utc::now();
            let amz_date = now.format("%Y%m%dT%H%M%SZ").to_string();
            builder = builder.header("x-amz-date", &amz_date);
            if let Some(token) = token {
                builder = builder.header("x-amz-security-token", token);
            }
            let signing = SigningInput {
                method: self.method,
                path: &self.path_and_query,
                host: &self.host,
                payload_hash: &payload_hash,
                amz_date: &amz_date,
                region,
                token,
            };
            builder = builder.header("authorization", authorization(&signing, key, secret));
        }
        let request = builder.body(Body::from(Bytes::from(self.body))).unwrap();
        let response = gateway.handle(request).await;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut body = response.into_body();
        let bytes = body.store_all_limited(1 << 20).await.unwrap();
        Reply { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }
}

impl Reply {
    fn error_code(&self) -> String {
        between(&self.body, "<Code>", "</Code>").unwrap_or_default()
    }
}

fn between(text: &str, start: &str, end: &str) -> Option<String> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(text[from..to].to_string())
}

struct SigningInput<'a> {
    method: &'a str,
    path: &'a str,
    host: &'a str,
    payload_hash: &'a str,
    amz_date: &'a str,
    region: &'a str,
    token: Option<&'a str>,
}

/// A SigV4 `Authorization` header for a request without a query string.
fn authorization(input: &SigningInput<'_>, key: &str, secret: &str) -> String {
    let mut headers = vec![
        ("host", input.host.to_string()),
        ("x-amz-content-sha256", input.payload_hash.to_string()),
        ("x-amz-date", input.amz_date.to_string()),
    ];
    if let Some(token) = input.token {
        headers.push(("x-amz-security-token", token.to_string()));
    }
    let canonical_headers: String = headers.iter().map(|(n, v)| format!("{n}:{v}\n")).collect();
    let signed_headers = headers.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(";");
    let canonical_request =
        format!("{}\n{}\n\n{canonical_headers}\n{signed_headers}\n{}", input.method, input.path, input.payload_hash);
    let date = &input.amz_date[..8];
    let scope = format!("{date}/{}/s3/aws4_request", input.region);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{}\n{scope}\n{}",
        input.amz_date,
        hex::encode(Sha256::digest(canonical_request.as_bytes()))
    );
    let mut signing_key = format!("AWS4{secret}").into_bytes();
    for part in [date, input.region, "s3", "aws4_request"] {
        signing_key = hmac(&signing_key, part.as_bytes());
    }
    let signature = hex::encode(hmac(&signing_key, string_to_sign.as_bytes()));
    format!("AWS4-HMAC-SHA256 Credential={key}/{scope}, SignedHeaders={signed_headers}, Signature={signature}")
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn location_body(region: &str) -> String {
    format!(
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">\
         <LocationConstraint>{region}</LocationConstraint></CreateBucketConfiguration>"
    )
}

/// A key cloudbox never issued, signed with a secret it cannot know.
const STRANGER: &str = "AKIDSTRANGER";
const STRANGER_SECRET: &str = "whatever-the-client-has";

#[tokio::test]
async fn unknown_keys_run_as_the_default_account_in_permissive_mode() {
    let f = fixture(false);
    let created = Call::new("PUT", "/my-bucket").send(&f.gateway).await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.headers["location"], "/my-bucket");
    assert_eq!(created.headers["x-amz-request-id"].len(), 16);
    let record: BucketRecord = f.store.get_json(&crate::state::bucket_key("my-bucket")).unwrap().unwrap();
    assert_eq!(record.owner, "000000000000");
    assert_eq!(record.region, "us-east-1");
    assert_eq!(record.location_constraint, None);

    let listed = Call::new("GET", "/").send(&f.gateway).await;
    assert_eq!(listed.status, 200);
    assert!(listed.body.contains("<Name>my-bucket</Name>"), "{}", listed.body);
    assert!(listed.body.contains("<BucketRegion>us-east-1</BucketRegion>"), "{}", listed.body);
    assert!(listed.body.contains("<CreationDate>"), "{}", listed.body);
    let owner_id = crate::caller::canonical_user_id(&AccountId::default_account());
    assert!(listed.body.contains(&format!("<ID>{owner_id}</ID>")), "{}", listed.body);
}

#[tokio::test]
async fn unsigned_requests_are_anonymous_in_permissive_mode() {
    let f = fixture(false);
    let created = Call::new("PUT", "/owned").send(&f.gateway).await;
    assert_eq!(created.status, 200, "{}", created.body);
    for (method, path) in [("GET", "/"), ("PUT", "/anonymous-bucket"), ("GET", "/owned"), ("PUT", "/owned/k")] {
        let anonymous = Call::new(method, path).unsigned().send(&f.gateway).await;
        assert_eq!((anonymous.status, anonymous.error_code().as_str()), (403, "AccessDenied"), "{method} {path}");
    }
}

#[tokio::test]
async fn regional_buckets_need_a_matching_location_constraint() {
    let f = fixture(false);
    let eu = |path: &str| Call::new("PUT", path).signed(STRANGER, STRANGER_SECRET, "eu-west-1");

    let created = eu("/eu-bucket").body(&location_body("eu-west-1")).send(&f.gateway).await;
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.headers["location"], "http://eu-bucket.s3.amazonaws.com/");

    let unspecified = eu("/eu-bucket-2").send(&f.gateway).await;
    assert_eq!((unspecified.status, unspecified.error_code().as_str()), (400, "IllegalLocationConstraintException"));
    assert!(unspecified.body.contains("The unspecified location constraint is incompatible"), "{}", unspecified.body);

    let mismatched = eu("/eu-bucket-3").body(&location_body("us-west-2")).send(&f.gateway).await;
    assert_eq!(mismatched.error_code(), "IllegalLocationConstraintException");
    assert!(mismatched.body.contains("The us-west-2 location constraint is incompatible"), "{}", mismatched.body);

    let explicit_us_east_1 = Call::new("PUT", "/use1").body(&location_body("us-east-1")).send(&f.gateway).await;
    assert_eq!(
        (explicit_us_east_1.status, explicit_us_east_1.error_code().as_str()),
        (400, "InvalidLocationConstraint")
    );

    let nonsense = Call::new("PUT", "/nonsense").body(&location_body("moon-base")).send(&f.gateway).await;
    assert_eq!(nonsense.error_code(), "InvalidLocationConstraint");

    // The us-east-1 endpoint may create a bucket in any region.
    let from_global = Call::new("PUT", "/from-global").body(&location_body("ap-south-1")).send(&f.gateway).await;
    assert_eq!(from_global.status, 200, "{}", from_global.body);

    let location = Call::new("GET", "/eu-bucket?location").send(&f.gateway).await;
    assert_eq!(location.status, 200, "{}", location.body);
    assert!(location.body.contains(">eu-west-1</LocationConstraint>"), "{}", location.body);
    let head = Call::new("HEAD", "/eu-bucket").send(&f.gateway).await;
    assert_eq!(head.status, 200);
    assert_eq!(head.headers["x-amz-bucket-region"], "eu-west-1");
}

#[tokio::test]
async fn us_east_1_buckets_have_an_empty_location() {
    let f = fixture(false);
    Call::new("PUT", "/plain").send(&f.gateway).await;
    let location = Call::new("GET", "/plain?location").send(&f.gateway).await;
    assert_eq!(location.status, 200);
    assert!(location.body.contains("<LocationConstraint"), "{}", location.body);
    assert!(!location.body.contains("us-east-1"), "{}", location.body);
}

#[tokio::test]
async fn invalid_names_are_refused() {
    let f = fixture(false);
    for name in ["Bad_Name", "ab", "192.168.1.1", "bucket--x-s3"] {
        let reply = Call::new("PUT", &format!("/{name}")).send(&f.gateway).await;
        assert_eq!((reply.status, reply.error_code().as_str()), (400, "InvalidBucketName"), "{name}");
        assert!(reply.body.contains("The specified bucket is not valid."));
    }
}

#[tokio::test]
async fn taken_names_conflict_as_aws_says() {
    let f = fixture(false);
    assert_eq!(Call::new("PUT", "/mine").send(&f.gateway).await.status, 200);
    // us-east-1: re-creating one's own bucket succeeds.
    assert_eq!(Call::new("PUT", "/mine").send(&f.gateway).await.status, 200);

    let eu = || {
        Call::new("PUT", "/mine-eu").signed(STRANGER, STRANGER_SECRET, "eu-west-1").body(&location_body("eu-west-1"))
    };
    assert_eq!(eu().send(&f.gateway).await.status, 200);
    let again = eu().send(&f.gateway).await;
    assert_eq!((again.status, again.error_code().as_str()), (409, "BucketAlreadyOwnedByYou"));

    // A key that is a 12-digit account id acts for that account.
    let other = Call::new("PUT", "/mine").signed("111122223333", "x", "us-east-1").send(&f.gateway).await;
    assert_eq!((other.status, other.error_code().as_str()), (409, "BucketAlreadyExists"));
    let head = Call::new("HEAD", "/mine").signed("111122223333", "x", "us-east-1").send(&f.gateway).await;
    assert_eq!(head.status, 403);
}

#[tokio::test]
async fn delete_removes_empty_buckets_only() {
    let f = fixture(false);
    Call::new("PUT", "/doomed").send(&f.gateway).await;
    Call::new("PUT", "/busy").send(&f.gateway).await;
    let mut object_key = versions_prefix("busy");
    object_key.extend_from_slice(b"some/key");
    f.store
        .transact(move |txn| {
            txn.put(object_key, b"{}".to_vec());
            Ok::<(), cloudbox_store::StoreError>(())
        })
        .await
        .unwrap();

    let deleted = Call::new("DELETE", "/doomed").send(&f.gateway).await;
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    let gone = Call::new("HEAD", "/doomed").send(&f.gateway).await;
    assert_eq!(gone.status, 404);
    let again = Call::new("DELETE", "/doomed").send(&f.gateway).await;
    assert_eq!((again.status, again.error_code().as_str()), (404, "NoSuchBucket"));

    let busy = Call::new("DELETE", "/busy").send(&f.gateway).await;
    assert_eq!((busy.status, busy.error_code().as_str()), (409, "BucketNotEmpty"));
    let listed = Call::new("GET", "/").send(&f.gateway).await;
    assert!(listed.body.contains("<Name>busy</Name>") && !listed.body.contains("doomed"), "{}", listed.body);
}

#[tokio::test]
async fn list_filters_and_pages() {
    let f = fixture(false);
    for name in ["alpha", "beta", "bravo", "charlie"] {
        Call::new("PUT", &format!("/{name}")).send(&f.gateway).await;
    }
    Call::new("PUT", "/delta")
        .signed(STRANGER, STRANGER_SECRET, "us-west-2")
        .body(&location_body("us-west-2"))
        .send(&f.gateway)
        .await;
    Call::new("PUT", "/someone-elses").signed("999988887777", "x", "us-east-1").send(&f.gateway).await;

    let names = |body: &str| -> Vec<String> {
        body.split("<Name>").skip(1).map(|rest| rest.split("</Name>").next().unwrap().to_string()).collect()
    };
    let all = Call::new("GET", "/").send(&f.gateway).await;
    assert_eq!(names(&all.body), ["alpha", "beta", "bravo", "charlie", "delta"]);

    let b = Call::new("GET", "/?prefix=b").send(&f.gateway).await;
    assert_eq!(names(&b.body), ["beta", "bravo"]);
    assert!(b.body.contains("<Prefix>b</Prefix>"), "{}", b.body);

    let west = Call::new("GET", "/?bucket-region=us-west-2").send(&f.gateway).await;
    assert_eq!(names(&west.body), ["delta"]);

    let first = Call::new("GET", "/?max-buckets=2").send(&f.gateway).await;
    assert_eq!(names(&first.body), ["alpha", "beta"]);
    let token = between(&first.body, "<ContinuationToken>", "</ContinuationToken>").expect("more buckets follow");
    let second = Call::new("GET", &format!("/?max-buckets=2&continuation-token={token}")).send(&f.gateway).await;
    assert_eq!(names(&second.body), ["bravo", "charlie"]);
    let token = between(&second.body, "<ContinuationToken>", "</ContinuationToken>").unwrap();
    let last = Call::new("GET", &format!("/?max-buckets=2&continuation-token={token}")).send(&f.gateway).await;
    assert_eq!(names(&last.body), ["delta"]);
    assert!(!last.body.contains("<ContinuationToken>"));
}

#[tokio::test]
async fn virtual_hosted_requests_reach_their_bucket() {
    let f = fixture(false);
    let created = Call::new("PUT", "/").host("vhost-bucket.s3.localhost.localstack.cloud:4566").send(&f.gateway).await;
    assert_eq!(created.status, 200, "{}", created.body);
    let head = Call::new("HEAD", "/").host("vhost-bucket.localhost:4566").send(&f.gateway).await;
    assert_eq!(head.status, 200);
    let path_style = Call::new("HEAD", "/vhost-bucket").host("s3.amazonaws.com").send(&f.gateway).await;
    assert_eq!(path_style.status, 200);
}

#[tokio::test]
async fn known_keys_are_verified_by_signature() {
    let f = fixture(false);
    let good = Call::new("PUT", "/signed-bucket").signed(KNOWN_KEY, KNOWN_SECRET, "us-east-1").send(&f.gateway).await;
    assert_eq!(good.status, 200, "{}", good.body);
    let record: BucketRecord = f.store.get_json(&crate::state::bucket_key("signed-bucket")).unwrap().unwrap();
    assert_eq!(record.owner, KNOWN_ACCOUNT);

    let forged = Call::new("PUT", "/forged").signed(KNOWN_KEY, "not-the-secret", "us-east-1").send(&f.gateway).await;
    assert_eq!((forged.status, forged.error_code().as_str()), (403, "SignatureDoesNotMatch"), "{}", forged.body);
}

#[tokio::test]
async fn temporary_credentials_need_their_token_and_time() {
    let f = fixture(true);
    let with_token = Call::new("PUT", "/temp-ok")
        .signed(TEMP_KEY, KNOWN_SECRET, "us-east-1")
        .with_token(TEMP_TOKEN)
        .send(&f.gateway)
        .await;
    assert_eq!(with_token.status, 200, "{}", with_token.body);
    let without = Call::new("PUT", "/temp-no").signed(TEMP_KEY, KNOWN_SECRET, "us-east-1").send(&f.gateway).await;
    assert_eq!((without.status, without.error_code().as_str()), (403, "InvalidAccessKeyId"));
    let wrong = Call::new("PUT", "/temp-bad")
        .signed(TEMP_KEY, KNOWN_SECRET, "us-east-1")
        .with_token("another-token")
        .send(&f.gateway)
        .await;
    assert_eq!(wrong.error_code(), "InvalidToken");
    let expired = Call::new("PUT", "/temp-old")
        .signed(EXPIRED_KEY, KNOWN_SECRET, "us-east-1")
        .with_token(TEMP_TOKEN)
        .send(&f.gateway)
        .await;
    assert_eq!(expired.error_code(), "ExpiredToken");
}

#[tokio::test]
async fn strict_mode_refuses_unknown_keys_and_anonymous_callers() {
    let f = fixture(true);
    let stranger = Call::new("PUT", "/b1").signed(STRANGER, STRANGER_SECRET, "us-east-1").send(&f.gateway).await;
    assert_eq!((stranger.status, stranger.error_code().as_str()), (403, "InvalidAccessKeyId"), "{}", stranger.body);
    let anonymous = Call::new("GET", "/").unsigned().send(&f.gateway).await;
    assert_eq!((anonymous.status, anonymous.error_code().as_str()), (403, "AccessDenied"));
    let known = Call::new("GET", "/").signed(KNOWN_KEY, KNOWN_SECRET, "us-east-1").send(&f.gateway).await;
    assert_eq!(known.status, 200, "{}", known.body);
}

#[tokio::test]
async fn other_operations_are_not_implemented() {
    let f = fixture(false);
    Call::new("PUT", "/bucket").send(&f.gateway).await;
    let reply = Call::new("GET", "/bucket?replication").send(&f.gateway).await;
    assert_eq!((reply.status, reply.error_code().as_str()), (501, "NotImplemented"));
    let unique: std::collections::HashSet<_> = crate::OPERATIONS.iter().collect();
    assert_eq!(unique.len(), crate::OPERATIONS.len(), "OPERATIONS lists an operation twice");
}
