//! Tests of the service through `Service::call`, as the gateway calls it.

use crate::DynamoDbService;
use cloudbox_core::{AccountId, Caller, Clock, Region, RequestContext, Service, Value};
use cloudbox_store::Store;
use serde_json::json;

fn context(account: &str, region: &str) -> RequestContext {
    let account = AccountId::parse(account).expect("test account ids are valid");
    let caller = Caller::root(account, "AKIDTEST");
    RequestContext::new("test-request", caller, Region::new(region), "dynamodb", "ListTables", chrono::Utc::now())
}

async fn put_table(store: &Store, ctx: &RequestContext, name: &str) {
    let service = DynamoDbService::new(store.clone(), Clock::new());
    let input = json!({
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": "id", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST"
    });
    service.call(ctx, "CreateTable", input).await.expect("test table is created");
}

async fn list(service: &DynamoDbService, ctx: &RequestContext, input: Value) -> Result<Value, cloudbox_core::AwsError> {
    service.call(ctx, "ListTables", input).await
}

#[tokio::test]
async fn lists_nothing_when_there_are_no_tables() {
    let service = DynamoDbService::new(Store::memory(), Clock::new());
    let out = list(&service, &context("111111111111", "us-east-1"), json!({})).await.unwrap();
    assert_eq!(out, json!({"TableNames": []}));
}

#[tokio::test]
async fn lists_names_in_byte_order() {
    let store = Store::memory();
    let ctx = context("111111111111", "us-east-1");
    for name in ["orders", "Users", "audit-log", "Zeta", "audit.2024", "audit_2024"] {
        put_table(&store, &ctx, name).await;
    }
    let service = DynamoDbService::new(store, Clock::new());
    let out = list(&service, &ctx, json!({})).await.unwrap();
    assert_eq!(out["TableNames"], json!(["Users", "Zeta", "audit-log", "audit.2024", "audit_2024", "orders"]));
    assert!(out.get("LastEvaluatedTableName").is_none());
}

#[tokio::test]
async fn pages_with_limit_and_exclusive_start() {
    let store = Store::memory();
    let ctx = context("111111111111", "eu-west-1");
    for name in ["aaa", "bbb", "ccc", "ddd", "eee"] {
        put_table(&store, &ctx, name).await;
    }
    let service = DynamoDbService::new(store, Clock::new());

    let first = list(&service, &ctx, json!({"Limit": 2})).await.unwrap();
    assert_eq!(first, json!({"TableNames": ["aaa", "bbb"], "LastEvaluatedTableName": "bbb"}));

    let second = list(&service, &ctx, json!({"Limit": 2, "ExclusiveStartTableName": "bbb"})).await.unwrap();
    assert_eq!(second, json!({"TableNames": ["ccc", "ddd"], "LastEvaluatedTableName": "ddd"}));

    let third = list(&service, &ctx, json!({"Limit": 2, "ExclusiveStartTableName": "ddd"})).await.unwrap();
    assert_eq!(third, json!({"TableNames": ["eee"]}));

    // A start name that is not a table still positions the listing.
    let between = list(&service, &ctx, json!({"ExclusiveStartTableName": "bz"})).await.unwrap();
    assert_eq!(between, json!({"TableNames": ["ccc", "ddd", "eee"]}));
}

#[tokio::test]
async fn a_full_last_page_still_names_where_to_resume() {
    let store = Store::memory();
    let ctx = context("111111111111", "us-east-1");
    for name in ["aaa", "bbb"] {
        put_table(&store, &ctx, name).await;
    }
    let service = DynamoDbService::new(store, Clock::new());
    let full = list(&service, &ctx, json!({"Limit": 2})).await.unwrap();
    assert_eq!(full["LastEvaluatedTableName"], json!("bbb"));
    let after = list(&service, &ctx, json!({"Limit": 2, "ExclusiveStartTableName": "bbb"})).await.unwrap();
    assert_eq!(after, json!({"TableNames": []}));
}

#[tokio::test]
async fn tables_are_scoped_to_account_and_region() {
    let store = Store::memory();
    let mine = context("111111111111", "us-east-1");
    put_table(&store, &mine, "mine").await;
    put_table(&store, &context("222222222222", "us-east-1"), "theirs").await;
    put_table(&store, &context("111111111111", "us-west-2"), "elsewhere").await;
    let service = DynamoDbService::new(store, Clock::new());
    let out = list(&service, &mine, json!({})).await.unwrap();
    assert_eq!(out["TableNames"], json!(["mine"]));
}

#[tokio::test]
async fn limits_outside_the_model_range_are_validation_errors() {
    let service = DynamoDbService::new(Store::memory(), Clock::new());
    let ctx = context("111111111111", "us-east-1");
    let low = list(&service, &ctx, json!({"Limit": 0})).await.unwrap_err();
    assert_eq!(low.code, "ValidationException");
    assert_eq!(low.status, 400);
    assert_eq!(
        low.message,
        "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: \
         Member must have value greater than or equal to 1"
    );
    let high = list(&service, &ctx, json!({"Limit": 101})).await.unwrap_err();
    assert!(high.message.contains("less than or equal to 100"), "{}", high.message);
}

#[tokio::test]
async fn other_operations_are_not_implemented() {
    let service = DynamoDbService::new(Store::memory(), Clock::new());
    let err = service.call(&context("111111111111", "us-east-1"), "DescribeGlobalTable", json!({})).await.unwrap_err();
    assert_eq!(err.code, "NotImplemented");
    assert!(!service.operations().contains(&"DescribeGlobalTable"));
}
