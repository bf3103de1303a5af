"""Presigned URLs (SigV4 query form) from boto3 and `aws s3 presign`:
GET and PUT work, expiry is enforced, tampering is refused, in permissive
and strict mode."""

import time

import pytest
import requests

from awserrors import xml_members
from conftest import unique


def s3v4(box, **kwargs):
    return box.client("s3", signature_version="s3v4", **kwargs)


@pytest.fixture
def bucket(server):
    name = unique("presign")
    s3 = s3v4(server)
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="hello.txt", Body=b"hello world")
    return s3, name


def test_presigned_get_and_put(bucket):
    s3, name = bucket
    url = s3.generate_presigned_url("get_object", Params={"Bucket": name, "Key": "hello.txt"}, ExpiresIn=300)
    got = requests.get(url, timeout=10)
    assert got.status_code == 200 and got.content == b"hello world"
    put_url = s3.generate_presigned_url("put_object", Params={"Bucket": name, "Key": "up.bin"}, ExpiresIn=300)
    put = requests.put(put_url, data=b"\x00\x01payload", timeout=10)
    assert put.status_code == 200, put.text
    assert put.headers["ETag"]
    assert s3.get_object(Bucket=name, Key="up.bin")["Body"].read() == b"\x00\x01payload"


def test_presigned_put_with_content_type(bucket):
    s3, name = bucket
    url = s3.generate_presigned_url("put_object", Params={"Bucket": name, "Key": "typed", "ContentType": "text/csv"},
                                    ExpiresIn=300)
    put = requests.put(url, data=b"a,b", headers={"Content-Type": "text/csv"}, timeout=10)
    assert put.status_code == 200, put.text
    assert s3.head_object(Bucket=name, Key="typed")["ContentType"] == "text/csv"
    wrong = requests.put(url, data=b"a,b", headers={"Content-Type": "text/plain"}, timeout=10)
    assert wrong.status_code == 403
    assert xml_members(wrong)["Code"] == "SignatureDoesNotMatch"


def test_expired_url_is_refused_as_s3_refuses_it(bucket):
    s3, name = bucket
    url = s3.generate_presigned_url("get_object", Params={"Bucket": name, "Key": "hello.txt"}, ExpiresIn=1)
    time.sleep(2.2)
    got = requests.get(url, timeout=10)
    assert got.status_code == 403
    error = xml_members(got)
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == "Request has expired"
    assert error["X-Amz-Expires"] == "1"
    assert error["Expires"].endswith("Z") and error["ServerTime"].endswith("Z")
    assert error["Expires"] < error["ServerTime"]


def test_tampered_signature_and_parameters(bucket):
    s3, name = bucket
    url = s3.generate_presigned_url("get_object", Params={"Bucket": name, "Key": "hello.txt"}, ExpiresIn=300)
    flipped = url[:-1] + ("0" if url[-1] != "0" else "1")
    got = requests.get(flipped, timeout=10)
    assert got.status_code == 403
    assert xml_members(got)["Code"] == "SignatureDoesNotMatch"
    other_key = url.replace("/hello.txt?", "/other.txt?")
    assert xml_members(requests.get(other_key, timeout=10))["Code"] == "SignatureDoesNotMatch"
    longer = url.replace("X-Amz-Expires=300", "X-Amz-Expires=3000")
    assert xml_members(requests.get(longer, timeout=10))["Code"] == "SignatureDoesNotMatch"
    too_long = url.replace("X-Amz-Expires=300", "X-Amz-Expires=604801")
    refused = requests.get(too_long, timeout=10)
    assert refused.status_code == 400
    assert xml_members(refused)["Code"] == "AuthorizationQueryParametersError"
    assert "604800" in xml_members(refused)["Message"]


def test_wrong_secret_for_known_key(server, bucket):
    _, name = bucket
    forged = s3v4(server, key=("test", "not-the-secret"))
    url = forged.generate_presigned_url("get_object", Params={"Bucket": name, "Key": "hello.txt"}, ExpiresIn=300)
    got = requests.get(url, timeout=10)
    assert got.status_code == 403
    assert xml_members(got)["Code"] == "SignatureDoesNotMatch"


def test_aws_cli_presign(server, bucket):
    _, name = bucket
    url = server.aws("s3", "presign", f"s3://{name}/hello.txt", "--expires-in", "120", check=False).stdout
    got = requests.get(url.strip(), timeout=10)
    assert got.status_code == 200 and got.content == b"hello world"


def test_strict_mode(start):
    box = start(auth="strict")
    s3 = s3v4(box)
    s3.create_bucket(Bucket="strict-presign")
    s3.put_object(Bucket="strict-presign", Key="k", Body=b"secret")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": "strict-presign", "Key": "k"}, ExpiresIn=300)
    assert requests.get(url, timeout=10).content == b"secret"
    unknown = s3v4(box, key=("AKIAUNKNOWNKEY000000", "x"))
    url = unknown.generate_presigned_url("get_object", Params={"Bucket": "strict-presign", "Key": "k"}, ExpiresIn=300)
    refused = requests.get(url, timeout=10)
    assert refused.status_code == 403
    assert xml_members(refused)["Code"] == "InvalidAccessKeyId"
    short = s3.generate_presigned_url("get_object", Params={"Bucket": "strict-presign", "Key": "k"}, ExpiresIn=1)
    time.sleep(2.2)
    expired = requests.get(short, timeout=10)
    assert expired.status_code == 403 and xml_members(expired)["Message"] == "Request has expired"
    unsigned = requests.get(f"{box.endpoint}/strict-presign/k", timeout=10)
    assert unsigned.status_code == 403


def test_temporary_credentials(server, bucket):
    _, name = bucket
    issued = server.client("sts").get_session_token()["Credentials"]
    s3 = s3v4(server, key=(issued["AccessKeyId"], issued["SecretAccessKey"]), token=issued["SessionToken"])
    url = s3.generate_presigned_url("get_object", Params={"Bucket": name, "Key": "hello.txt"}, ExpiresIn=300)
    assert requests.get(url, timeout=10).content == b"hello world"
    forged = url.replace("X-Amz-Security-Token=", "X-Amz-Security-Token=x")
    refused = requests.get(forged, timeout=10)
    assert refused.status_code in (400, 403)
    assert xml_members(refused)["Code"] == "InvalidToken"
