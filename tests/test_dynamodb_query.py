"""DynamoDB Query and Scan through boto3 (client and resource APIs, with
boto3.dynamodb.conditions) and the aws CLI: key conditions, order, paging,
filters, projections, Select, indexes, parallel scans and the 1 MB page."""


import boto3
import botocore.exceptions
import pytest
from boto3.dynamodb.conditions import Attr, Key

from awserrors import code_and_message
from conftest import unique


@pytest.fixture(scope="module")
def table(server):
    ddb = server.client("dynamodb")
    name = unique("q")
    ddb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                              {"AttributeName": "sk", "AttributeType": "S"},
                              {"AttributeName": "color", "AttributeType": "S"},
                              {"AttributeName": "rank", "AttributeType": "N"}],
        GlobalSecondaryIndexes=[{"IndexName": "by-color", "Projection": {"ProjectionType": "INCLUDE",
                                                                          "NonKeyAttributes": ["size"]},
                                 "KeySchema": [{"AttributeName": "color", "KeyType": "HASH"},
                                               {"AttributeName": "rank", "KeyType": "RANGE"}]}],
        LocalSecondaryIndexes=[{"IndexName": "by-rank", "Projection": {"ProjectionType": "KEYS_ONLY"},
                                "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"},
                                              {"AttributeName": "rank", "KeyType": "RANGE"}]}])
    resource = boto3.resource("dynamodb", endpoint_url=server.endpoint, region_name="us-east-1",
                              aws_access_key_id="test", aws_secret_access_key="test").Table(name)
    with resource.batch_writer() as batch:
        for p in ("alpha", "beta"):
            for i in range(30):
                item = {"pk": p, "sk": f"item#{i:03d}", "rank": 100 - i, "size": i % 4, "odd": i % 2 == 1}
                if i % 3 == 0:
                    item["color"] = ["red", "blue"][i % 2]
                batch.put_item(Item=item)
    return resource


def sks(items):
    return [i["sk"] for i in items]


def test_resource_query_with_key_conditions(table):
    out = table.query(KeyConditionExpression=Key("pk").eq("alpha") & Key("sk").begins_with("item#01"))
    assert sks(out["Items"]) == [f"item#{i:03d}" for i in range(10, 20)]
    between = table.query(KeyConditionExpression=Key("pk").eq("alpha") & Key("sk").between("item#005", "item#007"),
                          ScanIndexForward=False)
    assert sks(between["Items"]) == ["item#007", "item#006", "item#005"]
    assert table.query(KeyConditionExpression=Key("pk").eq("nobody"))["Items"] == []


def test_filter_projection_and_counts(table):
    out = table.query(KeyConditionExpression=Key("pk").eq("beta"), FilterExpression=Attr("odd").eq(True),
                      ProjectionExpression="sk, #s", ExpressionAttributeNames={"#s": "size"})
    assert out["Count"] == 15 and out["ScannedCount"] == 30
    assert set(out["Items"][0]) == {"sk", "size"}
    counted = table.query(KeyConditionExpression=Key("pk").eq("beta"), Select="COUNT")
    assert counted["Count"] == 30 and "Items" not in counted


def test_paginator_walks_every_page(server, table):
    ddb = server.client("dynamodb")
    pages = list(ddb.get_paginator("query").paginate(
        TableName=table.name, KeyConditionExpression="pk = :p", ExpressionAttributeValues={":p": {"S": "alpha"}},
        PaginationConfig={"PageSize": 7}))
    assert [p["Count"] for p in pages][:4] == [7, 7, 7, 7]
    assert sum(p["Count"] for p in pages) == 30
    scanned = sum(p["Count"] for p in ddb.get_paginator("scan").paginate(TableName=table.name,
                                                                         PaginationConfig={"PageSize": 11}))
    assert scanned == 60


def test_global_index_is_sparse_and_projected(table):
    out = table.query(IndexName="by-color", KeyConditionExpression=Key("color").eq("red") & Key("rank").gt(80))
    assert [int(i["rank"]) for i in out["Items"]] == [82, 82, 88, 88, 94, 94, 100, 100]
    assert all(set(i) <= {"pk", "sk", "color", "rank", "size"} for i in out["Items"])
    scan = table.scan(IndexName="by-color")
    assert scan["Count"] == 20
    with pytest.raises(botocore.exceptions.ClientError) as e:
        table.query(IndexName="by-color", KeyConditionExpression=Key("color").eq("red"), ConsistentRead=True)
    assert code_and_message(e) == ("ValidationException", "Consistent reads are not supported on global secondary indexes")


def test_local_index_orders_by_its_sort_key(table):
    out = table.query(IndexName="by-rank", KeyConditionExpression=Key("pk").eq("alpha") & Key("rank").lte(73))
    assert [int(i["rank"]) for i in out["Items"]] == [71, 72, 73]
    assert set(out["Items"][0]) == {"pk", "sk", "rank"}
    full = table.query(IndexName="by-rank", Select="ALL_ATTRIBUTES",
                       KeyConditionExpression=Key("pk").eq("alpha") & Key("rank").eq(71))
    assert full["Items"][0]["size"] == 29 % 4


def test_query_validation(server, table):
    ddb = server.client("dynamodb")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.query(TableName=table.name, KeyConditionExpression="sk = :s", ExpressionAttributeValues={":s": {"S": "x"}})
    assert code_and_message(e)[0] == "ValidationException"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.query(TableName=table.name, KeyConditionExpression="pk = :p",
                  ExpressionAttributeValues={":p": {"S": "x"}, ":unused": {"S": "y"}})
    assert code_and_message(e)[1].startswith("Value provided in ExpressionAttributeValues unused in expressions")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.query(TableName=table.name, IndexName="nope", KeyConditionExpression="pk = :p",
                  ExpressionAttributeValues={":p": {"S": "x"}})
    assert code_and_message(e) == ("ValidationException", "The table does not have the specified index: nope")


def test_parallel_scan_segments_partition_the_table(table):
    seen = []
    for segment in range(4):
        out = table.scan(Segment=segment, TotalSegments=4)
        seen += [(i["pk"], i["sk"]) for i in out["Items"]]
    assert len(seen) == 60 and len(set(seen)) == 60


def test_pages_stop_at_one_megabyte(server):
    ddb = server.client("dynamodb")
    name = unique("big")
    ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                     KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}])
    blob = "x" * 300_000
    for i in range(5):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}, "data": {"S": blob}})
    first = ddb.scan(TableName=name)
    assert first["Count"] == 4 and "LastEvaluatedKey" in first
    rest = ddb.scan(TableName=name, ExclusiveStartKey=first["LastEvaluatedKey"])
    assert rest["Count"] == 1 and "LastEvaluatedKey" not in rest


def test_aws_cli_query(server, table):
    out = server.aws("dynamodb", "query", "--table-name", table.name, "--key-condition-expression", "pk = :p",
                     "--expression-attribute-values", '{":p": {"S": "beta"}}', "--select", "COUNT")
    assert out["Count"] == 30
