"""DynamoDB under kill -9 with transactions in flight: every acknowledged
transaction and put is there after a restart, and no transaction is there
in part (nor its stream records without it)."""

import collections
import threading
import time


def create(ddb, name, stream=False):
    extra = {"StreamSpecification": {"StreamEnabled": True, "StreamViewType": "KEYS_ONLY"}} if stream else {}
    ddb.create_table(TableName=name, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST", **extra)


def scan_all(ddb, table):
    items = []
    for page in ddb.get_paginator("scan").paginate(TableName=table, ConsistentRead=True):
        items += page["Items"]
    return items


def stream_keys(box, table):
    ddb, streams = box.client("dynamodb"), box.client("dynamodbstreams")
    arn = ddb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    shard = streams.describe_stream(StreamArn=arn)["StreamDescription"]["Shards"][0]["ShardId"]
    it = streams.get_shard_iterator(StreamArn=arn, ShardId=shard, ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
    keys = []
    for _ in range(10_000):
        page = streams.get_records(ShardIterator=it, Limit=1000)
        keys += [r["dynamodb"]["Keys"]["pk"]["S"] for r in page["Records"]]
        if not page["Records"]:
            return keys
        it = page["NextShardIterator"]
    return keys


def test_transactions_in_flight_at_kill_9_are_all_or_nothing(start, tmp_path):
    data = tmp_path / "data"
    box = start(data_dir=data)
    ddb = box.client("dynamodb")
    create(ddb, "ledger", stream=True)
    create(ddb, "journal")
    acknowledged_txns, acknowledged_puts = [], []
    lock = threading.Lock()
    stop = threading.Event()

    def transactor(worker):
        client = box.client("dynamodb")
        for n in range(2000):
            if stop.is_set():
                return
            txn = f"t{worker}-{n}"
            actions = [{"Put": {"TableName": "ledger", "Item": {"pk": {"S": f"{txn}-{part}"}, "txn": {"S": txn}}}}
                       for part in range(3)]
            actions.append({"Put": {"TableName": "journal", "Item": {"pk": {"S": f"{txn}-j"}, "txn": {"S": txn}}}})
            actions.append({"Update": {"TableName": "journal", "Key": {"pk": {"S": f"count-{worker}"}},
                                       "UpdateExpression": "ADD n :one",
                                       "ExpressionAttributeValues": {":one": {"N": "1"}}}})
            try:
                client.transact_write_items(TransactItems=actions)
            except Exception:
                return
            with lock:
                acknowledged_txns.append(txn)

    def putter(worker):
        client = box.client("dynamodb")
        for n in range(5000):
            if stop.is_set():
                return
            key = f"p{worker}-{n}"
            try:
                client.put_item(TableName="journal", Item={"pk": {"S": key}})
            except Exception:
                return
            with lock:
                acknowledged_puts.append(key)

    threads = [threading.Thread(target=transactor, args=(w,)) for w in range(6)]
    threads += [threading.Thread(target=putter, args=(w,)) for w in range(2)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while time.time() < deadline:
        with lock:
            if len(acknowledged_txns) >= 150:
                break
        time.sleep(0.01)
    box.kill()
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert len(acknowledged_txns) >= 20, "too few transactions were acknowledged before the kill"

    box = start(data_dir=data)
    ddb = box.client("dynamodb")
    ledger, journal = scan_all(ddb, "ledger"), scan_all(ddb, "journal")
    parts = collections.Counter(item["txn"]["S"] for item in ledger + journal if "txn" in item)
    partial = {txn: count for txn, count in parts.items() if count != 4}
    assert not partial, f"partial transactions visible: {list(partial.items())[:5]}"
    missing = [txn for txn in acknowledged_txns if parts.get(txn) != 4]
    assert not missing, f"{len(missing)} acknowledged transactions lost, e.g. {missing[:5]}"
    stored_keys = {item["pk"]["S"] for item in journal}
    lost_puts = [key for key in acknowledged_puts if key not in stored_keys]
    assert not lost_puts, f"{len(lost_puts)} acknowledged puts lost, e.g. {lost_puts[:5]}"

    # Each worker's counter counts exactly its committed transactions.
    committed = collections.Counter(txn.split("-")[0][1:] for txn in parts)
    for item in journal:
        if item["pk"]["S"].startswith("count-"):
            worker = item["pk"]["S"].removeprefix("count-")
            assert int(item["n"]["N"]) == committed[worker], worker

    # Stream records were committed with the items they describe: no more, no fewer.
    assert sorted(stream_keys(box, "ledger")) == sorted(item["pk"]["S"] for item in ledger)
