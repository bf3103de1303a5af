//! IAM users and access keys through the SDK (query protocol): creation,
//! listing with MaxItems/Marker and the SDK's paginator, typed errors.

use aws_sdk_iam::Client as Iam;
use aws_sdk_iam::types::StatusType;
use cloudbox_sdk_tests::{Cloudbox, failure};

async fn create_users(iam: &Iam, names: &[&str]) {
    for name in names {
        iam.create_user().user_name(*name).send().await.unwrap();
    }
}

#[tokio::test]
async fn created_user_has_arn_id_and_path() {
    let server = Cloudbox::start();
    let iam = Iam::new(&server.config());
    let created = iam.create_user().user_name("alice").path("/team/").send().await.unwrap();
    let user = created.user().unwrap();
    assert_eq!(user.arn(), "arn:aws:iam::000000000000:user/team/alice");
    assert_eq!(user.path(), "/team/");
    assert!(user.user_id().starts_with("AIDA") && user.user_id().len() == 21, "{}", user.user_id());
    let fetched = iam.get_user().user_name("alice").send().await.unwrap();
    assert_eq!(fetched.user().unwrap().user_id(), user.user_id());
    let again = failure(iam.create_user().user_name("ALICE").send().await);
    assert_eq!(again.code_and_status(), ("EntityAlreadyExists", 409));
}

#[tokio::test]
async fn access_key_is_active_and_listed() {
    let server = Cloudbox::start();
    let iam = Iam::new(&server.config());
    create_users(&iam, &["carol"]).await;
    let created = iam.create_access_key().user_name("carol").send().await.unwrap();
    let key = created.access_key().unwrap();
    assert!(key.access_key_id().starts_with("AKIA"), "{}", key.access_key_id());
    assert_eq!(key.secret_access_key().len(), 40);
    assert_eq!(key.status(), &StatusType::Active);
    let listed = iam.list_access_keys().user_name("carol").send().await.unwrap();
    let ids: Vec<_> = listed.access_key_metadata().iter().filter_map(|k| k.access_key_id()).collect();
    assert_eq!(ids, [key.access_key_id()]);
}

#[tokio::test]
async fn list_users_pages_with_max_items_and_marker() {
    let server = Cloudbox::start();
    let iam = Iam::new(&server.config());
    create_users(&iam, &["ann", "bob", "cid"]).await;
    let first = iam.list_users().max_items(2).send().await.unwrap();
    let names: Vec<_> = first.users().iter().map(|u| u.user_name()).collect();
    assert_eq!(names, ["ann", "bob"]);
    assert!(first.is_truncated());
    let marker = first.marker().expect("a marker on a truncated page");
    let rest = iam.list_users().marker(marker).send().await.unwrap();
    let names: Vec<_> = rest.users().iter().map(|u| u.user_name()).collect();
    assert_eq!(names, ["cid"]);
    assert!(!rest.is_truncated());
    assert_eq!(rest.marker(), None);
}

#[tokio::test]
async fn paginator_follows_markers_to_the_end() {
    let server = Cloudbox::start();
    let iam = Iam::new(&server.config());
    create_users(&iam, &["u1", "u2", "u3", "u4", "u5"]).await;
    let pages: Vec<_> = iam.list_users().max_items(2).into_paginator().send().collect::<Result<_, _>>().await.unwrap();
    assert_eq!(pages.len(), 3);
    let names: Vec<_> = pages.iter().flat_map(|p| p.users()).map(|u| u.user_name().to_string()).collect();
    assert_eq!(names, ["u1", "u2", "u3", "u4", "u5"]);
}

#[tokio::test]
async fn missing_user_is_no_such_entity() {
    let server = Cloudbox::start();
    let iam = Iam::new(&server.config());
    let result = iam.get_user().user_name("nobody").send().await;
    let typed = result.as_ref().unwrap_err().as_service_error().expect("a service error");
    assert!(typed.is_no_such_entity_exception(), "{typed:?}");
    assert_eq!(failure(result).code_and_status(), ("NoSuchEntity", 404));
}

#[tokio::test]
async fn deleted_user_is_gone() {
    let server = Cloudbox::start();
    let iam = Iam::new(&server.config());
    create_users(&iam, &["dave", "eve"]).await;
    iam.delete_user().user_name("dave").send().await.unwrap();
    let names: Vec<_> =
        iam.list_users().send().await.unwrap().users().iter().map(|u| u.user_name().to_string()).collect();
    assert_eq!(names, ["eve"]);
    assert_eq!(failure(iam.get_user().user_name("dave").send().await).code, "NoSuchEntity");
    let again = failure(iam.delete_user().user_name("dave").send().await);
    assert_eq!(again.code_and_status(), ("NoSuchEntity", 404));
}

#[tokio::test]
async fn user_with_a_key_cannot_be_deleted() {
    let server = Cloudbox::start();
    let iam = Iam::new(&server.config());
    create_users(&iam, &["frank"]).await;
    let created = iam.create_access_key().user_name("frank").send().await.unwrap();
    let key_id = created.access_key().unwrap().access_key_id();
    let conflict = failure(iam.delete_user().user_name("frank").send().await);
    assert_eq!(conflict.code_and_status(), ("DeleteConflict", 409));
    iam.delete_access_key().user_name("frank").access_key_id(key_id).send().await.unwrap();
    iam.delete_user().user_name("frank").send().await.unwrap();
}

#[tokio::test]
async fn operation_without_handler_is_not_implemented() {
    let server = Cloudbox::start();
    let iam = Iam::new(&server.config());
    let missing = failure(iam.list_roles().send().await);
    assert_eq!(missing.code_and_status(), ("NotImplemented", 501));
    assert!(missing.message.contains("ListRoles"), "{missing:?}");
}
