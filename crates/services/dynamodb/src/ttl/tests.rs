//! Time to live inside the crate: the settings API through the service, the
//! sweep run as the scheduler runs it, deletions seen by streams.

use super::TtlSweeper;
use crate::DynamoDbService;
use crate::streams::DynamoDbStreamsService;
use crate::streams::tests::{context_at, create_table, item, write};
use crate::value::Item;
use chrono::{Duration, Utc};
use cloudbox_core::{Clock, RequestContext, Service, TimedWork, Value};
use cloudbox_store::Store;
use serde_json::json;

async fn call(store: &Store, ctx: &RequestContext, op: &str, input: Value) -> Result<Value, cloudbox_core::AwsError> {
    DynamoDbService::new(store.clone(), Clock::new()).call(ctx, op, input).await
}

async fn enable(
    store: &Store,
    ctx: &RequestContext,
    table: &str,
    enabled: bool,
) -> Result<Value, cloudbox_core::AwsError> {
    let spec = json!({"Enabled": enabled, "AttributeName": "exp"});
    call(store, ctx, "UpdateTimeToLive", json!({"TableName": table, "TimeToLiveSpecification": spec})).await
}

fn with_expiry(pk: &str, exp: i64) -> Item {
    item(json!({"pk": {"S": pk}, "exp": {"N": exp.to_string()}}))
}

async fn keys(store: &Store, table: &str) -> Vec<String> {
    let record: crate::state::TableRecord = {
        let ctx = context_at(Utc::now());
        let key = crate::state::table_key(&ctx.account, &ctx.region, table);
        store.get_json(&key).unwrap().unwrap()
    };
    let entries = store.scan(&crate::state::items_prefix(&record.table_id), None, 1000).unwrap();
    let mut out: Vec<String> = entries
        .iter()
        .map(|(_, v)| {
            let item: Item = serde_json::from_slice(v).unwrap();
            match item.get("pk") {
                Some(crate::value::AttributeValue::S(s)) => s.clone(),
                _ => String::new(),
            }
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn settings_follow_aws_rules() {
    let store = Store::memory();
    let ctx = context_at(Utc::now());
    create_table(&store, &ctx, "t", None).await;
    let described = call(&store, &ctx, "DescribeTimeToLive", json!({"TableName": "t"})).await.unwrap();
    assert_eq!(described, json!({"TimeToLiveDescription": {"TimeToLiveStatus": "DISABLED"}}));
    let on = enable(&store, &ctx, "t", true).await.unwrap();
    assert_eq!(on, json!({"TimeToLiveSpecification": {"Enabled": true, "AttributeName": "exp"}}));
    assert_eq!(enable(&store, &ctx, "t", true).await.unwrap_err().message, "TimeToLive is already enabled");
    let other = json!({"TableName": "t", "TimeToLiveSpecification": {"Enabled": true, "AttributeName": "x"}});
    let err = call(&store, &ctx, "UpdateTimeToLive", other).await.unwrap_err();
    assert_eq!(err.message, "TimeToLive is active on a different AttributeName: current AttributeName is exp");
    let described = call(&store, &ctx, "DescribeTimeToLive", json!({"TableName": "t"})).await.unwrap();
    assert_eq!(described["TimeToLiveDescription"], json!({"TimeToLiveStatus": "ENABLED", "AttributeName": "exp"}));
    enable(&store, &ctx, "t", false).await.unwrap();
    assert_eq!(enable(&store, &ctx, "t", false).await.unwrap_err().message, "TimeToLive is already disabled");
    let missing = call(&store, &ctx, "DescribeTimeToLive", json!({"TableName": "nope"})).await.unwrap_err();
    assert_eq!(missing.code, "ResourceNotFoundException");
}

#[tokio::test]
async fn the_sweep_deletes_what_expired_and_streams_show_the_service() {
    let store = Store::memory();
    let start = Utc::now();
    let ctx = context_at(start);
    let table = create_table(&store, &ctx, "t", Some("OLD_IMAGE")).await;
    let now = start.timestamp();
    write(&store, &ctx, "t", "before-enable", Some(with_expiry("before-enable", now + 10))).await;
    enable(&store, &ctx, "t", true).await.unwrap();
    write(&store, &ctx, "t", "soon", Some(with_expiry("soon", now + 60))).await;
    write(&store, &ctx, "t", "later", Some(with_expiry("later", now + 7200))).await;
    write(&store, &ctx, "t", "moved", Some(with_expiry("moved", now + 60))).await;
    write(&store, &ctx, "t", "moved", Some(with_expiry("moved", now + 7200))).await;
    write(&store, &ctx, "t", "text", Some(item(json!({"pk": {"S": "text"}, "exp": {"S": "1"}})))).await;

    let sweeper = TtlSweeper::new(store.clone());
    sweeper.run_due(start + Duration::seconds(5)).await;
    assert_eq!(keys(&store, "t").await, ["before-enable", "later", "moved", "soon", "text"]);
    sweeper.run_due(start + Duration::hours(1)).await;
    assert_eq!(keys(&store, "t").await, ["later", "moved", "text"]);

    let arn = table["LatestStreamArn"].as_str().unwrap();
    let streams = DynamoDbStreamsService::new(store.clone());
    let shard =
        streams.call(&ctx, "DescribeStream", json!({"StreamArn": arn})).await.unwrap()["StreamDescription"]["Shards"]
            [0]["ShardId"]
            .clone();
    let it = streams
        .call(
            &ctx,
            "GetShardIterator",
            json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": "TRIM_HORIZON"}),
        )
        .await
        .unwrap()["ShardIterator"]
        .clone();
    let out = streams.call(&ctx, "GetRecords", json!({"ShardIterator": it})).await.unwrap();
    let removes: Vec<&Value> =
        out["Records"].as_array().unwrap().iter().filter(|r| r["eventName"] == "REMOVE").collect();
    assert_eq!(removes.len(), 2);
    for r in removes {
        assert_eq!(r["userIdentity"], json!({"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}));
    }

    enable(&store, &ctx, "t", false).await.unwrap();
    sweeper.run_due(start + Duration::days(2)).await;
    assert_eq!(keys(&store, "t").await, ["later", "moved", "text"]);
    assert!(store.scan(super::config::ENABLED_PREFIX.as_bytes(), None, 10).unwrap().is_empty());
}
