//! DynamoDB Streams through the SDK: a table's stream listed, described and
//! read (records, sequence numbers, images), and an iterator that expires on
//! cloudbox's clock.

use aws_sdk_dynamodb::Client as DynamoDb;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType, ScalarAttributeType,
    StreamSpecification, StreamViewType,
};
use aws_sdk_dynamodbstreams::Client as Streams;
use aws_sdk_dynamodbstreams::types::{OperationType, ShardIteratorType, StreamStatus};
use cloudbox_sdk_tests::{Cloudbox, failure};

async fn streamed_table(dynamodb: &DynamoDb, name: &str) -> String {
    let created = dynamodb
        .create_table()
        .table_name(name)
        .key_schema(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build().unwrap())
        .attribute_definitions(
            AttributeDefinition::builder().attribute_name("pk").attribute_type(ScalarAttributeType::S).build().unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .stream_specification(
            StreamSpecification::builder()
                .stream_enabled(true)
                .stream_view_type(StreamViewType::NewAndOldImages)
                .build()
                .unwrap(),
        )
        .send()
        .await
        .unwrap();
    created.table_description().and_then(|t| t.latest_stream_arn()).expect("a stream ARN").to_string()
}

async fn trim_horizon(streams: &Streams, arn: &str) -> String {
    let described = streams.describe_stream().stream_arn(arn).send().await.unwrap();
    let description = described.stream_description().unwrap();
    assert_eq!(description.stream_status(), Some(&StreamStatus::Enabled));
    let shard = description.shards()[0].shard_id().unwrap();
    let iterator = streams
        .get_shard_iterator()
        .stream_arn(arn)
        .shard_id(shard)
        .shard_iterator_type(ShardIteratorType::TrimHorizon)
        .send()
        .await
        .unwrap();
    iterator.shard_iterator().unwrap().to_string()
}

#[tokio::test]
async fn changes_are_read_back_in_order() {
    let server = Cloudbox::start();
    let config = server.config();
    let (dynamodb, streams) = (DynamoDb::new(&config), Streams::new(&config));
    let arn = streamed_table(&dynamodb, "orders").await;
    let item = |v: &str| {
        [("pk".to_string(), AttributeValue::S("o1".into())), ("v".to_string(), AttributeValue::S(v.into()))].into()
    };
    dynamodb.put_item().table_name("orders").set_item(Some(item("first"))).send().await.unwrap();
    dynamodb.put_item().table_name("orders").set_item(Some(item("second"))).send().await.unwrap();
    dynamodb.delete_item().table_name("orders").key("pk", AttributeValue::S("o1".into())).send().await.unwrap();

    let listed = streams.list_streams().table_name("orders").send().await.unwrap();
    assert_eq!(listed.streams()[0].stream_arn(), Some(arn.as_str()));
    let iterator = trim_horizon(&streams, &arn).await;
    let page = streams.get_records().shard_iterator(iterator).send().await.unwrap();
    let records = page.records();
    let names: Vec<_> = records.iter().map(|r| r.event_name().cloned()).collect();
    assert_eq!(names, [Some(OperationType::Insert), Some(OperationType::Modify), Some(OperationType::Remove)]);
    let changes: Vec<_> = records.iter().map(|r| r.dynamodb().unwrap()).collect();
    let new_v = changes[1].new_image().and_then(|i| i.get("v")).and_then(|v| v.as_s().ok());
    let old_v = changes[1].old_image().and_then(|i| i.get("v")).and_then(|v| v.as_s().ok());
    assert_eq!((old_v.map(String::as_str), new_v.map(String::as_str)), (Some("first"), Some("second")));
    let sequence: Vec<&str> = changes.iter().map(|c| c.sequence_number().unwrap()).collect();
    assert!(sequence.windows(2).all(|w| w[0] < w[1]) && sequence.iter().all(|s| s.len() >= 21));
    assert!(changes.iter().all(|c| c.approximate_creation_date_time().is_some()));
    assert!(page.next_shard_iterator().is_some());
}

#[tokio::test]
async fn iterators_expire_after_fifteen_minutes() {
    let server = Cloudbox::start();
    let config = server.config();
    let (dynamodb, streams) = (DynamoDb::new(&config), Streams::new(&config));
    let arn = streamed_table(&dynamodb, "events").await;
    let iterator = trim_horizon(&streams, &arn).await;
    server.advance(16 * 60);
    let expired = failure(streams.get_records().shard_iterator(iterator).send().await);
    assert_eq!(expired.code_and_status(), ("ExpiredIteratorException", 400));
}
