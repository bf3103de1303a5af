//! Streams end to end inside the crate: tables created through the service,
//! items written through the one write path, records read back through the
//! dynamodbstreams service, retention run as the scheduler runs it.

use super::{DynamoDbStreamsService, StreamRetention};
use crate::DynamoDbService;
use crate::changes::ChangeCause;
use crate::items::{keys, write};
use crate::state::{TableRecord, table_key};
use crate::value::{Item, item_from_wire};
use chrono::{DateTime, Duration, Utc};
use cloudbox_core::{AccountId, AwsError, Caller, Clock, Region, RequestContext, Service, TimedWork, Value};
use cloudbox_store::Store;
use serde_json::json;

pub(crate) fn context_at(now: DateTime<Utc>) -> RequestContext {
    let account = AccountId::parse("123456789012").expect("valid account");
    RequestContext::new("req", Caller::root(account, "AKIDTEST"), Region::new("us-east-1"), "dynamodb", "Test", now)
}

pub(crate) async fn create_table(store: &Store, ctx: &RequestContext, name: &str, stream: Option<&str>) -> Value {
    let mut input = json!({
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST"
    });
    if let Some(view) = stream {
        input["StreamSpecification"] = json!({"StreamEnabled": true, "StreamViewType": view});
    }
    let service = DynamoDbService::new(store.clone(), Clock::new());
    service.call(ctx, "CreateTable", input).await.expect("table is created")["TableDescription"].clone()
}

pub(crate) fn item(wire: Value) -> Item {
    item_from_wire(&wire).expect("test items are valid")
}

/// Put (`Some`) or delete (`None`) the item with key `pk` through the one write path.
pub(crate) async fn write(store: &Store, ctx: &RequestContext, table: &str, pk: &str, new: Option<Item>) {
    let record_key = table_key(&ctx.account, &ctx.region, table);
    let key_item = item(json!({"pk": {"S": pk}}));
    let now_ms = ctx.now.timestamp_millis();
    crate::storage::transact(store, move |txn| {
        let record: TableRecord = txn.get_json(&record_key).map_err(crate::errors::internal)?.expect("table exists");
        let key = keys::key_of_key(&record.key, &key_item)?;
        let change = match new {
            Some(item) => write::Change::Put(item),
            None => write::Change::Delete,
        };
        write::write_item(txn, &record, &key, change, None, ChangeCause::User, now_ms)
            .map_err(|e| e.into_aws(false))?;
        Ok(())
    })
    .await
    .expect("write succeeds");
}

async fn streams_call(store: &Store, ctx: &RequestContext, op: &str, input: Value) -> Result<Value, AwsError> {
    DynamoDbStreamsService::new(store.clone()).call(ctx, op, input).await
}

async fn iterator(
    store: &Store,
    ctx: &RequestContext,
    arn: &str,
    kind: &str,
    seq: Option<&str>,
) -> Result<String, AwsError> {
    let described = streams_call(store, ctx, "DescribeStream", json!({"StreamArn": arn})).await?;
    let shard = described["StreamDescription"]["Shards"][0]["ShardId"].clone();
    let mut input = json!({"StreamArn": arn, "ShardId": shard, "ShardIteratorType": kind});
    if let Some(seq) = seq {
        input["SequenceNumber"] = json!(seq);
    }
    let out = streams_call(store, ctx, "GetShardIterator", input).await?;
    Ok(out["ShardIterator"].as_str().expect("an iterator").to_string())
}

async fn records(store: &Store, ctx: &RequestContext, it: &str) -> Result<Value, AwsError> {
    streams_call(store, ctx, "GetRecords", json!({"ShardIterator": it})).await
}

#[tokio::test]
async fn every_change_is_recorded_in_order_with_its_images() {
    let store = Store::memory();
    let ctx = context_at(Utc::now());
    let table = create_table(&store, &ctx, "t", Some("NEW_AND_OLD_IMAGES")).await;
    let arn = table["LatestStreamArn"].as_str().expect("stream arn").to_string();
    write(&store, &ctx, "t", "a", Some(item(json!({"pk": {"S": "a"}, "v": {"N": "1"}})))).await;
    write(&store, &ctx, "t", "a", Some(item(json!({"pk": {"S": "a"}, "v": {"N": "1"}})))).await; // no change
    write(&store, &ctx, "t", "a", Some(item(json!({"pk": {"S": "a"}, "v": {"N": "2"}})))).await;
    write(&store, &ctx, "t", "a", None).await;
    write(&store, &ctx, "t", "never", None).await; // nothing to delete

    let it = iterator(&store, &ctx, &arn, "TRIM_HORIZON", None).await.unwrap();
    let out = records(&store, &ctx, &it).await.unwrap();
    let got = out["Records"].as_array().unwrap();
    let names: Vec<_> = got.iter().map(|r| r["eventName"].as_str().unwrap()).collect();
    assert_eq!(names, ["INSERT", "MODIFY", "REMOVE"]);
    assert_eq!(got[1]["dynamodb"]["OldImage"]["v"], json!({"N": "1"}));
    assert_eq!(got[1]["dynamodb"]["NewImage"]["v"], json!({"N": "2"}));
    assert_eq!(got[2]["dynamodb"]["Keys"], json!({"pk": {"S": "a"}}));
    assert!(got[2]["dynamodb"].get("NewImage").is_none());
    let seqs: Vec<&str> = got.iter().map(|r| r["dynamodb"]["SequenceNumber"].as_str().unwrap()).collect();
    assert!(seqs.windows(2).all(|w| w[0] < w[1]) && seqs.iter().all(|s| s.len() == 21));
    assert!(out["NextShardIterator"].is_string());

    let after = iterator(&store, &ctx, &arn, "AFTER_SEQUENCE_NUMBER", Some(seqs[0])).await.unwrap();
    assert_eq!(records(&store, &ctx, &after).await.unwrap()["Records"].as_array().unwrap().len(), 2);
    let at = iterator(&store, &ctx, &arn, "AT_SEQUENCE_NUMBER", Some(seqs[2])).await.unwrap();
    assert_eq!(records(&store, &ctx, &at).await.unwrap()["Records"][0]["eventName"], "REMOVE");
    let latest = iterator(&store, &ctx, &arn, "LATEST", None).await.unwrap();
    assert_eq!(records(&store, &ctx, &latest).await.unwrap()["Records"], json!([]));
}

#[tokio::test]
async fn iterators_expire_and_limits_are_checked() {
    let store = Store::memory();
    let start = Utc::now();
    let ctx = context_at(start);
    let table = create_table(&store, &ctx, "t", Some("KEYS_ONLY")).await;
    let arn = table["LatestStreamArn"].as_str().unwrap().to_string();
    let it = iterator(&store, &ctx, &arn, "TRIM_HORIZON", None).await.unwrap();
    let later = context_at(start + Duration::minutes(16));
    assert_eq!(records(&store, &later, &it).await.unwrap_err().code, "ExpiredIteratorException");
    let too_many = streams_call(&store, &ctx, "GetRecords", json!({"ShardIterator": it, "Limit": 1001})).await;
    assert_eq!(too_many.unwrap_err().code, "ValidationException");
    let garbage = records(&store, &ctx, "not-an-iterator").await.unwrap_err();
    assert_eq!(garbage.code, "ValidationException");
    let missing = streams_call(&store, &ctx, "DescribeStream", json!({"StreamArn": format!("{arn}x")})).await;
    assert_eq!(missing.unwrap_err().code, "ResourceNotFoundException");
    let no_streams = streams_call(&store, &ctx, "ListStreams", json!({"Limit": 0})).await;
    assert_eq!(no_streams.unwrap_err().code, "ValidationException");
    let many = streams_call(&store, &ctx, "ListStreams", json!({"Limit": 1000})).await.unwrap();
    assert_eq!(many["Streams"].as_array().map(Vec::len), Some(1));
    let zero = streams_call(&store, &ctx, "GetRecords", json!({"ShardIterator": it, "Limit": 0})).await;
    assert_eq!(zero.unwrap_err().code, "ValidationException");
    // The largest sequence number there can be: nothing follows it.
    let last = crate::streams::state::sequence_number(u64::MAX);
    let past_the_end = iterator(&store, &ctx, &arn, "AFTER_SEQUENCE_NUMBER", Some(&last)).await;
    assert_eq!(past_the_end.unwrap_err().code, "ValidationException");
}

#[tokio::test]
async fn retention_trims_old_records_and_drops_disabled_streams() {
    let store = Store::memory();
    let start = Utc::now();
    let ctx = context_at(start);
    let table = create_table(&store, &ctx, "t", Some("KEYS_ONLY")).await;
    let arn = table["LatestStreamArn"].as_str().unwrap().to_string();
    write(&store, &ctx, "t", "old", Some(item(json!({"pk": {"S": "old"}})))).await;
    let first = iterator(&store, &ctx, &arn, "TRIM_HORIZON", None).await.unwrap();
    let old_seq = records(&store, &ctx, &first).await.unwrap()["Records"][0]["dynamodb"]["SequenceNumber"].clone();
    let day_later = context_at(start + Duration::hours(23));
    write(&store, &day_later, "t", "new", Some(item(json!({"pk": {"S": "new"}})))).await;

    let retention = StreamRetention::new(store.clone());
    retention.run_due(start + Duration::hours(25)).await;
    let now = context_at(start + Duration::hours(25));
    let it = iterator(&store, &now, &arn, "TRIM_HORIZON", None).await.unwrap();
    let left = records(&store, &now, &it).await.unwrap();
    assert_eq!(left["Records"].as_array().unwrap().len(), 1);
    assert_eq!(left["Records"][0]["dynamodb"]["Keys"]["pk"]["S"], "new");
    let trimmed = iterator(&store, &now, &arn, "AT_SEQUENCE_NUMBER", old_seq.as_str()).await.unwrap_err();
    assert_eq!(trimmed.code, "TrimmedDataAccessException");

    let service = DynamoDbService::new(store.clone(), Clock::new());
    service.call(&now, "DeleteTable", json!({"TableName": "t"})).await.unwrap();
    let described = streams_call(&store, &now, "DescribeStream", json!({"StreamArn": arn})).await.unwrap();
    assert_eq!(described["StreamDescription"]["StreamStatus"], "DISABLED");
    let closed = iterator(&store, &now, &arn, "TRIM_HORIZON", None).await.unwrap();
    let last_page = records(&store, &now, &closed).await.unwrap();
    assert!(last_page.get("NextShardIterator").is_none());

    retention.run_due(start + Duration::hours(50)).await;
    let listed = streams_call(&store, &now, "ListStreams", json!({})).await.unwrap();
    assert_eq!(listed["Streams"], json!([]));
}

#[tokio::test]
async fn update_table_enables_and_disables_with_aws_messages() {
    let store = Store::memory();
    let ctx = context_at(Utc::now());
    create_table(&store, &ctx, "t", None).await;
    let service = DynamoDbService::new(store.clone(), Clock::new());
    let update =
        |spec: Value| service.call(&ctx, "UpdateTable", json!({"TableName": "t", "StreamSpecification": spec}));
    let err = update(json!({"StreamEnabled": false})).await.unwrap_err();
    assert_eq!(err.message, "Table has no stream to disable: TableName: t");
    let err = update(json!({"StreamEnabled": true})).await.unwrap_err();
    assert_eq!(
        err.message,
        "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required"
    );
    let on = update(json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"})).await.unwrap();
    let arn = on["TableDescription"]["LatestStreamArn"].as_str().unwrap().to_string();
    assert_eq!(
        on["TableDescription"]["StreamSpecification"],
        json!({"StreamEnabled": true, "StreamViewType": "NEW_IMAGE"})
    );
    let err = update(json!({"StreamEnabled": true, "StreamViewType": "KEYS_ONLY"})).await.unwrap_err();
    assert_eq!(err.message, "Table already has an enabled stream: TableName: t");
    let off = update(json!({"StreamEnabled": false})).await.unwrap();
    assert!(off["TableDescription"].get("StreamSpecification").is_none());
    assert_eq!(off["TableDescription"]["LatestStreamArn"], json!(arn));
    let listed = streams_call(&store, &ctx, "ListStreams", json!({"TableName": "t"})).await.unwrap();
    assert_eq!(listed["Streams"][0]["StreamArn"], json!(arn));
    let missing = streams_call(&store, &ctx, "ListStreams", json!({"TableName": "nope"})).await.unwrap_err();
    assert_eq!(missing.code, "ResourceNotFoundException");
}
