"""DynamoDB Streams: stream settings on tables, records for every change, and
the dynamodbstreams API (boto3 and the aws CLI) on cloudbox's clock."""

import re
import time

import botocore.exceptions
import pytest

from awserrors import code_and_message
from conftest import unique

SHARD_ID = re.compile(r"^shardId-\d{20}-[0-9a-f]{8}$")


def make_table(ddb, view_type="NEW_AND_OLD_IMAGES", name=None, range_key=False):
    name = name or unique("streamed")
    keys = [{"AttributeName": "pk", "KeyType": "HASH"}]
    attrs = [{"AttributeName": "pk", "AttributeType": "S"}]
    if range_key:
        keys.append({"AttributeName": "sk", "KeyType": "RANGE"})
        attrs.append({"AttributeName": "sk", "AttributeType": "N"})
    spec = {"StreamEnabled": True, "StreamViewType": view_type} if view_type else {"StreamEnabled": False}
    table = ddb.create_table(TableName=name, KeySchema=keys, AttributeDefinitions=attrs,
                             BillingMode="PAY_PER_REQUEST", StreamSpecification=spec)["TableDescription"]
    return name, table


def read_all(streams, arn, iterator_type="TRIM_HORIZON", **extra):
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType=iterator_type,
                                    **extra)["ShardIterator"]
    records = []
    for _ in range(100):
        page = streams.get_records(ShardIterator=it)
        records += page["Records"]
        if not page["Records"] or "NextShardIterator" not in page:
            break
        it = page["NextShardIterator"]
    return records


def test_table_describes_its_stream_and_records_every_change(server):
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    name, created = make_table(ddb, range_key=True)
    assert created["StreamSpecification"] == {"StreamEnabled": True, "StreamViewType": "NEW_AND_OLD_IMAGES"}
    arn = created["LatestStreamArn"]
    assert arn == f"{created['TableArn']}/stream/{created['LatestStreamLabel']}"
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}$", created["LatestStreamLabel"])
    assert ddb.describe_table(TableName=name)["Table"]["LatestStreamArn"] == arn

    ddb.put_item(TableName=name, Item={"pk": {"S": "a"}, "sk": {"N": "1"}, "v": {"S": "one"}})
    ddb.update_item(TableName=name, Key={"pk": {"S": "a"}, "sk": {"N": "1"}},
                    UpdateExpression="SET v = :v", ExpressionAttributeValues={":v": {"S": "two"}})
    ddb.delete_item(TableName=name, Key={"pk": {"S": "a"}, "sk": {"N": "1"}})

    description = streams.describe_stream(StreamArn=arn)["StreamDescription"]
    assert description["StreamStatus"] == "ENABLED"
    assert description["TableName"] == name
    assert description["StreamViewType"] == "NEW_AND_OLD_IMAGES"
    assert description["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"},
                                        {"AttributeName": "sk", "KeyType": "RANGE"}]
    (shard,) = description["Shards"]
    assert SHARD_ID.match(shard["ShardId"]), shard["ShardId"]
    assert "EndingSequenceNumber" not in shard["SequenceNumberRange"]

    records = read_all(streams, arn)
    assert [r["eventName"] for r in records] == ["INSERT", "MODIFY", "REMOVE"]
    keys = {"pk": {"S": "a"}, "sk": {"N": "1"}}
    insert, modify, remove = (r["dynamodb"] for r in records)
    assert insert["Keys"] == keys and insert["NewImage"]["v"] == {"S": "one"} and "OldImage" not in insert
    assert modify["OldImage"]["v"] == {"S": "one"} and modify["NewImage"]["v"] == {"S": "two"}
    assert remove["OldImage"]["v"] == {"S": "two"} and "NewImage" not in remove
    sequence = [int(r["dynamodb"]["SequenceNumber"]) for r in records]
    assert sequence == sorted(sequence) and len(set(sequence)) == 3
    assert all(len(r["dynamodb"]["SequenceNumber"]) >= 21 for r in records)
    for r in records:
        assert r["eventSource"] == "aws:dynamodb" and r["eventVersion"] == "1.1"
        assert r["awsRegion"] == "us-east-1"
        assert r["dynamodb"]["SizeBytes"] > 0
        assert r["dynamodb"]["StreamViewType"] == "NEW_AND_OLD_IMAGES"
        assert abs(r["dynamodb"]["ApproximateCreationDateTime"].timestamp() - time.time()) < 600
        assert "userIdentity" not in r
    assert shard["SequenceNumberRange"]["StartingSequenceNumber"] <= records[0]["dynamodb"]["SequenceNumber"]


@pytest.mark.parametrize("view_type,new,old", [("KEYS_ONLY", False, False), ("NEW_IMAGE", True, False),
                                               ("OLD_IMAGE", False, True)])
def test_view_types_keep_the_images_they_name(server, view_type, new, old):
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    name, created = make_table(ddb, view_type)
    ddb.put_item(TableName=name, Item={"pk": {"S": "k"}, "n": {"N": "1"}, "b": {"B": b"\x00\x01"}})
    ddb.put_item(TableName=name, Item={"pk": {"S": "k"}, "n": {"N": "2"}})
    insert, modify = (r["dynamodb"] for r in read_all(streams, created["LatestStreamArn"]))
    assert insert["Keys"] == {"pk": {"S": "k"}}
    assert ("NewImage" in modify) == new and ("OldImage" in modify) == old
    if new:
        assert insert["NewImage"]["b"] == {"B": b"\x00\x01"}
        assert modify["NewImage"] == {"pk": {"S": "k"}, "n": {"N": "2"}}
    if old:
        assert modify["OldImage"]["n"] == {"N": "1"}
    assert all(r["StreamViewType"] == view_type for r in (insert, modify))


def test_a_write_that_changes_nothing_writes_no_record(server):
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    name, created = make_table(ddb)
    item = {"pk": {"S": "same"}, "v": {"N": "1"}}
    ddb.put_item(TableName=name, Item=item)
    ddb.put_item(TableName=name, Item=item)
    ddb.delete_item(TableName=name, Key={"pk": {"S": "absent"}})
    assert [r["eventName"] for r in read_all(streams, created["LatestStreamArn"])] == ["INSERT"]


def test_iterator_types_and_paging(server):
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    name, created = make_table(ddb, "KEYS_ONLY")
    arn = created["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    latest = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="LATEST")["ShardIterator"]
    for i in range(7):
        ddb.put_item(TableName=name, Item={"pk": {"S": f"k{i}"}})
    everything = read_all(streams, arn)
    assert len(everything) == 7
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in streams.get_records(ShardIterator=latest)["Records"]] == \
        [f"k{i}" for i in range(7)]

    third = everything[2]["dynamodb"]["SequenceNumber"]
    at = read_all(streams, arn, "AT_SEQUENCE_NUMBER", SequenceNumber=third)
    after = read_all(streams, arn, "AFTER_SEQUENCE_NUMBER", SequenceNumber=third)
    assert at[0]["dynamodb"]["SequenceNumber"] == third and len(at) == 5
    assert [r["eventID"] for r in after] == [r["eventID"] for r in at[1:]]

    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    seen = []
    for _ in range(10):
        page = streams.get_records(ShardIterator=it, Limit=3)
        assert len(page["Records"]) <= 3
        seen += page["Records"]
        it = page["NextShardIterator"]
        if not page["Records"]:
            break
    assert [r["eventID"] for r in seen] == [r["eventID"] for r in everything]
    # An open shard always hands back an iterator, even with nothing new.
    assert streams.get_records(ShardIterator=it)["Records"] == []

    with pytest.raises(botocore.exceptions.ClientError) as e:
        streams.get_records(ShardIterator=it, Limit=1001)
    code, message = code_and_message(e)
    assert code == "ValidationException" and "less than or equal to 1000" in message


def test_unknown_streams_shards_and_tables(server):
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    name, created = make_table(ddb)
    missing = created["LatestStreamArn"].replace("/stream/", "/stream/1999-")
    with pytest.raises(streams.exceptions.ResourceNotFoundException):
        streams.describe_stream(StreamArn=missing)
    with pytest.raises(streams.exceptions.ResourceNotFoundException):
        streams.get_shard_iterator(StreamArn=created["LatestStreamArn"], ShardId="shardId-00000000000000000000-00000000",
                                   ShardIteratorType="LATEST")
    with pytest.raises(streams.exceptions.ResourceNotFoundException) as e:
        streams.list_streams(TableName=unique("no-such-table"))
    assert "not found" in code_and_message(e)[1]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        streams.get_records(ShardIterator="x" * 40)
    assert code_and_message(e)[0] == "ValidationException"


def test_list_streams_filters_by_table_and_pages(server):
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    arns = {make_table(ddb, "KEYS_ONLY")[1]["LatestStreamArn"] for _ in range(3)}
    name, _ = make_table(ddb, None)
    assert streams.list_streams(TableName=name)["Streams"] == []
    one = next(iter(arns))
    table = one.split(":table/")[1].split("/stream/")[0]
    listed = streams.list_streams(TableName=table)["Streams"]
    assert listed == [{"StreamArn": one, "TableName": table, "StreamLabel": one.split("/stream/")[1]}]

    seen, start = [], {}
    for _ in range(1000):
        page = streams.list_streams(Limit=1, **start)
        assert len(page["Streams"]) <= 1
        seen += [s["StreamArn"] for s in page["Streams"]]
        if "LastEvaluatedStreamArn" not in page:
            break
        start = {"ExclusiveStartStreamArn": page["LastEvaluatedStreamArn"]}
    assert arns <= set(seen) and len(seen) == len(set(seen))


def test_enable_disable_and_errors(server):
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    name, created = make_table(ddb, None)
    assert "StreamSpecification" not in created and "LatestStreamArn" not in created
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})
    assert code_and_message(e) == ("ValidationException", f"Table has no stream to disable: TableName: {name}")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True})
    assert code_and_message(e)[1] == \
        "One or more parameter values were invalid: If stream is being enabled then UpdateViewType is required"

    first = ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True,
                                                                  "StreamViewType": "NEW_IMAGE"})["TableDescription"]
    first_arn = first["LatestStreamArn"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"})
    assert code_and_message(e) == ("ValidationException", f"Table already has an enabled stream: TableName: {name}")
    ddb.put_item(TableName=name, Item={"pk": {"S": "before-disable"}})

    disabled = ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": False})["TableDescription"]
    assert "StreamSpecification" not in disabled and disabled["LatestStreamArn"] == first_arn
    ddb.put_item(TableName=name, Item={"pk": {"S": "while-disabled"}})
    description = streams.describe_stream(StreamArn=first_arn)["StreamDescription"]
    assert description["StreamStatus"] == "DISABLED"
    assert "EndingSequenceNumber" in description["Shards"][0]["SequenceNumberRange"]
    shard = description["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=first_arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")
    page = streams.get_records(ShardIterator=it["ShardIterator"])
    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in page["Records"]] == ["before-disable"]
    assert "NextShardIterator" not in page  # the shard is closed and fully read

    second = ddb.update_table(TableName=name, StreamSpecification={"StreamEnabled": True,
                                                                   "StreamViewType": "KEYS_ONLY"})["TableDescription"]
    assert second["LatestStreamArn"] != first_arn
    listed = {s["StreamArn"] for s in streams.list_streams(TableName=name)["Streams"]}
    assert listed == {first_arn, second["LatestStreamArn"]}


def test_create_table_stream_specification_checks(server):
    ddb = server.client("dynamodb")
    for spec, message in [({"StreamEnabled": True}, "Table is being created with a stream enabled, UpdateViewType is required"),
                          ({"StreamEnabled": False, "StreamViewType": "KEYS_ONLY"},
                           "Table is being created with a stream disabled, UpdateViewType should not be specified")]:
        with pytest.raises(botocore.exceptions.ClientError) as e:
            ddb.create_table(TableName=unique("bad"), KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                             AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                             BillingMode="PAY_PER_REQUEST", StreamSpecification=spec)
        assert code_and_message(e) == ("ValidationException", f"One or more parameter values were invalid: {message}")


def test_iterators_expire_after_fifteen_minutes(start):
    box = start()
    ddb, streams = box.client("dynamodb"), box.client("dynamodbstreams")
    name, created = make_table(ddb)
    arn = created["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    box.advance(14 * 60)
    it = streams.get_records(ShardIterator=it)["NextShardIterator"]
    box.advance(16 * 60)
    with pytest.raises(streams.exceptions.ExpiredIteratorException):
        streams.get_records(ShardIterator=it)


def test_records_are_trimmed_after_24_hours_and_disabled_streams_go(start):
    box = start()
    ddb, streams = box.client("dynamodb"), box.client("dynamodbstreams")
    name, created = make_table(ddb, "KEYS_ONLY")
    arn = created["LatestStreamArn"]
    ddb.put_item(TableName=name, Item={"pk": {"S": "old"}})
    (old,) = read_all(streams, arn)
    box.advance(23 * 3600)
    ddb.put_item(TableName=name, Item={"pk": {"S": "new"}})
    box.advance(2 * 3600)

    assert [r["dynamodb"]["Keys"]["pk"]["S"] for r in read_all(streams, arn)] == ["new"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]
    assert int(shard["SequenceNumberRange"]["StartingSequenceNumber"]) > int(old["dynamodb"]["SequenceNumber"])
    with pytest.raises(streams.exceptions.TrimmedDataAccessException):
        streams.get_shard_iterator(StreamArn=arn, ShardId=shard["ShardId"], ShardIteratorType="AT_SEQUENCE_NUMBER",
                                   SequenceNumber=old["dynamodb"]["SequenceNumber"])

    ddb.delete_table(TableName=name)
    assert streams.describe_stream(StreamArn=arn)["StreamDescription"]["StreamStatus"] == "DISABLED"
    assert [s["StreamArn"] for s in streams.list_streams()["Streams"]] == [arn]
    box.advance(25 * 3600)
    assert streams.list_streams()["Streams"] == []
    with pytest.raises(streams.exceptions.ResourceNotFoundException):
        streams.describe_stream(StreamArn=arn)


def test_aws_cli_reads_streams(server):
    ddb = server.client("dynamodb")
    name, created = make_table(ddb, "NEW_IMAGE")
    ddb.put_item(TableName=name, Item={"pk": {"S": "cli"}})
    listed = server.aws("dynamodbstreams", "list-streams", "--table-name", name)
    assert [s["StreamArn"] for s in listed["Streams"]] == [created["LatestStreamArn"]]
    described = server.aws("dynamodbstreams", "describe-stream", "--stream-arn", created["LatestStreamArn"])
    shard = described["StreamDescription"]["Shards"][0]["ShardId"]
    it = server.aws("dynamodbstreams", "get-shard-iterator", "--stream-arn", created["LatestStreamArn"],
                    "--shard-id", shard, "--shard-iterator-type", "TRIM_HORIZON")["ShardIterator"]
    records = server.aws("dynamodbstreams", "get-records", "--shard-iterator", it)["Records"]
    assert records[0]["dynamodb"]["NewImage"] == {"pk": {"S": "cli"}}
