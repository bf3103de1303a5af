"""S3 encryption at rest: SSE-S3 for every object by default, SSE-C with
the customer's key (only its MD5 kept), ranges over encrypted bodies, and
SSE-KMS answered as not implemented."""

import hashlib
import os
import pathlib
import uuid

import botocore.exceptions
import pytest

from conftest import Cloudbox

KEY = "0123456789abcdef0123456789abcdef"
OTHER_KEY = "fedcba9876543210fedcba9876543210"
SSE_C = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY}
MIB = 1024 * 1024


@pytest.fixture
def s3(server):
    return server.client("s3")


@pytest.fixture
def bucket(s3):
    name = f"sse-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


def error_of(excinfo):
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def pattern(size):
    marker = b"cloudbox-plaintext-marker-"
    return (marker * (size // len(marker) + 1))[:size]


def test_sse_s3_is_the_default_and_reported(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"hello")
    assert put["ServerSideEncryption"] == "AES256"
    assert s3.head_object(Bucket=bucket, Key="k")["ServerSideEncryption"] == "AES256"
    got = s3.get_object(Bucket=bucket, Key="k")
    assert got["ServerSideEncryption"] == "AES256"
    assert got["Body"].read() == b"hello"
    assert put["ETag"] == f'"{hashlib.md5(b"hello").hexdigest()}"'
    explicit = s3.put_object(Bucket=bucket, Key="e", Body=b"x", ServerSideEncryption="AES256")
    assert explicit["ServerSideEncryption"] == "AES256"


def test_ranges_of_encrypted_bodies(s3, bucket):
    data = os.urandom(3 * MIB + 12345)
    s3.put_object(Bucket=bucket, Key="big", Body=data)
    small = os.urandom(1000)
    s3.put_object(Bucket=bucket, Key="small", Body=small)
    for start, end in [(0, 0), (15, 16), (17, 1_000_000), (262_140, 262_150), (3 * MIB, 3 * MIB + 12344)]:
        got = s3.get_object(Bucket=bucket, Key="big", Range=f"bytes={start}-{end}")["Body"].read()
        assert got == data[start:end + 1], (start, end)
    assert s3.get_object(Bucket=bucket, Key="big")["Body"].read() == data
    assert s3.get_object(Bucket=bucket, Key="small", Range="bytes=100-199")["Body"].read() == small[100:200]
    assert s3.get_object(Bucket=bucket, Key="small", Range="bytes=-10")["Body"].read() == small[-10:]


def test_sse_c_round_trip_and_key_checks(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="c", Body=b"secret bytes", **SSE_C)
    key_md5 = put["SSECustomerKeyMD5"]
    assert put["SSECustomerAlgorithm"] == "AES256"
    assert "ServerSideEncryption" not in put
    got = s3.get_object(Bucket=bucket, Key="c", **SSE_C)
    assert got["Body"].read() == b"secret bytes"
    assert got["SSECustomerKeyMD5"] == key_md5
    assert s3.get_object(Bucket=bucket, Key="c", Range="bytes=7-11", **SSE_C)["Body"].read() == b"bytes"
    assert s3.head_object(Bucket=bucket, Key="c", **SSE_C)["SSECustomerAlgorithm"] == "AES256"

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="c")
    assert error_of(excinfo) == ("InvalidRequest", 400)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.head_object(Bucket=bucket, Key="c")
    assert error_of(excinfo) == ("400", 400)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=OTHER_KEY)
    assert error_of(excinfo) == ("AccessDenied", 403)
    # A key for an object that was not stored with one.
    s3.put_object(Bucket=bucket, Key="plain", Body=b"p")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="plain", **SSE_C)
    assert error_of(excinfo) == ("InvalidRequest", 400)


def test_sse_c_bad_requests(s3, bucket):
    cases = [
        {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY, "SSECustomerKeyMD5": "AAAAAAAAAAAAAAAAAAAAAA=="},
        {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY[:16]},
        {"SSECustomerAlgorithm": "AES128", "SSECustomerKey": KEY},
        {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY, "ServerSideEncryption": "AES256"},
    ]
    for case in cases:
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            s3.put_object(Bucket=bucket, Key="bad", Body=b"x", **case)
        assert error_of(excinfo) == ("InvalidArgument", 400), case
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="bad")
    assert error_of(excinfo) == ("NoSuchKey", 404)


def test_sse_kms_is_not_implemented(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="kms", Body=b"x", ServerSideEncryption="aws:kms")
    assert error_of(excinfo) == ("NotImplemented", 501)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.create_multipart_upload(Bucket=bucket, Key="kms", ServerSideEncryption="aws:kms")
    assert error_of(excinfo) == ("NotImplemented", 501)
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="kms", Body=b"x")
    assert error_of(excinfo) == ("NotImplemented", 501)


def test_sse_c_multipart_and_copies(s3, bucket):
    parts = [os.urandom(5 * MIB), os.urandom(1234)]
    created = s3.create_multipart_upload(Bucket=bucket, Key="mp", **SSE_C)
    assert created["SSECustomerAlgorithm"] == "AES256"
    upload = created["UploadId"]
    listed = []
    for number, data in enumerate(parts, start=1):
        reply = s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=number, Body=data, **SSE_C)
        assert reply["SSECustomerAlgorithm"] == "AES256"
        listed.append({"PartNumber": number, "ETag": reply["ETag"]})
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload={"Parts": listed},
                                 **SSE_C)
    whole = b"".join(parts)
    assert s3.get_object(Bucket=bucket, Key="mp", **SSE_C)["Body"].read() == whole
    start = 5 * MIB - 10
    ranged = s3.get_object(Bucket=bucket, Key="mp", Range=f"bytes={start}-{start + 19}", **SSE_C)["Body"].read()
    assert ranged == whole[start:start + 20]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="mp")
    assert error_of(excinfo) == ("InvalidRequest", 400)

    source_key = {"CopySourceSSECustomerAlgorithm": "AES256", "CopySourceSSECustomerKey": KEY}
    copied = s3.copy_object(Bucket=bucket, Key="mp-copy", CopySource={"Bucket": bucket, "Key": "mp"},
                            **source_key, **SSE_C)
    assert copied["SSECustomerAlgorithm"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="mp-copy", **SSE_C)["Body"].read() == whole
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "mp"}, **SSE_C)
    assert error_of(excinfo) == ("InvalidRequest", 400)

    copy_upload = s3.create_multipart_upload(Bucket=bucket, Key="pc")["UploadId"]
    part = s3.upload_part_copy(Bucket=bucket, Key="pc", UploadId=copy_upload, PartNumber=1,
                               CopySource={"Bucket": bucket, "Key": "mp"}, CopySourceRange="bytes=0-99",
                               **source_key)["CopyPartResult"]
    s3.complete_multipart_upload(Bucket=bucket, Key="pc", UploadId=copy_upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert s3.get_object(Bucket=bucket, Key="pc")["Body"].read() == whole[:100]


def test_sse_s3_copies_share_the_encrypted_body(s3, bucket):
    data = os.urandom(200 * 1024)
    s3.put_object(Bucket=bucket, Key="src", Body=data)
    copied = s3.copy_object(Bucket=bucket, Key="dst", CopySource={"Bucket": bucket, "Key": "src"})
    assert copied["ServerSideEncryption"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="dst")["Body"].read() == data
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="dst-c", CopySource={"Bucket": bucket, "Key": "src"}, **SSE_C)
    assert error_of(excinfo) == ("NotImplemented", 501)


def test_bytes_on_disk_are_encrypted(tmp_path):
    data_dir = tmp_path / "data"
    box = Cloudbox(tmp_path, data_dir=data_dir)
    try:
        s3 = box.client("s3")
        s3.create_bucket(Bucket="at-rest")
        large, small = pattern(300 * 1024), pattern(2000)
        s3.put_object(Bucket="at-rest", Key="large", Body=large)
        s3.put_object(Bucket="at-rest", Key="small", Body=small)
        s3.put_object(Bucket="at-rest", Key="customer", Body=small, **SSE_C)
        assert s3.get_object(Bucket="at-rest", Key="large")["Body"].read() == large
    finally:
        box.stop()
    files = [p for p in pathlib.Path(data_dir).rglob("*") if p.is_file()]
    assert any("blobs" in str(p) for p in files)
    for path in files:
        content = path.read_bytes()
        assert b"cloudbox-plaintext-marker-" not in content, path
        assert KEY.encode() not in content, path
    box = Cloudbox(tmp_path, data_dir=data_dir)
    try:
        s3 = box.client("s3")
        assert s3.get_object(Bucket="at-rest", Key="large")["Body"].read() == large
        assert s3.get_object(Bucket="at-rest", Key="customer", **SSE_C)["Body"].read() == small
    finally:
        box.stop()
