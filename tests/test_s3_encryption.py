"""S3 encryption at rest: SSE-S3 for every object by default, SSE-C with
the customer's key (only its MD5 kept), ranges over encrypted bodies, and
SSE-KMS answered as not implemented."""

import hashlib
import os
import pathlib

import botocore.exceptions
import pytest

from conftest import Cloudbox

from awserrors import code_and_status

KEY = "0123456789abcdef0123456789abcdef"
OTHER_KEY = "fedcba9876543210fedcba9876543210"
SSE_C = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY}
MIB = 1024 * 1024


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
    assert code_and_status(excinfo) == ("InvalidRequest", 400)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.head_object(Bucket=bucket, Key="c")
    assert code_and_status(excinfo) == ("400", 400)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="c", SSECustomerAlgorithm="AES256", SSECustomerKey=OTHER_KEY)
    assert code_and_status(excinfo) == ("AccessDenied", 403)
    # A key for an object that was not stored with one.
    s3.put_object(Bucket=bucket, Key="plain", Body=b"p")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="plain", **SSE_C)
    assert code_and_status(excinfo) == ("InvalidRequest", 400)


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
        assert code_and_status(excinfo) == ("InvalidArgument", 400), case
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="bad")
    assert code_and_status(excinfo) == ("NoSuchKey", 404)


def test_sse_kms_is_not_implemented(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="kms", Body=b"x", ServerSideEncryption="aws:kms")
    assert code_and_status(excinfo) == ("NotImplemented", 501)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.create_multipart_upload(Bucket=bucket, Key="kms", ServerSideEncryption="aws:kms")
    assert code_and_status(excinfo) == ("NotImplemented", 501)
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={
        "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms"}}]})
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="kms", Body=b"x")
    assert code_and_status(excinfo) == ("NotImplemented", 501)


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
    assert code_and_status(excinfo) == ("InvalidRequest", 400)

    source_key = {"CopySourceSSECustomerAlgorithm": "AES256", "CopySourceSSECustomerKey": KEY}
    copied = s3.copy_object(Bucket=bucket, Key="mp-copy", CopySource={"Bucket": bucket, "Key": "mp"},
                            **source_key, **SSE_C)
    assert copied["SSECustomerAlgorithm"] == "AES256"
    assert s3.get_object(Bucket=bucket, Key="mp-copy", **SSE_C)["Body"].read() == whole
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.copy_object(Bucket=bucket, Key="x", CopySource={"Bucket": bucket, "Key": "mp"}, **SSE_C)
    assert code_and_status(excinfo) == ("InvalidRequest", 400)

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


OTHER_SSE_C = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": OTHER_KEY}
SOURCE_KEY = {"CopySourceSSECustomerAlgorithm": "AES256", "CopySourceSSECustomerKey": KEY}


def test_copies_change_the_encryption_key(s3, bucket):
    data = os.urandom(2 * MIB + 77)
    s3.put_object(Bucket=bucket, Key="plain", Body=data)
    source = {"Bucket": bucket, "Key": "plain"}
    to_customer = s3.copy_object(Bucket=bucket, Key="c1", CopySource=source, **SSE_C)
    assert to_customer["SSECustomerAlgorithm"] == "AES256"
    assert "ServerSideEncryption" not in to_customer
    got = s3.get_object(Bucket=bucket, Key="c1", **SSE_C)
    assert got["Body"].read() == data
    assert got["SSECustomerKeyMD5"] == to_customer["SSECustomerKeyMD5"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="c1")
    assert code_and_status(excinfo) == ("InvalidRequest", 400)

    customer = {"Bucket": bucket, "Key": "c1"}
    rekeyed = s3.copy_object(Bucket=bucket, Key="c2", CopySource=customer, **SOURCE_KEY, **OTHER_SSE_C)
    assert rekeyed["SSECustomerKeyMD5"] != to_customer["SSECustomerKeyMD5"]
    assert s3.get_object(Bucket=bucket, Key="c2", **OTHER_SSE_C)["Body"].read() == data
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="c2", **SSE_C)
    assert code_and_status(excinfo) == ("AccessDenied", 403)

    # Without destination encryption the copy gets the bucket's default (SSE-S3).
    for extra in ({}, {"ServerSideEncryption": "AES256"}):
        back = s3.copy_object(Bucket=bucket, Key="s3", CopySource=customer, **SOURCE_KEY, **extra)
        assert back["ServerSideEncryption"] == "AES256"
        assert s3.get_object(Bucket=bucket, Key="s3")["Body"].read() == data
    assert s3.get_object(Bucket=bucket, Key="c1", **SSE_C)["Body"].read() == data

    small = s3.put_object(Bucket=bucket, Key="tiny", Body=b"x", **SSE_C)
    assert small["SSECustomerAlgorithm"] == "AES256"
    s3.copy_object(Bucket=bucket, Key="tiny2", CopySource={"Bucket": bucket, "Key": "tiny"}, **SOURCE_KEY)
    assert s3.get_object(Bucket=bucket, Key="tiny2")["Body"].read() == b"x"


def test_every_part_of_a_customer_key_upload_needs_that_key(s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="mp", **SSE_C)["UploadId"]
    s3.put_object(Bucket=bucket, Key="src", Body=os.urandom(1000))
    refusals = [
        (lambda: s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"x"),
         ("InvalidRequest", 400)),
        (lambda: s3.upload_part(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1, Body=b"x", **OTHER_SSE_C),
         ("InvalidArgument", 400)),
        (lambda: s3.upload_part_copy(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1,
                                     CopySource={"Bucket": bucket, "Key": "src"}),
         ("InvalidRequest", 400)),
    ]
    for call, expected in refusals:
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            call()
        assert code_and_status(excinfo) == expected
    part = s3.upload_part_copy(Bucket=bucket, Key="mp", UploadId=upload, PartNumber=1,
                               CopySource={"Bucket": bucket, "Key": "src"}, **SSE_C)
    assert part["SSECustomerAlgorithm"] == "AES256"
    parts = {"Parts": [{"PartNumber": 1, "ETag": part["CopyPartResult"]["ETag"]}]}
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload=parts, **OTHER_SSE_C)
    assert code_and_status(excinfo) == ("InvalidArgument", 400)
    # The key is optional on completion, as on S3.
    s3.complete_multipart_upload(Bucket=bucket, Key="mp", UploadId=upload, MultipartUpload=parts)
    assert len(s3.get_object(Bucket=bucket, Key="mp", **SSE_C)["Body"].read()) == 1000

    plain_upload = s3.create_multipart_upload(Bucket=bucket, Key="plain")["UploadId"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.upload_part(Bucket=bucket, Key="plain", UploadId=plain_upload, PartNumber=1, Body=b"x", **SSE_C)
    assert code_and_status(excinfo) == ("InvalidArgument", 400)
    reply = s3.upload_part(Bucket=bucket, Key="plain", UploadId=plain_upload, PartNumber=1, Body=b"x")
    done = s3.complete_multipart_upload(Bucket=bucket, Key="plain", UploadId=plain_upload,
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": reply["ETag"]}]})
    assert done["ServerSideEncryption"] == "AES256"


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


def test_default_encryption_configuration_today_and_with_legacy_defaults(s3, bucket, start):
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
    legacy = start(env={"CLOUDBOX_S3_LEGACY_BUCKET_DEFAULTS": "1"}).client("s3")
    legacy.create_bucket(Bucket="legacy-sse")
    for _ in range(2):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            legacy.get_bucket_encryption(Bucket="legacy-sse")
        assert code_and_status(excinfo) == ("ServerSideEncryptionConfigurationNotFoundError", 404)
        legacy.put_bucket_encryption(Bucket="legacy-sse", ServerSideEncryptionConfiguration={
            "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}]})
        config = legacy.get_bucket_encryption(Bucket="legacy-sse")["ServerSideEncryptionConfiguration"]
        assert config["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
        legacy.delete_bucket_encryption(Bucket="legacy-sse")
