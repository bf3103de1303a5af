//! Item operations through `Service::call`: the write path, conditions,
//! return values, capacity, keys, indexes and batches.

use crate::DynamoDbService;
use cloudbox_core::{AccountId, AwsError, Caller, Clock, Region, RequestContext, Service, Value};
use cloudbox_store::Store;
use serde_json::json;

pub(crate) fn context() -> RequestContext {
    let account = AccountId::parse("111111111111").expect("valid account");
    RequestContext::new(
        "req",
        Caller::root(account, "AKID"),
        Region::new("us-east-1"),
        "dynamodb",
        "Op",
        chrono::Utc::now(),
    )
}

pub(crate) async fn call(service: &DynamoDbService, op: &str, input: Value) -> Result<Value, AwsError> {
    service.call(&context(), op, input).await
}

/// A service with table `t` (id: S, n: N), a global index on `g` (ALL) and a
/// local index on `l` (KEYS_ONLY).
pub(crate) async fn service_with_table() -> DynamoDbService {
    let service = DynamoDbService::new(Store::memory(), Clock::new());
    call(
        &service,
        "CreateTable",
        json!({
            "TableName": "t",
            "AttributeDefinitions": [
                {"AttributeName": "id", "AttributeType": "S"}, {"AttributeName": "n", "AttributeType": "N"},
                {"AttributeName": "g", "AttributeType": "S"}, {"AttributeName": "l", "AttributeType": "N"}
            ],
            "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"}, {"AttributeName": "n", "KeyType": "RANGE"}],
            "GlobalSecondaryIndexes": [{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                        "Projection": {"ProjectionType": "ALL"}}],
            "LocalSecondaryIndexes": [{"IndexName": "by-l", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                                       {"AttributeName": "l", "KeyType": "RANGE"}],
                                       "Projection": {"ProjectionType": "KEYS_ONLY"}}],
            "BillingMode": "PAY_PER_REQUEST"
        }),
    )
    .await
    .expect("table is created");
    service
}

fn key(id: &str, n: i64) -> Value {
    json!({"id": {"S": id}, "n": {"N": n.to_string()}})
}

#[tokio::test]
async fn put_get_delete_round_trip() {
    let s = service_with_table().await;
    let item = json!({"id": {"S": "a"}, "n": {"N": "1"}, "v": {"SS": ["x", "y"]}, "m": {"M": {"b": {"BOOL": true}}}});
    let out = call(&s, "PutItem", json!({"TableName": "t", "Item": item})).await.unwrap();
    assert_eq!(out, json!({}));
    let got = call(&s, "GetItem", json!({"TableName": "t", "Key": key("a", 1)})).await.unwrap();
    assert_eq!(got["Item"], item);
    let projected = call(&s, "GetItem", json!({"TableName": "t", "Key": key("a", 1), "ProjectionExpression": "m.b"}))
        .await
        .unwrap();
    assert_eq!(projected["Item"], json!({"m": {"M": {"b": {"BOOL": true}}}}));
    let deleted =
        call(&s, "DeleteItem", json!({"TableName": "t", "Key": key("a", 1), "ReturnValues": "ALL_OLD"})).await.unwrap();
    assert_eq!(deleted["Attributes"], item);
    let gone = call(&s, "GetItem", json!({"TableName": "t", "Key": key("a", 1)})).await.unwrap();
    assert_eq!(gone, json!({}));
}

#[tokio::test]
async fn key_validation_messages() {
    let s = service_with_table().await;
    let missing = call(&s, "PutItem", json!({"TableName": "t", "Item": {"id": {"S": "a"}}})).await.unwrap_err();
    assert_eq!(missing.message, "One or more parameter values were invalid: Missing the key n in the item");
    let mistyped =
        call(&s, "PutItem", json!({"TableName": "t", "Item": {"id": {"N": "1"}, "n": {"N": "1"}}})).await.unwrap_err();
    assert_eq!(
        mistyped.message,
        "One or more parameter values were invalid: Type mismatch for key id expected: S actual: N"
    );
    let bad_key = call(&s, "GetItem", json!({"TableName": "t", "Key": {"id": {"S": "a"}}})).await.unwrap_err();
    assert_eq!(bad_key.message, "The provided key element does not match the schema");
    let no_table = call(&s, "GetItem", json!({"TableName": "nope", "Key": key("a", 1)})).await.unwrap_err();
    assert_eq!(
        (no_table.code.as_str(), no_table.message.as_str()),
        ("ResourceNotFoundException", "Requested resource not found")
    );
    let big = "x".repeat(400 * 1024);
    let too_big =
        call(&s, "PutItem", json!({"TableName": "t", "Item": {"id": {"S": "a"}, "n": {"N": "1"}, "v": {"S": big}}}))
            .await
            .unwrap_err();
    assert_eq!(too_big.message, "Item size has exceeded the maximum allowed size");
}

#[tokio::test]
async fn conditions_and_return_values_on_failure() {
    let s = service_with_table().await;
    let item = json!({"id": {"S": "a"}, "n": {"N": "1"}, "c": {"N": "5"}});
    call(&s, "PutItem", json!({"TableName": "t", "Item": item})).await.unwrap();
    let failed = call(
        &s,
        "PutItem",
        json!({"TableName": "t", "Item": item, "ConditionExpression": "attribute_not_exists(id)",
               "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}),
    )
    .await
    .unwrap_err();
    assert_eq!(failed.code, "ConditionalCheckFailedException");
    assert_eq!(failed.message, "The conditional request failed");
    assert_eq!(failed.extra.unwrap()["Item"], item);
    let invalid =
        call(&s, "PutItem", json!({"TableName": "t", "Item": item, "ReturnValues": "ALL_NEW"})).await.unwrap_err();
    assert_eq!(invalid.message, "Return values set to invalid value");
}

#[tokio::test]
async fn update_item_return_values_and_key_protection() {
    let s = service_with_table().await;
    let update = |rv: &str, expr: &str| {
        json!({"TableName": "t", "Key": key("a", 1), "UpdateExpression": expr,
               "ExpressionAttributeValues": {":one": {"N": "1"}}, "ReturnValues": rv})
    };
    let created = call(&s, "UpdateItem", update("ALL_NEW", "SET c = :one")).await.unwrap();
    assert_eq!(created["Attributes"], json!({"id": {"S": "a"}, "n": {"N": "1"}, "c": {"N": "1"}}));
    let added = call(&s, "UpdateItem", update("UPDATED_NEW", "SET c = c + :one")).await.unwrap();
    assert_eq!(added["Attributes"], json!({"c": {"N": "2"}}));
    let old = call(&s, "UpdateItem", update("UPDATED_OLD", "ADD c :one")).await.unwrap();
    assert_eq!(old["Attributes"], json!({"c": {"N": "2"}}));
    let key_change = call(
        &s,
        "UpdateItem",
        json!({"TableName": "t", "Key": key("a", 1), "UpdateExpression": "SET id = :v",
               "ExpressionAttributeValues": {":v": {"S": "b"}}}),
    )
    .await
    .unwrap_err();
    assert_eq!(
        key_change.message,
        "One or more parameter values were invalid: Cannot update attribute id. This attribute is part of the key"
    );
}

#[tokio::test]
async fn consumed_capacity_counts_indexes() {
    let s = service_with_table().await;
    let out = call(
        &s,
        "PutItem",
        json!({"TableName": "t", "Item": {"id": {"S": "a"}, "n": {"N": "1"}, "g": {"S": "x"}, "l": {"N": "3"}},
               "ReturnConsumedCapacity": "INDEXES"}),
    )
    .await
    .unwrap();
    let consumed = &out["ConsumedCapacity"];
    assert_eq!(consumed["TableName"], "t");
    assert_eq!(consumed["CapacityUnits"], json!(3.0));
    assert_eq!(consumed["Table"]["CapacityUnits"], json!(1.0));
    assert_eq!(consumed["GlobalSecondaryIndexes"]["by-g"]["CapacityUnits"], json!(1.0));
    assert_eq!(consumed["LocalSecondaryIndexes"]["by-l"]["CapacityUnits"], json!(1.0));
    let read = call(&s, "GetItem", json!({"TableName": "t", "Key": key("a", 1), "ReturnConsumedCapacity": "TOTAL"}))
        .await
        .unwrap();
    assert_eq!(read["ConsumedCapacity"], json!({"TableName": "t", "CapacityUnits": 0.5, "ReadCapacityUnits": 0.5}));
}

#[tokio::test]
async fn indexes_follow_every_write() {
    let s = service_with_table().await;
    let query_g = |g: &str| {
        json!({"TableName": "t", "IndexName": "by-g", "KeyConditionExpression": "g = :g",
                                   "ExpressionAttributeValues": {":g": {"S": g}}})
    };
    call(&s, "PutItem", json!({"TableName": "t", "Item": {"id": {"S": "a"}, "n": {"N": "1"}, "g": {"S": "x"}}}))
        .await
        .unwrap();
    call(&s, "PutItem", json!({"TableName": "t", "Item": {"id": {"S": "b"}, "n": {"N": "1"}}})).await.unwrap();
    assert_eq!(call(&s, "Query", query_g("x")).await.unwrap()["Count"], 1);
    call(
        &s,
        "UpdateItem",
        json!({"TableName": "t", "Key": key("a", 1), "UpdateExpression": "SET g = :y",
               "ExpressionAttributeValues": {":y": {"S": "y"}}}),
    )
    .await
    .unwrap();
    assert_eq!(call(&s, "Query", query_g("x")).await.unwrap()["Count"], 0);
    assert_eq!(call(&s, "Query", query_g("y")).await.unwrap()["Count"], 1);
    call(&s, "DeleteItem", json!({"TableName": "t", "Key": key("a", 1)})).await.unwrap();
    assert_eq!(call(&s, "Query", query_g("y")).await.unwrap()["Count"], 0);
    let wrong_type =
        call(&s, "PutItem", json!({"TableName": "t", "Item": {"id": {"S": "c"}, "n": {"N": "1"}, "g": {"N": "1"}}}))
            .await
            .unwrap_err();
    assert_eq!(
        wrong_type.message,
        "One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: by-g"
    );
    let described = call(&s, "DescribeTable", json!({"TableName": "t"})).await.unwrap();
    assert_eq!(described["Table"]["ItemCount"], 1);
    assert_eq!(described["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"], 0);
}

#[tokio::test]
async fn batches() {
    let s = service_with_table().await;
    let puts: Vec<Value> = (0..25).map(|i| json!({"PutRequest": {"Item": key("p", i)}})).collect();
    let out = call(&s, "BatchWriteItem", json!({"RequestItems": {"t": puts}})).await.unwrap();
    assert_eq!(out["UnprocessedItems"], json!({}));
    let too_many: Vec<Value> = (0..26).map(|i| json!({"PutRequest": {"Item": key("p", i)}})).collect();
    let err = call(&s, "BatchWriteItem", json!({"RequestItems": {"t": too_many}})).await.unwrap_err();
    assert_eq!(err.message, "Too many items requested for the BatchWriteItem call");
    let dup = json!([{"PutRequest": {"Item": key("p", 1)}}, {"DeleteRequest": {"Key": key("p", 1)}}]);
    let err = call(&s, "BatchWriteItem", json!({"RequestItems": {"t": dup}})).await.unwrap_err();
    assert_eq!(err.message, "Provided list of item keys contains duplicates");
    let keys: Vec<Value> = (0..3).map(|i| key("p", i)).chain([key("missing", 0)]).collect();
    let got =
        call(&s, "BatchGetItem", json!({"RequestItems": {"t": {"Keys": keys}}, "ReturnConsumedCapacity": "TOTAL"}))
            .await
            .unwrap();
    assert_eq!(got["Responses"]["t"].as_array().unwrap().len(), 3);
    assert_eq!(got["UnprocessedKeys"], json!({}));
    assert_eq!(got["ConsumedCapacity"][0]["TableName"], "t");
    let dup_keys = json!({"RequestItems": {"t": {"Keys": [key("p", 1), key("p", 1)]}}});
    assert_eq!(
        call(&s, "BatchGetItem", dup_keys).await.unwrap_err().message,
        "Provided list of item keys contains duplicates"
    );
}

#[tokio::test]
async fn legacy_parameters_work_and_do_not_mix() {
    let s = service_with_table().await;
    let item = json!({"id": {"S": "a"}, "n": {"N": "1"}, "c": {"N": "5"}, "d": {"S": "x"}});
    call(&s, "PutItem", json!({"TableName": "t", "Item": item})).await.unwrap();
    let expected = json!({"c": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "4"}]}});
    let refused = call(&s, "PutItem", json!({"TableName": "t", "Item": item, "Expected": expected})).await.unwrap_err();
    assert_eq!(refused.code, "ConditionalCheckFailedException");
    let updates = json!({"c": {"Action": "ADD", "Value": {"N": "2"}}, "d": {"Action": "DELETE"}});
    let updated = call(
        &s,
        "UpdateItem",
        json!({"TableName": "t", "Key": key("a", 1), "AttributeUpdates": updates, "ReturnValues": "ALL_NEW"}),
    )
    .await
    .unwrap();
    assert_eq!(updated["Attributes"], json!({"id": {"S": "a"}, "n": {"N": "1"}, "c": {"N": "7"}}));
    let got =
        call(&s, "GetItem", json!({"TableName": "t", "Key": key("a", 1), "AttributesToGet": ["c"]})).await.unwrap();
    assert_eq!(got["Item"], json!({"c": {"N": "7"}}));
    let mixed = call(
        &s,
        "GetItem",
        json!({"TableName": "t", "Key": key("a", 1), "AttributesToGet": ["c"], "ProjectionExpression": "c"}),
    )
    .await
    .unwrap_err();
    assert!(
        mixed.message.starts_with("Can not use both expression and non-expression parameters"),
        "{}",
        mixed.message
    );
}

#[tokio::test]
async fn updates_past_400_kb_are_refused_with_the_update_message() {
    let s = service_with_table().await;
    let half = "x".repeat(210 * 1024);
    let set = |value: &str| {
        json!({"TableName": "t", "Key": key("a", 1), "UpdateExpression": "SET #v = :v",
               "ExpressionAttributeNames": {"#v": value}, "ExpressionAttributeValues": {":v": {"S": half}}})
    };
    call(&s, "UpdateItem", set("v1")).await.unwrap();
    let err = call(&s, "UpdateItem", set("v2")).await.unwrap_err();
    assert_eq!(err.message, "Item size to update has exceeded the maximum allowed size");
}
