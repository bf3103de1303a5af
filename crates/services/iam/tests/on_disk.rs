//! IAM state and the credential resolver over the on-disk store: what was
//! written before a restart resolves after it.

mod common;

use chrono::Duration;
use cloudbox_core::{Clock, CredentialResolver};
use cloudbox_store::Store;
use common::*;
use serde_json::json;

/// A directory under the system's temporary directory, removed on drop.
struct TempDir(std::path::PathBuf);

impl TempDir {
    fn new(label: &str) -> TempDir {
        let unique = format!("cloudbox-iam-{label}-{}-{}", std::process::id(), cloudbox_core::ids::request_id());
        let path = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[tokio::test]
async fn keys_and_sessions_survive_a_restart_of_the_on_disk_store() {
    let dir = TempDir::new("restart");
    let clock = Clock::new();
    let (key, session) = {
        let f = Fixture::on(Store::open(&dir.0).unwrap(), clock.clone());
        f.create_user("alice").await;
        let (key, _) = f.create_key("alice").await;
        f.ok("UpdateAccessKey", json!({"UserName": "alice", "AccessKeyId": key, "Status": "Inactive"})).await;
        let alice = f.caller_of(&key);
        let session = f.credentials.issue_session(&alice, f.clock.now() + Duration::hours(1)).await.unwrap();
        f.store.shutdown();
        (key, session)
    };
    let f = Fixture::on(Store::open(&dir.0).unwrap(), clock);
    let credential = f.credentials.resolve(&key).expect("the key outlives the process");
    assert!(!credential.active);
    assert_eq!(credential.caller.arn, "arn:aws:iam::123456789012:user/alice");
    let resumed = f.credentials.resolve(&session.access_key_id).expect("so does the session");
    assert_eq!(resumed.session_token.as_deref(), Some(session.session_token.as_str()));
    assert_eq!(resumed.caller.user_id, credential.caller.user_id);
    let user = f.ok("GetUser", json!({"UserName": "alice"})).await;
    assert_eq!(user["User"]["UserId"], credential.caller.user_id.as_str());
    f.store.shutdown();
}
