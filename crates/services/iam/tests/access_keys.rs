//! CreateAccessKey, ListAccessKeys, UpdateAccessKey and DeleteAccessKey
//! through `Service::call`, and what the credential resolver makes of them.

mod common;

use cloudbox_core::CredentialResolver;
use common::*;
use serde_json::json;

#[tokio::test]
async fn a_new_key_works_on_the_very_next_request() {
    let f = Fixture::new();
    let user = f.create_user("alice").await;
    let out = f.ok("CreateAccessKey", json!({"UserName": "alice"})).await;
    let key = out["AccessKey"].as_object().unwrap();
    let id = key["AccessKeyId"].as_str().unwrap();
    let secret = key["SecretAccessKey"].as_str().unwrap();
    assert!(id.starts_with("AKIA") && id.len() == 20, "{id}");
    assert_eq!(secret.len(), 40);
    assert_eq!(key["UserName"], "alice");
    assert_eq!(key["Status"], "Active");
    assert!(key["CreateDate"].is_i64());

    let credential = f.credentials.resolve(id).expect("the key resolves at once");
    assert_eq!(credential.secret_access_key, secret);
    assert!(credential.active);
    assert_eq!((credential.session_token, credential.expires_at), (None, None));
    assert_eq!(credential.caller.arn, user["Arn"]);
    assert_eq!(credential.caller.user_id, user["UserId"]);
    assert_eq!(credential.caller.account.as_str(), ACCOUNT);
    assert_eq!(credential.caller.access_key_id, id);
}

#[tokio::test]
async fn a_user_has_at_most_two_keys() {
    let f = Fixture::new();
    f.create_user("alice").await;
    f.create_key("alice").await;
    let (second, _) = f.create_key("alice").await;
    // Inactive keys count too.
    f.ok("UpdateAccessKey", json!({"UserName": "alice", "AccessKeyId": second, "Status": "Inactive"})).await;
    let err = f.err("CreateAccessKey", json!({"UserName": "alice"})).await;
    assert_error(&err, "LimitExceeded", 409, "Cannot exceed quota for AccessKeysPerUser: 2");
}

#[tokio::test]
async fn keys_for_a_missing_user_are_refused() {
    let f = Fixture::new();
    let err = f.err("CreateAccessKey", json!({"UserName": "ghost"})).await;
    assert_error(&err, "NoSuchEntity", 404, "The user with name ghost cannot be found.");
    let err = f.err("ListAccessKeys", json!({"UserName": "ghost"})).await;
    assert_error(&err, "NoSuchEntity", 404, "The user with name ghost cannot be found.");
}

#[tokio::test]
async fn the_root_user_manages_its_own_keys() {
    let f = Fixture::new();
    let out = f.ok("CreateAccessKey", json!({})).await;
    let key = out["AccessKey"].as_object().unwrap();
    assert!(!key.contains_key("UserName"));
    let id = key["AccessKeyId"].as_str().unwrap();

    let caller = f.caller_of(id);
    assert_eq!(caller.arn, "arn:aws:iam::123456789012:root");
    assert_eq!(caller.user_id, ACCOUNT);

    let listed = f.ok("ListAccessKeys", json!({})).await;
    let keys = listed["AccessKeyMetadata"].as_array().unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0]["AccessKeyId"], id);
    assert!(keys[0].get("UserName").is_none());
}

#[tokio::test]
async fn a_user_manages_its_own_keys_without_naming_itself() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (first, _) = f.create_key("alice").await;
    let alice = f.caller_of(&first);

    let out = f.call(&alice, "CreateAccessKey", json!({})).await.unwrap();
    assert_eq!(out["AccessKey"]["UserName"], "alice");
    let second = out["AccessKey"]["AccessKeyId"].as_str().unwrap().to_string();

    let listed = f.call(&alice, "ListAccessKeys", json!({})).await.unwrap();
    let mut ids: Vec<&str> =
        listed["AccessKeyMetadata"].as_array().unwrap().iter().map(|k| k["AccessKeyId"].as_str().unwrap()).collect();
    ids.sort();
    let mut expected = vec![first.as_str(), second.as_str()];
    expected.sort();
    assert_eq!(ids, expected);

    f.call(&alice, "DeleteAccessKey", json!({"AccessKeyId": second})).await.unwrap();
    assert!(f.credentials.resolve(&second).is_none());
}

#[tokio::test]
async fn temporary_credentials_must_name_the_user() {
    let f = Fixture::new();
    let mut session = root();
    session.access_key_id = "ASIAEXAMPLEEXAMPLE12".into();
    for operation in ["CreateAccessKey", "ListAccessKeys"] {
        let err = f.call(&session, operation, json!({})).await.unwrap_err();
        assert_error(&err, "ValidationError", 400, "Must specify userName when calling with non-User credentials");
    }
}

#[tokio::test]
async fn listing_keys_shows_no_secrets_and_pages() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (a, _) = f.create_key("alice").await;
    let (b, _) = f.create_key("alice").await;

    let first = f.ok("ListAccessKeys", json!({"UserName": "alice", "MaxItems": 1})).await;
    assert_eq!(first["IsTruncated"], true);
    let page = first["AccessKeyMetadata"].as_array().unwrap();
    assert_eq!(page.len(), 1);
    let entry = page[0].as_object().unwrap();
    let mut members: Vec<&str> = entry.keys().map(String::as_str).collect();
    members.sort();
    assert_eq!(members, ["AccessKeyId", "CreateDate", "Status", "UserName"]);

    let marker = first["Marker"].as_str().unwrap();
    let second = f.ok("ListAccessKeys", json!({"UserName": "alice", "MaxItems": 1, "Marker": marker})).await;
    assert_eq!(second["IsTruncated"], false);
    let mut ids = vec![page[0]["AccessKeyId"].clone(), second["AccessKeyMetadata"][0]["AccessKeyId"].clone()];
    ids.sort_by_key(|v| v.as_str().unwrap().to_string());
    let mut expected = vec![json!(a), json!(b)];
    expected.sort_by_key(|v| v.as_str().unwrap().to_string());
    assert_eq!(ids, expected);
}

#[tokio::test]
async fn deactivating_a_key_takes_effect_immediately() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;
    assert!(f.credentials.resolve(&key).unwrap().active);

    let out = f.ok("UpdateAccessKey", json!({"UserName": "alice", "AccessKeyId": key, "Status": "Inactive"})).await;
    assert_eq!(out, json!({}));
    assert!(!f.credentials.resolve(&key).unwrap().active);
    let listed = f.ok("ListAccessKeys", json!({"UserName": "alice"})).await;
    assert_eq!(listed["AccessKeyMetadata"][0]["Status"], "Inactive");

    f.ok("UpdateAccessKey", json!({"UserName": "alice", "AccessKeyId": key, "Status": "Active"})).await;
    assert!(f.credentials.resolve(&key).unwrap().active);
}

#[tokio::test]
async fn keys_cannot_be_set_to_expired() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;
    let err = f.err("UpdateAccessKey", json!({"UserName": "alice", "AccessKeyId": key, "Status": "Expired"})).await;
    assert_eq!((err.code.as_str(), err.status), ("ValidationError", 400));
    assert!(f.credentials.resolve(&key).unwrap().active);
}

#[tokio::test]
async fn unknown_or_foreign_keys_are_no_such_entity() {
    let f = Fixture::new();
    f.create_user("alice").await;
    f.create_user("bob").await;
    let (alices, _) = f.create_key("alice").await;
    let missing = "AKIAAAAAAAAAAAAAAAAA";

    let err =
        f.err("UpdateAccessKey", json!({"UserName": "alice", "AccessKeyId": missing, "Status": "Inactive"})).await;
    assert_error(&err, "NoSuchEntity", 404, &format!("The Access Key with id {missing} cannot be found."));
    let err = f.err("DeleteAccessKey", json!({"UserName": "bob", "AccessKeyId": alices})).await;
    assert_error(&err, "NoSuchEntity", 404, &format!("The Access Key with id {alices} cannot be found."));
    // Without a user name the root user's keys are meant.
    let err = f.err("DeleteAccessKey", json!({"AccessKeyId": alices})).await;
    assert_eq!(err.code, "NoSuchEntity");
    let err = f.err("DeleteAccessKey", json!({"UserName": "ghost", "AccessKeyId": alices})).await;
    assert_error(&err, "NoSuchEntity", 404, "The user with name ghost cannot be found.");

    assert!(f.credentials.resolve(&alices).unwrap().active, "refused requests change nothing");
}

#[tokio::test]
async fn a_deleted_key_stops_resolving_at_once() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;
    assert!(f.credentials.resolve(&key).is_some());
    f.ok("DeleteAccessKey", json!({"UserName": "alice", "AccessKeyId": key})).await;
    assert!(f.credentials.resolve(&key).is_none());
    let listed = f.ok("ListAccessKeys", json!({"UserName": "alice"})).await;
    assert_eq!(listed["AccessKeyMetadata"], json!([]));
    assert_eq!(listed["IsTruncated"], false);
}
