"""DynamoDB time to live: the settings API, and expired items deleted by the
scheduler on cloudbox's clock, kept out of indexes and shown in streams as
service deletions."""

import time

import botocore.exceptions
import pytest

from awserrors import code_and_message
from conftest import unique


def make_table(ddb, name=None, stream=False, index=False):
    name = name or unique("ttl")
    extra = {}
    attrs = [{"AttributeName": "pk", "AttributeType": "S"}]
    if stream:
        extra["StreamSpecification"] = {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    if index:
        attrs.append({"AttributeName": "group", "AttributeType": "S"})
        extra["GlobalSecondaryIndexes"] = [{"IndexName": "by-group",
                                            "KeySchema": [{"AttributeName": "group", "KeyType": "HASH"}],
                                            "Projection": {"ProjectionType": "ALL"}}]
    return ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                            AttributeDefinitions=attrs, BillingMode="PAY_PER_REQUEST", **extra)["TableDescription"]


def keys(ddb, name):
    return sorted(i["pk"]["S"] for i in ddb.scan(TableName=name)["Items"])


def test_settings_api_and_its_errors(server):
    ddb = server.client("dynamodb")
    name = make_table(ddb)["TableName"]
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}
    answer = ddb.update_time_to_live(TableName=name,
                                     TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    assert answer["TimeToLiveSpecification"] == {"Enabled": True, "AttributeName": "expires"}
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == \
        {"TimeToLiveStatus": "ENABLED", "AttributeName": "expires"}

    cases = [({"Enabled": True, "AttributeName": "expires"}, "TimeToLive is already enabled"),
             ({"Enabled": True, "AttributeName": "other"},
              "TimeToLive is active on a different AttributeName: current AttributeName is expires")]
    for spec, message in cases:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            ddb.update_time_to_live(TableName=name, TimeToLiveSpecification=spec)
        assert code_and_message(e) == ("ValidationException", message)

    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "expires"})
    assert code_and_message(e) == ("ValidationException", "TimeToLive is already disabled")

    missing = unique("missing")
    for call in (lambda: ddb.describe_time_to_live(TableName=missing),
                 lambda: ddb.update_time_to_live(TableName=missing,
                                                 TimeToLiveSpecification={"Enabled": True, "AttributeName": "x"})):
        with pytest.raises(ddb.exceptions.ResourceNotFoundException):
            call()
    unchecked = server.client("dynamodb", parameter_validation=False)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        unchecked.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ""})
    assert code_and_message(e)[0] == "ValidationException"


def test_expired_items_are_deleted_on_cloudboxs_clock(start):
    box = start()
    ddb, streams = box.client("dynamodb"), box.client("dynamodbstreams")
    table = make_table(ddb, stream=True, index=True)
    name = table["TableName"]
    now = int(time.time())
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expires"})
    items = {
        "in-an-hour": {"N": str(now + 3600)},
        "in-a-day": {"N": str(now + 86_400)},
        "fraction": {"N": f"{now + 1800}.75"},
        "text": {"S": str(now - 100)},
        "negative": {"N": "-1"},
    }
    for key, expires in items.items():
        ddb.put_item(TableName=name, Item={"pk": {"S": key}, "group": {"S": "g"}, "expires": expires})
    ddb.put_item(TableName=name, Item={"pk": {"S": "no-ttl"}, "group": {"S": "g"}})
    # An item whose expiry is pushed back survives its first time.
    ddb.put_item(TableName=name, Item={"pk": {"S": "extended"}, "expires": {"N": str(now + 600)}})
    ddb.update_item(TableName=name, Key={"pk": {"S": "extended"}}, UpdateExpression="SET expires = :e",
                    ExpressionAttributeValues={":e": {"N": str(now + 86_400 * 3)}})

    box.advance(2 * 3600)
    remaining = keys(ddb, name)
    assert remaining == ["extended", "in-a-day", "negative", "no-ttl", "text"]
    by_group = ddb.query(TableName=name, IndexName="by-group", KeyConditionExpression="#g = :g",
                         ExpressionAttributeNames={"#g": "group"}, ExpressionAttributeValues={":g": {"S": "g"}})
    assert sorted(i["pk"]["S"] for i in by_group["Items"]) == ["in-a-day", "negative", "no-ttl", "text"]

    arn = table["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = streams.get_records(ShardIterator=it)["Records"]
    removes = [r for r in records if r["eventName"] == "REMOVE"]
    assert sorted(r["dynamodb"]["Keys"]["pk"]["S"] for r in removes) == ["fraction", "in-an-hour"]
    for r in removes:
        assert r["userIdentity"] == {"Type": "Service", "PrincipalId": "dynamodb.amazonaws.com"}
        assert "OldImage" in r["dynamodb"]
    assert all("userIdentity" not in r for r in records if r["eventName"] != "REMOVE")

    box.advance(86_400)
    assert keys(ddb, name) == ["extended", "negative", "no-ttl", "text"]


def test_items_written_before_enabling_expire_too_and_disabling_stops_it(start):
    box = start()
    ddb = box.client("dynamodb")
    name = make_table(ddb)["TableName"]
    now = int(time.time())
    for i in range(30):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"old{i:02}"}, "exp": {"N": str(now + 60 + i)}})
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    box.advance(3600)
    assert keys(ddb, name) == []

    ddb.put_item(TableName=name, Item={"pk": {"S": "kept"}, "exp": {"N": str(now + 7200)}})
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": False, "AttributeName": "exp"})
    box.advance(86_400)
    assert keys(ddb, name) == ["kept"]


def test_deleting_a_table_with_ttl_leaves_nothing_behind(start):
    box = start()
    ddb = box.client("dynamodb")
    name = make_table(ddb)["TableName"]
    ddb.update_time_to_live(TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "exp"})
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "exp": {"N": str(int(time.time()) + 60)}})
    ddb.delete_table(TableName=name)
    make_table(ddb, name=name)
    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "exp": {"N": str(int(time.time()) + 60)}})
    box.advance(3600)
    assert keys(ddb, name) == ["a"]
    assert ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"] == {"TimeToLiveStatus": "DISABLED"}


def test_aws_cli_time_to_live(server):
    name = make_table(server.client("dynamodb"))["TableName"]
    server.aws("dynamodb", "update-time-to-live", "--table-name", name,
               "--time-to-live-specification", "Enabled=true,AttributeName=ttl")
    described = server.aws("dynamodb", "describe-time-to-live", "--table-name", name)
    assert described["TimeToLiveDescription"] == {"TimeToLiveStatus": "ENABLED", "AttributeName": "ttl"}
