//! Query and Scan through `Service::call`: key conditions, order, paging,
//! filters, Select, indexes and parallel scans.

use crate::items::tests::{call, service_with_table};
use serde_json::{Value, json};

async fn filled() -> crate::DynamoDbService {
    let s = service_with_table().await;
    for id in ["a", "b"] {
        for n in 0..10 {
            let item = json!({"id": {"S": id}, "n": {"N": n.to_string()}, "g": {"S": format!("g{}", n % 3)},
                              "l": {"N": (100 - n).to_string()}, "odd": {"BOOL": n % 2 == 1}});
            call(&s, "PutItem", json!({"TableName": "t", "Item": item})).await.unwrap();
        }
    }
    s
}

fn numbers(out: &Value) -> Vec<i64> {
    out["Items"].as_array().unwrap().iter().map(|i| i["n"]["N"].as_str().unwrap().parse().unwrap()).collect()
}

fn query(condition: &str, values: Value) -> Value {
    json!({"TableName": "t", "KeyConditionExpression": condition, "ExpressionAttributeValues": values})
}

#[tokio::test]
async fn key_conditions_select_ranges_in_order() {
    let s = filled().await;
    let all = call(&s, "Query", query("id = :a", json!({":a": {"S": "a"}}))).await.unwrap();
    assert_eq!(numbers(&all), (0..10).collect::<Vec<_>>());
    assert_eq!(all["ScannedCount"], 10);
    let between = call(
        &s,
        "Query",
        query("id = :a AND n BETWEEN :x AND :y", json!({":a": {"S": "a"}, ":x": {"N": "3"}, ":y": {"N": "6"}})),
    )
    .await
    .unwrap();
    assert_eq!(numbers(&between), vec![3, 4, 5, 6]);
    let mut reverse = query("id = :a AND n < :x", json!({":a": {"S": "a"}, ":x": {"N": "4"}}));
    reverse["ScanIndexForward"] = json!(false);
    assert_eq!(numbers(&call(&s, "Query", reverse).await.unwrap()), vec![3, 2, 1, 0]);
    let gt = call(&s, "Query", query("id = :a AND n > :x", json!({":a": {"S": "a"}, ":x": {"N": "7"}}))).await.unwrap();
    assert_eq!(numbers(&gt), vec![8, 9]);
}

#[tokio::test]
async fn pages_resume_from_last_evaluated_key() {
    let s = filled().await;
    let mut request = query("id = :a", json!({":a": {"S": "a"}}));
    request["Limit"] = json!(4);
    let mut seen = Vec::new();
    loop {
        let page = call(&s, "Query", request.clone()).await.unwrap();
        seen.extend(numbers(&page));
        match page.get("LastEvaluatedKey") {
            Some(last) => request["ExclusiveStartKey"] = last.clone(),
            None => break,
        }
    }
    assert_eq!(seen, (0..10).collect::<Vec<_>>());
}

#[tokio::test]
async fn filters_count_scanned_items() {
    let s = filled().await;
    let mut request = query("id = :a", json!({":a": {"S": "a"}, ":t": {"BOOL": true}}));
    request["FilterExpression"] = json!("odd = :t");
    let out = call(&s, "Query", request.clone()).await.unwrap();
    assert_eq!(numbers(&out), vec![1, 3, 5, 7, 9]);
    assert_eq!((out["Count"].clone(), out["ScannedCount"].clone()), (json!(5), json!(10)));
    request["Select"] = json!("COUNT");
    let counted = call(&s, "Query", request).await.unwrap();
    assert!(counted.get("Items").is_none());
    assert_eq!(counted["Count"], 5);
}

#[tokio::test]
async fn indexes_are_queried_and_validated() {
    let s = filled().await;
    let mut on_gsi = query("g = :g", json!({":g": {"S": "g0"}}));
    on_gsi["IndexName"] = json!("by-g");
    let out = call(&s, "Query", on_gsi.clone()).await.unwrap();
    assert_eq!(out["Count"], 8);
    on_gsi["ConsistentRead"] = json!(true);
    let err = call(&s, "Query", on_gsi).await.unwrap_err();
    assert_eq!(err.message, "Consistent reads are not supported on global secondary indexes");
    let mut on_lsi = query("id = :a AND l > :x", json!({":a": {"S": "a"}, ":x": {"N": "95"}}));
    on_lsi["IndexName"] = json!("by-l");
    let keys_only = call(&s, "Query", on_lsi.clone()).await.unwrap();
    assert_eq!(keys_only["Items"][0], json!({"id": {"S": "a"}, "n": {"N": "4"}, "l": {"N": "96"}}));
    on_lsi["Select"] = json!("ALL_ATTRIBUTES");
    let fetched = call(&s, "Query", on_lsi).await.unwrap();
    assert_eq!(fetched["Items"][0]["g"], json!({"S": "g1"}));
    let mut missing = query("id = :a", json!({":a": {"S": "a"}}));
    missing["IndexName"] = json!("nope");
    assert_eq!(
        call(&s, "Query", missing).await.unwrap_err().message,
        "The table does not have the specified index: nope"
    );
}

#[tokio::test]
async fn scans_in_segments_cover_the_table_once() {
    let s = filled().await;
    let whole = call(&s, "Scan", json!({"TableName": "t"})).await.unwrap();
    assert_eq!(whole["Count"], 20);
    let mut total = 0;
    for segment in 0..3 {
        let part = call(&s, "Scan", json!({"TableName": "t", "Segment": segment, "TotalSegments": 3})).await.unwrap();
        total += part["Count"].as_u64().unwrap();
    }
    assert_eq!(total, 20);
    let bad = call(&s, "Scan", json!({"TableName": "t", "Segment": 3, "TotalSegments": 3})).await.unwrap_err();
    assert!(bad.message.starts_with("The Segment parameter is zero-based"), "{}", bad.message);
    let index_scan = call(&s, "Scan", json!({"TableName": "t", "IndexName": "by-g"})).await.unwrap();
    assert_eq!(index_scan["Count"], 20);
}

#[tokio::test]
async fn legacy_key_conditions_and_filters() {
    let s = filled().await;
    let request = json!({
        "TableName": "t",
        "KeyConditions": {
            "id": {"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]},
            "n": {"ComparisonOperator": "LE", "AttributeValueList": [{"N": "5"}]}
        },
        "QueryFilter": {"odd": {"ComparisonOperator": "EQ", "AttributeValueList": [{"BOOL": false}]}}
    });
    assert_eq!(numbers(&call(&s, "Query", request).await.unwrap()), vec![0, 2, 4]);
    let scan = json!({"TableName": "t", "ScanFilter": {"n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "7"}]}}});
    assert_eq!(call(&s, "Scan", scan).await.unwrap()["Count"], 4);
}
