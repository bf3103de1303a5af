//! STS through the SDK: who the caller is for root keys, 12-digit keys, IAM
//! user keys and temporary credentials, and temporary credentials expiring
//! on cloudbox's clock.

use aws_sdk_iam::Client as Iam;
use aws_sdk_sts::Client as Sts;
use cloudbox_sdk_tests::{Cloudbox, DEFAULT_ACCOUNT, failure};

#[tokio::test]
async fn root_key_is_the_default_accounts_root() {
    let server = Cloudbox::start();
    let who = Sts::new(&server.config()).get_caller_identity().send().await.unwrap();
    assert_eq!(who.account(), Some(DEFAULT_ACCOUNT));
    assert_eq!(who.arn(), Some("arn:aws:iam::000000000000:root"));
    assert_eq!(who.user_id(), Some(DEFAULT_ACCOUNT));
}

#[tokio::test]
async fn twelve_digit_key_names_the_account() {
    let server = Cloudbox::start();
    let config = server.sdk().key("123456789012", "anything").build();
    let who = Sts::new(&config).get_caller_identity().send().await.unwrap();
    assert_eq!(who.account(), Some("123456789012"));
    assert_eq!(who.arn(), Some("arn:aws:iam::123456789012:root"));
}

#[tokio::test]
async fn user_access_key_is_the_user() {
    let server = Cloudbox::start();
    let iam = Iam::new(&server.config());
    let user = iam.create_user().user_name("alice").path("/team/").send().await.unwrap();
    let user = user.user().expect("the new user");
    let created = iam.create_access_key().user_name("alice").send().await.unwrap();
    let key = created.access_key().expect("the new key");
    let config = server.sdk().key(key.access_key_id(), key.secret_access_key()).build();
    let who = Sts::new(&config).get_caller_identity().send().await.unwrap();
    assert_eq!(who.arn(), Some("arn:aws:iam::000000000000:user/team/alice"));
    assert_eq!(who.user_id(), Some(user.user_id()));
    assert_eq!(who.account(), Some(DEFAULT_ACCOUNT));
}

#[tokio::test]
async fn session_token_works_until_it_expires_on_cloudbox_clock() {
    let server = Cloudbox::start();
    let iam = Iam::new(&server.config());
    iam.create_user().user_name("erin").send().await.unwrap();
    let created = iam.create_access_key().user_name("erin").send().await.unwrap();
    let key = created.access_key().unwrap();
    let user = Sts::new(&server.sdk().key(key.access_key_id(), key.secret_access_key()).build());

    let issued = user.get_session_token().duration_seconds(900).send().await.unwrap();
    let temporary = issued.credentials().expect("temporary credentials");
    assert!(temporary.access_key_id().starts_with("ASIA"), "{}", temporary.access_key_id());
    let session_config = server
        .sdk()
        .key(temporary.access_key_id(), temporary.secret_access_key())
        .session_token(temporary.session_token())
        .build();
    let session = Sts::new(&session_config);
    let who = session.get_caller_identity().send().await.unwrap();
    assert_eq!(who.arn(), Some("arn:aws:iam::000000000000:user/erin"));

    let without_token = server.sdk().key(temporary.access_key_id(), temporary.secret_access_key()).build();
    let refused = failure(Sts::new(&without_token).get_caller_identity().send().await);
    assert!([400, 403].contains(&refused.status), "{refused:?}");

    server.advance(901);
    let expired = failure(session.get_caller_identity().send().await);
    assert_eq!(expired.code, "ExpiredToken", "{expired:?}");
}

#[tokio::test]
async fn session_token_expiration_is_on_cloudbox_clock() {
    let server = Cloudbox::start();
    server.advance(86_400);
    let sts = Sts::new(&server.config());
    let issued = sts.get_session_token().duration_seconds(3600).send().await.unwrap();
    let expiration = issued.credentials().unwrap().expiration().secs();
    let clock = server.admin("GET", "/_cloudbox/clock");
    let now = epoch_seconds(&clock.body);
    assert!((expiration - now - 3600).abs() <= 2, "expires at {expiration}, cloudbox's clock is at {now}");
}

/// `epoch_seconds` out of the clock endpoint's JSON.
fn epoch_seconds(body: &str) -> i64 {
    let (_, rest) = body.split_once("\"epoch_seconds\":").expect("epoch_seconds in the clock");
    let digits: String = rest.trim_start().chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    digits.parse::<f64>().expect("a number") as i64
}
