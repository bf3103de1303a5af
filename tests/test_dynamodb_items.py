"""DynamoDB items through boto3 (client and resource APIs) and the aws CLI:
every attribute type, conditions, ReturnValues, consumed capacity, key and
size validation, batches, and durability across a kill -9."""

import decimal

import boto3
import boto3.dynamodb.conditions as conditions
import botocore.exceptions
import pytest

from awserrors import code_and_message
from conftest import unique


def make_table(ddb, name=None, range_key=True, lsi=False):
    name = name or unique("items")
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    attrs = [{"AttributeName": "pk", "AttributeType": "S"}]
    extra = {}
    if range_key:
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
        attrs.append({"AttributeName": "sk", "AttributeType": "N"})
    if lsi:
        attrs.append({"AttributeName": "alt", "AttributeType": "S"})
        extra["LocalSecondaryIndexes"] = [{"IndexName": "by-alt", "KeySchema": [
            {"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "alt", "KeyType": "RANGE"}],
            "Projection": {"ProjectionType": "ALL"}}]
    ddb.create_table(TableName=name, KeySchema=keys, AttributeDefinitions=attrs, BillingMode="PAY_PER_REQUEST",
                     **extra)
    return name


EVERY_TYPE = {
    "pk": {"S": "all"}, "sk": {"N": "1"},
    "s": {"S": "héllo"}, "n": {"N": "-12345678901234567890.123456789012345678"}, "b": {"B": b"\x00\x01\xff"},
    "t": {"BOOL": True}, "z": {"NULL": True}, "ss": {"SS": ["a", "b"]}, "ns": {"NS": ["1", "2.5"]},
    "bs": {"BS": [b"x", b"y"]}, "l": {"L": [{"S": "x"}, {"N": "1"}, {"M": {"deep": {"L": []}}}]},
    "m": {"M": {"k": {"S": "v"}, "e": {"M": {}}}},
}


def test_every_attribute_type_round_trips(server):
    ddb = server.client("dynamodb")
    name = make_table(ddb)
    ddb.put_item(TableName=name, Item=EVERY_TYPE)
    got = ddb.get_item(TableName=name, Key={"pk": {"S": "all"}, "sk": {"N": "1"}}, ConsistentRead=True)["Item"]
    assert got["n"] == EVERY_TYPE["n"]
    assert got["b"] == EVERY_TYPE["b"]
    assert sorted(got["ss"]["SS"]) == ["a", "b"]
    assert got["l"] == EVERY_TYPE["l"]
    assert got["m"] == EVERY_TYPE["m"]


def test_resource_api_put_get_update_delete(server):
    table_name = make_table(server.client("dynamodb"))
    table = boto3.resource("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                           aws_access_key_id="test", aws_secret_access_key="test").Table(table_name)
    table.put_item(Item={"pk": "u1", "sk": 1, "name": "Ada", "tags": {"x", "y"}, "score": decimal.Decimal("1.5")})
    assert table.get_item(Key={"pk": "u1", "sk": 1})["Item"]["name"] == "Ada"
    out = table.update_item(Key={"pk": "u1", "sk": 1}, UpdateExpression="SET score = score + :d REMOVE #n",
                            ExpressionAttributeNames={"#n": "name"},
                            ExpressionAttributeValues={":d": decimal.Decimal("2")}, ReturnValues="ALL_NEW")
    assert out["Attributes"]["score"] == decimal.Decimal("3.5")
    assert "name" not in out["Attributes"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        table.put_item(Item={"pk": "u1", "sk": 1}, ConditionExpression=conditions.Attr("pk").not_exists())
    assert code_and_message(e) == ("ConditionalCheckFailedException", "The conditional request failed")
    table.delete_item(Key={"pk": "u1", "sk": 1}, ConditionExpression=conditions.Attr("score").gt(3))
    assert "Item" not in table.get_item(Key={"pk": "u1", "sk": 1})


def test_return_values_and_condition_failure_item(server):
    ddb = server.client("dynamodb")
    name = make_table(ddb)
    key = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    first = ddb.put_item(TableName=name, Item={**key, "v": {"N": "1"}}, ReturnValues="ALL_OLD")
    assert "Attributes" not in first
    second = ddb.put_item(TableName=name, Item={**key, "v": {"N": "2"}}, ReturnValues="ALL_OLD")
    assert second["Attributes"]["v"] == {"N": "1"}
    updated = ddb.update_item(TableName=name, Key=key, UpdateExpression="SET w = :w",
                              ExpressionAttributeValues={":w": {"S": "x"}}, ReturnValues="UPDATED_NEW")
    assert updated["Attributes"] == {"w": {"S": "x"}}
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.delete_item(TableName=name, Key=key, ConditionExpression="v = :one",
                        ExpressionAttributeValues={":one": {"N": "1"}}, ReturnValuesOnConditionCheckFailure="ALL_OLD")
    assert e.value.response["Item"]["v"] == {"N": "2"}
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.delete_item(TableName=name, Key=key, ReturnValues="ALL_NEW")
    assert code_and_message(e) == ("ValidationException", "Return values set to invalid value")


def test_key_and_size_validation_messages(server):
    ddb = server.client("dynamodb")
    name = make_table(ddb)
    cases = [
        (lambda: ddb.put_item(TableName=name, Item={"pk": {"S": "a"}}),
         "One or more parameter values were invalid: Missing the key sk in the item"),
        (lambda: ddb.put_item(TableName=name, Item={"pk": {"N": "1"}, "sk": {"N": "1"}}),
         "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N"),
        (lambda: ddb.get_item(TableName=name, Key={"pk": {"S": "a"}}),
         "The provided key element does not match the schema"),
        (lambda: ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "big": {"S": "x" * 409600}}),
         "Item size has exceeded the maximum allowed size"),
    ]
    for call, message in cases:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        assert code_and_message(e) == ("ValidationException", message)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.get_item(TableName="missing-" + name, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})
    assert code_and_message(e) == ("ResourceNotFoundException", "Requested resource not found")


def test_consumed_capacity_and_item_collection_metrics(server):
    ddb = server.client("dynamodb")
    name = make_table(ddb, lsi=True)
    out = ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "alt": {"S": "x"}, "v": {"S": "y" * 1500}},
                       ReturnConsumedCapacity="INDEXES", ReturnItemCollectionMetrics="SIZE")
    consumed = out["ConsumedCapacity"]
    assert consumed["Table"]["CapacityUnits"] == 2.0
    assert consumed["LocalSecondaryIndexes"]["by-alt"]["CapacityUnits"] == 2.0
    assert consumed["CapacityUnits"] == 4.0
    assert out["ItemCollectionMetrics"]["ItemCollectionKey"] == {"pk": {"S": "a"}}
    read = ddb.get_item(TableName=name, Key={"pk": {"S": "a"}, "sk": {"N": "1"}}, ConsistentRead=True,
                        ReturnConsumedCapacity="TOTAL")
    assert read["ConsumedCapacity"]["CapacityUnits"] == 1.0


def test_batch_write_and_get(server):
    ddb = server.client("dynamodb")
    name = make_table(ddb)
    puts = [{"PutRequest": {"Item": {"pk": {"S": "b"}, "sk": {"N": str(i)}}}} for i in range(25)]
    out = ddb.batch_write_item(RequestItems={name: puts}, ReturnConsumedCapacity="TOTAL")
    assert out["UnprocessedItems"] == {}
    assert out["ConsumedCapacity"] == [{"TableName": name, "CapacityUnits": 25.0, "WriteCapacityUnits": 25.0}]
    keys = [{"pk": {"S": "b"}, "sk": {"N": str(i)}} for i in range(0, 25, 5)]
    got = ddb.batch_get_item(RequestItems={name: {"Keys": keys, "ProjectionExpression": "sk"}})
    assert sorted(int(i["sk"]["N"]) for i in got["Responses"][name]) == [0, 5, 10, 15, 20]
    assert got["UnprocessedKeys"] == {}
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.batch_get_item(RequestItems={name: {"Keys": [keys[0], keys[0]]}})
    assert code_and_message(e) == ("ValidationException", "Provided list of item keys contains duplicates")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.batch_get_item(RequestItems={name: {"Keys": [{"pk": {"S": "b"}, "sk": {"N": str(i)}} for i in range(101)]}})
    assert code_and_message(e)[0] == "ValidationException"
    deletes = [{"DeleteRequest": {"Key": k}} for k in keys]
    ddb.batch_write_item(RequestItems={name: deletes})
    assert ddb.scan(TableName=name, Select="COUNT")["Count"] == 20


def test_resource_batch_writer(server):
    table_name = make_table(server.client("dynamodb"))
    table = boto3.resource("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                           aws_access_key_id="test", aws_secret_access_key="test").Table(table_name)
    with table.batch_writer() as batch:
        for i in range(60):
            batch.put_item(Item={"pk": "w", "sk": i, "data": "d" * 10})
    assert table.scan(Select="COUNT")["Count"] == 60


def test_aws_cli_items(server):
    ddb = server.client("dynamodb")
    name = make_table(ddb)
    server.aws("dynamodb", "put-item", "--table-name", name, "--item", '{"pk": {"S": "cli"}, "sk": {"N": "7"}}')
    got = server.aws("dynamodb", "get-item", "--table-name", name, "--key", '{"pk": {"S": "cli"}, "sk": {"N": "7"}}')
    assert got["Item"] == {"pk": {"S": "cli"}, "sk": {"N": "7"}}
    failed = server.aws("dynamodb", "put-item", "--table-name", name, "--item", '{"pk": {"S": "cli"}}', check=False)
    assert failed.returncode != 0 and "Missing the key sk" in failed.stderr


def test_acknowledged_writes_survive_kill_9(start, tmp_path):
    box = start(data_dir=tmp_path / "data")
    ddb = box.client("dynamodb")
    name = make_table(ddb)
    for i in range(50):
        ddb.put_item(TableName=name, Item={"pk": {"S": "k"}, "sk": {"N": str(i)}})
    ddb.update_item(TableName=name, Key={"pk": {"S": "k"}, "sk": {"N": "0"}}, UpdateExpression="SET v = :v",
                    ExpressionAttributeValues={":v": {"S": "kept"}})
    box.kill()
    again = start(data_dir=tmp_path / "data")
    ddb = again.client("dynamodb")
    assert ddb.query(TableName=name, KeyConditionExpression="pk = :k",
                     ExpressionAttributeValues={":k": {"S": "k"}})["Count"] == 50
    item = ddb.get_item(TableName=name, Key={"pk": {"S": "k"}, "sk": {"N": "0"}})["Item"]
    assert item["v"] == {"S": "kept"}


def test_throttling_is_off_by_default_and_on_behind_its_switch(server, start):
    def provisioned(ddb):
        name = unique("throttle")
        ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                         ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
        return name

    ddb = server.client("dynamodb")
    name = provisioned(ddb)
    for i in range(20):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}})

    box = start(env={"CLOUDBOX_DYNAMODB_THROTTLING": "1"})
    ddb = box.client("dynamodb")
    name = provisioned(ddb)
    ddb.put_item(TableName=name, Item={"pk": {"S": "first"}})
    with pytest.raises(botocore.exceptions.ClientError) as e:
        for i in range(20):
            ddb.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}})
    code, message = code_and_message(e)
    assert code == "ProvisionedThroughputExceededException"
    assert message.startswith("The level of configured provisioned throughput for the table was exceeded.")
    on_demand = make_table(ddb, range_key=False)
    for i in range(20):
        ddb.put_item(TableName=on_demand, Item={"pk": {"S": f"k{i}"}})
