"""S3 object reads beyond the body: GetObjectAttributes (its unquoted ETag,
parts a page at a time, checksums, SSE-C), the checksum of one part read by
number, the headers HEAD sends, and the request id in error bodies."""

import base64
import hashlib
import xml.etree.ElementTree as ET

import botocore.exceptions
import pytest
import requests

from awserrors import code_and_status

MIB = 1024 * 1024
PART = 5 * MIB
ALL = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]
KEY = b"0123456789abcdef0123456789abcdef"
SSE_C = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": KEY.decode()}
# boto3 encodes the key for most operations, but not for GetObjectAttributes.
SSE_C_ENCODED = {"SSECustomerAlgorithm": "AES256", "SSECustomerKey": base64.b64encode(KEY).decode(),
                 "SSECustomerKeyMD5": base64.b64encode(hashlib.md5(KEY).digest()).decode()}


def sha256_b64(data):
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def upload(s3, bucket, key, parts, **create):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key, **create)["UploadId"]
    named = []
    for number, data in enumerate(parts, start=1):
        extra = {"ChecksumAlgorithm": create["ChecksumAlgorithm"]} if "ChecksumAlgorithm" in create else {}
        reply = s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data, **extra)
        part = {"PartNumber": number, "ETag": reply["ETag"]}
        if "ChecksumSHA256" in reply:
            part["ChecksumSHA256"] = reply["ChecksumSHA256"]
        named.append(part)
    return s3.complete_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id,
                                        MultipartUpload={"Parts": named})


def test_attributes_of_a_plain_object(s3, bucket):
    put = s3.put_object(Bucket=bucket, Key="k", Body=b"foo")
    got = s3.get_object_attributes(Bucket=bucket, Key="k", ObjectAttributes=ALL)
    # GetObjectAttributes is the one operation that sends the ETag without quotes.
    assert got["ETag"] == put["ETag"].strip('"')
    assert got["ObjectSize"] == 3 and got["StorageClass"] == "STANDARD"
    assert "ObjectParts" not in got and "VersionId" not in got
    assert got["Checksum"]["ChecksumType"] == "FULL_OBJECT"


def test_attributes_list_parts_a_page_at_a_time(s3, bucket):
    parts = [bytes([65 + n]) * PART for n in range(5)] + [b"tail"]
    done = upload(s3, bucket, "mp", parts)
    got = s3.get_object_attributes(Bucket=bucket, Key="mp", ObjectAttributes=ALL)
    assert got["ETag"] == done["ETag"].strip('"')
    listed = got["ObjectParts"]
    assert listed["TotalPartsCount"] == 6 and listed["IsTruncated"] is False
    assert [(p["PartNumber"], p["Size"]) for p in listed["Parts"]] == [(n + 1, len(p)) for n, p in enumerate(parts)]
    page = s3.get_object_attributes(Bucket=bucket, Key="mp", ObjectAttributes=ALL, MaxParts=1,
                                    PartNumberMarker=3)["ObjectParts"]
    assert (page["MaxParts"], page["PartNumberMarker"], page["IsTruncated"]) == (1, 3, True)
    assert page["NextPartNumberMarker"] == 4
    assert [p["PartNumber"] for p in page["Parts"]] == [4]
    rest = s3.get_object_attributes(Bucket=bucket, Key="mp", ObjectAttributes=ALL, MaxParts=10,
                                    PartNumberMarker=4)["ObjectParts"]
    assert rest["IsTruncated"] is False and [p["PartNumber"] for p in rest["Parts"]] == [5, 6]


def test_part_checksums_in_attributes_and_part_reads(s3, bucket):
    parts = [b"a" * PART, b"b" * PART, b"c" * 1000]
    done = upload(s3, bucket, "sums", parts, ChecksumAlgorithm="SHA256")
    assert done["ChecksumType"] == "COMPOSITE"
    got = s3.get_object_attributes(Bucket=bucket, Key="sums", ObjectAttributes=ALL)
    assert got["Checksum"]["ChecksumSHA256"] == done["ChecksumSHA256"]
    assert [p["ChecksumSHA256"] for p in got["ObjectParts"]["Parts"]] == [sha256_b64(p) for p in parts]
    for number, data in enumerate(parts, start=1):
        read = s3.get_object(Bucket=bucket, Key="sums", PartNumber=number, ChecksumMode="ENABLED")
        assert read["ChecksumSHA256"] == sha256_b64(data)
        assert read["ChecksumType"] == "COMPOSITE"
        assert read["PartsCount"] == 3 and read["Body"].read() == data
    whole = s3.head_object(Bucket=bucket, Key="sums", ChecksumMode="ENABLED")
    assert whole["ChecksumSHA256"] == done["ChecksumSHA256"]
    ranged = s3.get_object(Bucket=bucket, Key="sums", Range="bytes=0-9", ChecksumMode="ENABLED")
    assert "ChecksumSHA256" not in ranged


def test_full_object_checksums_read_back_per_part(s3, bucket):
    parts = [b"x" * PART, b"y" * 10]
    done = upload(s3, bucket, "full", parts, ChecksumAlgorithm="CRC32", ChecksumType="FULL_OBJECT")
    assert done["ChecksumType"] == "FULL_OBJECT"
    first = s3.get_object(Bucket=bucket, Key="full", PartNumber=1, ChecksumMode="ENABLED")
    assert first["ChecksumType"] == "FULL_OBJECT"
    assert first["ChecksumCRC32"] != done["ChecksumCRC32"]
    got = s3.get_object_attributes(Bucket=bucket, Key="full", ObjectAttributes=ALL)
    assert got["Checksum"]["ChecksumCRC32"] == done["ChecksumCRC32"]
    assert all("ChecksumCRC32" not in p for p in got["ObjectParts"]["Parts"])


def test_attributes_of_versions_and_sse_c_objects(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket=bucket, Key="v", Body=b"one")
    s3.put_object(Bucket=bucket, Key="v", Body=b"three")
    old = s3.get_object_attributes(Bucket=bucket, Key="v", VersionId=first["VersionId"], ObjectAttributes=ALL)
    assert old["VersionId"] == first["VersionId"] and old["ObjectSize"] == 3
    s3.put_object(Bucket=bucket, Key="c", Body=b"secret", **SSE_C)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object_attributes(Bucket=bucket, Key="c", ObjectAttributes=ALL)
    assert code_and_status(excinfo) == ("InvalidRequest", 400)
    got = s3.get_object_attributes(Bucket=bucket, Key="c", ObjectAttributes=ALL, **SSE_C_ENCODED)
    assert got["ObjectSize"] == 6


def test_head_sends_the_tag_count(s3, bucket):
    s3.put_object(Bucket=bucket, Key="t", Body=b"x")
    assert "x-amz-tagging-count" not in s3.head_object(Bucket=bucket, Key="t")["ResponseMetadata"]["HTTPHeaders"]
    s3.put_object_tagging(Bucket=bucket, Key="t", Tagging={"TagSet": [{"Key": "a", "Value": "1"},
                                                                      {"Key": "b", "Value": "2"}]})
    headers = s3.head_object(Bucket=bucket, Key="t")["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amz-tagging-count"] == "2"


def test_reads_refuse_a_server_side_encryption_header(s3, bucket):
    s3.put_object(Bucket=bucket, Key="e", Body=b"x")

    def add_header(params, **_):
        params["headers"]["x-amz-server-side-encryption"] = "AES256"

    s3.meta.events.register("before-call.s3.HeadObject", add_header)
    s3.meta.events.register("before-call.s3.GetObject", add_header)
    for read in (s3.head_object, s3.get_object):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            read(Bucket=bucket, Key="e")
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_content_encoding_is_kept_as_sent_without_aws_chunked(s3, bucket):
    for sent, kept in [("deflate, gzip", "deflate, gzip"), ("gzip, aws-chunked", "gzip"), ("aws-chunked", None)]:
        s3.put_object(Bucket=bucket, Key="enc", Body=b"x", ContentEncoding=sent)
        assert s3.head_object(Bucket=bucket, Key="enc").get("ContentEncoding") == kept


def test_error_bodies_name_the_request(server, bucket):
    response = requests.get(f"{server.endpoint}/{bucket}/missing")
    assert response.status_code in (403, 404)
    body = ET.fromstring(response.content)
    assert body.findtext("RequestId") == response.headers["x-amz-request-id"]
    assert body.findtext("HostId") == response.headers["x-amz-id-2"]
