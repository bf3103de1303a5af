"""Server access logging: requests on a bucket with logging enabled are
delivered as log objects in S3's format to the target bucket, on
cloudbox's clock."""

import re

import pytest

from conftest import unique

# bucket-owner bucket [time] ip requester request-id operation key "uri" status error bytes size total
# turnaround "referrer" "user-agent" version-id host-id sigv cipher auth host tls ap-arn acl-required
LINE = re.compile(
    r'^(?P<owner>[0-9a-f]{64}) (?P<bucket>\S+) \[(?P<time>\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000)\] '
    r'(?P<ip>\S+) (?P<requester>\S+) (?P<request_id>[0-9A-F]{16}) (?P<operation>\S+) (?P<key>\S+) '
    r'"(?P<uri>[^"]*)" (?P<status>\d{3}) (?P<error>\S+) (?P<bytes>\S+) (?P<size>\S+) (?P<total>\d+) '
    r'(?P<turnaround>\d+) "(?P<referrer>[^"]*)" "(?P<agent>[^"]*)" (?P<version>\S+) (?P<host_id>\S+) '
    r'(?P<sigv>\S+) (?P<cipher>\S+) (?P<auth>\S+) (?P<host>\S+) (?P<tls>\S+) (?P<arn>\S+) (?P<acl>\S+)$')


@pytest.fixture
def logged(server):
    s3 = server.client("s3")
    source = unique("logged")
    target = unique("logs")
    s3.create_bucket(Bucket=source)
    s3.create_bucket(Bucket=target)
    s3.put_bucket_logging(Bucket=source, BucketLoggingStatus={
        "LoggingEnabled": {"TargetBucket": target, "TargetPrefix": "access/"}})
    return server, s3, source, target


def log_lines(s3, target, prefix="access/"):
    listed = s3.list_objects_v2(Bucket=target, Prefix=prefix).get("Contents", [])
    lines = []
    for entry in listed:
        body = s3.get_object(Bucket=target, Key=entry["Key"])["Body"].read().decode()
        lines += [line for line in body.split("\n") if line]
    return listed, lines


def test_requests_are_delivered_in_s3_format(logged):
    server, s3, source, target = logged
    s3.put_object(Bucket=source, Key="dir/hello world.txt", Body=b"hello")
    s3.get_object(Bucket=source, Key="dir/hello world.txt")
    with pytest.raises(s3.exceptions.NoSuchKey):
        s3.get_object(Bucket=source, Key="missing")
    s3.list_objects_v2(Bucket=source)
    assert log_lines(s3, target)[0] == []
    server.advance(120)
    listed, lines = log_lines(s3, target)
    assert listed, "no log object delivered"
    assert all(re.fullmatch(r"access/\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9A-F]{16}", o["Key"]) for o in listed)
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    by_operation = {}
    for match in parsed:
        by_operation.setdefault(match["operation"], []).append(match)
    put = by_operation["REST.PUT.OBJECT"][0]
    assert put["bucket"] == source and put["key"] == "dir/hello%20world.txt"
    assert put["status"] == "200" and put["size"] == "5"
    assert put["requester"] == "arn:aws:iam::000000000000:root"
    assert put["sigv"] == "SigV4" and put["auth"] == "AuthHeader"
    assert put["ip"] == "127.0.0.1"
    assert put["uri"].startswith("PUT /" + source + "/dir/hello%20world.txt")
    assert "Botocore" in put["agent"] or "botocore" in put["agent"].lower()
    get = [m for m in by_operation["REST.GET.OBJECT"] if m["status"] == "200"][0]
    assert get["bytes"] == "5"
    missing = [m for m in by_operation["REST.GET.OBJECT"] if m["status"] == "404"][0]
    assert missing["error"] == "NoSuchKey" and missing["key"] == "missing"
    assert "REST.GET.BUCKET" in by_operation


def test_buckets_without_logging_are_not_logged(logged):
    server, s3, source, target = logged
    other = unique("unlogged")
    s3.create_bucket(Bucket=other)
    s3.put_object(Bucket=other, Key="k", Body=b"x")
    server.advance(120)
    _, lines = log_lines(s3, target)
    assert not any(f" {other} " in line for line in lines)


def test_disabling_logging_stops_new_lines(logged):
    server, s3, source, target = logged
    s3.put_object(Bucket=source, Key="before", Body=b"x")
    s3.put_bucket_logging(Bucket=source, BucketLoggingStatus={})
    s3.put_object(Bucket=source, Key="after", Body=b"x")
    server.advance(120)
    _, lines = log_lines(s3, target)
    keys = [LINE.match(line)["key"] for line in lines]
    assert "before" in keys and "after" not in keys


def test_partitioned_prefix(logged):
    server, s3, source, target = logged
    s3.put_bucket_logging(Bucket=source, BucketLoggingStatus={"LoggingEnabled": {
        "TargetBucket": target, "TargetPrefix": "p/",
        "TargetObjectKeyFormat": {"PartitionedPrefix": {"PartitionDateSource": "EventTime"}}}})
    s3.put_object(Bucket=source, Key="k", Body=b"x")
    server.advance(120)
    listed, lines = log_lines(s3, target, prefix="p/")
    assert listed
    assert re.fullmatch(rf"p/000000000000/us-east-1/{source}/\d{{4}}/\d\d/\d\d/\d{{4}}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9A-F]{{16}}",
                        listed[0]["Key"])


def test_website_requests_are_logged(logged):
    import json
    import requests
    server, s3, source, target = logged
    s3.delete_public_access_block(Bucket=source)
    s3.put_bucket_policy(Bucket=source, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{source}/*"}]}))
    s3.put_object(Bucket=source, Key="index.html", Body=b"home")
    s3.put_bucket_website(Bucket=source, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
    host = f"{source}.s3-website.localhost.localstack.cloud:{server.port}"
    assert requests.get(server.endpoint + "/", headers={"Host": host}, timeout=10).content == b"home"
    server.advance(120)
    _, lines = log_lines(s3, target)
    website = [LINE.match(line) for line in lines if " WEBSITE.GET.OBJECT " in line]
    assert website and website[0]["bucket"] == source and website[0]["status"] == "200"
