"""S3 lifecycle rules executed on cloudbox's clock, and Glacier restores.

These tests move the clock forward by weeks, so they run on a server of
their own rather than the shared one.
"""


import botocore.exceptions
import pytest

from conftest import Cloudbox

from awserrors import code_and_status

DAY = 86_400
HOUR = 3_600
BIG = b"x" * (200 * 1024)  # transitions skip objects under 128 KiB by default


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    server = Cloudbox(tmp_path_factory.mktemp("lifecycle"))
    yield server
    server.stop()


@pytest.fixture
def s3(box):
    return box.client("s3")


def set_rules(s3, bucket, *rules):
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration={"Rules": list(rules)})


def storage_class(s3, bucket, key, **extra):
    return s3.head_object(Bucket=bucket, Key=key, **extra).get("StorageClass", "STANDARD")


def test_transition_to_glacier_then_restore_and_expiry_of_the_copy(box, s3, bucket):
    s3.put_object(Bucket=bucket, Key="logs/a", Body=BIG)
    set_rules(s3, bucket, {
        "ID": "archive", "Status": "Enabled", "Filter": {"Prefix": "logs/"},
        "Transitions": [{"Days": 30, "StorageClass": "GLACIER"}],
    })
    box.advance(29 * DAY)
    assert storage_class(s3, bucket, "logs/a") == "STANDARD"
    box.advance(2 * DAY)
    assert storage_class(s3, bucket, "logs/a") == "GLACIER"
    assert s3.list_objects_v2(Bucket=bucket)["Contents"][0]["StorageClass"] == "GLACIER"

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="logs/a")
    assert code_and_status(excinfo) == ("InvalidObjectState", 403)
    error = excinfo.value.response["Error"]
    assert error["Message"] == "The operation is not valid for the object's storage class"
    assert error["StorageClass"] == "GLACIER"

    started = s3.restore_object(Bucket=bucket, Key="logs/a",
                                RestoreRequest={"Days": 2, "GlacierJobParameters": {"Tier": "Standard"}})
    assert started["ResponseMetadata"]["HTTPStatusCode"] == 202
    assert s3.head_object(Bucket=bucket, Key="logs/a")["Restore"] == 'ongoing-request="true"'
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.restore_object(Bucket=bucket, Key="logs/a", RestoreRequest={"Days": 2})
    assert code_and_status(excinfo) == ("RestoreAlreadyInProgress", 409)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="logs/a")
    assert code_and_status(excinfo) == ("InvalidObjectState", 403)

    box.advance(5 * HOUR + 1)
    restore = s3.head_object(Bucket=bucket, Key="logs/a")["Restore"]
    assert restore.startswith('ongoing-request="false", expiry-date="') and restore.endswith(' 00:00:00 GMT"')
    got = s3.get_object(Bucket=bucket, Key="logs/a")
    assert got["Body"].read() == BIG
    assert got["StorageClass"] == "GLACIER"
    again = s3.restore_object(Bucket=bucket, Key="logs/a", RestoreRequest={"Days": 1})
    assert again["ResponseMetadata"]["HTTPStatusCode"] == 200

    box.advance(3 * DAY)
    assert "Restore" not in s3.head_object(Bucket=bucket, Key="logs/a")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="logs/a")
    assert code_and_status(excinfo) == ("InvalidObjectState", 403)


def test_transitions_follow_filters_and_only_get_colder(box, s3, bucket):
    s3.put_object(Bucket=bucket, Key="data/big", Body=BIG)
    s3.put_object(Bucket=bucket, Key="data/small", Body=b"tiny")
    s3.put_object(Bucket=bucket, Key="data/tagged", Body=BIG, Tagging="tier=cold")
    s3.put_object(Bucket=bucket, Key="other/big", Body=BIG)
    set_rules(
        s3, bucket,
        {"ID": "ia", "Status": "Enabled", "Filter": {"Prefix": "data/"},
         "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"},
                         {"Days": 90, "StorageClass": "DEEP_ARCHIVE"}]},
        {"ID": "tagged", "Status": "Enabled",
         "Filter": {"And": {"Prefix": "data/", "Tags": [{"Key": "tier", "Value": "cold"}]}},
         "Transitions": [{"Days": 1, "StorageClass": "GLACIER_IR"}]},
        {"ID": "sized", "Status": "Enabled", "Filter": {"ObjectSizeLessThan": 100},
         "Transitions": [{"Days": 30, "StorageClass": "ONEZONE_IA"}]},
    )
    box.advance(2 * DAY)
    assert storage_class(s3, bucket, "data/tagged") == "GLACIER_IR"
    # GLACIER_IR objects are readable without a restore.
    assert s3.get_object(Bucket=bucket, Key="data/tagged")["Body"].read() == BIG
    assert storage_class(s3, bucket, "data/small") == "STANDARD"
    assert storage_class(s3, bucket, "data/big") == "STANDARD"
    box.advance(30 * DAY)
    assert storage_class(s3, bucket, "data/big") == "STANDARD_IA"
    # Objects under 128 KiB move only under a rule that names a size.
    assert storage_class(s3, bucket, "data/small") == "ONEZONE_IA"
    # GLACIER_IR is colder than STANDARD_IA: the object stays where it is.
    assert storage_class(s3, bucket, "data/tagged") == "GLACIER_IR"
    assert storage_class(s3, bucket, "other/big") == "STANDARD"
    box.advance(60 * DAY)
    assert storage_class(s3, bucket, "data/big") == "DEEP_ARCHIVE"
    assert storage_class(s3, bucket, "data/tagged") == "DEEP_ARCHIVE"
    assert storage_class(s3, bucket, "other/big") == "STANDARD"


def test_expiration_deletes_in_unversioned_buckets_and_is_announced(box, s3, bucket):
    s3.put_object(Bucket=bucket, Key="tmp/a", Body=b"a")
    s3.put_object(Bucket=bucket, Key="keep/b", Body=b"b")
    set_rules(s3, bucket, {"ID": "expire-tmp", "Status": "Enabled", "Filter": {"Prefix": "tmp/"},
                           "Expiration": {"Days": 3}})
    head = s3.head_object(Bucket=bucket, Key="tmp/a")
    assert head["Expiration"].startswith('expiry-date="') and head["Expiration"].endswith('rule-id="expire-tmp"')
    put = s3.put_object(Bucket=bucket, Key="tmp/c", Body=b"c")
    assert 'rule-id="expire-tmp"' in put["Expiration"]
    assert "Expiration" not in s3.head_object(Bucket=bucket, Key="keep/b")
    box.advance(2 * DAY)
    assert s3.get_object(Bucket=bucket, Key="tmp/a")["Body"].read() == b"a"
    box.advance(2 * DAY)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="tmp/a")
    assert code_and_status(excinfo) == ("NoSuchKey", 404)
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=bucket)["Contents"]] == ["keep/b"]


def test_expiration_by_date(box, s3, bucket):
    import datetime

    s3.put_object(Bucket=bucket, Key="dated", Body=b"d")
    head = s3.head_object(Bucket=bucket, Key="dated")
    date = (head["LastModified"] + datetime.timedelta(days=5)).replace(hour=0, minute=0, second=0, microsecond=0)
    set_rules(s3, bucket, {"ID": "by-date", "Status": "Enabled", "Filter": {}, "Expiration": {"Date": date}})
    box.advance(3 * DAY)
    assert s3.head_object(Bucket=bucket, Key="dated")
    box.advance(3 * DAY)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.head_object(Bucket=bucket, Key="dated")
    assert code_and_status(excinfo) == ("404", 404)


def test_versioned_expiration_adds_a_delete_marker_then_cleans_up(box, s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    version = s3.put_object(Bucket=bucket, Key="k", Body=b"v1")["VersionId"]
    set_rules(s3, bucket, {"ID": "expire", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}})
    box.advance(2 * DAY)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="k")
    assert code_and_status(excinfo) == ("NoSuchKey", 404)
    listed = s3.list_object_versions(Bucket=bucket)
    assert [v["VersionId"] for v in listed["Versions"]] == [version]
    assert len(listed["DeleteMarkers"]) == 1 and listed["DeleteMarkers"][0]["IsLatest"]
    # The version is still there, and readable by id.
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=version)["Body"].read() == b"v1"

    set_rules(s3, bucket, {"ID": "cleanup", "Status": "Enabled", "Filter": {},
                           "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
                           "Expiration": {"ExpiredObjectDeleteMarker": True}})
    box.advance(2 * DAY)
    listed = s3.list_object_versions(Bucket=bucket)
    assert "Versions" not in listed
    # The marker was not alone during that pass; the next day's pass removes it.
    box.advance(1 * DAY)
    listed = s3.list_object_versions(Bucket=bucket)
    assert "Versions" not in listed and "DeleteMarkers" not in listed


def test_noncurrent_versions_transition_and_expire_keeping_the_newest(box, s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=BIG)["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="k", Body=BIG)["VersionId"]
    v3 = s3.put_object(Bucket=bucket, Key="k", Body=BIG)["VersionId"]
    set_rules(s3, bucket, {
        "ID": "noncurrent", "Status": "Enabled", "Filter": {"Prefix": ""},
        "NoncurrentVersionTransitions": [{"NoncurrentDays": 1, "StorageClass": "GLACIER"}],
        "NoncurrentVersionExpiration": {"NoncurrentDays": 10, "NewerNoncurrentVersions": 1},
    })
    box.advance(2 * DAY)
    assert storage_class(s3, bucket, "k", VersionId=v3) == "STANDARD"
    assert storage_class(s3, bucket, "k", VersionId=v2) == "GLACIER"
    assert storage_class(s3, bucket, "k", VersionId=v1) == "GLACIER"
    box.advance(10 * DAY)
    versions = [v["VersionId"] for v in s3.list_object_versions(Bucket=bucket)["Versions"]]
    assert versions == [v3, v2]

    # Restore by version id.
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="k", VersionId=v2)
    assert code_and_status(excinfo) == ("InvalidObjectState", 403)
    s3.restore_object(Bucket=bucket, Key="k", VersionId=v2,
                      RestoreRequest={"Days": 1, "GlacierJobParameters": {"Tier": "Expedited"}})
    box.advance(5 * 60 + 1)
    assert s3.get_object(Bucket=bucket, Key="k", VersionId=v2)["Body"].read() == BIG


def test_incomplete_multipart_uploads_are_aborted(box, s3, bucket):
    upload = s3.create_multipart_upload(Bucket=bucket, Key="up/a")["UploadId"]
    s3.upload_part(Bucket=bucket, Key="up/a", UploadId=upload, PartNumber=1, Body=b"part")
    kept = s3.create_multipart_upload(Bucket=bucket, Key="down/a")["UploadId"]
    set_rules(s3, bucket, {"ID": "abort", "Status": "Enabled", "Filter": {"Prefix": "up/"},
                           "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 2}})
    box.advance(1 * DAY)
    assert len(s3.list_multipart_uploads(Bucket=bucket)["Uploads"]) == 2
    box.advance(2 * DAY)
    uploads = s3.list_multipart_uploads(Bucket=bucket)["Uploads"]
    assert [u["UploadId"] for u in uploads] == [kept]
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.list_parts(Bucket=bucket, Key="up/a", UploadId=upload)
    assert code_and_status(excinfo) == ("NoSuchUpload", 404)


def test_disabled_rules_do_nothing(box, s3, bucket):
    s3.put_object(Bucket=bucket, Key="a", Body=BIG)
    set_rules(s3, bucket, {"ID": "off", "Status": "Disabled", "Filter": {},
                           "Transitions": [{"Days": 1, "StorageClass": "GLACIER"}], })
    box.advance(3 * DAY)
    assert storage_class(s3, bucket, "a") == "STANDARD"


def test_restore_errors(box, s3, bucket):
    s3.put_object(Bucket=bucket, Key="hot", Body=b"h")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.restore_object(Bucket=bucket, Key="hot", RestoreRequest={"Days": 1})
    assert code_and_status(excinfo) == ("InvalidObjectState", 403)
    s3.put_object(Bucket=bucket, Key="deep", Body=b"d", StorageClass="DEEP_ARCHIVE")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_object(Bucket=bucket, Key="deep")
    assert excinfo.value.response["Error"]["StorageClass"] == "DEEP_ARCHIVE"
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.restore_object(Bucket=bucket, Key="deep",
                          RestoreRequest={"Days": 1, "GlacierJobParameters": {"Tier": "Expedited"}})
    assert code_and_status(excinfo) == ("InvalidArgument", 400)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.restore_object(Bucket=bucket, Key="missing", RestoreRequest={"Days": 1})
    assert code_and_status(excinfo) == ("NoSuchKey", 404)
    s3.restore_object(Bucket=bucket, Key="deep", RestoreRequest={"Days": 1, "GlacierJobParameters": {"Tier": "Bulk"}})
    box.advance(47 * HOUR)
    assert s3.head_object(Bucket=bucket, Key="deep")["Restore"] == 'ongoing-request="true"'
    box.advance(1 * HOUR)
    assert s3.get_object(Bucket=bucket, Key="deep")["Body"].read() == b"d"
