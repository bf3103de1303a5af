//! The maintenance work: index backfills and table purges, in batches.

use crate::items::tests::{call, service_with_table};
use crate::state;
use serde_json::json;

#[tokio::test]
async fn backfills_a_new_index_then_purges_a_deleted_table() {
    let s = service_with_table().await;
    let total = super::maintenance::BATCH + 30;
    for i in 0..total {
        let item = json!({"id": {"S": "p"}, "n": {"N": i.to_string()}, "h": {"S": format!("h{}", i % 2)}});
        call(&s, "PutItem", json!({"TableName": "t", "Item": item})).await.unwrap();
    }
    let update = json!({
        "TableName": "t",
        "AttributeDefinitions": [{"AttributeName": "h", "AttributeType": "S"}],
        "GlobalSecondaryIndexUpdates": [{"Create": {"IndexName": "by-h",
            "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}], "Projection": {"ProjectionType": "KEYS_ONLY"}}}]
    });
    let answered = call(&s, "UpdateTable", update).await.unwrap();
    assert_eq!(answered["TableDescription"]["TableStatus"], "UPDATING");
    s.maintenance.run_now().await.unwrap();
    let described = call(&s, "DescribeTable", json!({"TableName": "t"})).await.unwrap();
    assert_eq!(described["Table"]["TableStatus"], "ACTIVE");
    let index = described["Table"]["GlobalSecondaryIndexes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["IndexName"] == "by-h")
        .cloned()
        .unwrap();
    assert_eq!(index["IndexStatus"], "ACTIVE");
    assert_eq!(index["ItemCount"], json!(total));
    let query = json!({"TableName": "t", "IndexName": "by-h", "KeyConditionExpression": "h = :h",
                       "ExpressionAttributeValues": {":h": {"S": "h1"}}, "Select": "COUNT"});
    assert_eq!(call(&s, "Query", query).await.unwrap()["Count"], json!(total / 2));

    let table_id = described["Table"]["TableId"].as_str().unwrap().to_string();
    call(&s, "DeleteTable", json!({"TableName": "t"})).await.unwrap();
    s.maintenance.run_now().await.unwrap();
    let left = s.store.scan(&state::table_data_prefix(&table_id), None, 10).unwrap();
    assert!(left.is_empty(), "{} keys left", left.len());
    assert!(s.store.scan(state::PURGE_PREFIX.as_bytes(), None, 10).unwrap().is_empty());
}
