//! DynamoDB transactions and time to live through the SDK: TransactWriteItems
//! and TransactGetItems, a cancellation whose reasons the SDK parses, and
//! UpdateTimeToLive/DescribeTimeToLive.

use aws_sdk_dynamodb::Client as DynamoDb;
use aws_sdk_dynamodb::error::SdkError;
use aws_sdk_dynamodb::operation::transact_write_items::TransactWriteItemsError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, ConditionCheck, Get, KeySchemaElement, KeyType, Put,
    ReturnValuesOnConditionCheckFailure, ScalarAttributeType, TimeToLiveSpecification, TimeToLiveStatus,
    TransactGetItem, TransactWriteItem, Update,
};
use cloudbox_sdk_tests::Cloudbox;

async fn create_table(dynamodb: &DynamoDb, name: &str) {
    dynamodb
        .create_table()
        .table_name(name)
        .key_schema(KeySchemaElement::builder().attribute_name("pk").key_type(KeyType::Hash).build().unwrap())
        .attribute_definitions(
            AttributeDefinition::builder().attribute_name("pk").attribute_type(ScalarAttributeType::S).build().unwrap(),
        )
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
}

fn s(text: &str) -> AttributeValue {
    AttributeValue::S(text.to_string())
}

fn put(table: &str, pk: &str) -> TransactWriteItem {
    let put = Put::builder().table_name(table).item("pk", s(pk)).item("v", AttributeValue::N("1".into()));
    TransactWriteItem::builder().put(put.build().unwrap()).build()
}

#[tokio::test]
async fn transactions_commit_together_and_cancel_with_reasons() {
    let server = Cloudbox::start();
    let dynamodb = DynamoDb::new(&server.config());
    create_table(&dynamodb, "accounts").await;
    dynamodb
        .transact_write_items()
        .transact_items(put("accounts", "a"))
        .transact_items(put("accounts", "b"))
        .send()
        .await
        .unwrap();

    let bump = Update::builder()
        .table_name("accounts")
        .key("pk", s("a"))
        .update_expression("SET v = v + :one")
        .expression_attribute_values(":one", AttributeValue::N("1".into()))
        .build()
        .unwrap();
    let guard = ConditionCheck::builder()
        .table_name("accounts")
        .key("pk", s("b"))
        .condition_expression("attribute_not_exists(pk)")
        .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld)
        .build()
        .unwrap();
    let refused = dynamodb
        .transact_write_items()
        .transact_items(TransactWriteItem::builder().update(bump).build())
        .transact_items(TransactWriteItem::builder().condition_check(guard).build())
        .send()
        .await
        .unwrap_err();
    let SdkError::ServiceError(failure) = refused else { panic!("not a service error: {refused:?}") };
    let TransactWriteItemsError::TransactionCanceledException(cancelled) = failure.err() else {
        panic!("not a cancellation: {:?}", failure.err())
    };
    let reasons = cancelled.cancellation_reasons();
    assert_eq!(reasons.len(), 2);
    assert_eq!(reasons[0].code(), Some("None"));
    assert_eq!(reasons[1].code(), Some("ConditionalCheckFailed"));
    assert_eq!(reasons[1].item().and_then(|item| item.get("pk")), Some(&s("b")));

    let get = |pk: &str| {
        TransactGetItem::builder().get(Get::builder().table_name("accounts").key("pk", s(pk)).build().unwrap()).build()
    };
    let read = dynamodb.transact_get_items().transact_items(get("a")).transact_items(get("zzz")).send().await.unwrap();
    let responses = read.responses();
    assert_eq!(responses[0].item().and_then(|item| item.get("v")), Some(&AttributeValue::N("1".into())));
    assert!(responses[1].item().is_none());
}

#[tokio::test]
async fn time_to_live_is_described_as_set() {
    let server = Cloudbox::start();
    let dynamodb = DynamoDb::new(&server.config());
    create_table(&dynamodb, "sessions").await;
    let spec = TimeToLiveSpecification::builder().enabled(true).attribute_name("expires").build().unwrap();
    let updated = dynamodb.update_time_to_live().table_name("sessions").time_to_live_specification(spec).send().await;
    assert_eq!(updated.unwrap().time_to_live_specification().map(|s| s.attribute_name()), Some("expires"));
    let described = dynamodb.describe_time_to_live().table_name("sessions").send().await.unwrap();
    let description = described.time_to_live_description().unwrap();
    assert_eq!(description.time_to_live_status(), Some(&TimeToLiveStatus::Enabled));
    assert_eq!(description.attribute_name(), Some("expires"));
}
