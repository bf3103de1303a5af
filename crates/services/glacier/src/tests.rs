//! Tests of the service through `Service::call`, as the gateway calls it.

use crate::GlacierService;
use cloudbox_core::{AccountId, AwsError, Caller, Clock, Region, RequestContext, Service, Value};
use cloudbox_store::Store;
use serde_json::json;

const ACCOUNT: &str = "123456789012";

fn context(account: &str, region: &str) -> RequestContext {
    let account = AccountId::parse(account).expect("test account ids are valid");
    let caller = Caller::root(account, "AKIDTEST");
    RequestContext::new("test-request", caller, Region::new(region), "glacier", "", chrono::Utc::now())
}

fn service() -> GlacierService {
    GlacierService::new(Store::memory(), Clock::new())
}

async fn call(service: &GlacierService, ctx: &RequestContext, op: &str, input: Value) -> Result<Value, AwsError> {
    service.call(ctx, op, input).await
}

async fn create(service: &GlacierService, ctx: &RequestContext, name: &str) -> Value {
    call(service, ctx, "CreateVault", json!({"accountId": "-", "vaultName": name})).await.expect("vault is created")
}

#[tokio::test]
async fn create_answers_with_the_vault_location() {
    let svc = service();
    let out = create(&svc, &context(ACCOUNT, "us-west-2"), "examplevault").await;
    assert_eq!(out, json!({"location": "/123456789012/vaults/examplevault"}));
}

#[tokio::test]
async fn describe_returns_the_stored_vault() {
    let svc = service();
    let ctx = context(ACCOUNT, "us-west-2");
    create(&svc, &ctx, "examplevault").await;
    let out =
        call(&svc, &ctx, "DescribeVault", json!({"accountId": ACCOUNT, "vaultName": "examplevault"})).await.unwrap();
    assert_eq!(out["VaultARN"], json!("arn:aws:glacier:us-west-2:123456789012:vaults/examplevault"));
    assert_eq!(out["VaultName"], json!("examplevault"));
    assert_eq!(out["NumberOfArchives"], json!(0));
    assert_eq!(out["SizeInBytes"], json!(0));
    assert!(out.get("LastInventoryDate").is_none());
    let created = out["CreationDate"].as_str().unwrap();
    assert_eq!(created.len(), "2013-03-20T17:03:43.221Z".len(), "{created}");
    assert!(created.ends_with('Z'));
    assert!(chrono::DateTime::parse_from_rfc3339(created).is_ok());
}

#[tokio::test]
async fn creating_twice_keeps_the_first_creation_date() {
    let svc = service();
    let ctx = context(ACCOUNT, "us-east-1");
    create(&svc, &ctx, "v").await;
    let input = json!({"accountId": "-", "vaultName": "v"});
    let first = call(&svc, &ctx, "DescribeVault", input.clone()).await.unwrap();
    create(&svc, &ctx, "v").await;
    let second = call(&svc, &ctx, "DescribeVault", input).await.unwrap();
    assert_eq!(first, second);
}

#[tokio::test]
async fn invalid_names_are_refused_on_create() {
    let svc = service();
    let ctx = context(ACCOUNT, "us-east-1");
    for bad in ["has space", "slash/name", "star*", &"a".repeat(256)] {
        let err = call(&svc, &ctx, "CreateVault", json!({"accountId": "-", "vaultName": bad})).await.unwrap_err();
        assert_eq!(err.code, "InvalidParameterValueException", "{bad}");
        assert_eq!(err.status, 400);
        assert_eq!(err.message, format!("Invalid vault name: arn:aws:glacier:us-east-1:{ACCOUNT}:vaults/{bad}"));
    }
    assert!(create(&svc, &ctx, "Valid_name-1.0").await.is_object());
}

#[tokio::test]
async fn missing_vaults_are_not_found_with_their_arn() {
    let svc = service();
    let ctx = context(ACCOUNT, "eu-west-1");
    for op in ["DescribeVault", "DeleteVault"] {
        let err = call(&svc, &ctx, op, json!({"accountId": "-", "vaultName": "nope"})).await.unwrap_err();
        assert_eq!(err.code, "ResourceNotFoundException");
        assert_eq!(err.status, 404);
        assert_eq!(err.message, "Vault not found for ARN: arn:aws:glacier:eu-west-1:123456789012:vaults/nope");
        let extra = err.extra.unwrap();
        assert_eq!(extra["type"], json!("Client"));
        assert_eq!(extra["code"], json!("ResourceNotFoundException"));
    }
}

#[tokio::test]
async fn another_accounts_id_is_access_denied() {
    let svc = service();
    let ctx = context(ACCOUNT, "us-east-1");
    for (op, input) in [
        ("CreateVault", json!({"accountId": "999999999999", "vaultName": "v"})),
        ("DescribeVault", json!({"accountId": "999999999999", "vaultName": "v"})),
        ("DeleteVault", json!({"accountId": "abcmnoxyz", "vaultName": "v"})),
        ("ListVaults", json!({"accountId": "abcmnoxyz"})),
    ] {
        let err = call(&svc, &ctx, op, input).await.unwrap_err();
        assert_eq!(err.code, "AccessDeniedException", "{op}");
        assert_eq!(err.status, 403);
    }
}

#[tokio::test]
async fn delete_removes_an_empty_vault() {
    let svc = service();
    let ctx = context(ACCOUNT, "us-east-1");
    create(&svc, &ctx, "gone").await;
    let out = call(&svc, &ctx, "DeleteVault", json!({"accountId": "-", "vaultName": "gone"})).await.unwrap();
    assert_eq!(out, json!({}));
    let err = call(&svc, &ctx, "DescribeVault", json!({"accountId": "-", "vaultName": "gone"})).await.unwrap_err();
    assert_eq!(err.code, "ResourceNotFoundException");
}

#[tokio::test]
async fn a_vault_with_archives_is_not_deleted() {
    let store = Store::memory();
    let svc = GlacierService::new(store.clone(), Clock::new());
    let ctx = context(ACCOUNT, "us-east-1");
    create(&svc, &ctx, "full").await;
    let key = crate::state::vault_key(&ctx.account, &ctx.region, "full");
    let mut record: crate::state::VaultRecord = store.get_json(&key).unwrap().unwrap();
    record.live_archives = 1;
    store
        .transact(move |txn| {
            txn.put_json(key, &record);
            Ok::<(), cloudbox_store::StoreError>(())
        })
        .await
        .unwrap();
    let err = call(&svc, &ctx, "DeleteVault", json!({"accountId": "-", "vaultName": "full"})).await.unwrap_err();
    assert_eq!(err.code, "InvalidParameterValueException");
    assert_eq!(
        err.message,
        "Vault not empty or recently written to: arn:aws:glacier:us-east-1:123456789012:vaults/full"
    );
}

#[tokio::test]
async fn list_is_ascii_sorted_and_paged_by_marker() {
    let svc = service();
    let ctx = context(ACCOUNT, "us-east-1");
    for name in ["b", "A", "c", "a", "B"] {
        create(&svc, &ctx, name).await;
    }
    let names = |out: &Value| -> Vec<String> {
        out["VaultList"].as_array().unwrap().iter().map(|v| v["VaultName"].as_str().unwrap().to_string()).collect()
    };
    let all = call(&svc, &ctx, "ListVaults", json!({"accountId": "-"})).await.unwrap();
    assert_eq!(names(&all), ["A", "B", "a", "b", "c"]);
    assert!(all.get("Marker").is_none());

    let first = call(&svc, &ctx, "ListVaults", json!({"accountId": "-", "limit": "2"})).await.unwrap();
    assert_eq!(names(&first), ["A", "B"]);
    assert_eq!(first["Marker"], json!("arn:aws:glacier:us-east-1:123456789012:vaults/B"));
    let second = call(&svc, &ctx, "ListVaults", json!({"accountId": "-", "limit": "2", "marker": first["Marker"]}))
        .await
        .unwrap();
    assert_eq!(names(&second), ["a", "b"]);
    let third = call(&svc, &ctx, "ListVaults", json!({"accountId": "-", "limit": "2", "marker": second["Marker"]}))
        .await
        .unwrap();
    assert_eq!(names(&third), ["c"]);
    assert!(third.get("Marker").is_none());
    let from_start = call(&svc, &ctx, "ListVaults", json!({"accountId": "-", "marker": ""})).await.unwrap();
    assert_eq!(names(&from_start).len(), 5);
}

#[tokio::test]
async fn list_defaults_to_ten_vaults_a_page() {
    let svc = service();
    let ctx = context(ACCOUNT, "us-east-1");
    for i in 0..12 {
        create(&svc, &ctx, &format!("vault-{i:02}")).await;
    }
    let page = call(&svc, &ctx, "ListVaults", json!({"accountId": "-"})).await.unwrap();
    assert_eq!(page["VaultList"].as_array().unwrap().len(), 10);
    assert_eq!(page["Marker"], json!("arn:aws:glacier:us-east-1:123456789012:vaults/vault-09"));
}

#[tokio::test]
async fn bad_limits_and_markers_are_invalid_parameters() {
    let svc = service();
    let ctx = context(ACCOUNT, "us-east-1");
    for input in [
        json!({"accountId": "-", "limit": "0"}),
        json!({"accountId": "-", "limit": "11"}),
        json!({"accountId": "-", "limit": "ten"}),
        json!({"accountId": "-", "marker": "arn:aws:glacier:us-west-2:123456789012:vaults/x"}),
        json!({"accountId": "-", "marker": "garbage"}),
    ] {
        let err = call(&svc, &ctx, "ListVaults", input.clone()).await.unwrap_err();
        assert_eq!(err.code, "InvalidParameterValueException", "{input}");
    }
}

#[tokio::test]
async fn vaults_are_scoped_to_account_and_region() {
    let svc = service();
    create(&svc, &context(ACCOUNT, "us-east-1"), "here").await;
    create(&svc, &context(ACCOUNT, "us-west-2"), "there").await;
    create(&svc, &context("210987654321", "us-east-1"), "theirs").await;
    let out = call(&svc, &context(ACCOUNT, "us-east-1"), "ListVaults", json!({"accountId": "-"})).await.unwrap();
    assert_eq!(out["VaultList"].as_array().unwrap().len(), 1);
    assert_eq!(out["VaultList"][0]["VaultName"], json!("here"));
}

#[tokio::test]
async fn unimplemented_operations_say_so() {
    let svc = service();
    let err = call(&svc, &context(ACCOUNT, "us-east-1"), "UploadArchive", json!({})).await.unwrap_err();
    assert_eq!(err.code, "NotImplemented");
}
