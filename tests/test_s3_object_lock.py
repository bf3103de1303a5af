"""S3 object lock enforced: retention (GOVERNANCE, COMPLIANCE), legal
holds, lock headers on writes, the bucket's default retention.

Retention ends on cloudbox's clock, which these tests move forward, so
they run on a server of their own.
"""

import datetime

import botocore.exceptions
import pytest

from conftest import Cloudbox

from awserrors import code_and_status
from conftest import unique

DAY = 86_400
PROTECTED = "Access Denied because object protected by object lock."


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    server = Cloudbox(tmp_path_factory.mktemp("object-lock"))
    yield server
    server.stop()


@pytest.fixture
def s3(box):
    return box.client("s3")


@pytest.fixture
def bucket(s3):
    name = unique("lock")
    s3.create_bucket(Bucket=name, ObjectLockEnabledForBucket=True)
    return name


def clock_now(s3, bucket):
    """cloudbox's clock, as the last-modified time of a fresh object."""
    s3.put_object(Bucket=bucket, Key="clock-probe", Body=b"")
    return s3.head_object(Bucket=bucket, Key="clock-probe")["LastModified"]


def test_governance_retention_blocks_deletes_unless_bypassed(s3, bucket):
    version = s3.put_object(Bucket=bucket, Key="k", Body=b"v")["VersionId"]
    until = clock_now(s3, bucket) + datetime.timedelta(days=1)
    s3.put_object_retention(Bucket=bucket, Key="k", VersionId=version,
                            Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until})
    retention = s3.get_object_retention(Bucket=bucket, Key="k", VersionId=version)["Retention"]
    assert retention["Mode"] == "GOVERNANCE"
    assert abs((retention["RetainUntilDate"] - until).total_seconds()) < 1
    head = s3.head_object(Bucket=bucket, Key="k")
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert head["ObjectLockLegalHoldStatus"] == "OFF"

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.delete_object(Bucket=bucket, Key="k", VersionId=version)
    assert code_and_status(excinfo) == ("AccessDenied", 403)
    assert excinfo.value.response["Error"]["Message"] == PROTECTED
    # Shortening needs the bypass too.
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_object_retention(Bucket=bucket, Key="k", VersionId=version,
                                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until - datetime.timedelta(hours=1)})
    assert code_and_status(excinfo) == ("AccessDenied", 403)
    # So does changing the mode, even to COMPLIANCE.
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_object_retention(Bucket=bucket, Key="k", VersionId=version,
                                Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until})
    assert code_and_status(excinfo) == ("AccessDenied", 403)
    # A mode outside the schema (the names are upper case) is a malformed document.
    for mode in ("governance", "abc"):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            s3.put_object_retention(Bucket=bucket, Key="k", VersionId=version,
                                    Retention={"Mode": mode, "RetainUntilDate": until})
        assert code_and_status(excinfo) == ("MalformedXML", 400)
    # A delete without a version id only adds a delete marker.
    marker = s3.delete_object(Bucket=bucket, Key="k")
    assert marker["DeleteMarker"] is True
    s3.delete_object(Bucket=bucket, Key="k", VersionId=version, BypassGovernanceRetention=True)
    versions = s3.list_object_versions(Bucket=bucket, Prefix="k").get("Versions", [])
    assert [v["VersionId"] for v in versions] == []


def test_compliance_retention_only_grows_and_ends_on_the_clock(box, s3, bucket):
    version = s3.put_object(Bucket=bucket, Key="c", Body=b"v")["VersionId"]
    until = clock_now(s3, bucket) + datetime.timedelta(days=2)
    s3.put_object_retention(Bucket=bucket, Key="c", Retention={"Mode": "COMPLIANCE", "RetainUntilDate": until})
    for attempt in (
        {"Retention": {"Mode": "COMPLIANCE", "RetainUntilDate": until - datetime.timedelta(days=1)}},
        {"Retention": {"Mode": "GOVERNANCE", "RetainUntilDate": until + datetime.timedelta(days=1)},
         "BypassGovernanceRetention": True},
    ):
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            s3.put_object_retention(Bucket=bucket, Key="c", **attempt)
        assert code_and_status(excinfo) == ("AccessDenied", 403)
    longer = until + datetime.timedelta(days=1)
    s3.put_object_retention(Bucket=bucket, Key="c", Retention={"Mode": "COMPLIANCE", "RetainUntilDate": longer})
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.delete_object(Bucket=bucket, Key="c", VersionId=version, BypassGovernanceRetention=True)
    assert code_and_status(excinfo) == ("AccessDenied", 403)
    box.advance(4 * DAY)
    s3.delete_object(Bucket=bucket, Key="c", VersionId=version)


def test_legal_hold_blocks_deletes_until_released(s3, bucket):
    version = s3.put_object(Bucket=bucket, Key="h", Body=b"v")["VersionId"]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object_legal_hold(Bucket=bucket, Key="h")
    assert code_and_status(excinfo) == ("NoSuchObjectLockConfiguration", 404)
    s3.put_object_legal_hold(Bucket=bucket, Key="h", LegalHold={"Status": "ON"})
    assert s3.get_object_legal_hold(Bucket=bucket, Key="h")["LegalHold"]["Status"] == "ON"
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.delete_object(Bucket=bucket, Key="h", VersionId=version, BypassGovernanceRetention=True)
    assert code_and_status(excinfo) == ("AccessDenied", 403)
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "h", "VersionId": version}]})
    assert result["Errors"][0]["Code"] == "AccessDenied"
    assert result["Errors"][0]["VersionId"] == version
    s3.put_object_legal_hold(Bucket=bucket, Key="h", LegalHold={"Status": "OFF"})
    assert s3.get_object_legal_hold(Bucket=bucket, Key="h")["LegalHold"]["Status"] == "OFF"
    result = s3.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": "h", "VersionId": version}]})
    assert result["Deleted"][0]["VersionId"] == version and "Errors" not in result


def test_lock_headers_on_writes(s3, bucket):
    until = clock_now(s3, bucket) + datetime.timedelta(days=3)
    s3.put_object(Bucket=bucket, Key="w", Body=b"v", ObjectLockMode="COMPLIANCE",
                  ObjectLockRetainUntilDate=until, ObjectLockLegalHoldStatus="ON")
    head = s3.head_object(Bucket=bucket, Key="w")
    assert head["ObjectLockMode"] == "COMPLIANCE"
    assert abs((head["ObjectLockRetainUntilDate"] - until).total_seconds()) < 1
    assert head["ObjectLockLegalHoldStatus"] == "ON"
    got = s3.get_object(Bucket=bucket, Key="w")
    assert got["ObjectLockMode"] == "COMPLIANCE"

    s3.copy_object(Bucket=bucket, Key="w-copy", CopySource={"Bucket": bucket, "Key": "w"},
                   ObjectLockMode="GOVERNANCE", ObjectLockRetainUntilDate=until)
    assert s3.head_object(Bucket=bucket, Key="w-copy")["ObjectLockMode"] == "GOVERNANCE"

    upload = s3.create_multipart_upload(Bucket=bucket, Key="m", ObjectLockMode="GOVERNANCE",
                                        ObjectLockRetainUntilDate=until)["UploadId"]
    part = s3.upload_part(Bucket=bucket, Key="m", UploadId=upload, PartNumber=1, Body=b"part")
    s3.complete_multipart_upload(Bucket=bucket, Key="m", UploadId=upload,
                                 MultipartUpload={"Parts": [{"PartNumber": 1, "ETag": part["ETag"]}]})
    assert s3.get_object_retention(Bucket=bucket, Key="m")["Retention"]["Mode"] == "GOVERNANCE"

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="x", Body=b"v", ObjectLockMode="GOVERNANCE")
    assert code_and_status(excinfo) == ("InvalidArgument", 400)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_object(Bucket=bucket, Key="x", Body=b"v", ObjectLockMode="GOVERNANCE",
                      ObjectLockRetainUntilDate=until - datetime.timedelta(days=10))
    assert code_and_status(excinfo) == ("InvalidArgument", 400)


def test_default_retention_applies_to_new_versions(s3, bucket):
    s3.put_object_lock_configuration(Bucket=bucket, ObjectLockConfiguration={
        "ObjectLockEnabled": "Enabled",
        "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 5}},
    })
    s3.put_object(Bucket=bucket, Key="d", Body=b"v")
    head = s3.head_object(Bucket=bucket, Key="d")
    assert head["ObjectLockMode"] == "GOVERNANCE"
    assert abs((head["ObjectLockRetainUntilDate"] - head["LastModified"]).total_seconds() - 5 * DAY) < 2
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.delete_object(Bucket=bucket, Key="d", VersionId=head["VersionId"])
    assert code_and_status(excinfo) == ("AccessDenied", 403)


def test_buckets_without_object_lock_refuse_lock_requests(s3):
    name = unique("nolock")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="k", Body=b"v")
    until = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=400)
    calls = [
        lambda: s3.put_object_retention(Bucket=name, Key="k",
                                        Retention={"Mode": "GOVERNANCE", "RetainUntilDate": until}),
        lambda: s3.get_object_retention(Bucket=name, Key="k"),
        lambda: s3.put_object_legal_hold(Bucket=name, Key="k", LegalHold={"Status": "ON"}),
        lambda: s3.put_object(Bucket=name, Key="k2", Body=b"v", ObjectLockLegalHoldStatus="ON"),
    ]
    for call in calls:
        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            call()
        assert code_and_status(excinfo) == ("InvalidRequest", 400)
        assert excinfo.value.response["Error"]["Message"] == "Bucket is missing Object Lock Configuration"


def test_retention_errors(s3, bucket):
    s3.put_object(Bucket=bucket, Key="e", Body=b"v")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object_retention(Bucket=bucket, Key="e")
    assert code_and_status(excinfo) == ("NoSuchObjectLockConfiguration", 404)
    past = clock_now(s3, bucket) - datetime.timedelta(days=1)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_object_retention(Bucket=bucket, Key="e", Retention={"Mode": "GOVERNANCE", "RetainUntilDate": past})
    assert code_and_status(excinfo) == ("InvalidArgument", 400)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_object_retention(Bucket=bucket, Key="missing",
                                Retention={"Mode": "GOVERNANCE", "RetainUntilDate": past + datetime.timedelta(days=9)})
    assert code_and_status(excinfo) == ("NoSuchKey", 404)


def test_object_lock_keeps_the_bucket_versioned(s3, bucket):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Suspended"})
    assert code_and_status(excinfo) == ("InvalidBucketState", 409)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_versioning(Bucket=bucket)["Status"] == "Enabled"
