//! DynamoDB through the SDK (JSON 1.0 with the CRC32 the SDK checks):
//! ListTables and its Limit validation; a table created, items put, read,
//! updated and queried; errors as the SDK parses them; NotImplemented for
//! operations without a handler.

use aws_sdk_dynamodb::Client as DynamoDb;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, AttributeValue, BillingMode, KeySchemaElement, KeyType, ReturnValue, ScalarAttributeType,
    TableStatus,
};
use cloudbox_sdk_tests::{Cloudbox, failure};

#[tokio::test]
async fn new_account_has_no_tables() {
    let server = Cloudbox::start();
    let listed = DynamoDb::new(&server.config()).list_tables().send().await.unwrap();
    assert!(listed.table_names().is_empty());
    assert_eq!(listed.last_evaluated_table_name(), None);
}

#[tokio::test]
async fn limit_out_of_range_is_a_validation_exception() {
    let server = Cloudbox::start();
    let dynamodb = DynamoDb::new(&server.config());
    for limit in [0, 101] {
        let refused = failure(dynamodb.list_tables().limit(limit).send().await);
        assert_eq!(refused.code_and_status(), ("ValidationException", 400), "Limit={limit}");
        assert!(refused.message.contains("limit"), "{refused:?}");
    }
    assert!(dynamodb.list_tables().limit(100).send().await.unwrap().table_names().is_empty());
}

#[tokio::test]
async fn operation_without_handler_is_not_implemented() {
    let server = Cloudbox::start();
    let dynamodb = DynamoDb::new(&server.config());
    let missing = failure(dynamodb.describe_global_table().global_table_name("t").send().await);
    assert_eq!(missing.code_and_status(), ("NotImplemented", 501));
}

async fn create_table(dynamodb: &DynamoDb, name: &str) {
    let key = |name: &str, key_type| KeySchemaElement::builder().attribute_name(name).key_type(key_type).build();
    let attribute = |name: &str, kind| AttributeDefinition::builder().attribute_name(name).attribute_type(kind).build();
    let created = dynamodb
        .create_table()
        .table_name(name)
        .key_schema(key("pk", KeyType::Hash).unwrap())
        .key_schema(key("sk", KeyType::Range).unwrap())
        .attribute_definitions(attribute("pk", ScalarAttributeType::S).unwrap())
        .attribute_definitions(attribute("sk", ScalarAttributeType::N).unwrap())
        .billing_mode(BillingMode::PayPerRequest)
        .send()
        .await
        .unwrap();
    let description = created.table_description().unwrap();
    assert_eq!(description.table_status(), Some(&TableStatus::Creating));
    let described = dynamodb.describe_table().table_name(name).send().await.unwrap();
    assert_eq!(described.table().unwrap().table_status(), Some(&TableStatus::Active));
}

fn s(v: &str) -> AttributeValue {
    AttributeValue::S(v.to_string())
}

fn n(v: i64) -> AttributeValue {
    AttributeValue::N(v.to_string())
}

#[tokio::test]
async fn create_put_get_update_and_query() {
    let server = Cloudbox::start();
    let dynamodb = DynamoDb::new(&server.config());
    create_table(&dynamodb, "orders").await;
    for i in 0..20 {
        dynamodb
            .put_item()
            .table_name("orders")
            .item("pk", s("customer-1"))
            .item("sk", n(i))
            .item("amount", n(i * 10))
            .item("blob", AttributeValue::B(vec![0, 1, 2, 255].into()))
            .send()
            .await
            .unwrap();
    }
    let got = dynamodb.get_item().table_name("orders").key("pk", s("customer-1")).key("sk", n(3)).send().await.unwrap();
    let item = got.item().unwrap();
    assert_eq!(item.get("amount"), Some(&n(30)));
    assert_eq!(item.get("blob"), Some(&AttributeValue::B(vec![0, 1, 2, 255].into())));
    let updated = dynamodb
        .update_item()
        .table_name("orders")
        .key("pk", s("customer-1"))
        .key("sk", n(3))
        .update_expression("SET amount = amount + :d")
        .expression_attribute_values(":d", n(5))
        .return_values(ReturnValue::UpdatedNew)
        .send()
        .await
        .unwrap();
    assert_eq!(updated.attributes().unwrap().get("amount"), Some(&n(35)));
    let page = dynamodb
        .query()
        .table_name("orders")
        .key_condition_expression("pk = :p AND sk >= :from")
        .expression_attribute_values(":p", s("customer-1"))
        .expression_attribute_values(":from", n(15))
        .scan_index_forward(false)
        .send()
        .await
        .unwrap();
    let sort_keys: Vec<&AttributeValue> = page.items().iter().map(|item| &item["sk"]).collect();
    assert_eq!(sort_keys, vec![&n(19), &n(18), &n(17), &n(16), &n(15)]);
    assert_eq!(page.count(), 5);
    assert_eq!(page.scanned_count(), 5);
}

#[tokio::test]
async fn errors_parse_as_modelled_exceptions() {
    let server = Cloudbox::start();
    let dynamodb = DynamoDb::new(&server.config());
    create_table(&dynamodb, "t").await;
    let again = dynamodb.create_table().table_name("t").send().await;
    assert!(again.is_err());
    let put = dynamodb.put_item().table_name("t").item("pk", s("a")).item("sk", n(1));
    put.clone().send().await.unwrap();
    let refused = put.condition_expression("attribute_not_exists(pk)").send().await.unwrap_err();
    assert!(refused.as_service_error().is_some_and(|e| e.is_conditional_check_failed_exception()), "{refused:?}");
    let missing = dynamodb.get_item().table_name("nope").key("pk", s("a")).key("sk", n(1)).send().await.unwrap_err();
    assert!(missing.as_service_error().is_some_and(|e| e.is_resource_not_found_exception()), "{missing:?}");
    let bad_key = failure(dynamodb.get_item().table_name("t").key("pk", s("a")).send().await);
    assert_eq!(bad_key.code_and_status(), ("ValidationException", 400));
    assert_eq!(bad_key.message, "The provided key element does not match the schema");
}
