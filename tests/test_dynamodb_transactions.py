"""DynamoDB transactions: TransactWriteItems and TransactGetItems, all or
nothing, with cancellation reasons and idempotency tokens."""

import threading
import uuid

import botocore.exceptions
import pytest

from awserrors import code_and_message
from conftest import unique


def make_table(ddb, name=None, stream=False):
    name = name or unique("txn")
    extra = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "NEW_IMAGE"}} if stream else {}
    ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST", **extra)
    return name


def key(k):
    return {"pk": {"S": k}}


def get(ddb, table, k):
    return ddb.get_item(TableName=table, Key=key(k), ConsistentRead=True).get("Item")


def test_every_action_kind_commits_together(server):
    ddb = server.client("dynamodb")
    a, b = make_table(ddb), make_table(ddb)
    ddb.put_item(TableName=a, Item={"pk": {"S": "counter"}, "n": {"N": "1"}})
    ddb.put_item(TableName=a, Item={"pk": {"S": "doomed"}})
    ddb.put_item(TableName=b, Item={"pk": {"S": "guard"}, "open": {"BOOL": True}})
    ddb.transact_write_items(TransactItems=[
        {"Put": {"TableName": b, "Item": {"pk": {"S": "new"}, "v": {"S": "x"}},
                 "ConditionExpression": "attribute_not_exists(pk)"}},
        {"Update": {"TableName": a, "Key": key("counter"), "UpdateExpression": "SET n = n + :one",
                    "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        {"Delete": {"TableName": a, "Key": key("doomed")}},
        {"ConditionCheck": {"TableName": b, "Key": key("guard"), "ConditionExpression": "#o = :t",
                            "ExpressionAttributeNames": {"#o": "open"},
                            "ExpressionAttributeValues": {":t": {"BOOL": True}}}},
    ])
    assert get(ddb, b, "new") == {"pk": {"S": "new"}, "v": {"S": "x"}}
    assert get(ddb, a, "counter")["n"] == {"N": "2"}
    assert get(ddb, a, "doomed") is None
    assert get(ddb, b, "guard") == {"pk": {"S": "guard"}, "open": {"BOOL": True}}


def test_a_failed_condition_cancels_everything_with_reasons(server):
    ddb = server.client("dynamodb")
    table = make_table(ddb)
    ddb.put_item(TableName=table, Item={"pk": {"S": "taken"}, "owner": {"S": "alice"}})
    with pytest.raises(ddb.exceptions.TransactionCanceledException) as e:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "free"}}}},
            {"Put": {"TableName": table, "Item": {"pk": {"S": "taken"}, "owner": {"S": "bob"}},
                     "ConditionExpression": "attribute_not_exists(pk)",
                     "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}},
            {"Delete": {"TableName": table, "Key": key("absent"), "ConditionExpression": "attribute_exists(pk)"}},
        ])
    code, message = code_and_message(e)
    assert code == "TransactionCanceledException"
    assert message == ("Transaction cancelled, please refer cancellation reasons for specific reasons "
                       "[None, ConditionalCheckFailed, ConditionalCheckFailed]")
    reasons = e.value.response["CancellationReasons"]
    assert reasons[0] == {"Code": "None"}
    assert reasons[1] == {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed",
                          "Item": {"pk": {"S": "taken"}, "owner": {"S": "alice"}}}
    assert reasons[2] == {"Code": "ConditionalCheckFailed", "Message": "The conditional request failed"}
    assert get(ddb, table, "free") is None
    assert get(ddb, table, "taken")["owner"] == {"S": "alice"}


def test_request_level_validation(server):
    ddb = server.client("dynamodb")
    table = make_table(ddb)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "same"}}}},
            {"Delete": {"TableName": table, "Key": key("same")}},
        ])
    assert code_and_message(e) == ("ValidationException", "Transaction request cannot include multiple operations on one item")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.transact_get_items(TransactItems=[{"Get": {"TableName": table, "Key": key("same")}}] * 2)
    assert code_and_message(e) == ("ValidationException", "Transaction request cannot include multiple operations on one item")

    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": {"pk": {"S": f"k{i}"}}}}
                                                for i in range(101)])
    assert code_and_message(e)[0] == "ValidationException" and "100" in code_and_message(e)[1]

    with pytest.raises(ddb.exceptions.ResourceNotFoundException):
        ddb.transact_write_items(TransactItems=[{"Put": {"TableName": unique("missing"), "Item": key("x")}}])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": {"other": {"S": "x"}}}}])
    assert code_and_message(e)[0] == "ValidationException"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": key("x")},
                                                 "Delete": {"TableName": table, "Key": key("x")}}])
    assert code_and_message(e)[0] == "ValidationException"
    assert get(ddb, table, "k0") is None and get(ddb, table, "x") is None


def test_client_request_token_makes_retries_idempotent(start):
    box = start()
    ddb = box.client("dynamodb")
    table = make_table(ddb)
    token = str(uuid.uuid4())
    bump = [{"Update": {"TableName": table, "Key": key("c"), "UpdateExpression": "ADD n :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}}}}]
    for _ in range(3):
        ddb.transact_write_items(TransactItems=bump, ClientRequestToken=token)
    assert get(ddb, table, "c")["n"] == {"N": "1"}

    other = [{"Put": {"TableName": table, "Item": key("d")}}]
    with pytest.raises(ddb.exceptions.IdempotentParameterMismatchException):
        ddb.transact_write_items(TransactItems=other, ClientRequestToken=token)

    box.advance(11 * 60)
    ddb.transact_write_items(TransactItems=bump, ClientRequestToken=token)
    assert get(ddb, table, "c")["n"] == {"N": "2"}


def test_transact_get_items_reads_one_snapshot_in_order(server):
    ddb = server.client("dynamodb")
    a, b = make_table(ddb), make_table(ddb)
    ddb.put_item(TableName=a, Item={"pk": {"S": "1"}, "x": {"S": "one"}, "y": {"N": "5"}})
    ddb.put_item(TableName=b, Item={"pk": {"S": "2"}, "x": {"S": "two"}})
    out = ddb.transact_get_items(TransactItems=[
        {"Get": {"TableName": b, "Key": key("2")}},
        {"Get": {"TableName": a, "Key": key("missing")}},
        {"Get": {"TableName": a, "Key": key("1"), "ProjectionExpression": "#y",
                 "ExpressionAttributeNames": {"#y": "y"}}},
    ])
    assert out["Responses"] == [{"Item": {"pk": {"S": "2"}, "x": {"S": "two"}}}, {}, {"Item": {"y": {"N": "5"}}}]
    with pytest.raises(ddb.exceptions.ResourceNotFoundException):
        ddb.transact_get_items(TransactItems=[{"Get": {"TableName": unique("missing"), "Key": key("1")}}])


def test_transfers_between_accounts_never_lose_money(server):
    ddb = server.client("dynamodb")
    table = make_table(ddb)
    accounts = [f"acct{i}" for i in range(5)]
    for name in accounts:
        ddb.put_item(TableName=table, Item={"pk": {"S": name}, "balance": {"N": "100"}})
    outcomes = {"ok": 0, "cancelled": 0}
    lock = threading.Lock()

    def worker(seed):
        client = server.client("dynamodb")
        for i in range(40):
            src, dst = accounts[(seed + i) % 5], accounts[(seed + 2 * i + 1) % 5]
            if src == dst:
                continue
            try:
                client.transact_write_items(TransactItems=[
                    {"Update": {"TableName": table, "Key": key(src), "UpdateExpression": "SET balance = balance - :a",
                                "ConditionExpression": "balance >= :a",
                                "ExpressionAttributeValues": {":a": {"N": "30"}}}},
                    {"Update": {"TableName": table, "Key": key(dst), "UpdateExpression": "SET balance = balance + :a",
                                "ExpressionAttributeValues": {":a": {"N": "30"}}}},
                ])
                result = "ok"
            except client.exceptions.TransactionCanceledException:
                result = "cancelled"
            with lock:
                outcomes[result] += 1

    threads = [threading.Thread(target=worker, args=(s,)) for s in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    balances = [int(get(ddb, table, name)["balance"]["N"]) for name in accounts]
    assert sum(balances) == 500 and min(balances) >= 0, balances
    assert outcomes["ok"] > 0


def test_transaction_writes_appear_in_the_stream(server):
    ddb, streams = server.client("dynamodb"), server.client("dynamodbstreams")
    table = make_table(ddb, stream=True)
    ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": key(k)}} for k in "abc"])
    arn = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    records = streams.get_records(ShardIterator=it)["Records"]
    assert sorted(r["dynamodb"]["Keys"]["pk"]["S"] for r in records) == ["a", "b", "c"]
    assert {r["eventName"] for r in records} == {"INSERT"}


def test_aws_cli_transactions(server):
    table = make_table(server.client("dynamodb"))
    items = f'[{{"Put": {{"TableName": "{table}", "Item": {{"pk": {{"S": "cli"}}, "v": {{"N": "7"}}}}}}}}]'
    server.aws("dynamodb", "transact-write-items", "--transact-items", items)
    gets = f'[{{"Get": {{"TableName": "{table}", "Key": {{"pk": {{"S": "cli"}}}}}}}}]'
    out = server.aws("dynamodb", "transact-get-items", "--transact-items", gets)
    assert out["Responses"] == [{"Item": {"pk": {"S": "cli"}, "v": {"N": "7"}}}]


def test_runtime_update_errors_cancel_and_oversized_items_are_refused(server):
    ddb = server.client("dynamodb")
    table = make_table(ddb)
    ddb.put_item(TableName=table, Item={"pk": {"S": "text"}, "n": {"S": "not a number"}})
    with pytest.raises(ddb.exceptions.TransactionCanceledException) as e:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": key("other")}},
            {"Update": {"TableName": table, "Key": key("text"), "UpdateExpression": "SET n = n + :one",
                        "ExpressionAttributeValues": {":one": {"N": "1"}}}},
        ])
    reasons = e.value.response["CancellationReasons"]
    assert [r["Code"] for r in reasons] == ["None", "ValidationError"]
    assert "incorrect data type" in reasons[1]["Message"]
    assert get(ddb, table, "other") is None

    with pytest.raises(botocore.exceptions.ClientError) as e:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"pk": {"S": "big"}, "blob": {"S": "x" * 410_000}}}},
        ])
    assert code_and_message(e) == ("ValidationException", "Item size has exceeded the maximum allowed size")
