"""DynamoDB backups and point-in-time recovery with boto3 and the aws CLI:
snapshots restored into new tables (items and indexes), listing and
deleting backups, and restores to a moment within the recovery window on
cloudbox's clock."""

import datetime
import re
import time

import botocore.exceptions
import pytest

from awserrors import code_and_message
from conftest import unique


def make_table(ddb, name=None):
    name = name or unique("bk")
    ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                           {"AttributeName": "g", "AttributeType": "S"}],
                     GlobalSecondaryIndexes=[{"IndexName": "by-g",
                                              "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                              "Projection": {"ProjectionType": "KEYS_ONLY"}}],
                     BillingMode="PAY_PER_REQUEST")
    return name


def put(ddb, name, pk, v):
    ddb.put_item(TableName=name, Item={"pk": {"S": pk}, "g": {"S": "all"}, "v": {"N": str(v)}})


def contents(ddb, name):
    items, kwargs = {}, {}
    while True:
        page = ddb.scan(TableName=name, **kwargs)
        items.update({i["pk"]["S"]: int(i["v"]["N"]) for i in page["Items"]})
        if "LastEvaluatedKey" not in page:
            return items
        kwargs = {"ExclusiveStartKey": page["LastEvaluatedKey"]}


def test_backup_and_restore(server):
    ddb = server.client("dynamodb")
    name = make_table(ddb)
    for i in range(300):
        put(ddb, name, f"k{i:03}", i)
    details = ddb.create_backup(TableName=name, BackupName="nightly")["BackupDetails"]
    arn = details["BackupArn"]
    assert re.fullmatch(rf"arn:aws:dynamodb:us-east-1:\d{{12}}:table/{name}/backup/\d{{13}}-[0-9a-f]{{8}}", arn)
    assert details["BackupStatus"] == "AVAILABLE" and details["BackupType"] == "USER"
    assert details["BackupName"] == "nightly"

    put(ddb, name, "k000", -1)
    ddb.delete_item(TableName=name, Key={"pk": {"S": "k001"}})
    put(ddb, name, "later", 1)

    description = ddb.describe_backup(BackupArn=arn)["BackupDescription"]
    assert description["SourceTableDetails"]["TableName"] == name
    assert description["SourceTableDetails"]["ItemCount"] == 300
    assert description["SourceTableFeatureDetails"]["GlobalSecondaryIndexes"][0]["IndexName"] == "by-g"

    target = unique("restored")
    restored = ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)["TableDescription"]
    assert restored["RestoreSummary"]["SourceBackupArn"] == arn
    assert restored["RestoreSummary"]["RestoreInProgress"] is True
    ddb.get_waiter("table_exists").wait(TableName=target, WaiterConfig={"Delay": 1, "MaxAttempts": 30})
    items = contents(ddb, target)
    assert len(items) == 300 and items["k000"] == 0 and items["k001"] == 1 and "later" not in items
    by_index = ddb.query(TableName=target, IndexName="by-g", KeyConditionExpression="g = :g",
                         ExpressionAttributeValues={":g": {"S": "all"}}, Select="COUNT")
    assert by_index["Count"] == 300

    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
    assert code_and_message(e) == ("TableAlreadyExistsException", f"Table already exists: {target}")
    missing = arn[:-8] + "00000000"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.restore_table_from_backup(TargetTableName=unique("x"), BackupArn=missing)
    assert code_and_message(e) == ("BackupNotFoundException", f"Backup not found: {missing}")


def test_list_and_delete_backups(server):
    ddb = server.client("dynamodb")
    name = make_table(ddb)
    arns = [ddb.create_backup(TableName=name, BackupName=f"backup{i}")["BackupDetails"]["BackupArn"] for i in range(3)]
    listed = ddb.list_backups(TableName=name)["BackupSummaries"]
    assert [b["BackupArn"] for b in listed] == arns
    assert all(b["TableName"] == name and b["BackupStatus"] == "AVAILABLE" for b in listed)

    page = ddb.list_backups(TableName=name, Limit=2)
    assert len(page["BackupSummaries"]) == 2
    rest = ddb.list_backups(TableName=name, ExclusiveStartBackupArn=page["LastEvaluatedBackupArn"])
    assert [b["BackupArn"] for b in rest["BackupSummaries"]] == arns[2:]
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3650)
    assert ddb.list_backups(TableName=name, TimeRangeLowerBound=future)["BackupSummaries"] == []
    assert ddb.list_backups(TableName=name, BackupType="SYSTEM")["BackupSummaries"] == []

    cli = server.aws("dynamodb", "list-backups", "--table-name", name)
    assert len(cli["BackupSummaries"]) == 3

    deleted = ddb.delete_backup(BackupArn=arns[0])["BackupDescription"]
    assert deleted["BackupDetails"]["BackupStatus"] == "DELETED"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.describe_backup(BackupArn=arns[0])
    assert code_and_message(e) == ("BackupNotFoundException", f"Backup not found: {arns[0]}")
    assert len(ddb.list_backups(TableName=name)["BackupSummaries"]) == 2

    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.create_backup(TableName=unique("none"), BackupName="xyz")
    assert code_and_message(e)[0] == "TableNotFoundException"


def test_point_in_time_recovery(start):
    box = start()  # a private server: this test moves its clock
    ddb = box.client("dynamodb")
    name = make_table(ddb)
    put(ddb, name, "before", 1)
    off = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert off["ContinuousBackupsStatus"] == "ENABLED"
    assert off["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "DISABLED"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=unique("x"),
                                           UseLatestRestorableTime=True)
    assert code_and_message(e)[0] == "PointInTimeRecoveryUnavailableException"

    on = ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 7})["ContinuousBackupsDescription"]
    assert on["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED"
    assert on["PointInTimeRecoveryDescription"]["RecoveryPeriodInDays"] == 7

    box.advance(60)
    put(ddb, name, "a", 1)
    put(ddb, name, "before", 2)
    box.advance(60)
    window = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    restore_point = window["PointInTimeRecoveryDescription"]["LatestRestorableDateTime"] + \
        datetime.timedelta(minutes=5)
    box.advance(60)
    put(ddb, name, "a", 99)
    ddb.delete_item(TableName=name, Key={"pk": {"S": "before"}})
    put(ddb, name, "late", 5)
    box.advance(600)

    described = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    recovery = described["PointInTimeRecoveryDescription"]
    assert recovery["EarliestRestorableDateTime"] <= restore_point <= recovery["LatestRestorableDateTime"]

    then = unique("then")
    answer = ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=then,
                                                RestoreDateTime=restore_point)["TableDescription"]
    assert answer["RestoreSummary"]["SourceTableArn"].endswith(f":table/{name}")
    assert contents(ddb, then) == {"a": 1, "before": 2}

    latest = unique("latest")
    box.aws("dynamodb", "restore-table-to-point-in-time", "--source-table-name", name,
            "--target-table-name", latest, "--use-latest-restorable-time")
    assert contents(ddb, latest) == {"a": 99, "late": 5}

    too_early = recovery["EarliestRestorableDateTime"] - datetime.timedelta(minutes=1)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=unique("x"),
                                           RestoreDateTime=too_early)
    assert code_and_message(e)[0] == "InvalidRestoreTimeException"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.restore_table_to_point_in_time(SourceTableName=unique("none"), TargetTableName=unique("x"),
                                           UseLatestRestorableTime=True)
    assert code_and_message(e)[0] == "SourceTableNotFoundException"

    ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": False})
    off = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    assert off["PointInTimeRecoveryDescription"] == {"PointInTimeRecoveryStatus": "DISABLED"}


def test_recovery_window_slides_with_the_clock(start):
    box = start()
    ddb = box.client("dynamodb")
    name = make_table(ddb)
    ddb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": True, "RecoveryPeriodInDays": 1})
    enabled = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    first = enabled["PointInTimeRecoveryDescription"]["EarliestRestorableDateTime"]
    put(ddb, name, "k", 1)
    box.advance(2 * 24 * 3600)
    later = ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"]
    recovery = later["PointInTimeRecoveryDescription"]
    assert recovery["EarliestRestorableDateTime"] - first >= datetime.timedelta(days=1)
    assert recovery["LatestRestorableDateTime"] - recovery["EarliestRestorableDateTime"] == \
        datetime.timedelta(days=1) - datetime.timedelta(minutes=5)
    restored = unique("r")
    ddb.restore_table_to_point_in_time(SourceTableName=name, TargetTableName=restored, UseLatestRestorableTime=True)
    assert contents(ddb, restored) == {"k": 1}


def test_backups_survive_a_restart(start, tmp_path):
    box = start(data_dir=tmp_path / "data")
    ddb = box.client("dynamodb")
    name = make_table(ddb)
    for i in range(20):
        put(ddb, name, f"k{i}", i)
    arn = ddb.create_backup(TableName=name, BackupName="durable")["BackupDetails"]["BackupArn"]
    box.kill()
    box = start(data_dir=tmp_path / "data")
    ddb = box.client("dynamodb")
    assert ddb.describe_backup(BackupArn=arn)["BackupDescription"]["BackupDetails"]["BackupStatus"] == "AVAILABLE"
    target = unique("after-restart")
    ddb.restore_table_from_backup(TargetTableName=target, BackupArn=arn)
    deadline = time.time() + 10
    while ddb.describe_table(TableName=target)["Table"]["TableStatus"] != "ACTIVE" and time.time() < deadline:
        time.sleep(0.1)
    assert len(contents(ddb, target)) == 20
