"""Durable by default: every acknowledged write survives kill -9."""

import threading
import time

import botocore.exceptions


def test_acknowledged_writes_survive_kill_9(start, tmp_path):
    data = tmp_path / "data"
    box = start(data_dir=data)
    iam = box.client("iam")
    iam.create_user(UserName="before-crash")
    key = iam.create_access_key(UserName="before-crash")["AccessKey"]
    box.kill()

    box = start(data_dir=data)
    iam = box.client("iam")
    assert iam.get_user(UserName="before-crash")["User"]["UserName"] == "before-crash"
    creds = (key["AccessKeyId"], key["SecretAccessKey"])
    who = box.client("sts", key=creds).get_caller_identity()
    assert who["Arn"].endswith(":user/before-crash")


def test_writes_in_flight_at_kill_9_are_all_or_nothing(start, tmp_path):
    data = tmp_path / "data"
    box = start(data_dir=data)
    acknowledged = []
    lock = threading.Lock()
    stop = threading.Event()

    def writer(worker):
        iam = box.client("iam")
        n = 0
        while not stop.is_set() and n < 500:
            name = f"w{worker}-{n}"
            try:
                iam.create_user(UserName=name)
            except Exception:
                return
            with lock:
                acknowledged.append(name)
            n += 1

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    deadline = time.time() + 60
    while time.time() < deadline:
        with lock:
            if len(acknowledged) >= 100:
                break
        time.sleep(0.01)
    box.kill()
    stop.set()
    for t in threads:
        t.join(timeout=30)

    box = start(data_dir=data)
    iam = box.client("iam")
    stored = set()
    for page in iam.get_paginator("list_users").paginate():
        stored.update(u["UserName"] for u in page["Users"])
    missing = [name for name in acknowledged if name not in stored]
    assert not missing, f"{len(missing)} acknowledged users lost, e.g. {missing[:5]}"


def test_clean_restart_keeps_state_and_clock(start, tmp_path):
    data = tmp_path / "data"
    box = start(data_dir=data)
    box.client("iam").create_user(UserName="kept")
    moved = box.advance(86_400 * 10)
    assert box.stop() == 0

    box = start(data_dir=data)
    assert box.client("iam").get_user(UserName="kept")["User"]["UserName"] == "kept"
    _, clock = box.admin("GET", "clock")
    assert clock["epoch_seconds"] >= moved["epoch_seconds"]


def test_ephemeral_state_is_gone_after_restart(start):
    box = start()
    box.client("iam").create_user(UserName="fleeting")
    box.stop()
    box = start()
    try:
        box.client("iam").get_user(UserName="fleeting")
        raise AssertionError("ephemeral state survived a restart")
    except botocore.exceptions.ClientError as e:
        assert e.response["Error"]["Code"] == "NoSuchEntity"
