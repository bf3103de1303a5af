//! `--auth strict` through the SDK: unknown keys and wrong secrets are
//! refused with AWS's codes; the root key and IAM-issued keys work.

use aws_sdk_iam::Client as Iam;
use aws_sdk_sts::Client as Sts;
use cloudbox_sdk_tests::{Auth, Cloudbox, Options, ROOT_KEY, failure};

fn strict() -> Cloudbox {
    Cloudbox::start_with(Options { auth: Auth::Strict, ..Options::default() })
}

#[tokio::test]
async fn unknown_key_is_invalid_client_token_id() {
    let server = strict();
    let config = server.sdk().key("AKIAUNKNOWNKEY000000", "secret").build();
    let refused = failure(Sts::new(&config).get_caller_identity().send().await);
    assert_eq!(refused.code_and_status(), ("InvalidClientTokenId", 403));
}

#[tokio::test]
async fn wrong_secret_is_signature_does_not_match() {
    let server = strict();
    let config = server.sdk().key(ROOT_KEY, "not-the-secret").build();
    let refused = failure(Sts::new(&config).get_caller_identity().send().await);
    assert_eq!(refused.code_and_status(), ("SignatureDoesNotMatch", 403));
}

#[tokio::test]
async fn root_key_works() {
    let server = strict();
    let who = Sts::new(&server.config()).get_caller_identity().send().await.unwrap();
    assert_eq!(who.arn(), Some("arn:aws:iam::000000000000:root"));
}

#[tokio::test]
async fn issued_key_works_until_deactivated() {
    let server = strict();
    let iam = Iam::new(&server.config());
    iam.create_user().user_name("gina").send().await.unwrap();
    let created = iam.create_access_key().user_name("gina").send().await.unwrap();
    let key = created.access_key().unwrap();
    let sts = Sts::new(&server.sdk().key(key.access_key_id(), key.secret_access_key()).build());
    let who = sts.get_caller_identity().send().await.unwrap();
    assert_eq!(who.arn(), Some("arn:aws:iam::000000000000:user/gina"));
    let inactive = aws_sdk_iam::types::StatusType::Inactive;
    iam.update_access_key().user_name("gina").access_key_id(key.access_key_id()).status(inactive).send().await.unwrap();
    let refused = failure(sts.get_caller_identity().send().await);
    assert_eq!(refused.code_and_status(), ("InvalidClientTokenId", 403));
}
