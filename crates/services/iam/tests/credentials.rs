//! The credential resolver: lazy loading after a restart, resets, temporary
//! credentials and consistency under concurrent lookups.

mod common;

use chrono::Duration;
use cloudbox_core::{CredentialResolver, Service};
use common::*;
use serde_json::json;
use std::sync::Arc;

#[tokio::test]
async fn unknown_and_malformed_key_ids_resolve_to_nothing() {
    let f = Fixture::new();
    assert!(f.credentials.resolve("AKIAAAAAAAAAAAAAAAAA").is_none());
    assert!(f.credentials.resolve("ASIAAAAAAAAAAAAAAAAA").is_none());
    assert!(f.credentials.resolve("").is_none());
    assert!(f.credentials.resolve(&"A".repeat(10_000)).is_none());
}

#[tokio::test]
async fn keys_resolve_after_a_restart() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (key, secret) = f.create_key("alice").await;
    let root_key = f.ok("CreateAccessKey", json!({})).await["AccessKey"]["AccessKeyId"].as_str().unwrap().to_string();

    let restarted = Fixture::on(f.store.clone(), f.clock.clone());
    let credential = restarted.credentials.resolve(&key).expect("loaded from the store");
    assert_eq!(credential.secret_access_key, secret);
    assert_eq!(credential.caller.arn, "arn:aws:iam::123456789012:user/alice");
    assert_eq!(restarted.caller_of(&root_key).arn, "arn:aws:iam::123456789012:root");
}

#[tokio::test]
async fn a_reset_forgets_every_key() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;
    assert!(f.credentials.resolve(&key).is_some());
    f.store.clear().await.unwrap();
    f.iam.on_reset();
    assert!(f.credentials.resolve(&key).is_none());
}

#[tokio::test]
async fn sessions_act_as_their_principal_until_they_expire() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;
    let alice = f.caller_of(&key);

    let expiration = f.clock.now() + Duration::seconds(900);
    let session = f.credentials.issue_session(&alice, expiration).await.unwrap();
    assert!(session.access_key_id.starts_with("ASIA") && session.access_key_id.len() == 20);
    assert_eq!(session.expiration.timestamp(), expiration.timestamp());

    let credential = f.credentials.resolve(&session.access_key_id).expect("resolves at once");
    assert_eq!(credential.secret_access_key, session.secret_access_key);
    assert_eq!(credential.session_token.as_deref(), Some(session.session_token.as_str()));
    assert_eq!(credential.expires_at, Some(session.expiration));
    assert_eq!(
        (credential.caller.arn.as_str(), credential.caller.user_id.as_str()),
        (alice.arn.as_str(), alice.user_id.as_str())
    );
    assert_eq!(credential.caller.access_key_id, session.access_key_id);
    assert!(credential.expires_at.unwrap() > f.clock.now());

    f.clock.advance(901);
    let expired = f.credentials.resolve(&session.access_key_id).expect("expired sessions still resolve");
    assert!(expired.expires_at.unwrap() < f.clock.now());

    let restarted = Fixture::on(f.store.clone(), f.clock.clone());
    assert_eq!(restarted.credentials.resolve(&session.access_key_id), Some(expired));
}

#[tokio::test]
async fn a_users_sessions_end_with_the_user() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;
    let alice = f.caller_of(&key);
    let session = f.credentials.issue_session(&alice, f.clock.now() + Duration::hours(1)).await.unwrap();
    assert!(f.credentials.resolve(&session.access_key_id).is_some());

    f.ok("DeleteAccessKey", json!({"UserName": "alice", "AccessKeyId": key})).await;
    assert!(f.credentials.resolve(&session.access_key_id).is_some(), "deleting the key keeps the session");
    f.ok("DeleteUser", json!({"UserName": "alice"})).await;
    assert!(f.credentials.resolve(&session.access_key_id).is_none());

    // A new user with the same name does not inherit the session.
    f.create_user("alice").await;
    assert!(f.credentials.resolve(&session.access_key_id).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_lookups_never_keep_a_stale_status() {
    let f = Arc::new(Fixture::new());
    f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;
    for round in 0..20 {
        let status = if round % 2 == 0 { "Inactive" } else { "Active" };
        let readers: Vec<_> = (0..4)
            .map(|_| {
                let (f, key) = (f.clone(), key.clone());
                std::thread::spawn(move || {
                    for _ in 0..200 {
                        f.credentials.resolve(&key);
                    }
                })
            })
            .collect();
        f.ok("UpdateAccessKey", json!({"UserName": "alice", "AccessKeyId": key, "Status": status})).await;
        for reader in readers {
            reader.join().unwrap();
        }
        assert_eq!(f.credentials.resolve(&key).unwrap().active, status == "Active", "round {round}");
    }
}

#[tokio::test]
async fn the_sweep_deletes_sessions_only_after_the_retention_period() {
    use cloudbox_core::TimedWork;
    let f = Fixture::new();
    f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;
    let alice = f.caller_of(&key);
    let short = f.credentials.issue_session(&alice, f.clock.now() + Duration::seconds(900)).await.unwrap();
    let long = f.credentials.issue_session(&alice, f.clock.now() + Duration::days(3)).await.unwrap();
    let sweep = cloudbox_iam::SessionExpiry::new(f.credentials.clone());

    f.clock.advance(901);
    sweep.run_due(f.clock.now()).await;
    assert!(f.credentials.resolve(&short.access_key_id).is_some(), "recently expired: still answered ExpiredToken");

    f.clock.advance(cloudbox_iam::EXPIRED_SESSION_RETENTION_SECONDS);
    sweep.run_due(f.clock.now()).await;
    assert!(f.credentials.resolve(&short.access_key_id).is_none(), "long expired: deleted");
    assert!(f.credentials.resolve(&long.access_key_id).is_some(), "not expired: kept");
    let restarted = Fixture::on(f.store.clone(), f.clock.clone());
    assert!(restarted.credentials.resolve(&short.access_key_id).is_none(), "deleted from the store too");
}
