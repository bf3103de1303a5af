"""S3 bucket configurations end to end: each stored, validated as AWS
validates it, returned exactly, and answered with AWS's error when unset;
object tags; and the aws CLI's put-bucket-tagging."""

import datetime
import hashlib
import json
import uuid

import pytest

from awserrors import fails
from conftest import unique


def test_unset_configurations_answer_aws_errors(s3, bucket):
    expected = {
        s3.get_bucket_tagging: ("NoSuchTagSet", 404),
        s3.get_bucket_cors: ("NoSuchCORSConfiguration", 404),
        s3.get_bucket_website: ("NoSuchWebsiteConfiguration", 404),
        s3.get_bucket_lifecycle_configuration: ("NoSuchLifecycleConfiguration", 404),
        s3.get_bucket_policy: ("NoSuchBucketPolicy", 404),
        s3.get_bucket_policy_status: ("NoSuchBucketPolicy", 404),
        s3.get_object_lock_configuration: ("ObjectLockConfigurationNotFoundError", 404),
    }
    for call, (code, status) in expected.items():
        got = fails(call, Bucket=bucket)
        assert (got[0], got[2]) == (code, status), call
    assert fails(s3.get_bucket_tagging, Bucket="no-such-bucket-cfg")[0] == "NoSuchBucket"


def test_new_bucket_defaults(s3, bucket):
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"] == {"SSEAlgorithm": "AES256"}
    assert rule["BucketKeyEnabled"] is False
    controls = s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]
    assert controls == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "IgnorePublicAcls": True, "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
    assert s3.get_bucket_request_payment(Bucket=bucket)["Payer"] == "BucketOwner"
    assert "Status" not in s3.get_bucket_accelerate_configuration(Bucket=bucket)
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=bucket)
    notification = s3.get_bucket_notification_configuration(Bucket=bucket)
    assert not any(k in notification for k in ("TopicConfigurations", "QueueConfigurations"))


def test_bucket_tagging(s3, bucket):
    tags = [{"Key": "env", "Value": "prod"}, {"Key": "team name", "Value": "a+b=c.d_e:f/g@h"}]
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": tags})
    assert s3.get_bucket_tagging(Bucket=bucket)["TagSet"] == tags
    dup = [{"Key": "k", "Value": "1"}, {"Key": "k", "Value": "2"}]
    assert fails(s3.put_bucket_tagging, Bucket=bucket, Tagging={"TagSet": dup})[::2] == ("InvalidTag", 400)
    long_key = [{"Key": "k" * 129, "Value": "v"}]
    assert fails(s3.put_bucket_tagging, Bucket=bucket, Tagging={"TagSet": long_key})[0] == "InvalidTag"
    many = [{"Key": f"k{i}", "Value": "v"} for i in range(51)]
    assert fails(s3.put_bucket_tagging, Bucket=bucket, Tagging={"TagSet": many})[0] == "InvalidTag"
    s3.delete_bucket_tagging(Bucket=bucket)
    assert fails(s3.get_bucket_tagging, Bucket=bucket)[0] == "NoSuchTagSet"


def test_bucket_tagging_with_the_aws_cli(server, bucket):
    server.aws("s3api", "put-bucket-tagging", "--bucket", bucket,
               "--tagging", "TagSet=[{Key=owner,Value=cli}]")
    assert server.aws("s3api", "get-bucket-tagging", "--bucket", bucket)["TagSet"] == [
        {"Key": "owner", "Value": "cli"}]


def test_malformed_xml_is_refused(server, bucket):
    for body in (b"<Tagging><TagSet>", b"not xml at all", b"<Tagging><Nope/></Tagging>"):
        response = server.signed("s3", method="PUT", path=f"/{bucket}?tagging", body=body,
                                 headers={"x-amz-content-sha256": hashlib.sha256(body).hexdigest()})
        assert response.status_code == 400, response.text
        assert "<Code>MalformedXML</Code>" in response.text


def test_website_configuration(s3, bucket):
    config = {
        "IndexDocument": {"Suffix": "index.html"},
        "ErrorDocument": {"Key": "error.html"},
        "RoutingRules": [{"Condition": {"KeyPrefixEquals": "docs/"},
                          "Redirect": {"ReplaceKeyPrefixWith": "documents/", "HttpRedirectCode": "301"}}],
    }
    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration=config)
    got = s3.get_bucket_website(Bucket=bucket)
    assert {k: got[k] for k in config} == config
    s3.put_bucket_website(Bucket=bucket, WebsiteConfiguration={
        "RedirectAllRequestsTo": {"HostName": "example.com", "Protocol": "https"}})
    assert s3.get_bucket_website(Bucket=bucket)["RedirectAllRequestsTo"] == {"HostName": "example.com",
                                                                            "Protocol": "https"}
    code, message, status = fails(s3.put_bucket_website, Bucket=bucket,
                                  WebsiteConfiguration={"ErrorDocument": {"Key": "e.html"}})
    assert (code, status) == ("InvalidArgument", 400)
    bad_code = {"IndexDocument": {"Suffix": "i.html"},
                "RoutingRules": [{"Redirect": {"HttpRedirectCode": "200"}}]}
    assert fails(s3.put_bucket_website, Bucket=bucket, WebsiteConfiguration=bad_code)[0] == "InvalidRequest"
    assert fails(s3.put_bucket_website, Bucket=bucket,
                 WebsiteConfiguration={"IndexDocument": {"Suffix": "a/b"}})[0] == "InvalidArgument"
    s3.delete_bucket_website(Bucket=bucket)
    assert fails(s3.get_bucket_website, Bucket=bucket)[0] == "NoSuchWebsiteConfiguration"


def test_logging_configuration(server, s3, bucket):
    target = unique("logs")
    s3.create_bucket(Bucket=target)
    status = {"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": "access/"}}
    s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus=status)
    assert s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"] == {
        **status["LoggingEnabled"], "TargetObjectKeyFormat": {"SimplePrefix": {}}}
    partitioned = {"LoggingEnabled": {"TargetBucket": target, "TargetPrefix": "p/", "TargetObjectKeyFormat": {
        "PartitionedPrefix": {"PartitionDateSource": "EventTime"}}}}
    s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus=partitioned)
    assert s3.get_bucket_logging(Bucket=bucket)["LoggingEnabled"] == partitioned["LoggingEnabled"]
    missing = {"LoggingEnabled": {"TargetBucket": "no-such-target-bucket", "TargetPrefix": ""}}
    assert fails(s3.put_bucket_logging, Bucket=bucket, BucketLoggingStatus=missing)[::2] == (
        "InvalidTargetBucketForLogging", 400)
    foreign = unique("foreign")
    server.client("s3", key=("111122223333", "x")).create_bucket(Bucket=foreign)
    code, message, _ = fails(s3.put_bucket_logging, Bucket=bucket,
                             BucketLoggingStatus={"LoggingEnabled": {"TargetBucket": foreign, "TargetPrefix": ""}})
    assert code == "InvalidTargetBucketForLogging" and "owner" in message
    s3.put_bucket_logging(Bucket=bucket, BucketLoggingStatus={})
    assert "LoggingEnabled" not in s3.get_bucket_logging(Bucket=bucket)


def test_default_encryption(s3, bucket):
    kms = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "aws:kms",
                                                              "KMSMasterKeyID": "alias/my-key"},
                      "BucketKeyEnabled": True}]}
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration=kms)
    assert s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"] == kms
    bad = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256", "KMSMasterKeyID": "k"}}]}
    assert fails(s3.put_bucket_encryption, Bucket=bucket,
                 ServerSideEncryptionConfiguration=bad)[0] == "InvalidArgument"
    unknown = {"Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "ROT13"}}]}
    assert fails(s3.put_bucket_encryption, Bucket=bucket,
                 ServerSideEncryptionConfiguration=unknown)[0] == "MalformedXML"
    s3.delete_bucket_encryption(Bucket=bucket)
    rule = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"][0]
    assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


LIFECYCLE = {"Rules": [
    {"ID": "archive-logs", "Status": "Enabled",
     "Filter": {"And": {"Prefix": "logs/", "Tags": [{"Key": "class", "Value": "cold"}],
                        "ObjectSizeGreaterThan": 1024, "ObjectSizeLessThan": 10485760}},
     "Transitions": [{"Days": 30, "StorageClass": "STANDARD_IA"}, {"Days": 90, "StorageClass": "GLACIER"}],
     "Expiration": {"Days": 365},
     "NoncurrentVersionTransitions": [{"NoncurrentDays": 30, "StorageClass": "GLACIER_IR",
                                       "NewerNoncurrentVersions": 2}],
     "NoncurrentVersionExpiration": {"NoncurrentDays": 120, "NewerNoncurrentVersions": 5}},
    {"ID": "markers", "Status": "Disabled", "Filter": {"Prefix": "tmp/"},
     "Expiration": {"ExpiredObjectDeleteMarker": True},
     "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 7}},
    {"ID": "dated", "Status": "Enabled", "Filter": {"ObjectSizeGreaterThan": 0},
     "Expiration": {"Date": datetime.datetime(2030, 1, 1, tzinfo=datetime.timezone.utc)}},
]}


def test_lifecycle_configuration(s3, bucket):
    put = s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=LIFECYCLE)
    assert put["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"
    got = s3.get_bucket_lifecycle_configuration(Bucket=bucket)
    assert got["Rules"] == LIFECYCLE["Rules"]
    assert got["TransitionDefaultMinimumObjectSize"] == "all_storage_classes_128K"
    s3.delete_bucket_lifecycle(Bucket=bucket)
    assert fails(s3.get_bucket_lifecycle_configuration, Bucket=bucket)[0] == "NoSuchLifecycleConfiguration"
    unnamed = {"Rules": [{"Status": "Enabled", "Filter": {"Prefix": "a/"}, "Expiration": {"Days": 1}}]}
    s3.put_bucket_lifecycle_configuration(Bucket=bucket, LifecycleConfiguration=unnamed)
    assert len(s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"][0]["ID"]) == 48


@pytest.mark.parametrize("rule,code,fragment", [
    ({"ID": "x", "Status": "Enabled", "Filter": {"Prefix": ""}}, "InvalidRequest", "At least one action"),
    ({"ID": "x", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 0}},
     "InvalidArgument", "positive integer"),
    ({"ID": "x", "Status": "Enabled", "Filter": {"Prefix": ""},
      "Transitions": [{"Days": 10, "StorageClass": "STANDARD_IA"}]}, "InvalidArgument", "greater than or equal to 30"),
    ({"ID": "x", "Status": "Enabled", "Filter": {"Tag": {"Key": "a", "Value": "b"}},
      "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1}}, "InvalidRequest", "Tags"),
    ({"ID": "x", "Status": "Enabled", "Filter": {"Prefix": ""},
      "Expiration": {"Date": datetime.datetime(2030, 1, 1, 12, tzinfo=datetime.timezone.utc)}},
     "InvalidArgument", "midnight"),
    ({"ID": "x", "Status": "Enabled", "Filter": {"Prefix": ""},
      "NoncurrentVersionExpiration": {"NoncurrentDays": 0}}, "InvalidArgument", "NoncurrentDays"),
])
def test_lifecycle_validation(s3, bucket, rule, code, fragment):
    got = fails(s3.put_bucket_lifecycle_configuration, Bucket=bucket, LifecycleConfiguration={"Rules": [rule]})
    assert got[0] == code and fragment in got[1] and got[2] == 400


def test_lifecycle_rule_ids_are_unique(s3, bucket):
    rule = {"ID": "same", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 1}}
    got = fails(s3.put_bucket_lifecycle_configuration, Bucket=bucket, LifecycleConfiguration={"Rules": [rule, rule]})
    assert got[0] == "InvalidArgument"


def test_ownership_controls_and_public_access_block(s3, bucket):
    s3.put_bucket_ownership_controls(Bucket=bucket, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    assert s3.get_bucket_ownership_controls(Bucket=bucket)["OwnershipControls"]["Rules"] == [
        {"ObjectOwnership": "ObjectWriter"}]
    s3.delete_bucket_ownership_controls(Bucket=bucket)
    assert fails(s3.get_bucket_ownership_controls, Bucket=bucket)[::2] == ("OwnershipControlsNotFoundError", 404)

    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={"BlockPublicAcls": True})
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True, "IgnorePublicAcls": False, "BlockPublicPolicy": False, "RestrictPublicBuckets": False}
    s3.delete_public_access_block(Bucket=bucket)
    assert fails(s3.get_public_access_block, Bucket=bucket)[::2] == ("NoSuchPublicAccessBlockConfiguration", 404)


def test_object_lock_configuration(s3):
    locked = unique("lock")
    s3.create_bucket(Bucket=locked, ObjectLockEnabledForBucket=True)
    assert s3.get_bucket_versioning(Bucket=locked)["Status"] == "Enabled"
    assert s3.get_object_lock_configuration(Bucket=locked)["ObjectLockConfiguration"] == {"ObjectLockEnabled": "Enabled"}
    config = {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 3}}}
    s3.put_object_lock_configuration(Bucket=locked, ObjectLockConfiguration=config)
    assert s3.get_object_lock_configuration(Bucket=locked)["ObjectLockConfiguration"] == config
    both = {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1, "Years": 1}}}
    assert fails(s3.put_object_lock_configuration, Bucket=locked, ObjectLockConfiguration=both)[0] == "MalformedXML"
    zero = {"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Days": 0}}}
    assert fails(s3.put_object_lock_configuration, Bucket=locked, ObjectLockConfiguration=zero)[::2] == (
        "InvalidRetentionPeriod", 400)

    plain = unique("plain")
    s3.create_bucket(Bucket=plain)
    got = fails(s3.put_object_lock_configuration, Bucket=plain, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
    assert got[::2] == ("InvalidBucketState", 409)
    s3.put_bucket_versioning(Bucket=plain, VersioningConfiguration={"Status": "Enabled"})
    s3.put_object_lock_configuration(Bucket=plain, ObjectLockConfiguration={"ObjectLockEnabled": "Enabled"})
    assert s3.get_object_lock_configuration(Bucket=plain)["ObjectLockConfiguration"]["ObjectLockEnabled"] == "Enabled"


def test_request_payment_and_accelerate(s3, bucket):
    s3.put_bucket_request_payment(Bucket=bucket, RequestPaymentConfiguration={"Payer": "Requester"})
    assert s3.get_bucket_request_payment(Bucket=bucket)["Payer"] == "Requester"
    s3.put_bucket_accelerate_configuration(Bucket=bucket, AccelerateConfiguration={"Status": "Enabled"})
    assert s3.get_bucket_accelerate_configuration(Bucket=bucket)["Status"] == "Enabled"
    s3.put_bucket_accelerate_configuration(Bucket=bucket, AccelerateConfiguration={"Status": "Suspended"})
    assert s3.get_bucket_accelerate_configuration(Bucket=bucket)["Status"] == "Suspended"
    dotted = f"dot.{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=dotted)
    assert fails(s3.put_bucket_accelerate_configuration, Bucket=dotted,
                 AccelerateConfiguration={"Status": "Enabled"})[0] == "InvalidRequest"


def test_notification_configuration(s3, bucket):
    config = {
        "QueueConfigurations": [{"Id": "q1", "QueueArn": "arn:aws:sqs:us-east-1:000000000000:queue",
                                 "Events": ["s3:ObjectCreated:*"],
                                 "Filter": {"Key": {"FilterRules": [{"Name": "Prefix", "Value": "in/"}]}}}],
        "TopicConfigurations": [{"TopicArn": "arn:aws:sns:us-east-1:000000000000:topic",
                                 "Events": ["s3:ObjectRemoved:Delete"]}],
    }
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration=config)
    got = s3.get_bucket_notification_configuration(Bucket=bucket)
    assert got["QueueConfigurations"] == config["QueueConfigurations"]
    topic = got["TopicConfigurations"][0]
    assert topic["TopicArn"] == config["TopicConfigurations"][0]["TopicArn"] and topic["Id"]
    bad = {"QueueConfigurations": [{"QueueArn": "arn:aws:sqs:us-east-1:000000000000:q", "Events": ["Created"]}]}
    assert fails(s3.put_bucket_notification_configuration, Bucket=bucket,
                 NotificationConfiguration=bad)[0] == "InvalidArgument"
    s3.put_bucket_notification_configuration(Bucket=bucket, NotificationConfiguration={})
    assert "QueueConfigurations" not in s3.get_bucket_notification_configuration(Bucket=bucket)


def test_configurations_kept_by_id(s3, bucket):
    analytics = {"Id": "a1", "Filter": {"Prefix": "p/"}, "StorageClassAnalysis": {}}
    s3.put_bucket_analytics_configuration(Bucket=bucket, Id="a1", AnalyticsConfiguration=analytics)
    assert s3.get_bucket_analytics_configuration(Bucket=bucket, Id="a1")["AnalyticsConfiguration"] == analytics
    metrics = [{"Id": f"m{i:03d}", "Filter": {"Prefix": f"p{i}/"}} for i in range(105)]
    for m in metrics:
        s3.put_bucket_metrics_configuration(Bucket=bucket, Id=m["Id"], MetricsConfiguration=m)
    first = s3.list_bucket_metrics_configurations(Bucket=bucket)
    assert first["IsTruncated"] and len(first["MetricsConfigurationList"]) == 100
    second = s3.list_bucket_metrics_configurations(Bucket=bucket, ContinuationToken=first["NextContinuationToken"])
    assert not second["IsTruncated"]
    assert first["MetricsConfigurationList"] + second["MetricsConfigurationList"] == metrics
    inventory = {"Id": "inv", "IsEnabled": True, "IncludedObjectVersions": "Current",
                 "Destination": {"S3BucketDestination": {"Bucket": f"arn:aws:s3:::{bucket}", "Format": "CSV"}},
                 "Schedule": {"Frequency": "Daily"}}
    s3.put_bucket_inventory_configuration(Bucket=bucket, Id="inv", InventoryConfiguration=inventory)
    listed = s3.list_bucket_inventory_configurations(Bucket=bucket)["InventoryConfigurationList"]
    assert listed == [inventory]
    tiering = {"Id": "t", "Status": "Enabled", "Tierings": [{"Days": 90, "AccessTier": "ARCHIVE_ACCESS"}]}
    s3.put_bucket_intelligent_tiering_configuration(Bucket=bucket, Id="t", IntelligentTieringConfiguration=tiering)
    assert s3.get_bucket_intelligent_tiering_configuration(Bucket=bucket, Id="t")[
        "IntelligentTieringConfiguration"] == tiering
    assert fails(s3.put_bucket_analytics_configuration, Bucket=bucket, Id="other",
                 AnalyticsConfiguration=analytics)[0] == "InvalidArgument"
    s3.delete_bucket_analytics_configuration(Bucket=bucket, Id="a1")
    assert fails(s3.get_bucket_analytics_configuration, Bucket=bucket, Id="a1")[::2] == ("NoSuchConfiguration", 404)
    assert fails(s3.delete_bucket_analytics_configuration, Bucket=bucket, Id="a1")[0] == "NoSuchConfiguration"


def test_object_tagging(s3, bucket):
    s3.put_object(Bucket=bucket, Key="obj", Body=b"x", Tagging="a=1&b=two")
    assert s3.get_object_tagging(Bucket=bucket, Key="obj")["TagSet"] == [{"Key": "a", "Value": "1"},
                                                                         {"Key": "b", "Value": "two"}]
    s3.put_object_tagging(Bucket=bucket, Key="obj", Tagging={"TagSet": [{"Key": "z", "Value": "26"},
                                                                        {"Key": "c", "Value": "3"}]})
    assert s3.get_object_tagging(Bucket=bucket, Key="obj")["TagSet"] == [{"Key": "c", "Value": "3"},
                                                                         {"Key": "z", "Value": "26"}]

    eleven = [{"Key": f"k{i}", "Value": "v"} for i in range(11)]
    assert fails(s3.put_object_tagging, Bucket=bucket, Key="obj", Tagging={"TagSet": eleven})[::2] == (
        "InvalidTag", 400)
    assert fails(s3.put_object_tagging, Bucket=bucket, Key="obj",
                 Tagging={"TagSet": [{"Key": "k", "Value": "v" * 257}]})[0] == "InvalidTag"
    s3.delete_object_tagging(Bucket=bucket, Key="obj")
    assert s3.get_object_tagging(Bucket=bucket, Key="obj")["TagSet"] == []
    assert fails(s3.get_object_tagging, Bucket=bucket, Key="missing")[::2] == ("NoSuchKey", 404)


def test_object_tagging_by_version(s3, bucket):
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    v1 = s3.put_object(Bucket=bucket, Key="k", Body=b"1", Tagging="v=1")["VersionId"]
    v2 = s3.put_object(Bucket=bucket, Key="k", Body=b"2", Tagging="v=2")["VersionId"]
    put = s3.put_object_tagging(Bucket=bucket, Key="k", VersionId=v1, Tagging={"TagSet": [{"Key": "v", "Value": "one"}]})
    assert put["VersionId"] == v1
    got = s3.get_object_tagging(Bucket=bucket, Key="k", VersionId=v1)
    assert got["TagSet"] == [{"Key": "v", "Value": "one"}] and got["VersionId"] == v1
    current = s3.get_object_tagging(Bucket=bucket, Key="k")
    assert current["TagSet"] == [{"Key": "v", "Value": "2"}] and current["VersionId"] == v2


def test_configuration_survives_restart(start, tmp_path):
    data = tmp_path / "data"
    box = start(data_dir=data)
    s3 = box.client("s3")
    s3.create_bucket(Bucket="kept")
    s3.put_bucket_lifecycle_configuration(Bucket="kept", LifecycleConfiguration=LIFECYCLE)
    s3.put_bucket_policy(Bucket="kept", Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "arn:aws:s3:::kept"}]}))
    box.kill()
    box = start(data_dir=data)
    s3 = box.client("s3")
    assert s3.get_bucket_lifecycle_configuration(Bucket="kept")["Rules"] == LIFECYCLE["Rules"]
    assert json.loads(s3.get_bucket_policy(Bucket="kept")["Policy"])["Statement"][0]["Effect"] == "Deny"
