//! CreateUser, GetUser, ListUsers and DeleteUser through `Service::call`.

mod common;

use common::*;
use serde_json::json;

fn is_base32_upper(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
}

#[tokio::test]
async fn create_user_reports_the_new_user() {
    let f = Fixture::new();
    let before = f.clock.now().timestamp();
    let user = f.create_user("alice").await;
    assert_eq!(user["UserName"], "alice");
    assert_eq!(user["Path"], "/");
    assert_eq!(user["Arn"], "arn:aws:iam::123456789012:user/alice");
    let id = user["UserId"].as_str().unwrap();
    assert!(id.starts_with("AIDA") && id.len() == 21 && is_base32_upper(id), "{id}");
    let created = user["CreateDate"].as_i64().unwrap();
    assert!(created >= before && created <= f.clock.now().timestamp());
    assert!(user.get("Tags").is_none());
    assert!(user.get("PermissionsBoundary").is_none());
}

#[tokio::test]
async fn create_user_keeps_path_tags_and_boundary() {
    let f = Fixture::new();
    let out = f
        .ok(
            "CreateUser",
            json!({
                "UserName": "bob",
                "Path": "/engineering/backend/",
                "Tags": [{"Key": "team", "Value": "storage"}],
                "PermissionsBoundary": "arn:aws:iam::aws:policy/PowerUserAccess",
            }),
        )
        .await;
    let expected_boundary = json!({
        "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
        "PermissionsBoundaryArn": "arn:aws:iam::aws:policy/PowerUserAccess",
    });
    assert_eq!(out["User"]["Arn"], "arn:aws:iam::123456789012:user/engineering/backend/bob");
    assert_eq!(out["User"]["Tags"], json!([{"Key": "team", "Value": "storage"}]));
    assert_eq!(out["User"]["PermissionsBoundary"], expected_boundary);

    let got = f.ok("GetUser", json!({"UserName": "bob"})).await;
    assert_eq!(got["User"], out["User"]);
}

#[tokio::test]
async fn user_names_are_unique_ignoring_case() {
    let f = Fixture::new();
    f.create_user("Alice").await;
    let err = f.err("CreateUser", json!({"UserName": "ALICE"})).await;
    assert_error(&err, "EntityAlreadyExists", 409, "User with name ALICE already exists.");

    // Lookups ignore case too and report the name as created.
    let got = f.ok("GetUser", json!({"UserName": "alice"})).await;
    assert_eq!(got["User"]["UserName"], "Alice");
}

#[tokio::test]
async fn bad_tags_and_boundaries_are_refused() {
    let f = Fixture::new();
    let tags = json!([{"Key": "Team", "Value": "a"}, {"Key": "team", "Value": "b"}]);
    let err = f.err("CreateUser", json!({"UserName": "carol", "Tags": tags})).await;
    assert_error(
        &err,
        "InvalidInput",
        400,
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
    );

    let role = "arn:aws:iam::123456789012:role/NotAPolicy";
    let err = f.err("CreateUser", json!({"UserName": "carol", "PermissionsBoundary": role})).await;
    assert_error(&err, "InvalidInput", 400, &format!("Value ({role}) for parameter PermissionsBoundary is invalid."));

    // Nothing was created by the refused requests.
    let err = f.err("GetUser", json!({"UserName": "carol"})).await;
    assert_eq!(err.code, "NoSuchEntity");
}

#[tokio::test]
async fn get_user_of_a_missing_user_is_no_such_entity() {
    let f = Fixture::new();
    let err = f.err("GetUser", json!({"UserName": "ghost"})).await;
    assert_error(&err, "NoSuchEntity", 404, "The user with name ghost cannot be found.");
}

#[tokio::test]
async fn get_user_without_a_name_as_root_describes_the_root_user() {
    let f = Fixture::new();
    let first = f.ok("GetUser", json!({})).await;
    let user = first["User"].as_object().unwrap();
    assert_eq!(user["Arn"], "arn:aws:iam::123456789012:root");
    assert_eq!(user["UserId"], "123456789012");
    assert!(user["CreateDate"].is_i64());
    assert!(!user.contains_key("UserName") && !user.contains_key("Path"));

    f.clock.advance(3600);
    let again = f.ok("GetUser", json!({})).await;
    assert_eq!(again, first, "the root user's creation date does not move");
}

#[tokio::test]
async fn get_user_without_a_name_as_a_user_describes_that_user() {
    let f = Fixture::new();
    let alice = f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;
    let got = f.call(&f.caller_of(&key), "GetUser", json!({})).await.unwrap();
    assert_eq!(got["User"], alice);
}

#[tokio::test]
async fn get_user_without_a_name_needs_user_credentials() {
    let f = Fixture::new();
    let role = cloudbox_core::Caller {
        account: account(ACCOUNT),
        arn: "arn:aws:sts::123456789012:assumed-role/builder/session".into(),
        user_id: "AROAEXAMPLEEXAMPLE123:session".into(),
        access_key_id: "ASIAEXAMPLEEXAMPLE12".into(),
    };
    let err = f.call(&role, "GetUser", json!({})).await.unwrap_err();
    assert_error(&err, "ValidationError", 400, "Must specify userName when calling with non-User credentials");
}

#[tokio::test]
async fn list_users_filters_by_path_and_omits_tags() {
    let f = Fixture::new();
    for (name, path) in [("dave", "/ops/"), ("carol", "/"), ("bob", "/ops/east/"), ("Alice", "/dev/")] {
        let tags = json!([{"Key": "k", "Value": "v"}]);
        f.ok("CreateUser", json!({"UserName": name, "Path": path, "Tags": tags})).await;
    }
    let all = f.ok("ListUsers", json!({})).await;
    let names: Vec<&str> = all["Users"].as_array().unwrap().iter().map(|u| u["UserName"].as_str().unwrap()).collect();
    assert_eq!(names, ["Alice", "bob", "carol", "dave"]);
    assert_eq!(all["IsTruncated"], false);
    assert!(all.get("Marker").is_none());
    assert!(all["Users"].as_array().unwrap().iter().all(|u| u.get("Tags").is_none()));

    let ops = f.ok("ListUsers", json!({"PathPrefix": "/ops/"})).await;
    let names: Vec<&str> = ops["Users"].as_array().unwrap().iter().map(|u| u["UserName"].as_str().unwrap()).collect();
    assert_eq!(names, ["bob", "dave"]);
}

#[tokio::test]
async fn list_users_pages_with_marker_and_max_items() {
    let f = Fixture::new();
    for i in 0..5 {
        f.create_user(&format!("user{i}")).await;
    }
    let mut seen = Vec::new();
    let mut marker: Option<String> = None;
    loop {
        let mut input = json!({"MaxItems": 2});
        if let Some(m) = &marker {
            input["Marker"] = json!(m);
        }
        let page = f.ok("ListUsers", input).await;
        let users = page["Users"].as_array().unwrap();
        assert!(users.len() <= 2);
        seen.extend(users.iter().map(|u| u["UserName"].as_str().unwrap().to_string()));
        if page["IsTruncated"] == false {
            assert!(page.get("Marker").is_none());
            break;
        }
        marker = Some(page["Marker"].as_str().unwrap().to_string());
    }
    assert_eq!(seen, ["user0", "user1", "user2", "user3", "user4"]);
}

#[tokio::test]
async fn users_belong_to_their_account() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let other = root_of(OTHER_ACCOUNT);
    let err = f.call(&other, "GetUser", json!({"UserName": "alice"})).await.unwrap_err();
    assert_eq!(err.code, "NoSuchEntity");
    let listed = f.call(&other, "ListUsers", json!({})).await.unwrap();
    assert_eq!(listed["Users"], json!([]));
    // The same name is free in another account.
    let created = f.call(&other, "CreateUser", json!({"UserName": "alice"})).await.unwrap();
    assert_eq!(created["User"]["Arn"], "arn:aws:iam::210987654321:user/alice");
}

#[tokio::test]
async fn delete_user_refuses_while_access_keys_remain() {
    let f = Fixture::new();
    f.create_user("alice").await;
    let (key, _) = f.create_key("alice").await;

    let err = f.err("DeleteUser", json!({"UserName": "alice"})).await;
    assert_error(&err, "DeleteConflict", 409, "Cannot delete entity, must delete access keys first.");

    f.ok("DeleteAccessKey", json!({"UserName": "alice", "AccessKeyId": key})).await;
    let out = f.ok("DeleteUser", json!({"UserName": "ALICE"})).await;
    assert_eq!(out, json!({}));

    let err = f.err("GetUser", json!({"UserName": "alice"})).await;
    assert_error(&err, "NoSuchEntity", 404, "The user with name alice cannot be found.");
    let err = f.err("DeleteUser", json!({"UserName": "alice"})).await;
    assert_error(&err, "NoSuchEntity", 404, "The user with name alice cannot be found.");

    // The name can be used again, for a new user with a new id.
    f.create_user("alice").await;
}

#[tokio::test]
async fn other_operations_are_not_implemented() {
    let f = Fixture::new();
    let err = f.err("CreateRole", json!({"RoleName": "r", "AssumeRolePolicyDocument": "{}"})).await;
    assert_eq!((err.code.as_str(), err.status), ("NotImplemented", 501));
}
