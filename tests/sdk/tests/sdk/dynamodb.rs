//! DynamoDB through the SDK (JSON 1.0 with the CRC32 the SDK checks):
//! ListTables, its Limit validation, and NotImplemented for the rest.

use aws_sdk_dynamodb::Client as DynamoDb;
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
    let missing = failure(dynamodb.describe_table().table_name("t").send().await);
    assert_eq!(missing.code_and_status(), ("NotImplemented", 501));
}
