"""S3 objects end to end with boto3 and the aws CLI: put/get/head/delete,
DeleteObjects, CopyObject, ranges, conditional requests, metadata and
content headers, checksums (headers and aws-chunked trailers), size and
key limits, storage classes and GetObjectAttributes, in permissive and
strict mode."""

import base64
import datetime
import hashlib
import os
import zlib

import pytest
import requests

from awserrors import code_and_status, raised, refused


@pytest.fixture
def s3(server):
    server.reset()
    client = server.client("s3")
    client.create_bucket(Bucket="objects")
    return client


def test_put_get_head_delete_round_trip(s3):
    put = s3.put_object(Bucket="objects", Key="dir/hello.txt", Body=b"hello world", ContentType="text/plain",
                        Metadata={"Color": "blue"}, CacheControl="max-age=60", ContentDisposition="inline",
                        ContentLanguage="en", ContentEncoding="identity")
    assert put["ETag"] == '"5eb63bbbe01eeed093cb22bb8f5acdc3"'
    assert "VersionId" not in put
    got = s3.get_object(Bucket="objects", Key="dir/hello.txt")
    assert got["Body"].read() == b"hello world"
    assert got["ETag"] == put["ETag"]
    assert got["ContentType"] == "text/plain"
    assert got["ContentLength"] == 11
    assert got["Metadata"] == {"color": "blue"}
    assert got["CacheControl"] == "max-age=60"
    assert got["ContentDisposition"] == "inline"
    assert got["ContentLanguage"] == "en"
    assert got["ContentEncoding"] == "identity"
    assert got["AcceptRanges"] == "bytes"
    head = s3.head_object(Bucket="objects", Key="dir/hello.txt")
    assert head["ContentLength"] == 11 and head["ETag"] == put["ETag"]
    assert head["LastModified"] == got["LastModified"]
    assert "StorageClass" not in head
    assert s3.delete_object(Bucket="objects", Key="dir/hello.txt")["ResponseMetadata"]["HTTPStatusCode"] == 204
    assert refused(lambda: s3.get_object(Bucket="objects", Key="dir/hello.txt")) == ("NoSuchKey", 404)
    assert refused(lambda: s3.head_object(Bucket="objects", Key="dir/hello.txt")) == ("404", 404)
    # Deleting what is not there succeeds.
    assert s3.delete_object(Bucket="objects", Key="nothing")["ResponseMetadata"]["HTTPStatusCode"] == 204


def test_objects_in_missing_buckets(s3):
    assert refused(lambda: s3.put_object(Bucket="no-such-bucket-x", Key="k", Body=b"x")) == ("NoSuchBucket", 404)
    assert refused(lambda: s3.get_object(Bucket="no-such-bucket-x", Key="k")) == ("NoSuchBucket", 404)


def test_default_content_type_and_empty_bodies(s3):
    s3.put_object(Bucket="objects", Key="empty", Body=b"")
    got = s3.get_object(Bucket="objects", Key="empty")
    assert got["Body"].read() == b""
    assert got["ContentType"] == "binary/octet-stream"
    assert got["ETag"] == '"d41d8cd98f00b204e9800998ecf8427e"'


def test_ranges(s3):
    body = bytes(range(256)) * 4
    s3.put_object(Bucket="objects", Key="r", Body=body)
    part = s3.get_object(Bucket="objects", Key="r", Range="bytes=10-19")
    assert part["ResponseMetadata"]["HTTPStatusCode"] == 206
    assert part["ContentRange"] == "bytes 10-19/1024"
    assert part["Body"].read() == body[10:20]
    assert s3.get_object(Bucket="objects", Key="r", Range="bytes=1000-")["Body"].read() == body[1000:]
    assert s3.get_object(Bucket="objects", Key="r", Range="bytes=-5")["Body"].read() == body[-5:]
    assert s3.get_object(Bucket="objects", Key="r", Range="bytes=1020-5000")["ContentRange"] == "bytes 1020-1023/1024"
    code, status = refused(lambda: s3.get_object(Bucket="objects", Key="r", Range="bytes=2000-"))
    assert (code, status) == ("InvalidRange", 416)
    whole = s3.get_object(Bucket="objects", Key="r", Range="chunks=1-2")
    assert whole["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert whole["Body"].read() == body
    head = s3.head_object(Bucket="objects", Key="r", Range="bytes=0-9")
    assert head["ContentLength"] == 10 and head["ContentRange"] == "bytes 0-9/1024"


def test_conditional_reads(s3):
    etag = s3.put_object(Bucket="objects", Key="c", Body=b"data")["ETag"]
    modified = s3.head_object(Bucket="objects", Key="c")["LastModified"]
    later = modified + datetime.timedelta(hours=1)
    earlier = modified - datetime.timedelta(hours=1)
    assert s3.get_object(Bucket="objects", Key="c", IfMatch=etag)["Body"].read() == b"data"
    assert refused(lambda: s3.get_object(Bucket="objects", Key="c", IfMatch='"nope"')) == ("PreconditionFailed", 412)
    assert refused(lambda: s3.get_object(Bucket="objects", Key="c", IfNoneMatch=etag))[1] == 304
    assert refused(lambda: s3.get_object(Bucket="objects", Key="c", IfModifiedSince=later))[1] == 304
    assert s3.get_object(Bucket="objects", Key="c", IfModifiedSince=earlier)["ETag"] == etag
    assert refused(lambda: s3.get_object(Bucket="objects", Key="c", IfUnmodifiedSince=earlier))[1] == 412
    # If-Match true wins over If-Unmodified-Since false; If-None-Match false wins over If-Modified-Since.
    assert s3.get_object(Bucket="objects", Key="c", IfMatch=etag, IfUnmodifiedSince=earlier)["ETag"] == etag
    assert s3.get_object(Bucket="objects", Key="c", IfNoneMatch='"other"', IfModifiedSince=later)["ETag"] == etag
    assert refused(lambda: s3.head_object(Bucket="objects", Key="c", IfNoneMatch=etag))[1] == 304


def test_conditional_writes(s3):
    first = s3.put_object(Bucket="objects", Key="w", Body=b"one", IfNoneMatch="*")["ETag"]
    assert refused(lambda: s3.put_object(Bucket="objects", Key="w", Body=b"two", IfNoneMatch="*")) == (
        "PreconditionFailed", 412)
    assert refused(lambda: s3.put_object(Bucket="objects", Key="w", Body=b"two", IfMatch='"0000"')) == (
        "PreconditionFailed", 412)
    s3.put_object(Bucket="objects", Key="w", Body=b"two", IfMatch=first)
    assert s3.get_object(Bucket="objects", Key="w")["Body"].read() == b"two"
    assert refused(lambda: s3.put_object(Bucket="objects", Key="absent", Body=b"x", IfMatch=first)) == (
        "NoSuchKey", 404)


def test_response_header_overrides(s3):
    s3.put_object(Bucket="objects", Key="o", Body=b"x", ContentType="text/plain")
    got = s3.get_object(Bucket="objects", Key="o", ResponseContentType="application/json",
                        ResponseContentDisposition="attachment; filename=x.json", ResponseCacheControl="no-cache",
                        ResponseContentLanguage="fr", ResponseContentEncoding="gzip",
                        ResponseExpires=datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc))
    assert got["ContentType"] == "application/json"
    assert got["ContentDisposition"] == "attachment; filename=x.json"
    assert got["CacheControl"] == "no-cache"
    assert got["ContentLanguage"] == "fr"
    assert got["ContentEncoding"] == "gzip"
    assert got["ResponseMetadata"]["HTTPHeaders"]["expires"] == "Tue, 01 Jan 2030 00:00:00 GMT"


def test_limits(s3):
    assert refused(lambda: s3.put_object(Bucket="objects", Key="k" * 1025, Body=b"x")) == ("KeyTooLongError", 400)
    s3.put_object(Bucket="objects", Key="k" * 1024, Body=b"x")
    code, status = refused(lambda: s3.put_object(Bucket="objects", Key="m", Body=b"x",
                                                 Metadata={"big": "v" * 2100}))
    assert (code, status) == ("MetadataTooLarge", 400)
    assert refused(lambda: s3.put_object(Bucket="objects", Key="s", Body=b"x", StorageClass="COLD"))[0] in (
        "InvalidStorageClass", "InvalidArgument")


def test_entity_too_large_is_refused_before_the_body(server, s3):
    response = server.signed_s3("PUT", "/objects/huge", headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"},
                                unsigned_headers={"Content-Length": str(5 * 1024 ** 3 + 1)})
    assert response.status_code == 400
    assert b"<Code>EntityTooLarge</Code>" in response.content


def test_content_md5(s3):
    good = base64.b64encode(hashlib.md5(b"payload").digest()).decode()
    s3.put_object(Bucket="objects", Key="md5", Body=b"payload", ContentMD5=good)
    bad = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    failure = raised(lambda: s3.put_object(Bucket="objects", Key="md5", Body=b"payload", ContentMD5=bad))
    code, status = code_and_status(failure)
    response = failure.value.response
    assert (code, status) == ("BadDigest", 400)
    assert response["Error"]["Message"] == "The Content-MD5 you specified did not match what we received."
    assert refused(lambda: s3.put_object(Bucket="objects", Key="md5", Body=b"payload", ContentMD5="abc"))[0] == "InvalidDigest"
    assert s3.get_object(Bucket="objects", Key="md5")["Body"].read() == b"payload"


def reflected_crc(data, poly, width):
    """A reflected CRC with all-ones initial value and final XOR (CRC32C, CRC64NVME)."""
    mask = (1 << width) - 1
    table = []
    for byte in range(256):
        value = byte
        for _ in range(8):
            value = (value >> 1) ^ poly if value & 1 else value >> 1
        table.append(value)
    crc = mask
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return base64.b64encode((crc ^ mask).to_bytes(width // 8, "big")).decode()


def test_checksum_helper_matches_known_vectors():
    assert reflected_crc(b"123456789", 0x82F63B78, 32) == base64.b64encode(bytes.fromhex("e3069283")).decode()
    assert reflected_crc(b"123456789", 0x9A6C9329AC4BC9B5, 64) == \
        base64.b64encode(bytes.fromhex("ae8b14860a799888")).decode()


@pytest.mark.parametrize("algorithm", ["CRC32", "CRC32C", "SHA1", "SHA256", "CRC64NVME"])
def test_flexible_checksums_are_verified_stored_and_returned(s3, algorithm):
    body = os.urandom(3000)
    field = f"Checksum{algorithm}"
    if algorithm == "CRC32C":
        given = {field: reflected_crc(body, 0x82F63B78, 32)}
    elif algorithm == "CRC64NVME":
        given = {field: reflected_crc(body, 0x9A6C9329AC4BC9B5, 64)}
    else:
        given = {"ChecksumAlgorithm": algorithm}
    put = s3.put_object(Bucket="objects", Key=f"sum-{algorithm}", Body=body, **given)
    assert field in put
    if field in given:
        assert put[field] == given[field]
    got = s3.get_object(Bucket="objects", Key=f"sum-{algorithm}", ChecksumMode="ENABLED")
    assert got[field] == put[field]
    assert got["Body"].read() == body
    head = s3.head_object(Bucket="objects", Key=f"sum-{algorithm}", ChecksumMode="ENABLED")
    assert head[field] == put[field]
    assert field not in s3.head_object(Bucket="objects", Key=f"sum-{algorithm}")


def test_wrong_checksums_are_refused(s3):
    wrong = base64.b64encode((zlib.crc32(b"other") & 0xFFFFFFFF).to_bytes(4, "big")).decode()
    code, status = refused(lambda: s3.put_object(Bucket="objects", Key="bad", Body=b"payload", ChecksumCRC32=wrong))
    assert (code, status) == ("BadDigest", 400)
    right = base64.b64encode((zlib.crc32(b"payload") & 0xFFFFFFFF).to_bytes(4, "big")).decode()
    assert s3.put_object(Bucket="objects", Key="good", Body=b"payload", ChecksumCRC32=right)["ChecksumCRC32"] == right
    assert refused(lambda: s3.get_object(Bucket="objects", Key="bad"))[0] == "NoSuchKey"


def test_trailer_checksums_from_aws_chunked_uploads(server, s3):
    """boto3 sends aws-chunked bodies with a CRC trailer for file-like bodies."""
    import io
    body = os.urandom(200_000)
    s3.upload_fileobj(io.BytesIO(body), "objects", "chunked.bin")
    got = s3.get_object(Bucket="objects", Key="chunked.bin", ChecksumMode="ENABLED")
    assert got["Body"].read() == body
    assert got["ETag"] == f'"{hashlib.md5(body).hexdigest()}"'
    # A body with a wrong trailer is refused and leaves nothing.
    raw = b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n"
    response = server.signed_s3("PUT", "/objects/trailer-bad", body=raw, headers={
        "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-decoded-content-length": "5",
        "x-amz-trailer": "x-amz-checksum-crc32", "content-encoding": "aws-chunked"})
    assert response.status_code == 400 and b"BadDigest" in response.content
    good_crc = base64.b64encode((zlib.crc32(b"hello") & 0xFFFFFFFF).to_bytes(4, "big")).decode()
    raw = b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:" + good_crc.encode() + b"\r\n\r\n"
    response = server.signed_s3("PUT", "/objects/trailer-good", body=raw, headers={
        "x-amz-content-sha256": "STREAMING-UNSIGNED-PAYLOAD-TRAILER", "x-amz-decoded-content-length": "5",
        "x-amz-trailer": "x-amz-checksum-crc32", "content-encoding": "aws-chunked"})
    assert response.status_code == 200, response.content
    got = s3.get_object(Bucket="objects", Key="trailer-good", ChecksumMode="ENABLED")
    assert got["Body"].read() == b"hello"
    assert got["ChecksumCRC32"] == good_crc
    assert "ContentEncoding" not in got
    assert refused(lambda: s3.head_object(Bucket="objects", Key="trailer-bad"))[1] == 404


def test_streaming_payloads_in_strict_mode(start):
    box = start(auth="strict")
    s3 = box.client("s3")
    s3.create_bucket(Bucket="strict-objects")
    import io
    body = os.urandom(150_000)
    s3.upload_fileobj(io.BytesIO(body), "strict-objects", "k")
    assert s3.get_object(Bucket="strict-objects", Key="k")["Body"].read() == body
    s3.put_object(Bucket="strict-objects", Key="small", Body=b"abc", ChecksumAlgorithm="SHA256")
    assert s3.get_object(Bucket="strict-objects", Key="small")["Body"].read() == b"abc"


def test_unknown_keys_and_sigv4_streaming_in_permissive_mode(server, s3):
    import io
    other = server.client("s3", key=("AKIAUNKNOWN000000000", "whatever"))
    body = os.urandom(100_000)
    other.upload_fileobj(io.BytesIO(body), "objects", "from-unknown")
    assert s3.get_object(Bucket="objects", Key="from-unknown")["Body"].read() == body
    # Signed chunks (STREAMING-AWS4-HMAC-SHA256-PAYLOAD), as some SDKs send them.
    raw = b"6;chunk-signature=" + b"0" * 64 + b"\r\nhello \r\n5;chunk-signature=" + b"0" * 64 + \
        b"\r\nworld\r\n0;chunk-signature=" + b"0" * 64 + b"\r\n\r\n"
    response = requests.put(f"{server.endpoint}/objects/signed-chunks", data=raw, timeout=10, headers={
        "x-amz-content-sha256": "STREAMING-AWS4-HMAC-SHA256-PAYLOAD", "x-amz-decoded-content-length": "11",
        "content-encoding": "aws-chunked", "x-amz-date": "20240101T000000Z",
        "authorization": "AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN000000000/20240101/us-east-1/s3/aws4_request, "
                         "SignedHeaders=host, Signature=" + "0" * 64})
    assert response.status_code == 200, response.content
    assert s3.get_object(Bucket="objects", Key="signed-chunks")["Body"].read() == b"hello world"


def test_multi_mib_upload_and_download_files(s3, tmp_path):
    source = tmp_path / "source.bin"
    data = os.urandom(7 * 1024 * 1024 + 123)
    source.write_bytes(data)
    s3.upload_file(str(source), "objects", "files/big.bin")
    target = tmp_path / "target.bin"
    s3.download_file("objects", "files/big.bin", str(target))
    assert target.read_bytes() == data
    # A single PUT of several MiB keeps the MD5 ETag.
    put = s3.put_object(Bucket="objects", Key="files/single.bin", Body=data)
    assert put["ETag"] == f'"{hashlib.md5(data).hexdigest()}"'
    part = s3.get_object(Bucket="objects", Key="files/single.bin", Range="bytes=5000000-5000099")["Body"].read()
    assert part == data[5000000:5000100]


def test_resource_api(server, s3):
    resource = server.client("s3")  # noqa: F841 (client kept for symmetry)
    import boto3
    import botocore.config
    res = boto3.resource("s3", endpoint_url=server.endpoint, region_name="us-east-1", aws_access_key_id="test",
                         aws_secret_access_key="test", config=botocore.config.Config(retries={"max_attempts": 1}))
    bucket = res.Bucket("objects")
    bucket.put_object(Key="res/a", Body=b"A")
    bucket.Object("res/b").put(Body=b"BB")
    assert sorted(o.key for o in bucket.objects.filter(Prefix="res/")) == ["res/a", "res/b"]
    assert bucket.Object("res/b").get()["Body"].read() == b"BB"
    assert bucket.Object("res/b").content_length == 2
    bucket.objects.filter(Prefix="res/").delete()
    assert list(bucket.objects.filter(Prefix="res/")) == []


def test_delete_objects(server, s3):
    for key in ["a", "b", "c"]:
        s3.put_object(Bucket="objects", Key=key, Body=key.encode())
    result = s3.delete_objects(Bucket="objects", Delete={"Objects": [{"Key": "a"}, {"Key": "b"}, {"Key": "zz"}]})
    assert sorted(d["Key"] for d in result["Deleted"]) == ["a", "b", "zz"]
    assert "Errors" not in result
    quiet = s3.delete_objects(Bucket="objects", Delete={"Objects": [{"Key": "c"}], "Quiet": True})
    assert "Deleted" not in quiet or quiet["Deleted"] == []
    assert s3.list_objects_v2(Bucket="objects")["KeyCount"] == 0
    errors = s3.delete_objects(Bucket="objects", Delete={"Objects": [{"Key": "x", "VersionId": "not-a-version"}]})
    assert errors["Errors"][0]["Key"] == "x"
    assert errors["Errors"][0]["Code"] == "InvalidArgument"
    # Content-MD5 (or a flexible checksum) is required, and checked.
    body = b'<Delete><Object><Key>a</Key></Object></Delete>'
    missing = server.signed_s3("POST", "/objects?delete", body=body)
    assert missing.status_code == 400 and b"Content-MD5" in missing.content
    wrong = server.signed_s3("POST", "/objects?delete", body=body,
                             headers={"Content-MD5": base64.b64encode(hashlib.md5(b"x").digest()).decode()})
    assert wrong.status_code == 400 and b"BadDigest" in wrong.content
    right = server.signed_s3("POST", "/objects?delete", body=body,
                             headers={"Content-MD5": base64.b64encode(hashlib.md5(body).digest()).decode()})
    assert right.status_code == 200 and b"<Deleted>" in right.content


def test_copy_object(s3):
    s3.put_object(Bucket="objects", Key="src", Body=b"source body", ContentType="text/plain",
                  Metadata={"a": "1"}, Tagging="t=1")
    copied = s3.copy_object(Bucket="objects", Key="dst", CopySource={"Bucket": "objects", "Key": "src"})
    assert copied["CopyObjectResult"]["ETag"] == s3.head_object(Bucket="objects", Key="src")["ETag"]
    got = s3.get_object(Bucket="objects", Key="dst")
    assert got["Body"].read() == b"source body"
    assert got["ContentType"] == "text/plain" and got["Metadata"] == {"a": "1"}
    assert got["TagCount"] == 1
    replaced = s3.copy_object(Bucket="objects", Key="dst2", CopySource="objects/src", MetadataDirective="REPLACE",
                              Metadata={"b": "2"}, ContentType="application/json", TaggingDirective="REPLACE",
                              Tagging="x=1&y=2")
    assert replaced["CopyObjectResult"]["ETag"]
    head = s3.get_object(Bucket="objects", Key="dst2")
    assert head["Metadata"] == {"b": "2"} and head["ContentType"] == "application/json" and head["TagCount"] == 2
    # Deleting the source leaves the copy whole.
    s3.delete_object(Bucket="objects", Key="src")
    assert s3.get_object(Bucket="objects", Key="dst")["Body"].read() == b"source body"
    failure = raised(lambda: s3.copy_object(Bucket="objects", Key="dst", CopySource="objects/dst"))
    code, status = code_and_status(failure)
    response = failure.value.response
    assert (code, status) == ("InvalidRequest", 400)
    assert "copy an object to itself without changing" in response["Error"]["Message"]
    s3.copy_object(Bucket="objects", Key="dst", CopySource="objects/dst", MetadataDirective="REPLACE", Metadata={"n": "1"})
    assert s3.head_object(Bucket="objects", Key="dst")["Metadata"] == {"n": "1"}
    s3.copy_object(Bucket="objects", Key="dst", CopySource="objects/dst", StorageClass="STANDARD_IA")
    assert s3.head_object(Bucket="objects", Key="dst")["StorageClass"] == "STANDARD_IA"
    assert refused(lambda: s3.copy_object(Bucket="objects", Key="x", CopySource="objects/missing"))[0] == "NoSuchKey"


def test_copy_conditions(s3):
    etag = s3.put_object(Bucket="objects", Key="cs", Body=b"x")["ETag"]
    source = {"Bucket": "objects", "Key": "cs"}
    s3.copy_object(Bucket="objects", Key="c1", CopySource=source, CopySourceIfMatch=etag)
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=1)
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=1)
    for condition in [{"CopySourceIfMatch": '"nope"'}, {"CopySourceIfNoneMatch": etag},
                      {"CopySourceIfModifiedSince": future}, {"CopySourceIfUnmodifiedSince": past}]:
        assert refused(lambda: s3.copy_object(Bucket="objects", Key="c2", CopySource=source, **condition)) == (
            "PreconditionFailed", 412), condition
    s3.copy_object(Bucket="objects", Key="c3", CopySource=source, CopySourceIfNoneMatch='"other"',
                   CopySourceIfModifiedSince=past)


def test_storage_classes_and_attributes(s3):
    for storage_class in ["STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING",
                          "GLACIER_IR"]:
        s3.put_object(Bucket="objects", Key=f"class/{storage_class}", Body=b"x", StorageClass=storage_class)
        head = s3.head_object(Bucket="objects", Key=f"class/{storage_class}")
        assert head.get("StorageClass", "STANDARD") == storage_class
    listed = {o["Key"]: o["StorageClass"] for o in s3.list_objects_v2(Bucket="objects", Prefix="class/")["Contents"]}
    assert listed["class/ONEZONE_IA"] == "ONEZONE_IA" and listed["class/STANDARD"] == "STANDARD"
    put = s3.put_object(Bucket="objects", Key="attrs", Body=b"attributes", ChecksumAlgorithm="SHA256")
    attributes = s3.get_object_attributes(Bucket="objects", Key="attrs",
                                          ObjectAttributes=["ETag", "Checksum", "ObjectSize", "StorageClass"])
    assert attributes["ObjectSize"] == 10
    assert attributes["StorageClass"] == "STANDARD"
    assert attributes["Checksum"]["ChecksumSHA256"] == put["ChecksumSHA256"]
    assert attributes["ETag"].strip('"') == put["ETag"].strip('"')


def test_aws_cli_cp_sync_ls(server, s3, tmp_path):
    local = tmp_path / "tree"
    (local / "sub").mkdir(parents=True)
    (local / "a.txt").write_bytes(b"alpha")
    (local / "sub" / "b.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    def cli(*args):
        result = server.aws(*args, check=False)
        assert result.returncode == 0, result.stderr
        return result

    cli("s3", "cp", str(local / "a.txt"), "s3://objects/cli/a.txt")
    cli("s3", "cp", "--recursive", str(local), "s3://objects/rec/")
    cli("s3", "sync", str(local), "s3://objects/synced/")
    listing = server.aws("s3", "ls", "--recursive", "s3://objects/", check=False).stdout
    for key in ["cli/a.txt", "rec/a.txt", "rec/sub/b.bin", "synced/a.txt", "synced/sub/b.bin"]:
        assert key in listing
    again = server.aws("s3", "sync", str(local), "s3://objects/synced/", check=False)
    assert again.returncode == 0 and "upload:" not in again.stdout
    back = tmp_path / "back"
    cli("s3", "sync", "s3://objects/synced/", str(back))
    assert (back / "sub" / "b.bin").read_bytes() == (local / "sub" / "b.bin").read_bytes()
    head = server.aws("s3api", "head-object", "--bucket", "objects", "--key", "cli/a.txt")
    assert head["ContentLength"] == 5
    cli("s3", "rm", "--recursive", "s3://objects/rec/")
    assert "rec/" not in server.aws("s3", "ls", "--recursive", "s3://objects/", check=False).stdout


def test_bucket_with_objects_is_not_empty(s3):
    s3.create_bucket(Bucket="full-bucket")
    s3.put_object(Bucket="full-bucket", Key="k", Body=b"x")
    assert refused(lambda: s3.delete_bucket(Bucket="full-bucket")) == ("BucketNotEmpty", 409)
    s3.delete_object(Bucket="full-bucket", Key="k")
    s3.delete_bucket(Bucket="full-bucket")


def test_reset_clears_bodies(server, s3):
    s3.put_object(Bucket="objects", Key="big", Body=os.urandom(200_000))
    server.reset()
    client = server.client("s3")
    assert refused(lambda: client.get_object(Bucket="objects", Key="big"))[0] == "NoSuchBucket"


def test_bodies_sent_chunked_without_a_length(server, s3):
    def chunks(total, size=64 * 1024):
        sent = 0
        while sent < total:
            piece = min(size, total - sent)
            yield b"c" * piece
            sent += piece

    headers = {"x-amz-content-sha256": "UNSIGNED-PAYLOAD", "x-amz-date": "20240101T000000Z",
               "authorization": "AWS4-HMAC-SHA256 Credential=AKIAUNKNOWN000000000/20240101/us-east-1/s3/"
                                "aws4_request, SignedHeaders=host, Signature=" + "0" * 64}
    response = requests.put(f"{server.endpoint}/objects/chunked", data=chunks(300_000), headers=headers, timeout=30)
    assert response.status_code == 200, response.content
    assert s3.get_object(Bucket="objects", Key="chunked")["Body"].read() == b"c" * 300_000
    too_long = requests.put(f"{server.endpoint}/objects/huge", data=chunks(17 * 1024 * 1024), headers=headers,
                            timeout=30)
    assert too_long.status_code == 411
    assert b"<Code>MissingContentLength</Code>" in too_long.content
