"""Bucket policy Condition blocks evaluated as AWS evaluates them, and the
other parts of S3's access decision that depend on who owns what: objects
other accounts wrote, RestrictPublicBuckets, 404 or 403 for missing
objects, and GetBucketPolicyStatus."""

import json

import botocore.config
import pytest
import requests
from botocore import UNSIGNED

from awserrors import refused
from conftest import OTHER_ACCOUNT, create_open_bucket


@pytest.fixture
def bucket(s3):
    return create_open_bucket(s3, "cond")


def put_policy(s3, bucket, *statements):
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": list(statements)}))


def statement(bucket, action, effect="Allow", condition=None, principal="*", resource="/*"):
    s = {"Effect": effect, "Principal": principal, "Action": action, "Resource": f"arn:aws:s3:::{bucket}{resource}"}
    if condition:
        s["Condition"] = condition
    return s


def with_header(client, operation, name, value):
    def add(params, **_):
        params["headers"][name] = value
    client.meta.events.register(f"before-call.s3.{operation}", add)


def test_request_headers_in_conditions(s3, other, bucket):
    put_policy(s3, bucket,
               statement(bucket, "s3:PutObject"),
               statement(bucket, "s3:PutObject", "Deny", {"StringLike": {"s3:x-amz-acl": "public*"}}),
               statement(bucket, "s3:PutObject", "Deny", {"Null": {"s3:x-amz-server-side-encryption": "true"}}))
    assert refused(other.put_object, Bucket=bucket, Key="plain", Body=b"x") == ("AccessDenied", 403)
    other.put_object(Bucket=bucket, Key="encrypted", Body=b"x", ServerSideEncryption="AES256")
    assert refused(other.put_object, Bucket=bucket, Key="public", Body=b"x", ServerSideEncryption="AES256",
                  ACL="public-read") == ("AccessDenied", 403)
    # The owner is denied too: an explicit deny wins.
    assert refused(s3.put_object, Bucket=bucket, Key="owner-plain", Body=b"x") == ("AccessDenied", 403)


def test_negated_operators_and_if_exists(s3, other, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    put_policy(s3, bucket,
               statement(bucket, "s3:GetObject", condition={"StringLikeIfExists": {"aws:Referer": "https://ok.example/*"}}))
    assert other.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"
    with_header(other, "GetObject", "Referer", "https://ok.example/page")
    assert other.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"
    bad = other.meta.events
    bad.unregister("before-call.s3.GetObject")
    with_header(other, "GetObject", "Referer", "https://elsewhere.example/")
    assert refused(other.get_object, Bucket=bucket, Key="k") == ("AccessDenied", 403)


def test_object_tags_in_conditions(s3, other, bucket):
    s3.put_object(Bucket=bucket, Key="open", Body=b"o", Tagging="security=public")
    s3.put_object(Bucket=bucket, Key="closed", Body=b"c", Tagging="security=private")
    put_policy(s3, bucket,
               statement(bucket, "s3:GetObject", condition={"StringEquals": {"s3:ExistingObjectTag/security": "public"}}),
               statement(bucket, "s3:PutObject", condition={"StringEquals": {"s3:RequestObjectTag/team": "blue"}}))
    assert other.get_object(Bucket=bucket, Key="open")["Body"].read() == b"o"
    assert refused(other.get_object, Bucket=bucket, Key="closed") == ("AccessDenied", 403)
    assert refused(other.put_object, Bucket=bucket, Key="untagged", Body=b"x") == ("AccessDenied", 403)
    other.put_object(Bucket=bucket, Key="tagged", Body=b"x", Tagging="team=blue")


def test_copy_source_in_conditions(s3, other, bucket):
    s3.put_object(Bucket=bucket, Key="public/a", Body=b"a")
    s3.put_object(Bucket=bucket, Key="private/b", Body=b"b")
    put_policy(s3, bucket,
               statement(bucket, "s3:GetObject"),
               statement(bucket, "s3:PutObject", condition={"StringLike": {"s3:x-amz-copy-source": f"{bucket}/public/*"}}))
    other.copy_object(Bucket=bucket, Key="copied", CopySource={"Bucket": bucket, "Key": "public/a"})
    assert refused(other.copy_object, Bucket=bucket, Key="copied2",
                  CopySource={"Bucket": bucket, "Key": "private/b"}) == ("AccessDenied", 403)


def test_bucket_owner_reads_other_accounts_objects_only_through_their_acl(s3, other, bucket):
    put_policy(s3, bucket, statement(bucket, "s3:PutObject", principal={"AWS": OTHER_ACCOUNT[0]}))
    other.put_object(Bucket=bucket, Key="theirs", Body=b"x")
    assert refused(s3.get_object_acl, Bucket=bucket, Key="theirs") == ("AccessDenied", 403)
    assert refused(s3.get_object, Bucket=bucket, Key="theirs") == ("AccessDenied", 403)
    assert other.get_object_acl(Bucket=bucket, Key="theirs")["Grants"][0]["Permission"] == "FULL_CONTROL"
    other.put_object(Bucket=bucket, Key="shared", Body=b"y", ACL="bucket-owner-read")
    assert s3.get_object(Bucket=bucket, Key="shared")["Body"].read() == b"y"
    s3.delete_object(Bucket=bucket, Key="theirs")


def test_missing_objects_are_404_only_to_those_who_may_list(s3, other, bucket):
    assert refused(other.get_object, Bucket=bucket, Key="nothing") == ("AccessDenied", 403)
    assert refused(other.head_object, Bucket=bucket, Key="nothing") == ("403", 403)
    s3.put_bucket_acl(Bucket=bucket, ACL="public-read")
    assert refused(other.get_object, Bucket=bucket, Key="nothing") == ("NoSuchKey", 404)
    assert refused(other.head_object, Bucket=bucket, Key="nothing") == ("404", 404)
    assert refused(s3.get_object, Bucket=bucket, Key="nothing") == ("NoSuchKey", 404)


def test_missing_objects_are_404_to_those_who_may_list_their_names(s3, other, bucket):
    put_policy(s3, bucket, statement(bucket, "s3:ListBucket", principal={"AWS": "*"}, resource="",
                                     condition={"StringLike": {"s3:prefix": "public/*"}}))
    assert refused(other.head_object, Bucket=bucket, Key="public/nothing") == ("404", 404)
    assert refused(other.head_object, Bucket=bucket, Key="private/nothing") == ("403", 403)


def test_restrict_public_buckets_ignores_public_policies(server, s3, bucket):
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    put_policy(s3, bucket, statement(bucket, "s3:GetObject"))
    import boto3
    anonymous = boto3.client("s3", endpoint_url=server.endpoint, region_name="us-east-1",
                             config=botocore.config.Config(signature_version=UNSIGNED))
    assert anonymous.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"
    s3.put_public_access_block(Bucket=bucket, PublicAccessBlockConfiguration={
        "BlockPublicAcls": False, "IgnorePublicAcls": False, "BlockPublicPolicy": False,
        "RestrictPublicBuckets": True})
    assert refused(anonymous.get_object, Bucket=bucket, Key="k") == ("AccessDenied", 403)
    assert s3.get_object(Bucket=bucket, Key="k")["Body"].read() == b"x"


def test_policy_status_counts_only_unrestricted_policies(s3, bucket):
    assert refused(s3.get_bucket_policy_status, Bucket=bucket) == ("NoSuchBucketPolicy", 404)
    put_policy(s3, bucket, statement(bucket, "s3:GetObject",
                                     condition={"IpAddress": {"aws:SourceIp": "10.0.0.0/8"}}))
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is False
    put_policy(s3, bucket, statement(bucket, "s3:GetObject",
                                     condition={"StringLike": {"aws:Referer": "https://example.com/*"}}))
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"]["IsPublic"] is True


def test_cors_preflight_of_a_presigned_url_needs_no_signature(server, bucket):
    s3v4 = server.client("s3", signature_version="s3v4")
    s3v4.put_object(Bucket=bucket, Key="k", Body=b"x")
    url = s3v4.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "k"}, ExpiresIn=600)
    assert requests.options(url, timeout=10).status_code == 400
    s3v4.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [
        {"AllowedMethods": ["GET"], "AllowedOrigins": ["https://app.example"]}]})
    reply = requests.options(url, timeout=10, headers={"Origin": "https://app.example",
                                                       "Access-Control-Request-Method": "GET"})
    assert reply.status_code == 200
    assert reply.headers["Access-Control-Allow-Origin"] == "https://app.example"
    assert requests.get(url, timeout=10).content == b"x"
