"""S3 objects survive kill -9: puts of small and multi-MiB bodies and
versioned puts run while the server is killed; after a restart every
acknowledged object reads back whole (bytes and ETag), nothing half
written is visible, and no body file is left without an object."""

import hashlib
import os
import pathlib
import threading
import time

import botocore.exceptions



def writer(box, bucket, prefix, sizes, acknowledged, stop):
    s3 = box.client("s3", connect_timeout=2, read_timeout=10)
    n = 0
    while not stop.is_set():
        body = os.urandom(sizes[n % len(sizes)])
        key = f"{prefix}/{n}"
        try:
            put = s3.put_object(Bucket=bucket, Key=key, Body=body)
        except Exception:  # the kill cuts requests off
            return
        acknowledged.append((bucket, key, put["ETag"], put.get("VersionId"), hashlib.md5(body).hexdigest()))
        n += 1


def versioned_writer(box, acknowledged, stop):
    s3 = box.client("s3", connect_timeout=2, read_timeout=10)
    n = 0
    while not stop.is_set():
        body = os.urandom(1000 + n % 3 * 100_000)
        try:
            put = s3.put_object(Bucket="durable-versions", Key="same-key", Body=body)
        except Exception:
            return
        acknowledged.append(("durable-versions", "same-key", put["ETag"], put["VersionId"],
                             hashlib.md5(body).hexdigest()))
        n += 1


def test_acknowledged_objects_survive_kill_9(start, tmp_path):
    data = tmp_path / "data"
    box = start(data_dir=data)
    s3 = box.client("s3")
    s3.create_bucket(Bucket="durable-objects")
    s3.create_bucket(Bucket="durable-versions")
    s3.put_bucket_versioning(Bucket="durable-versions", VersioningConfiguration={"Status": "Enabled"})
    acknowledged = []
    stop = threading.Event()
    threads = [
        threading.Thread(target=writer, args=(box, "durable-objects", "small", [1, 100, 1024], acknowledged, stop)),
        threading.Thread(target=writer, args=(box, "durable-objects", "small2", [3000], acknowledged, stop)),
        threading.Thread(target=writer, args=(box, "durable-objects", "large", [3 * 1024 * 1024, 200_000],
                                              acknowledged, stop)),
        threading.Thread(target=versioned_writer, args=(box, acknowledged, stop)),
    ]
    for thread in threads:
        thread.start()
    deadline = time.time() + 30
    while time.time() < deadline and (len(acknowledged) < 60 or not any(a[1].startswith("large") for a in acknowledged)):
        time.sleep(0.1)
    box.kill()
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(acknowledged) >= 20

    box = start(data_dir=data)
    s3 = box.client("s3")
    for bucket, key, etag, version_id, md5 in list(acknowledged):
        extra = {"VersionId": version_id} if version_id else {}
        got = s3.get_object(Bucket=bucket, Key=key, **extra)
        assert got["ETag"] == etag, key
        assert hashlib.md5(got["Body"].read()).hexdigest() == md5 == etag.strip('"'), key
    # Whatever is listed (acknowledged or not) is whole.
    listed = s3.list_objects_v2(Bucket="durable-objects", MaxKeys=1000).get("Contents", [])
    for entry in listed:
        body = s3.get_object(Bucket="durable-objects", Key=entry["Key"])["Body"].read()
        assert len(body) == entry["Size"]
        assert hashlib.md5(body).hexdigest() == entry["ETag"].strip('"')
    versions = s3.list_object_versions(Bucket="durable-versions")["Versions"]
    for version in versions:
        body = s3.get_object(Bucket="durable-versions", Key="same-key", VersionId=version["VersionId"])["Body"].read()
        assert hashlib.md5(body).hexdigest() == version["ETag"].strip('"')
    # Body files of puts cut off by the kill are swept at start-up.
    files = [p for p in pathlib.Path(data, "s3", "blobs").rglob("*") if p.is_file()]
    large = [e for e in listed if e["Size"] > 64 * 1024] + [v for v in versions if v["Size"] > 64 * 1024]
    assert len(files) == len(large)


# Signed with a key cloudbox never issued: the default account, in permissive mode (unsigned is anonymous).
UNVERIFIED_AUTHORIZATION = ("Authorization: AWS4-HMAC-SHA256 Credential=000000000000/20260101/us-east-1/s3/aws4_request, "
                            "SignedHeaders=host, Signature=00\r\n")


def test_a_dropped_upload_leaves_nothing(start, tmp_path):
    import socket
    data = tmp_path / "data"
    box = start(data_dir=data)
    s3 = box.client("s3")
    s3.create_bucket(Bucket="dropped")
    for size, sent in [(4 * 1024 * 1024, 1024 * 1024), (10_000, 5_000)]:
        with socket.create_connection(("127.0.0.1", box.port)) as sock:
            sock.sendall(f"PUT /dropped/cut-{size} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {size}\r\n"
                         f"x-amz-content-sha256: UNSIGNED-PAYLOAD\r\n{UNVERIFIED_AUTHORIZATION}\r\n".encode())
            sock.sendall(os.urandom(sent))
        time.sleep(0.3)
        code = None
        try:
            s3.head_object(Bucket="dropped", Key=f"cut-{size}")
        except botocore.exceptions.ClientError as err:
            code = err.response["Error"]["Code"]
        assert code == "404"
    assert s3.list_objects_v2(Bucket="dropped")["KeyCount"] == 0
    assert [p for p in pathlib.Path(data, "s3", "blobs").rglob("*") if p.is_file()] == []
