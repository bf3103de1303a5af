//! TransactWriteItems and TransactGetItems through the service.

use crate::DynamoDbService;
use crate::streams::tests::{context_at, create_table};
use chrono::{Duration, Utc};
use cloudbox_core::{AwsError, Clock, RequestContext, Service, Value};
use cloudbox_store::Store;
use serde_json::json;

async fn call(service: &DynamoDbService, ctx: &RequestContext, op: &str, input: Value) -> Result<Value, AwsError> {
    service.call(ctx, op, input).await
}

fn key(pk: &str) -> Value {
    json!({"pk": {"S": pk}})
}

async fn get(service: &DynamoDbService, ctx: &RequestContext, pk: &str) -> Option<Value> {
    let out =
        call(service, ctx, "TransactGetItems", json!({"TransactItems": [{"Get": {"TableName": "t", "Key": key(pk)}}]}))
            .await
            .unwrap();
    out["Responses"][0].get("Item").cloned()
}

async fn setup() -> (DynamoDbService, RequestContext, Store) {
    let store = Store::memory();
    let ctx = context_at(Utc::now());
    create_table(&store, &ctx, "t", None).await;
    (DynamoDbService::new(store.clone(), Clock::new()), ctx, store)
}

#[tokio::test]
async fn all_actions_commit_together() {
    let (service, ctx, _) = setup().await;
    let put = |pk: &str| json!({"Put": {"TableName": "t", "Item": {"pk": {"S": pk}, "n": {"N": "1"}}}});
    call(&service, &ctx, "TransactWriteItems", json!({"TransactItems": [put("a"), put("b")]})).await.unwrap();
    let items = json!({"TransactItems": [
        {"Update": {"TableName": "t", "Key": key("a"), "UpdateExpression": "SET n = n + :d",
                    "ExpressionAttributeValues": {":d": {"N": "2"}}}},
        {"Delete": {"TableName": "t", "Key": key("b"), "ConditionExpression": "attribute_exists(pk)"}},
        {"ConditionCheck": {"TableName": "t", "Key": key("zzz"), "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": "t", "Key": key("fresh"), "UpdateExpression": "SET v = :v",
                    "ExpressionAttributeValues": {":v": {"S": "x"}}}},
    ], "ReturnConsumedCapacity": "TOTAL"});
    let out = call(&service, &ctx, "TransactWriteItems", items).await.unwrap();
    assert_eq!(out["ConsumedCapacity"][0]["TableName"], "t");
    assert_eq!(get(&service, &ctx, "a").await.unwrap()["n"], json!({"N": "3"}));
    assert_eq!(get(&service, &ctx, "b").await, None);
    assert_eq!(get(&service, &ctx, "fresh").await.unwrap(), json!({"pk": {"S": "fresh"}, "v": {"S": "x"}}));
}

#[tokio::test]
async fn a_failed_condition_cancels_all_with_reasons() {
    let (service, ctx, _) = setup().await;
    let seed = json!({"TransactItems": [{"Put": {"TableName": "t", "Item": {"pk": {"S": "x"}, "v": {"S": "old"}}}}]});
    call(&service, &ctx, "TransactWriteItems", seed).await.unwrap();
    let items = json!({"TransactItems": [
        {"Put": {"TableName": "t", "Item": {"pk": {"S": "y"}}}},
        {"Put": {"TableName": "t", "Item": {"pk": {"S": "x"}}, "ConditionExpression": "attribute_not_exists(pk)",
                 "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
    ]});
    let err = call(&service, &ctx, "TransactWriteItems", items).await.unwrap_err();
    assert_eq!(err.code, "TransactionCanceledException");
    assert_eq!(
        err.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed]"
    );
    let reasons = &err.extra.as_ref().unwrap()["CancellationReasons"];
    assert_eq!(reasons[0], json!({"Code": "None"}));
    assert_eq!(reasons[1]["Item"], json!({"pk": {"S": "x"}, "v": {"S": "old"}}));
    assert_eq!(get(&service, &ctx, "y").await, None);
    assert_eq!(get(&service, &ctx, "x").await.unwrap()["v"], json!({"S": "old"}));
}

#[tokio::test]
async fn requests_are_checked_before_anything_runs() {
    let (service, ctx, _) = setup().await;
    let twice = json!({"TransactItems": [
        {"Put": {"TableName": "t", "Item": {"pk": {"S": "a"}}}},
        {"ConditionCheck": {"TableName": "t", "Key": key("a"), "ConditionExpression": "attribute_exists(pk)"}},
    ]});
    let err = call(&service, &ctx, "TransactWriteItems", twice).await.unwrap_err();
    assert_eq!(err.message, "Transaction request cannot include multiple operations on one item");
    let missing = json!({"TransactItems": [{"Delete": {"TableName": "nope", "Key": key("a")}}]});
    assert_eq!(
        call(&service, &ctx, "TransactWriteItems", missing).await.unwrap_err().code,
        "ResourceNotFoundException"
    );
    let unused = json!({"TransactItems": [{"Delete": {"TableName": "t", "Key": key("a"),
        "ExpressionAttributeValues": {":v": {"S": "x"}}}}]});
    assert_eq!(call(&service, &ctx, "TransactWriteItems", unused).await.unwrap_err().code, "ValidationException");
    let both = json!({"TransactItems": [{"Delete": {"TableName": "t", "Key": key("a")},
        "Put": {"TableName": "t", "Item": key("a")}}]});
    assert_eq!(call(&service, &ctx, "TransactWriteItems", both).await.unwrap_err().code, "ValidationException");
    assert_eq!(get(&service, &ctx, "a").await, None);
}

#[tokio::test]
async fn tokens_make_retries_idempotent_for_ten_minutes() {
    let (service, ctx, store) = setup().await;
    let bump = json!({"TransactItems": [{"Update": {"TableName": "t", "Key": key("c"), "UpdateExpression": "ADD n :one",
        "ExpressionAttributeValues": {":one": {"N": "1"}}}}], "ClientRequestToken": "tok"});
    call(&service, &ctx, "TransactWriteItems", bump.clone()).await.unwrap();
    call(&service, &ctx, "TransactWriteItems", bump.clone()).await.unwrap();
    assert_eq!(get(&service, &ctx, "c").await.unwrap()["n"], json!({"N": "1"}));
    let other =
        json!({"TransactItems": [{"Delete": {"TableName": "t", "Key": key("c")}}], "ClientRequestToken": "tok"});
    let err = call(&service, &ctx, "TransactWriteItems", other).await.unwrap_err();
    assert_eq!(err.code, "IdempotentParameterMismatchException");

    let later = context_at(ctx.now + Duration::minutes(11));
    use cloudbox_core::TimedWork;
    super::TokenExpiry::new(store.clone()).run_due(later.now).await;
    call(&service, &later, "TransactWriteItems", bump).await.unwrap();
    assert_eq!(get(&service, &ctx, "c").await.unwrap()["n"], json!({"N": "2"}));
}

#[tokio::test]
async fn transact_get_items_keeps_order_and_projects() {
    let (service, ctx, _) = setup().await;
    let seed = json!({"TransactItems": [{"Put": {"TableName": "t", "Item": {"pk": {"S": "a"}, "x": {"N": "1"}, "y": {"S": "z"}}}}]});
    call(&service, &ctx, "TransactWriteItems", seed).await.unwrap();
    let out = call(&service, &ctx, "TransactGetItems", json!({"TransactItems": [
        {"Get": {"TableName": "t", "Key": key("missing")}},
        {"Get": {"TableName": "t", "Key": key("a"), "ProjectionExpression": "#y", "ExpressionAttributeNames": {"#y": "y"}}},
    ]}))
    .await
    .unwrap();
    assert_eq!(out["Responses"], json!([{}, {"Item": {"y": {"S": "z"}}}]));
}

#[tokio::test]
async fn item_collection_metrics_for_tables_with_local_indexes() {
    let store = Store::memory();
    let ctx = context_at(Utc::now());
    let service = DynamoDbService::new(store.clone(), Clock::new());
    let table = json!({
        "TableName": "lsi",
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "S"},
                                 {"AttributeName": "alt", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "LocalSecondaryIndexes": [{"IndexName": "by-alt", "Projection": {"ProjectionType": "KEYS_ONLY"},
            "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "alt", "KeyType": "RANGE"}]}],
        "BillingMode": "PAY_PER_REQUEST"
    });
    call(&service, &ctx, "CreateTable", table).await.unwrap();
    let put = json!({"Put": {"TableName": "lsi", "Item": {"pk": {"S": "p"}, "sk": {"S": "1"}, "alt": {"S": "a"}}}});
    let out = call(
        &service,
        &ctx,
        "TransactWriteItems",
        json!({"TransactItems": [put], "ReturnItemCollectionMetrics": "SIZE", "ReturnConsumedCapacity": "INDEXES"}),
    )
    .await
    .unwrap();
    assert_eq!(out["ItemCollectionMetrics"]["lsi"][0]["ItemCollectionKey"], json!({"pk": {"S": "p"}}));
    assert_eq!(out["ConsumedCapacity"][0]["Table"]["CapacityUnits"], json!(2.0));
    assert!(out["ConsumedCapacity"][0]["LocalSecondaryIndexes"]["by-alt"].is_object());
}
