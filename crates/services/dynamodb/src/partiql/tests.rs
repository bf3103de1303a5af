//! PartiQL through `Service::call`: statements against real tables, read
//! back with the item operations.

use crate::DynamoDbService;
use cloudbox_core::{AccountId, AwsError, Caller, Clock, Region, RequestContext, Service, Value};
use cloudbox_store::Store;
use serde_json::json;

fn ctx() -> RequestContext {
    let account = AccountId::parse("111111111111").expect("valid account");
    RequestContext::new(
        "req",
        Caller::root(account, "AKIDTEST"),
        Region::new("us-east-1"),
        "dynamodb",
        "x",
        chrono::Utc::now(),
    )
}

async fn call(service: &DynamoDbService, op: &str, input: Value) -> Result<Value, AwsError> {
    service.call(&ctx(), op, input).await
}

async fn run(service: &DynamoDbService, statement: &str) -> Result<Value, AwsError> {
    call(service, "ExecuteStatement", json!({"Statement": statement})).await
}

async fn setup() -> DynamoDbService {
    let service = DynamoDbService::new(Store::memory(), Clock::new());
    let table = json!({
        "TableName": "T",
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "N"}
        ],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        "BillingMode": "PAY_PER_REQUEST"
    });
    call(&service, "CreateTable", table).await.expect("table created");
    for (pk, sk) in [("a", 1), ("a", 2), ("a", 3), ("b", 1)] {
        run(&service, &format!("INSERT INTO \"T\" VALUE {{'pk': '{pk}', 'sk': {sk}, 'n': {sk}, 'tags': <<'x'>>}}"))
            .await
            .expect("insert");
    }
    service
}

fn sks(out: &Value) -> Vec<i64> {
    out["Items"].as_array().unwrap().iter().map(|i| i["sk"]["N"].as_str().unwrap().parse().unwrap()).collect()
}

#[tokio::test]
async fn insert_refuses_an_existing_key() {
    let service = setup().await;
    let err = run(&service, "INSERT INTO T VALUE {'pk': 'a', 'sk': 1}").await.unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("DuplicateItemException", "Duplicate primary key exists in table")
    );
    let got = call(&service, "GetItem", json!({"TableName": "T", "Key": {"pk": {"S": "a"}, "sk": {"N": "1"}}}))
        .await
        .unwrap();
    assert_eq!(got["Item"]["tags"], json!({"SS": ["x"]}));
}

#[tokio::test]
async fn select_queries_a_partition_in_sort_key_order() {
    let service = setup().await;
    let out = run(&service, "SELECT * FROM T WHERE pk = 'a'").await.unwrap();
    assert_eq!(sks(&out), vec![1, 2, 3]);
    let out = run(&service, "SELECT * FROM T WHERE pk = 'a' AND sk > 1 ORDER BY sk DESC").await.unwrap();
    assert_eq!(sks(&out), vec![3, 2]);
    let out = run(&service, "SELECT sk FROM T WHERE pk IN ('b', 'a') AND n <> 2").await.unwrap();
    assert_eq!(sks(&out), vec![1, 1, 3]);
    assert_eq!(out["Items"][0], json!({"sk": {"N": "1"}}));
    let scan = run(&service, "SELECT * FROM T WHERE n >= 2").await.unwrap();
    assert_eq!(scan["Items"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn select_pages_with_limit_and_next_token() {
    let service = setup().await;
    let mut token: Option<Value> = None;
    let mut seen = Vec::new();
    for _ in 0..10 {
        let mut input = json!({"Statement": "SELECT * FROM T WHERE pk = ?", "Parameters": [{"S": "a"}], "Limit": 2});
        if let Some(t) = token.take() {
            input["NextToken"] = t;
        }
        let out = call(&service, "ExecuteStatement", input).await.unwrap();
        seen.extend(sks(&out));
        match out.get("NextToken") {
            Some(t) => token = Some(t.clone()),
            None => break,
        }
    }
    assert_eq!(seen, vec![1, 2, 3]);
    let other = json!({"Statement": "SELECT * FROM T", "NextToken": "bm90IGEgdG9rZW4="});
    assert_eq!(call(&service, "ExecuteStatement", other).await.unwrap_err().code, "ValidationException");
}

#[tokio::test]
async fn update_and_delete_need_the_key_and_honour_where() {
    let service = setup().await;
    let out = run(&service, "UPDATE T SET n = n + 10 SET tags = set_add(tags, <<'y'>>) SET c = 'c' REMOVE c2 WHERE pk = 'a' AND sk = 1 RETURNING ALL NEW *")
        .await
        .unwrap();
    assert_eq!(out["Items"][0]["n"], json!({"N": "11"}));
    assert_eq!(out["Items"][0]["tags"]["SS"].as_array().unwrap().len(), 2);
    assert_eq!(out["Items"][0]["c"], json!({"S": "c"}));
    let modified = run(
        &service,
        "UPDATE T SET tags = set_delete(tags, <<'x', 'y'>>) WHERE pk = 'a' AND sk = 1 RETURNING MODIFIED OLD *",
    )
    .await
    .unwrap();
    assert_eq!(modified["Items"][0]["tags"]["SS"].as_array().unwrap().len(), 2);
    assert!(modified["Items"][0].get("n").is_none());

    let missing = run(&service, "UPDATE T SET n = 1 WHERE pk = 'zz' AND sk = 1").await.unwrap_err();
    assert_eq!(missing.code, "ConditionalCheckFailedException");
    let no_key = run(&service, "UPDATE T SET n = 1 WHERE pk = 'a'").await.unwrap_err();
    assert_eq!(no_key.message, "Where clause does not contain a mandatory equality on all key attributes");
    let failed = run(&service, "DELETE FROM T WHERE pk = 'a' AND sk = 2 AND n = 99").await.unwrap_err();
    assert_eq!(failed.code, "ConditionalCheckFailedException");
    run(&service, "DELETE FROM T WHERE pk = 'zz' AND sk = 2").await.unwrap();
    let deleted = run(&service, "DELETE FROM T WHERE pk = 'a' AND sk = 2 RETURNING ALL OLD *").await.unwrap();
    assert_eq!(deleted["Items"][0]["n"], json!({"N": "2"}));
    assert_eq!(sks(&run(&service, "SELECT * FROM T WHERE pk = 'a'").await.unwrap()), vec![1, 3]);
}

#[tokio::test]
async fn errors_as_dynamodb_words_them() {
    let service = setup().await;
    let err = run(&service, "SELECT * FROM nope").await.unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.message.as_str()),
        ("ResourceNotFoundException", "Requested resource not found")
    );
    let err = run(&service, "SELEC * FROM T").await.unwrap_err();
    assert_eq!(err.code, "ValidationException");
    let err = call(
        &service,
        "ExecuteStatement",
        json!({"Statement": "SELECT * FROM T WHERE pk = ? AND sk = ?", "Parameters": [{"S": "a"}]}),
    )
    .await
    .unwrap_err();
    assert_eq!(err.message, "Number of parameters in request and statement don't match.");
}

#[tokio::test]
async fn batches_answer_per_statement() {
    let service = setup().await;
    let out = call(
        &service,
        "BatchExecuteStatement",
        json!({"Statements": [
            {"Statement": "INSERT INTO T VALUE {'pk': 'c', 'sk': 1}"},
            {"Statement": "INSERT INTO T VALUE {'pk': 'a', 'sk': 1}"},
            {"Statement": "UPDATE T SET n = 5 WHERE pk = 'b' AND sk = 1"},
            {"Statement": "SELECT * FROM T WHERE"}
        ]}),
    )
    .await
    .unwrap();
    let responses = out["Responses"].as_array().unwrap();
    assert_eq!(responses[0], json!({"TableName": "T"}));
    assert_eq!(responses[1]["Error"]["Code"], "DuplicateItem");
    assert_eq!(responses[2], json!({"TableName": "T"}));
    assert_eq!(
        responses[3]["Error"],
        json!({"Code": "ValidationError", "Message": "Statement wasn't well formed, can't be processed: Unexpected term"})
    );
    let reads = call(
        &service,
        "BatchExecuteStatement",
        json!({"Statements": [
            {"Statement": "SELECT n FROM T WHERE pk = 'b' AND sk = 1"},
            {"Statement": "SELECT * FROM T WHERE pk = 'none' AND sk = 1"}
        ]}),
    )
    .await
    .unwrap();
    assert_eq!(reads["Responses"][0], json!({"TableName": "T", "Item": {"n": {"N": "5"}}}));
    assert_eq!(reads["Responses"][1], json!({"TableName": "T"}));
}

#[tokio::test]
async fn transactions_are_all_or_nothing() {
    let service = setup().await;
    let failing = json!({"TransactStatements": [
        {"Statement": "INSERT INTO T VALUE {'pk': 'new', 'sk': 1}"},
        {"Statement": "UPDATE T SET n = 1 WHERE pk = 'missing' AND sk = 1"},
        {"Statement": "EXISTS(SELECT * FROM T WHERE pk = 'a' AND sk = 1 AND n = 1)"}
    ]});
    let err = call(&service, "ExecuteTransaction", failing).await.unwrap_err();
    assert_eq!(err.code, "TransactionCanceledException");
    assert_eq!(
        err.message,
        "Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]"
    );
    let reasons = &err.extra.as_ref().unwrap()["CancellationReasons"];
    assert_eq!(reasons[1]["Code"], "ConditionalCheckFailed");
    assert!(run(&service, "SELECT * FROM T WHERE pk = 'new'").await.unwrap()["Items"].as_array().unwrap().is_empty());

    let ok = json!({"TransactStatements": [
        {"Statement": "INSERT INTO T VALUE {'pk': 'new', 'sk': 1}"},
        {"Statement": "UPDATE T SET n = 7 WHERE pk = 'b' AND sk = 1"},
        {"Statement": "EXISTS(SELECT * FROM T WHERE pk = 'a' AND sk = 1 AND n = 1)"}
    ]});
    call(&service, "ExecuteTransaction", ok.clone()).await.unwrap();
    // With a token, a repeat is answered without running again.
    let mut once = json!({"TransactStatements": [{"Statement": "UPDATE T SET n = n + 1 WHERE pk = 'a' AND sk = 3"}]});
    once["ClientRequestToken"] = json!("token-1");
    call(&service, "ExecuteTransaction", once.clone()).await.unwrap();
    call(&service, "ExecuteTransaction", once.clone()).await.unwrap();
    let n = run(&service, "SELECT n FROM T WHERE pk = 'a' AND sk = 3").await.unwrap();
    assert_eq!(n["Items"][0]["n"], json!({"N": "4"}));
    once["TransactStatements"][0]["Statement"] = json!("DELETE FROM T WHERE pk = 'a' AND sk = 3");
    let mismatch = call(&service, "ExecuteTransaction", once).await.unwrap_err();
    assert_eq!(mismatch.code, "IdempotentParameterMismatchException");
    let read = call(
        &service,
        "ExecuteTransaction",
        json!({"TransactStatements": [
            {"Statement": "SELECT n FROM T WHERE pk = 'b' AND sk = 1"},
            {"Statement": "SELECT * FROM T WHERE pk = 'gone' AND sk = 1"}
        ]}),
    )
    .await
    .unwrap();
    assert_eq!(read["Responses"], json!([{"Item": {"n": {"N": "7"}}}, {}]));
    let mixed = call(
        &service,
        "ExecuteTransaction",
        json!({"TransactStatements": [
            {"Statement": "SELECT * FROM T WHERE pk = 'b' AND sk = 1"},
            {"Statement": "DELETE FROM T WHERE pk = 'b' AND sk = 1"}
        ]}),
    )
    .await
    .unwrap_err();
    assert_eq!(mixed.code, "ValidationException");
    let twice = call(
        &service,
        "ExecuteTransaction",
        json!({"TransactStatements": [
            {"Statement": "DELETE FROM T WHERE pk = 'b' AND sk = 1"},
            {"Statement": "UPDATE T SET n = 1 WHERE pk = 'b' AND sk = 1"}
        ]}),
    )
    .await
    .unwrap_err();
    assert_eq!(twice.message, "Transaction request cannot include multiple operations on one item");
}

#[tokio::test]
async fn a_select_limit_below_one_is_refused() {
    let service = setup().await;
    let out = call(&service, "ExecuteStatement", json!({"Statement": "SELECT * FROM T", "Limit": 0})).await;
    assert_eq!(
        out.err().map(|e| e.message),
        Some(
            "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: \
             Member must have value greater than or equal to 1"
                .into()
        )
    );
    assert!(call(&service, "ExecuteStatement", json!({"Statement": "SELECT * FROM T", "Limit": 1})).await.is_ok());
}
