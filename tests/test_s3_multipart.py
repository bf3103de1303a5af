"""S3 multipart uploads end to end: boto3's low-level calls, its transfer
manager, and the aws CLI, checked byte for byte and ETag for ETag."""

import base64
import datetime
import hashlib
import json
import os
import socket
import time
import zlib

import boto3.s3.transfer
import botocore.exceptions
import pytest

from awserrors import code_message_status
from conftest import unique

MIB = 1024 * 1024
PART = 5 * MIB


def multipart_etag(parts):
    digests = b"".join(hashlib.md5(p).digest() for p in parts)
    return f'"{hashlib.md5(digests).hexdigest()}-{len(parts)}"'


def upload(s3, bucket, key, parts, **create):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key=key, **create)["UploadId"]
    etags = []
    for number, data in enumerate(parts, start=1):
        etags.append(s3.upload_part(Bucket=bucket, Key=key, UploadId=upload_id, PartNumber=number, Body=data)["ETag"])
    return upload_id, [{"PartNumber": n, "ETag": e} for n, e in enumerate(etags, start=1)]


def test_upload_complete_and_read_back(s3, bucket):
    parts = [os.urandom(PART), os.urandom(PART), b"tail bytes"]
    upload_id, listed = upload(s3, bucket, "big/object.bin", parts, ContentType="application/x-test",
                               Metadata={"Owner": "me"}, Tagging="a=1&b=two")
    assert listed[0]["ETag"] == f'"{hashlib.md5(parts[0]).hexdigest()}"'
    done = s3.complete_multipart_upload(Bucket=bucket, Key="big/object.bin", UploadId=upload_id,
                                       MultipartUpload={"Parts": listed})
    assert done["ETag"] == multipart_etag(parts)
    assert done["Key"] == "big/object.bin" and done["Bucket"] == bucket
    got = s3.get_object(Bucket=bucket, Key="big/object.bin")
    assert got["Body"].read() == b"".join(parts)
    assert got["ETag"] == multipart_etag(parts)
    assert got["ContentType"] == "application/x-test"
    assert got["Metadata"] == {"owner": "me"}
    assert got["ContentLength"] == 2 * PART + len(b"tail bytes")
    ranged = s3.get_object(Bucket=bucket, Key="big/object.bin", Range=f"bytes={PART - 5}-{PART + 4}")
    assert ranged["Body"].read() == parts[0][-5:] + parts[1][:5]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_parts(Bucket=bucket, Key="big/object.bin", UploadId=upload_id)
    assert code_message_status(e)[0] == "NoSuchUpload"
    # Repeating the completion answers as the first one did; other parts do not.
    again = s3.complete_multipart_upload(Bucket=bucket, Key="big/object.bin", UploadId=upload_id,
                                        MultipartUpload={"Parts": listed})
    assert again["ETag"] == done["ETag"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="big/object.bin", UploadId=upload_id,
                                     MultipartUpload={"Parts": listed[:1]})
    assert code_message_status(e)[0] == "NoSuchUpload"


def test_acl_tags_and_lock_apply_at_completion(s3):
    name = unique("mpu-lock")
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    s3.delete_public_access_block(Bucket=name)
    s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    until = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) + datetime.timedelta(days=2)
    upload_id, listed = upload(s3, name, "k", [b"locked body"], ACL="public-read", Tagging="team=blue",
                               ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until)
    s3.complete_multipart_upload(Bucket=name, Key="k", UploadId=upload_id, MultipartUpload={"Parts": listed})
    grants = s3.get_object_acl(Bucket=name, Key="k")["Grants"]
    assert any(g["Grantee"].get("URI") == "http://acs.amazonaws.com/groups/global/AllUsers" and g["Permission"] == "READ"
               for g in grants), grants
    assert s3.get_object_tagging(Bucket=name, Key="k")["TagSet"] == [{"Key": "team", "Value": "blue"}]
    retention = s3.get_object_retention(Bucket=name, Key="k")["Retention"]
    assert retention["Mode"] == "GOVERNANCE" and retention["RetainUntilDate"] == until


def test_part_numbers_are_checked(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    for bad in (0, 10001):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=bad, Body=b"x")
        assert code_message_status(e) == ("InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive", 400)


def test_unknown_uploads(s3, bucket):
    for call in (
        lambda: s3.upload_part(Bucket=bucket, Key="k", UploadId="nope", PartNumber=1, Body=b"x"),
        lambda: s3.list_parts(Bucket=bucket, Key="k", UploadId="nope"),
        lambda: s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId="nope"),
        lambda: s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId="nope",
                                             MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": '"x"'}]}),
    ):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            call()
        code, message, status = code_message_status(e)
        assert (code, status) == ("NoSuchUpload", 404)
        assert message.startswith("The specified upload does not exist.")
    # The upload id belongs to one key only.
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="mine")["UploadId"]
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_parts(Bucket=bucket, Key="other", UploadId=upload_id)
    assert code_message_status(e)[0] == "NoSuchUpload"


def test_completion_checks_the_part_list(s3, bucket):
    small = [b"a" * 1024, b"b" * 1024]
    upload_id, listed = upload(s3, bucket, "k", small)

    def complete(parts):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id,
                                         MultipartUpload={"Parts": parts})
        return code_message_status(e)

    assert complete(list(reversed(listed)))[:2] == (
        "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.")
    code, message, status = complete([{"PartNumber": 1, "ETag": '"0123456789abcdef0123456789abcdef"'}])
    assert (code, status) == ("InvalidPart", 400)
    assert message.startswith("One or more of the specified parts could not be found.")
    assert complete([{"PartNumber": 3, "ETag": listed[0]["ETag"]}])[0] == "InvalidPart"
    assert complete(listed)[:2] == ("EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size")
    assert complete([])[0] == "MalformedXML"
    # The upload is still there and a single small part completes.
    done = s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id,
                                       MultipartUpload={"Parts": [listed[1]]})
    assert done["ETag"] == multipart_etag([small[1]])
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == small[1]


def test_a_part_named_twice_counts_once_as_its_last_entry(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    old = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=1, Body=b"old")["ETag"]
    new = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=1, Body=b"new")["ETag"]
    s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": old}, {"PartNumber": 1, "ETag": new}]})
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"new"


def test_reuploading_a_part_replaces_it(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=1, Body=b"first" * 20000)
    etag = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=1, Body=b"second")["ETag"]
    parts = s3.list_parts(Bucket=bucket, Key="k", UploadId=upload_id)["Parts"]
    assert [(p["PartNumber"], p["ETag"], p["Size"]) for p in parts] == [(1, etag, 6)]
    s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": etag}]})
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"second"


def test_list_parts_pages(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    for number in (1, 2, 3, 5, 8):
        s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=number, Body=b"x" * number)
    first = s3.list_parts(Bucket=bucket, Key="k", UploadId=upload_id, MaxParts=2)
    assert [p["PartNumber"] for p in first["Parts"]] == [1, 2]
    assert first["IsTruncated"] is True and first["NextPartNumberMarker"] == 2 and first["MaxParts"] == 2
    rest = s3.list_parts(Bucket=bucket, Key="k", UploadId=upload_id, PartNumberMarker=2)
    assert [(p["PartNumber"], p["Size"]) for p in rest["Parts"]] == [(3, 3), (5, 5), (8, 8)]
    assert rest["IsTruncated"] is False and rest["PartNumberMarker"] == 2
    assert rest["StorageClass"] == "STANDARD" and rest["Owner"]["ID"] and rest["Initiator"]["ID"]
    paginated = s3.get_paginator("list_parts").paginate(Bucket=bucket, Key="k", UploadId=upload_id,
                                                        PaginationConfig={"PageSize": 2})
    assert [p["PartNumber"] for page in paginated for p in page.get("Parts", [])] == [1, 2, 3, 5, 8]


def test_list_uploads_in_key_then_initiation_order(s3, bucket):
    ids = {}
    for key in ("b", "a", "a", "photos/2024/x.jpg", "photos/2024/y.jpg", "photos/top.jpg", "z"):
        ids.setdefault(key, []).append(s3.create_multipart_upload(Bucket=bucket, Key=key)["UploadId"])
    listed = s3.list_multipart_uploads(Bucket=bucket)
    assert [(u["Key"], u["UploadId"]) for u in listed["Uploads"]] == [
        ("a", ids["a"][0]), ("a", ids["a"][1]), ("b", ids["b"][0]), ("photos/2024/x.jpg", ids["photos/2024/x.jpg"][0]),
        ("photos/2024/y.jpg", ids["photos/2024/y.jpg"][0]), ("photos/top.jpg", ids["photos/top.jpg"][0]),
        ("z", ids["z"][0])]
    assert listed["IsTruncated"] is False and listed["MaxUploads"] == 1000
    assert all(u["StorageClass"] == "STANDARD" and u["Initiated"] for u in listed["Uploads"])

    grouped = s3.list_multipart_uploads(Bucket=bucket, Prefix="photos/", Delimiter="/")
    assert [u["Key"] for u in grouped["Uploads"]] == ["photos/top.jpg"]
    assert [p["Prefix"] for p in grouped["CommonPrefixes"]] == ["photos/2024/"]

    page = s3.list_multipart_uploads(Bucket=bucket, MaxUploads=1)
    assert page["IsTruncated"] is True
    assert (page["NextKeyMarker"], page["NextUploadIdMarker"]) == ("a", ids["a"][0])
    after = s3.list_multipart_uploads(Bucket=bucket, KeyMarker="a", UploadIdMarker=ids["a"][0], MaxUploads=2)
    assert [(u["Key"], u["UploadId"]) for u in after["Uploads"]] == [("a", ids["a"][1]), ("b", ids["b"][0])]
    past_key = s3.list_multipart_uploads(Bucket=bucket, KeyMarker="photos/top.jpg")
    assert [u["Key"] for u in past_key["Uploads"]] == ["z"]
    everything = s3.get_paginator("list_multipart_uploads").paginate(Bucket=bucket, PaginationConfig={"PageSize": 2})
    assert sum(len(page.get("Uploads", [])) for page in everything) == 7


def test_abort_removes_the_upload(s3, bucket):
    upload_id, _ = upload(s3, bucket, "k", [b"x" * 100_000, b"y" * 10])
    s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id)
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.abort_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id)
    assert code_message_status(e)[0] == "NoSuchUpload"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.head_object(Bucket=bucket, Key="k")
    assert code_message_status(e)[2] == 404


def test_deleting_a_bucket_aborts_its_uploads(s3):
    name = unique("mpu-gone")
    s3.create_bucket(Bucket=name)
    upload_id = s3.create_multipart_upload(Bucket=name, Key="k")["UploadId"]
    s3.upload_part(Bucket=name, Key="k", UploadId=upload_id, PartNumber=1, Body=b"x" * 100_000)
    s3.delete_bucket(Bucket=name)
    s3.create_bucket(Bucket=name)
    assert s3.list_multipart_uploads(Bucket=name).get("Uploads", []) == []
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.list_parts(Bucket=name, Key="k", UploadId=upload_id)
    assert code_message_status(e)[0] == "NoSuchUpload"


def test_keys_over_1024_bytes_are_refused(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.create_multipart_upload(Bucket=bucket, Key="k" * 1025)
    assert code_message_status(e)[0] == "KeyTooLongError"


def test_content_md5_and_checksums_are_verified(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="SHA256")["UploadId"]
    wrong_md5 = base64.b64encode(hashlib.md5(b"other").digest()).decode()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=1, Body=b"data", ContentMD5=wrong_md5)
    assert code_message_status(e)[0] == "BadDigest"
    wrong_sha = base64.b64encode(hashlib.sha256(b"other").digest()).decode()
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=1, Body=b"data", ChecksumSHA256=wrong_sha)
    assert code_message_status(e)[0] in ("BadDigest", "InvalidRequest")
    assert s3.list_parts(Bucket=bucket, Key="k", UploadId=upload_id).get("Parts", []) == []

    parts = [os.urandom(PART), b"end"]
    sums = [hashlib.sha256(p).digest() for p in parts]
    listed = []
    for number, data in enumerate(parts, start=1):
        reply = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=number, Body=data,
                               ContentMD5=base64.b64encode(hashlib.md5(data).digest()).decode(),
                               ChecksumSHA256=base64.b64encode(sums[number - 1]).decode())
        assert reply["ChecksumSHA256"] == base64.b64encode(sums[number - 1]).decode()
        listed.append({"PartNumber": number, "ETag": reply["ETag"], "ChecksumSHA256": reply["ChecksumSHA256"]})
    shown = s3.list_parts(Bucket=bucket, Key="k", UploadId=upload_id)
    assert shown["ChecksumAlgorithm"] == "SHA256"
    assert [p["ChecksumSHA256"] for p in shown["Parts"]] == [x["ChecksumSHA256"] for x in listed]
    done = s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id, MultipartUpload={"Parts": listed})
    composite = base64.b64encode(hashlib.sha256(b"".join(sums)).digest()).decode()
    assert done["ChecksumSHA256"] == f"{composite}-2"
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"".join(parts)


def test_full_object_crc32(s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k", ChecksumAlgorithm="CRC32",
                                           ChecksumType="FULL_OBJECT")["UploadId"]
    parts = [os.urandom(PART), os.urandom(1000)]
    listed = []
    for number, data in enumerate(parts, start=1):
        reply = s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=number, Body=data,
                               ChecksumAlgorithm="CRC32")
        listed.append({"PartNumber": number, "ETag": reply["ETag"]})
    done = s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id, MultipartUpload={"Parts": listed})
    whole = zlib.crc32(b"".join(parts)).to_bytes(4, "big")
    assert done["ChecksumCRC32"] == base64.b64encode(whole).decode()
    assert done["ChecksumType"] == "FULL_OBJECT"


def test_upload_part_copy(s3, bucket):
    source = os.urandom(PART + 1000)
    s3.put_object(Bucket=bucket, Key="source", Body=source)
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="copy")["UploadId"]
    first = s3.upload_part_copy(Bucket=bucket, Key="copy", UploadId=upload_id, PartNumber=1,
                                CopySource={"Bucket": bucket, "Key": "source"},
                                CopySourceRange=f"bytes=0-{PART - 1}")["CopyPartResult"]
    assert first["ETag"] == f'"{hashlib.md5(source[:PART]).hexdigest()}"'
    second = s3.upload_part_copy(Bucket=bucket, Key="copy", UploadId=upload_id, PartNumber=2,
                                 CopySource=f"{bucket}/source")["CopyPartResult"]
    s3.complete_multipart_upload(Bucket=bucket, Key="copy", UploadId=upload_id, MultipartUpload={"Parts": [
        {"PartNumber": 1, "ETag": first["ETag"]}, {"PartNumber": 2, "ETag": second["ETag"]}]})
    assert s3.get_object(Bucket=bucket, Key="copy")["Body"].read() == source[:PART] + source

    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="copy2")["UploadId"]
    for bad_range in ("bytes=0-99999999", "bytes=10-5", "items=0-1"):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            s3.upload_part_copy(Bucket=bucket, Key="copy2", UploadId=upload_id, PartNumber=1,
                                CopySource=f"{bucket}/source", CopySourceRange=bad_range)
        assert code_message_status(e)[0] in ("InvalidArgument", "InvalidRange")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.upload_part_copy(Bucket=bucket, Key="copy2", UploadId=upload_id, PartNumber=1,
                            CopySource=f"{bucket}/source", CopySourceIfMatch='"0000"')
    assert code_message_status(e)[2] == 412
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.upload_part_copy(Bucket=bucket, Key="copy2", UploadId=upload_id, PartNumber=1,
                            CopySource=f"{bucket}/missing")
    assert code_message_status(e)[0] == "NoSuchKey"


def test_upload_part_copy_from_a_version(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    old = s3.put_object(Bucket=bucket, Key="source", Body=b"old body")["VersionId"]
    s3.put_object(Bucket=bucket, Key="source", Body=b"new body")
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="copy")["UploadId"]
    reply = s3.upload_part_copy(Bucket=bucket, Key="copy", UploadId=upload_id, PartNumber=1,
                                CopySource={"Bucket": bucket, "Key": "source", "VersionId": old})
    assert reply["CopySourceVersionId"] == old
    done = s3.complete_multipart_upload(Bucket=bucket, Key="copy", UploadId=upload_id, MultipartUpload={
        "Parts": [{"PartNumber": 1, "ETag": reply["CopyPartResult"]["ETag"]}]})
    assert done["VersionId"]
    assert s3.get_object(Bucket=bucket, Key="copy")["Body"].read() == b"old body"


def test_completion_makes_versions(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    versions = []
    for body in (b"one", b"two"):
        upload_id, listed = upload(s3, bucket, "k", [body])
        versions.append(s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id,
                                                     MultipartUpload={"Parts": listed})["VersionId"])
    assert versions[0] != versions[1]
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=versions[0])["Body"].read() == b"one"
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"two"


def test_conditional_completion(s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"exists")
    upload_id, listed = upload(s3, bucket, "k", [b"new"])
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id, IfNoneMatch="*",
                                     MultipartUpload={"Parts": listed})
    assert code_message_status(e)[:1] == ("PreconditionFailed",) and code_message_status(e)[2] == 412
    with pytest.raises(botocore.exceptions.ClientError) as e:
        s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id, IfMatch='"0000"',
                                     MultipartUpload={"Parts": listed})
    assert code_message_status(e)[2] == 412
    current = s3.head_object(Bucket=bucket, Key="k")["ETag"]
    s3.complete_multipart_upload(Bucket=bucket, Key="k", UploadId=upload_id, IfMatch=current,
                                 MultipartUpload={"Parts": listed})
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"new"


def test_transfer_manager_upload_and_download(s3, bucket, tmp_path):
    data = os.urandom(3 * PART + 12345)
    source = tmp_path / "source.bin"
    source.write_bytes(data)
    config = boto3.s3.transfer.TransferConfig(multipart_threshold=PART, multipart_chunksize=PART, max_concurrency=4)
    s3.upload_file(str(source), bucket, "managed.bin", Config=config)
    head = s3.head_object(Bucket=bucket, Key="managed.bin")
    chunks = [data[i:i + PART] for i in range(0, len(data), PART)]
    assert head["ETag"] == multipart_etag(chunks)
    assert head["ContentLength"] == len(data)
    target = tmp_path / "target.bin"
    s3.download_file(bucket, "managed.bin", str(target), Config=config)
    assert target.read_bytes() == data


def test_aws_cli_copies_a_20_mib_file(server, bucket, tmp_path):
    data = os.urandom(20 * MIB)
    source = tmp_path / "twenty.bin"
    source.write_bytes(data)
    server.aws("s3", "cp", "--quiet", str(source), f"s3://{bucket}/twenty.bin")
    head = server.client("s3").head_object(Bucket=bucket, Key="twenty.bin")
    assert head["ETag"].strip('"').endswith("-3")  # 8 MiB chunks: 8 + 8 + 4
    target = tmp_path / "back.bin"
    server.aws("s3", "cp", "--quiet", f"s3://{bucket}/twenty.bin", str(target))
    assert target.read_bytes() == data


def test_dropped_connection_leaves_no_part(server, s3, bucket):
    upload_id = s3.create_multipart_upload(Bucket=bucket, Key="k")["UploadId"]
    promised = 1 * MIB
    head = (f"PUT /{bucket}/k?partNumber=1&uploadId={upload_id} HTTP/1.1\r\n"
            f"Host: 127.0.0.1:{server.port}\r\nContent-Length: {promised}\r\n"
            "x-amz-content-sha256: UNSIGNED-PAYLOAD\r\n"
            # A key cloudbox never issued: the default account in permissive mode (unsigned is anonymous).
            "Authorization: AWS4-HMAC-SHA256 Credential=000000000000/20260101/us-east-1/s3/aws4_request, "
            "SignedHeaders=host, Signature=00\r\n\r\n").encode()
    with socket.create_connection(("127.0.0.1", server.port)) as sock:
        sock.sendall(head + b"x" * (promised // 2))
    # The server notices the close; the part never appears.
    time.sleep(0.5)
    s3.upload_part(Bucket=bucket, Key="k", UploadId=upload_id, PartNumber=2, Body=b"fine")
    parts = s3.list_parts(Bucket=bucket, Key="k", UploadId=upload_id)["Parts"]
    assert [p["PartNumber"] for p in parts] == [2]


def test_the_initiator_may_always_list_and_abort_its_upload(server, s3, bucket):
    writer = server.client("s3", key=("444455556666", "secret"))
    stranger = server.client("s3", key=("777788889999", "secret"))
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:PutObject",
         "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
    upload_id = writer.create_multipart_upload(Bucket=bucket, Key="theirs")["UploadId"]
    writer.upload_part(Bucket=bucket, Key="theirs", UploadId=upload_id, PartNumber=1, Body=b"p")
    for refused in (stranger.abort_multipart_upload, stranger.list_parts):
        with pytest.raises(botocore.exceptions.ClientError) as e:
            refused(Bucket=bucket, Key="theirs", UploadId=upload_id)
        assert code_message_status(e)[0] == "AccessDenied"
    assert [p["PartNumber"] for p in writer.list_parts(Bucket=bucket, Key="theirs", UploadId=upload_id)["Parts"]] == [1]
    # An explicit Deny still wins.
    writer_only = {"Effect": "Allow", "Principal": {"AWS": "444455556666"}, "Action": "s3:PutObject",
                   "Resource": f"arn:aws:s3:::{bucket}/*"}
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [writer_only, {
        "Effect": "Deny", "Principal": {"AWS": "444455556666"}, "Action": "s3:AbortMultipartUpload",
        "Resource": f"arn:aws:s3:::{bucket}/*"}]}))
    with pytest.raises(botocore.exceptions.ClientError) as e:
        writer.abort_multipart_upload(Bucket=bucket, Key="theirs", UploadId=upload_id)
    assert code_message_status(e)[0] == "AccessDenied"
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [writer_only]}))
    writer.abort_multipart_upload(Bucket=bucket, Key="theirs", UploadId=upload_id)
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []
