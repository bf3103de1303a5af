"""S3 versioning end to end with boto3: enabling and suspending, version
ids, delete markers, reads, copies and deletes by version id, and the
`null` version of suspended buckets."""

import pytest

from awserrors import code_and_status, raised, refused


@pytest.fixture
def s3(server):
    server.reset()
    client = server.client("s3")
    client.create_bucket(Bucket="versions")
    return client


def enable(s3, status="Enabled", **extra):
    s3.put_bucket_versioning(Bucket="versions", VersioningConfiguration={"Status": status, **extra})


def test_configuration(s3):
    assert "Status" not in s3.get_bucket_versioning(Bucket="versions")
    enable(s3, MFADelete="Disabled")
    got = s3.get_bucket_versioning(Bucket="versions")
    assert got["Status"] == "Enabled" and got["MFADelete"] == "Disabled"
    enable(s3, "Suspended")
    assert s3.get_bucket_versioning(Bucket="versions")["Status"] == "Suspended"
    assert refused(lambda: enable(s3, "Sometimes")) == ("MalformedXML", 400)
    assert refused(lambda: s3.get_bucket_versioning(Bucket="no-such-versions"))[0] == "NoSuchBucket"


def test_versions_and_delete_markers(s3):
    enable(s3)
    v1 = s3.put_object(Bucket="versions", Key="k", Body=b"one")["VersionId"]
    v2 = s3.put_object(Bucket="versions", Key="k", Body=b"two")["VersionId"]
    assert v1 != v2 and len(v1) == 32
    got = s3.get_object(Bucket="versions", Key="k")
    assert got["Body"].read() == b"two" and got["VersionId"] == v2
    assert s3.get_object(Bucket="versions", Key="k", VersionId=v1)["Body"].read() == b"one"
    assert s3.head_object(Bucket="versions", Key="k", VersionId=v1)["VersionId"] == v1
    deleted = s3.delete_object(Bucket="versions", Key="k")
    assert deleted["DeleteMarker"] is True
    marker = deleted["VersionId"]
    failure = raised(lambda: s3.get_object(Bucket="versions", Key="k"))
    code, status = code_and_status(failure)
    response = failure.value.response
    assert (code, status) == ("NoSuchKey", 404)
    headers = response["ResponseMetadata"]["HTTPHeaders"]
    assert headers["x-amz-delete-marker"] == "true" and headers["x-amz-version-id"] == marker
    failure = raised(lambda: s3.get_object(Bucket="versions", Key="k", VersionId=marker))
    code, status = code_and_status(failure)
    response = failure.value.response
    assert (code, status) == ("MethodNotAllowed", 405)
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amz-delete-marker"] == "true"
    assert refused(lambda: s3.head_object(Bucket="versions", Key="k", VersionId=marker))[1] == 405
    # Older versions are still there.
    assert s3.get_object(Bucket="versions", Key="k", VersionId=v2)["Body"].read() == b"two"
    listed = s3.list_object_versions(Bucket="versions")
    assert [(v["VersionId"], v["IsLatest"]) for v in listed["Versions"]] == [(v2, False), (v1, False)]
    assert [(m["VersionId"], m["IsLatest"]) for m in listed["DeleteMarkers"]] == [(marker, True)]
    assert s3.list_objects_v2(Bucket="versions")["KeyCount"] == 0
    # Removing the marker brings the object back.
    removed = s3.delete_object(Bucket="versions", Key="k", VersionId=marker)
    assert removed["DeleteMarker"] is True and removed["VersionId"] == marker
    assert s3.get_object(Bucket="versions", Key="k")["Body"].read() == b"two"
    # Removing the newest version makes the previous one current.
    s3.delete_object(Bucket="versions", Key="k", VersionId=v2)
    assert s3.get_object(Bucket="versions", Key="k")["Body"].read() == b"one"
    assert refused(lambda: s3.get_object(Bucket="versions", Key="k", VersionId=v2)) == ("NoSuchVersion", 404)
    assert refused(lambda: s3.get_object(Bucket="versions", Key="k", VersionId="bogus")) == ("InvalidArgument", 400)


def test_null_version_of_unversioned_and_suspended_buckets(s3):
    s3.put_object(Bucket="versions", Key="n", Body=b"before")
    assert s3.get_object(Bucket="versions", Key="n", VersionId="null")["Body"].read() == b"before"
    assert s3.list_object_versions(Bucket="versions")["Versions"][0]["VersionId"] == "null"
    enable(s3)
    v1 = s3.put_object(Bucket="versions", Key="n", Body=b"versioned")["VersionId"]
    enable(s3, "Suspended")
    put = s3.put_object(Bucket="versions", Key="n", Body=b"suspended-1")
    # S3 leaves x-amz-version-id out of writes to a suspended bucket; reads name the null version.
    assert "VersionId" not in put
    assert s3.head_object(Bucket="versions", Key="n")["VersionId"] == "null"
    copied = s3.copy_object(Bucket="versions", Key="n-copy", CopySource={"Bucket": "versions", "Key": "n"})
    assert "VersionId" not in copied
    upload = s3.create_multipart_upload(Bucket="versions", Key="n-mp")["UploadId"]
    part = s3.upload_part(Bucket="versions", Key="n-mp", UploadId=upload, PartNumber=1, Body=b"p")
    done = s3.complete_multipart_upload(Bucket="versions", Key="n-mp", UploadId=upload,
                                        MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert "VersionId" not in done
    for key in ("n-copy", "n-mp"):
        s3.delete_object(Bucket="versions", Key=key, VersionId="null")
    s3.put_object(Bucket="versions", Key="n", Body=b"suspended-2")
    versions = s3.list_object_versions(Bucket="versions")["Versions"]
    assert [v["VersionId"] for v in versions] == ["null", v1]
    assert s3.get_object(Bucket="versions", Key="n", VersionId="null")["Body"].read() == b"suspended-2"
    assert s3.get_object(Bucket="versions", Key="n", VersionId=v1)["Body"].read() == b"versioned"
    # A delete in a suspended bucket leaves a null delete marker in place of the null version.
    deleted = s3.delete_object(Bucket="versions", Key="n")
    assert deleted["DeleteMarker"] is True and deleted["VersionId"] == "null"
    listed = s3.list_object_versions(Bucket="versions")
    assert [v["VersionId"] for v in listed["Versions"]] == [v1]
    assert [m["VersionId"] for m in listed["DeleteMarkers"]] == ["null"]


def test_copy_and_delete_by_version(s3):
    enable(s3)
    v1 = s3.put_object(Bucket="versions", Key="src", Body=b"first")["VersionId"]
    s3.put_object(Bucket="versions", Key="src", Body=b"second")
    copied = s3.copy_object(Bucket="versions", Key="dst", CopySource={"Bucket": "versions", "Key": "src", "VersionId": v1})
    assert copied["CopySourceVersionId"] == v1
    assert copied["VersionId"]
    assert s3.get_object(Bucket="versions", Key="dst")["Body"].read() == b"first"
    # Restoring an old version is a copy of it onto its own key.
    s3.copy_object(Bucket="versions", Key="src", CopySource={"Bucket": "versions", "Key": "src", "VersionId": v1})
    assert s3.get_object(Bucket="versions", Key="src")["Body"].read() == b"first"
    assert len(s3.list_object_versions(Bucket="versions", Prefix="src")["Versions"]) == 3
    marker = s3.delete_object(Bucket="versions", Key="dst")["VersionId"]
    code, _ = refused(lambda: s3.copy_object(Bucket="versions", Key="x", CopySource={
        "Bucket": "versions", "Key": "dst", "VersionId": marker}))
    assert code == "InvalidRequest"
    result = s3.delete_objects(Bucket="versions", Delete={"Objects": [
        {"Key": "src", "VersionId": v1}, {"Key": "dst"}]})
    deleted = {d["Key"]: d for d in result["Deleted"]}
    assert deleted["src"]["VersionId"] == v1
    assert deleted["dst"]["DeleteMarker"] is True and deleted["dst"]["DeleteMarkerVersionId"]


def test_bucket_with_only_versions_is_not_empty(s3):
    enable(s3)
    version = s3.put_object(Bucket="versions", Key="k", Body=b"x")["VersionId"]
    marker = s3.delete_object(Bucket="versions", Key="k")["VersionId"]
    assert refused(lambda: s3.delete_bucket(Bucket="versions")) == ("BucketNotEmpty", 409)
    s3.delete_objects(Bucket="versions", Delete={"Objects": [{"Key": "k", "VersionId": version},
                                                             {"Key": "k", "VersionId": marker}]})
    s3.delete_bucket(Bucket="versions")


def test_versions_with_the_aws_cli(server, s3):
    server.aws("s3api", "put-bucket-versioning", "--bucket", "versions",
               "--versioning-configuration", "Status=Enabled")
    first = server.aws("s3api", "put-object", "--bucket", "versions", "--key", "cli")["VersionId"]
    server.aws("s3api", "put-object", "--bucket", "versions", "--key", "cli")
    listed = server.aws("s3api", "list-object-versions", "--bucket", "versions")
    assert len(listed["Versions"]) == 2
    server.aws("s3api", "delete-object", "--bucket", "versions", "--key", "cli", "--version-id", first)
    assert len(server.aws("s3api", "list-object-versions", "--bucket", "versions")["Versions"]) == 1
