//! Backups and point-in-time recovery through `Service::call`, with the
//! clock set per request.

use crate::DynamoDbService;
use cloudbox_core::{AccountId, AwsError, Caller, Clock, Region, RequestContext, Service, Value};
use cloudbox_store::Store;
use serde_json::json;

const T0: i64 = 1_800_000_000_000;

fn at(ms: i64) -> RequestContext {
    let account = AccountId::parse("111111111111").expect("valid account");
    let now = chrono::DateTime::from_timestamp_millis(ms).expect("valid time");
    RequestContext::new("req", Caller::root(account, "AKIDTEST"), Region::new("us-east-1"), "dynamodb", "x", now)
}

async fn call(service: &DynamoDbService, ms: i64, op: &str, input: Value) -> Result<Value, AwsError> {
    service.call(&at(ms), op, input).await
}

async fn setup() -> DynamoDbService {
    let service = DynamoDbService::new(Store::memory(), Clock::new());
    let table = json!({
        "TableName": "src",
        "AttributeDefinitions": [
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "g", "AttributeType": "S"}
        ],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "GlobalSecondaryIndexes": [{
            "IndexName": "by-g",
            "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
            "Projection": {"ProjectionType": "ALL"}
        }],
        "BillingMode": "PAY_PER_REQUEST"
    });
    call(&service, T0, "CreateTable", table).await.expect("table created");
    service
}

async fn put(service: &DynamoDbService, ms: i64, table: &str, pk: &str, v: i64) {
    let item = json!({"pk": {"S": pk}, "g": {"S": "all"}, "v": {"N": v.to_string()}});
    call(service, ms, "PutItem", json!({"TableName": table, "Item": item})).await.expect("put");
}

async fn delete(service: &DynamoDbService, ms: i64, table: &str, pk: &str) {
    call(service, ms, "DeleteItem", json!({"TableName": table, "Key": {"pk": {"S": pk}}})).await.expect("delete");
}

/// pk -> v of every item of `table`, scanned.
async fn contents(service: &DynamoDbService, table: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    let mut start: Option<Value> = None;
    loop {
        let mut input = json!({"TableName": table});
        if let Some(s) = start.take() {
            input["ExclusiveStartKey"] = s;
        }
        let page = call(service, T0, "Scan", input).await.expect("scan");
        for item in page["Items"].as_array().expect("items") {
            out.insert(item["pk"]["S"].as_str().unwrap().to_string(), item["v"]["N"].as_str().unwrap().to_string());
        }
        match page.get("LastEvaluatedKey") {
            Some(k) => start = Some(k.clone()),
            None => return out,
        }
    }
}

#[tokio::test]
async fn a_backup_restores_the_table_as_it_was() {
    let service = setup().await;
    for i in 0..5 {
        put(&service, T0, "src", &format!("k{i}"), i).await;
    }
    let created =
        call(&service, T0 + 1000, "CreateBackup", json!({"TableName": "src", "BackupName": "b1"})).await.unwrap();
    let details = &created["BackupDetails"];
    let arn = details["BackupArn"].as_str().unwrap().to_string();
    assert!(arn.starts_with("arn:aws:dynamodb:us-east-1:111111111111:table/src/backup/1800000001000-"), "{arn}");
    assert_eq!(arn.rsplit('-').next().unwrap().len(), 8);
    assert_eq!(details["BackupStatus"], "AVAILABLE");
    assert_eq!(details["BackupType"], "USER");

    put(&service, T0 + 2000, "src", "k0", 100).await;
    delete(&service, T0 + 2000, "src", "k1").await;
    put(&service, T0 + 2000, "src", "new", 7).await;

    let described = call(&service, T0, "DescribeBackup", json!({"BackupArn": arn})).await.unwrap();
    let description = &described["BackupDescription"];
    assert_eq!(description["SourceTableDetails"]["ItemCount"], 5);
    assert_eq!(description["SourceTableFeatureDetails"]["GlobalSecondaryIndexes"][0]["IndexName"], "by-g");

    let restored =
        call(&service, T0 + 3000, "RestoreTableFromBackup", json!({"TargetTableName": "copy", "BackupArn": arn}))
            .await
            .unwrap();
    assert_eq!(restored["TableDescription"]["RestoreSummary"]["SourceBackupArn"], json!(arn));
    let copy = contents(&service, "copy").await;
    assert_eq!(copy.len(), 5);
    assert_eq!(copy["k0"], "0");
    assert!(copy.contains_key("k1") && !copy.contains_key("new"));
    // The index came back with the items.
    let query = json!({"TableName": "copy", "IndexName": "by-g", "KeyConditionExpression": "g = :g",
        "ExpressionAttributeValues": {":g": {"S": "all"}}, "Select": "COUNT"});
    assert_eq!(call(&service, T0, "Query", query).await.unwrap()["Count"], 5);
    let table = call(&service, T0, "DescribeTable", json!({"TableName": "copy"})).await.unwrap();
    assert_eq!(table["Table"]["TableStatus"], "ACTIVE");

    let again =
        call(&service, T0, "RestoreTableFromBackup", json!({"TargetTableName": "copy", "BackupArn": arn})).await;
    assert_eq!(again.unwrap_err().code, "TableAlreadyExistsException");
}

#[tokio::test]
async fn writes_during_the_copy_do_not_change_the_backup() {
    let service = setup().await;
    for i in 0..600 {
        put(&service, T0, "src", &format!("k{i:04}"), i).await;
    }
    let backup = super::api::begin_backup(&service, &at(T0 + 1), json!({"TableName": "src", "BackupName": "live"}))
        .await
        .unwrap();
    // One batch copied, then writes on both sides of the copy's position.
    assert!(!super::snapshot::copy_batch(&service.store, backup.data_id.clone()).await.unwrap());
    put(&service, T0 + 2, "src", "k0000", -1).await;
    put(&service, T0 + 2, "src", "k0599", -1).await;
    delete(&service, T0 + 2, "src", "k0500").await;
    put(&service, T0 + 2, "src", "k9999", -1).await;
    assert!(super::snapshot::run_copy(&service.store, &backup.data_id, usize::MAX).await.unwrap());

    let arn = backup.backup_arn.clone();
    call(&service, T0 + 3, "RestoreTableFromBackup", json!({"TargetTableName": "copy", "BackupArn": arn}))
        .await
        .unwrap();
    let copy = contents(&service, "copy").await;
    assert_eq!(copy.len(), 600);
    assert_eq!(copy["k0000"], "0");
    assert_eq!(copy["k0599"], "599");
    assert_eq!(copy["k0500"], "500");
    assert!(!copy.contains_key("k9999"));
    // Once copied, the table no longer lists the backup, so writes stop saving into it.
    let record = service.catalog.find(&service.store, &at(T0), "src").unwrap().unwrap();
    assert!(super::snapshot::in_progress(&record).is_empty());
}

#[tokio::test]
async fn list_describe_and_delete_backups() {
    let service = setup().await;
    let mut arns = Vec::new();
    for i in 0..3 {
        let out =
            call(&service, T0 + i * 1000, "CreateBackup", json!({"TableName": "src", "BackupName": format!("b{i}")}))
                .await
                .unwrap();
        arns.push(out["BackupDetails"]["BackupArn"].as_str().unwrap().to_string());
    }
    let all = call(&service, T0, "ListBackups", json!({})).await.unwrap();
    assert_eq!(all["BackupSummaries"].as_array().unwrap().len(), 3);
    let page = call(&service, T0, "ListBackups", json!({"TableName": "src", "Limit": 2})).await.unwrap();
    assert_eq!(page["BackupSummaries"].as_array().unwrap().len(), 2);
    let next = page["LastEvaluatedBackupArn"].clone();
    let rest = call(&service, T0, "ListBackups", json!({"ExclusiveStartBackupArn": next})).await.unwrap();
    assert_eq!(rest["BackupSummaries"][0]["BackupArn"], json!(arns[2]));
    let window =
        json!({"TimeRangeLowerBound": (T0 + 1000) as f64 / 1000.0, "TimeRangeUpperBound": (T0 + 2000) as f64 / 1000.0});
    let ranged = call(&service, T0, "ListBackups", window).await.unwrap();
    assert_eq!(ranged["BackupSummaries"].as_array().unwrap().len(), 1);
    assert_eq!(ranged["BackupSummaries"][0]["BackupName"], "b1");
    let system = call(&service, T0, "ListBackups", json!({"BackupType": "SYSTEM"})).await.unwrap();
    assert_eq!(system["BackupSummaries"], json!([]));

    let deleted = call(&service, T0, "DeleteBackup", json!({"BackupArn": arns[0]})).await.unwrap();
    assert_eq!(deleted["BackupDescription"]["BackupDetails"]["BackupStatus"], "DELETED");
    let gone = call(&service, T0, "DescribeBackup", json!({"BackupArn": arns[0]})).await.unwrap_err();
    assert_eq!(
        (gone.code.as_str(), gone.message.as_str()),
        ("BackupNotFoundException", &*format!("Backup not found: {}", arns[0]))
    );
    let missing =
        call(&service, T0, "CreateBackup", json!({"TableName": "nope", "BackupName": "x"})).await.unwrap_err();
    assert_eq!((missing.code.as_str(), missing.message.as_str()), ("TableNotFoundException", "Table not found: nope"));
}

#[tokio::test]
async fn point_in_time_restores_the_table_at_that_moment() {
    let service = setup().await;
    put(&service, T0, "src", "before", 1).await;
    let off = call(&service, T0, "DescribeContinuousBackups", json!({"TableName": "src"})).await.unwrap();
    assert_eq!(
        off["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"],
        "DISABLED"
    );
    let unavailable = call(
        &service,
        T0,
        "RestoreTableToPointInTime",
        json!({"SourceTableName": "src", "TargetTableName": "x", "UseLatestRestorableTime": true}),
    )
    .await
    .unwrap_err();
    assert_eq!(unavailable.code, "PointInTimeRecoveryUnavailableException");

    let spec = json!({"TableName": "src", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 7}});
    let on = call(&service, T0 + 1000, "UpdateContinuousBackups", spec).await.unwrap();
    assert_eq!(on["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"], 7);

    let minute = 60_000;
    put(&service, T0 + minute, "src", "a", 1).await;
    put(&service, T0 + minute, "src", "before", 2).await;
    let restore_point = T0 + 2 * minute;
    put(&service, T0 + 3 * minute, "src", "a", 99).await;
    delete(&service, T0 + 3 * minute, "src", "before").await;
    put(&service, T0 + 3 * minute, "src", "late", 5).await;

    let now = T0 + 20 * minute;
    let described = call(&service, now, "DescribeContinuousBackups", json!({"TableName": "src"})).await.unwrap();
    let window = &described["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"];
    assert_eq!(window["EarliestRestorableDateTime"], json!((T0 + 1000) as f64 / 1000.0));
    assert_eq!(window["LatestRestorableDateTime"], json!((now - 5 * minute) as f64 / 1000.0));

    let restore =
        json!({"SourceTableName": "src", "TargetTableName": "then", "RestoreDateTime": restore_point as f64 / 1000.0});
    call(&service, now, "RestoreTableToPointInTime", restore).await.unwrap();
    let then = contents(&service, "then").await;
    assert_eq!(then.into_iter().collect::<Vec<_>>(), vec![("a".into(), "1".into()), ("before".into(), "2".into())]);

    let latest = json!({"SourceTableArn": "arn:aws:dynamodb:us-east-1:111111111111:table/src", "TargetTableName": "latest", "UseLatestRestorableTime": true});
    call(&service, now, "RestoreTableToPointInTime", latest).await.unwrap();
    let latest = contents(&service, "latest").await;
    assert_eq!(latest.len(), 2);
    assert_eq!(latest["a"], "99");

    let too_early = json!({"SourceTableName": "src", "TargetTableName": "x", "RestoreDateTime": T0 as f64 / 1000.0});
    assert_eq!(
        call(&service, now, "RestoreTableToPointInTime", too_early).await.unwrap_err().code,
        "InvalidRestoreTimeException"
    );
    let too_late =
        json!({"SourceTableName": "src", "TargetTableName": "x", "RestoreDateTime": (now - minute) as f64 / 1000.0});
    assert_eq!(
        call(&service, now, "RestoreTableToPointInTime", too_late).await.unwrap_err().code,
        "InvalidRestoreTimeException"
    );
    let no_source = json!({"SourceTableName": "nope", "TargetTableName": "x", "UseLatestRestorableTime": true});
    assert_eq!(
        call(&service, now, "RestoreTableToPointInTime", no_source).await.unwrap_err().code,
        "SourceTableNotFoundException"
    );
}

#[tokio::test]
async fn history_older_than_the_period_is_trimmed() {
    let service = setup().await;
    let spec = json!({"TableName": "src", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": true, "RecoveryPeriodInDays": 1}});
    call(&service, T0, "UpdateContinuousBackups", spec).await.unwrap();
    for i in 0..3 {
        put(&service, T0 + i, "src", "k", i).await;
    }
    let day = 24 * 60 * 60 * 1000;
    put(&service, T0 + 2 * day, "src", "k", 10).await;
    let record = service.catalog.find(&service.store, &at(T0), "src").unwrap().unwrap();
    let generation = super::pitr::settings(&record).unwrap().enabled_ms;
    let timeline = super::layout::timeline_prefix(&record.table_id, generation);
    assert_eq!(service.store.scan(&timeline, None, 100).unwrap().len(), 4);
    let work = service.backup_work();
    work.run_due(chrono::DateTime::from_timestamp_millis(T0 + 2 * day + 1).unwrap()).await;
    assert_eq!(service.store.scan(&timeline, None, 100).unwrap().len(), 1);
    let history = super::layout::history_prefix(&record.table_id, generation);
    assert_eq!(service.store.scan(&history, None, 100).unwrap().len(), 1);

    // Turning recovery off drops the setting; its history is purged.
    let off = json!({"TableName": "src", "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": false}});
    let out = call(&service, T0 + 2 * day, "UpdateContinuousBackups", off).await.unwrap();
    assert_eq!(
        out["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"],
        "DISABLED"
    );
}

#[tokio::test]
async fn the_backup_work_finishes_a_copy_a_request_left() {
    let service = setup().await;
    for i in 0..300 {
        put(&service, T0, "src", &format!("k{i:03}"), i).await;
    }
    // As after a restart mid-copy: the backup is recorded, its copy not run.
    let backup = super::api::begin_backup(&service, &at(T0 + 1), json!({"TableName": "src", "BackupName": "cut"}))
        .await
        .unwrap();
    let arn = backup.backup_arn.clone();
    let described = call(&service, T0, "DescribeBackup", json!({"BackupArn": arn})).await.unwrap();
    assert_eq!(described["BackupDescription"]["BackupDetails"]["BackupStatus"], "CREATING");
    let early =
        call(&service, T0, "RestoreTableFromBackup", json!({"TargetTableName": "copy", "BackupArn": arn})).await;
    assert_eq!(early.unwrap_err().code, "BackupInUseException");
    put(&service, T0 + 2, "src", "k000", -1).await;

    service.backup_work().run_due(chrono::DateTime::from_timestamp_millis(T0 + 3).unwrap()).await;
    let described = call(&service, T0, "DescribeBackup", json!({"BackupArn": arn})).await.unwrap();
    assert_eq!(described["BackupDescription"]["BackupDetails"]["BackupStatus"], "AVAILABLE");
    call(&service, T0 + 4, "RestoreTableFromBackup", json!({"TargetTableName": "copy", "BackupArn": arn}))
        .await
        .unwrap();
    let copy = contents(&service, "copy").await;
    assert_eq!(copy.len(), 300);
    assert_eq!(copy["k000"], "0");
}
