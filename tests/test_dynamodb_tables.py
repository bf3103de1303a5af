"""DynamoDB's table control plane through boto3 and the aws CLI: create,
describe, update, delete, list, tags, limits, endpoints, waiters, and the
validation DynamoDB does on key schemas and attribute definitions."""


import botocore.exceptions
import pytest

from awserrors import code_and_message
from conftest import unique


HASH = [{"AttributeName": "id", "KeyType": "HASH"}]
ID_S = [{"AttributeName": "id", "AttributeType": "S"}]


def create(ddb, name=None, **kwargs):
    name = name or unique("t")
    kwargs.setdefault("KeySchema", HASH)
    kwargs.setdefault("AttributeDefinitions", ID_S)
    if "ProvisionedThroughput" not in kwargs:
        kwargs.setdefault("BillingMode", "PAY_PER_REQUEST")
    return ddb.create_table(TableName=name, **kwargs)["TableDescription"]


def test_create_answers_creating_then_describe_and_waiter_see_active(server):
    ddb = server.client("dynamodb")
    name = unique("t")
    created = create(ddb, name, ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 7})
    assert created["TableStatus"] == "CREATING"
    assert created["TableArn"] == f"arn:aws:dynamodb:us-east-1:000000000000:table/{name}"
    assert created["ProvisionedThroughput"]["ReadCapacityUnits"] == 5
    assert created["BillingModeSummary"]["BillingMode"] == "PROVISIONED"
    assert created["ItemCount"] == 0
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    described = ddb.describe_table(TableName=name)["Table"]
    assert described["TableStatus"] == "ACTIVE"
    assert described["TableId"] == created["TableId"]
    assert described["KeySchema"] == HASH
    assert described["TableClassSummary"] == {"TableClass": "STANDARD"}
    assert described["DeletionProtectionEnabled"] is False


def test_duplicate_and_missing_tables(server):
    ddb = server.client("dynamodb")
    name = unique("t")
    create(ddb, name)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        create(ddb, name)
    assert code_and_message(e) == ("ResourceInUseException", f"Table already exists: {name}")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.describe_table(TableName="nope-" + name)
    assert code_and_message(e) == ("ResourceNotFoundException", f"Requested resource not found: Table: nope-{name} not found")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.delete_table(TableName="nope-" + name)
    assert code_and_message(e)[0] == "ResourceNotFoundException"


@pytest.mark.parametrize("kwargs, message", [
    ({"AttributeDefinitions": ID_S + [{"AttributeName": "x", "AttributeType": "S"}]},
     "The number of attributes in key schema must match the number of attributes defined in attribute definitions."),
    ({"AttributeDefinitions": [{"AttributeName": "other", "AttributeType": "S"}]},
     "One or more parameter values were invalid: Some index key attributes are not defined in "
     "AttributeDefinitions. Keys: [id], AttributeDefinitions: [other]"),
    ({"KeySchema": [{"AttributeName": "id", "KeyType": "RANGE"}]},
     "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"),
    ({"KeySchema": HASH + [{"AttributeName": "id", "KeyType": "RANGE"}]},
     "Invalid KeySchema: Both the Hash Key and the Range Key element in the KeySchema have the same name"),
    ({"BillingMode": "PROVISIONED"},
     "One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be "
     "specified when BillingMode is PROVISIONED"),
])
def test_key_schema_validation(server, kwargs, message):
    ddb = server.client("dynamodb")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        create(ddb, **kwargs)
    assert code_and_message(e) == ("ValidationException", message)


def test_pay_per_request_refuses_throughput(server):
    ddb = server.client("dynamodb")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.create_table(TableName=unique("t"), KeySchema=HASH, AttributeDefinitions=ID_S, BillingMode="PAY_PER_REQUEST",
                         ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    assert code_and_message(e)[0] == "ValidationException"
    assert "PAY_PER_REQUEST" in code_and_message(e)[1]


def test_list_tables_paginates(server):
    ddb = server.client("dynamodb")
    prefix = unique("list")
    names = [f"{prefix}-{i}" for i in range(5)]
    for name in names:
        create(ddb, name)
    seen = []
    for page in ddb.get_paginator("list_tables").paginate(PaginationConfig={"PageSize": 2}):
        assert len(page["TableNames"]) <= 2
        seen += page["TableNames"]
    assert [n for n in seen if n.startswith(prefix)] == names


def test_update_table_throughput_billing_and_protection(server):
    ddb = server.client("dynamodb")
    name = unique("t")
    create(ddb, name, ProvisionedThroughput={"ReadCapacityUnits": 1, "WriteCapacityUnits": 1})
    updated = ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4})
    assert updated["TableDescription"]["TableStatus"] == "UPDATING"
    described = ddb.describe_table(TableName=name)["Table"]
    assert described["TableStatus"] == "ACTIVE"
    assert described["ProvisionedThroughput"]["ReadCapacityUnits"] == 3
    assert "LastIncreaseDateTime" in described["ProvisionedThroughput"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.update_table(TableName=name, ProvisionedThroughput={"ReadCapacityUnits": 3, "WriteCapacityUnits": 4})
    assert code_and_message(e)[1].startswith("The provisioned throughput for the table will not change.")
    ddb.update_table(TableName=name, BillingMode="PAY_PER_REQUEST")
    described = ddb.describe_table(TableName=name)["Table"]
    assert described["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    assert described["ProvisionedThroughput"]["ReadCapacityUnits"] == 0
    ddb.update_table(TableName=name, DeletionProtectionEnabled=True, TableClass="STANDARD_INFREQUENT_ACCESS")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.delete_table(TableName=name)
    assert code_and_message(e) == ("ValidationException", "Resource cannot be deleted as it is currently protected against "
                                                  "deletion. Disable deletion protection first.")
    ddb.update_table(TableName=name, DeletionProtectionEnabled=False)
    ddb.delete_table(TableName=name)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.update_table(TableName=name)
    assert code_and_message(e)[0] in ("ValidationException", "ResourceNotFoundException")


def test_delete_answers_deleting_and_the_name_is_free_again(server):
    ddb = server.client("dynamodb")
    name = unique("t")
    create(ddb, name)
    ddb.put_item(TableName=name, Item={"id": {"S": "old"}})
    deleted = ddb.delete_table(TableName=name)["TableDescription"]
    assert deleted["TableStatus"] == "DELETING"
    ddb.get_waiter("table_not_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
    create(ddb, name)
    assert ddb.scan(TableName=name)["Items"] == []
    assert ddb.describe_table(TableName=name)["Table"]["ItemCount"] == 0


def test_tags(server):
    ddb = server.client("dynamodb")
    name = unique("t")
    arn = create(ddb, name, Tags=[{"Key": "team", "Value": "a"}])["TableArn"]
    ddb.tag_resource(ResourceArn=arn, Tags=[{"Key": "env", "Value": "dev"}, {"Key": "team", "Value": "b"}])
    tags = ddb.list_tags_of_resource(ResourceArn=arn)["Tags"]
    assert sorted((t["Key"], t["Value"]) for t in tags) == [("env", "dev"), ("team", "b")]
    ddb.untag_resource(ResourceArn=arn, TagKeys=["team"])
    assert ddb.list_tags_of_resource(ResourceArn=arn)["Tags"] == [{"Key": "env", "Value": "dev"}]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.list_tags_of_resource(ResourceArn=arn + "-missing")
    assert code_and_message(e)[0] == "ResourceNotFoundException"


def test_indexes_at_creation_and_added_later(server):
    ddb = server.client("dynamodb")
    name = unique("t")
    attrs = ID_S + [{"AttributeName": "sk", "AttributeType": "N"}, {"AttributeName": "g", "AttributeType": "S"},
                    {"AttributeName": "l", "AttributeType": "S"}]
    created = create(
        ddb, name, KeySchema=HASH + [{"AttributeName": "sk", "KeyType": "RANGE"}], AttributeDefinitions=attrs,
        GlobalSecondaryIndexes=[{"IndexName": "by-g", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
                                 "Projection": {"ProjectionType": "KEYS_ONLY"}}],
        LocalSecondaryIndexes=[{"IndexName": "by-l", "KeySchema": [{"AttributeName": "id", "KeyType": "HASH"},
                                                                   {"AttributeName": "l", "KeyType": "RANGE"}],
                                "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}])
    assert created["GlobalSecondaryIndexes"][0]["IndexArn"] == created["TableArn"] + "/index/by-g"
    assert created["LocalSecondaryIndexes"][0]["Projection"]["NonKeyAttributes"] == ["x"]
    for i in range(3):
        ddb.put_item(TableName=name, Item={"id": {"S": "a"}, "sk": {"N": str(i)}, "h": {"S": f"h{i % 2}"}})
    ddb.update_table(TableName=name, AttributeDefinitions=[{"AttributeName": "h", "AttributeType": "S"}],
                     GlobalSecondaryIndexUpdates=[{"Create": {
                         "IndexName": "by-h", "KeySchema": [{"AttributeName": "h", "KeyType": "HASH"}],
                         "Projection": {"ProjectionType": "ALL"}}}])
    ddb.get_waiter("table_exists").wait(TableName=name, WaiterConfig={"Delay": 1, "MaxAttempts": 10})
    import time
    deadline = time.time() + 10
    while time.time() < deadline:
        gsis = {g["IndexName"]: g for g in ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]}
        if gsis["by-h"]["IndexStatus"] == "ACTIVE":
            break
        time.sleep(0.2)
    assert gsis["by-h"]["IndexStatus"] == "ACTIVE"
    assert gsis["by-h"]["ItemCount"] == 3
    found = ddb.query(TableName=name, IndexName="by-h", KeyConditionExpression="h = :h",
                      ExpressionAttributeValues={":h": {"S": "h0"}})["Items"]
    assert sorted(i["sk"]["N"] for i in found) == ["0", "2"]
    ddb.update_table(TableName=name, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": "by-h"}}])
    names = [g["IndexName"] for g in ddb.describe_table(TableName=name)["Table"]["GlobalSecondaryIndexes"]]
    assert names == ["by-g"]


def test_limits_and_endpoints(server):
    ddb = server.client("dynamodb")
    limits = ddb.describe_limits()
    assert limits["TableMaxReadCapacityUnits"] == 40000
    endpoints = ddb.describe_endpoints()["Endpoints"]
    assert endpoints[0]["Address"] == "dynamodb.us-east-1.amazonaws.com"


def test_aws_cli_creates_describes_and_deletes(server):
    name = unique("cli")
    out = server.aws("dynamodb", "create-table", "--table-name", name,
                     "--attribute-definitions", "AttributeName=id,AttributeType=S",
                     "--key-schema", "AttributeName=id,KeyType=HASH", "--billing-mode", "PAY_PER_REQUEST")
    assert out["TableDescription"]["TableName"] == name
    server.aws("dynamodb", "wait", "table-exists", "--table-name", name)
    assert name in server.aws("dynamodb", "list-tables")["TableNames"]
    server.aws("dynamodb", "delete-table", "--table-name", name)
    assert name not in server.aws("dynamodb", "list-tables")["TableNames"]


def test_deleted_table_data_is_purged(server):
    ddb = server.client("dynamodb")
    name = unique("t")
    create(ddb, name)
    with ddb_batch(ddb, name) as put:
        for i in range(60):
            put({"id": {"S": f"k{i}"}, "v": {"S": "x" * 50}})
    ddb.delete_table(TableName=name)
    create(ddb, name)
    assert ddb.scan(TableName=name)["Count"] == 0


class ddb_batch:
    """Writes items 25 at a time with BatchWriteItem."""

    def __init__(self, ddb, name):
        self.ddb, self.name, self.pending = ddb, name, []

    def __enter__(self):
        return self.pending.append

    def __exit__(self, *exc):
        for i in range(0, len(self.pending), 25):
            chunk = self.pending[i:i + 25]
            self.ddb.batch_write_item(RequestItems={self.name: [{"PutRequest": {"Item": it}} for it in chunk]})
