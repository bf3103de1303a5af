"""Unsigned S3 requests come from the anonymous principal, as on AWS: only
ACL grants to everyone and policy statements for "*" let it in; it can
neither list buckets nor create them. Signed requests (with any key, in
permissive mode) keep acting for an account."""

import json

import botocore.config
import pytest
from botocore import UNSIGNED

from awserrors import refused
from conftest import OTHER_ACCOUNT, create_open_bucket, unique


@pytest.fixture
def anonymous(server):
    import boto3
    return boto3.client("s3", endpoint_url=server.endpoint, region_name="us-east-1",
                        config=botocore.config.Config(signature_version=UNSIGNED, retries={"max_attempts": 0}))


def open_bucket(s3, acl=None):
    name = create_open_bucket(s3, "anon")
    if acl:
        s3.put_bucket_acl(Bucket=name, ACL=acl)
    return name


def test_private_buckets_refuse_anonymous_requests(s3, anonymous):
    name = unique("private")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="k", Body=b"secret")
    assert refused(anonymous.list_objects, Bucket=name) == ("AccessDenied", 403)
    assert refused(anonymous.list_objects_v2, Bucket=name) == ("AccessDenied", 403)
    assert refused(anonymous.get_object, Bucket=name, Key="k") == ("AccessDenied", 403)
    assert refused(anonymous.put_object, Bucket=name, Key="k2", Body=b"x") == ("AccessDenied", 403)
    assert refused(anonymous.get_bucket_acl, Bucket=name) == ("AccessDenied", 403)
    assert refused(anonymous.get_object_acl, Bucket=name, Key="k") == ("AccessDenied", 403)
    assert "Contents" not in s3.list_objects_v2(Bucket=name, Prefix="k2")


def test_anonymous_callers_have_no_buckets_and_make_none(anonymous):
    assert refused(anonymous.list_buckets) == ("AccessDenied", 403)
    assert refused(anonymous.create_bucket, Bucket=unique("nobody")) == ("AccessDenied", 403)


def test_public_acls_let_anonymous_callers_in(s3, anonymous):
    readable = open_bucket(s3, "public-read")
    s3.put_object(Bucket=readable, Key="k", Body=b"hello", ACL="public-read")
    assert [o["Key"] for o in anonymous.list_objects(Bucket=readable)["Contents"]] == ["k"]
    assert anonymous.get_object(Bucket=readable, Key="k")["Body"].read() == b"hello"
    assert refused(anonymous.put_object, Bucket=readable, Key="new", Body=b"x") == ("AccessDenied", 403)
    writable = open_bucket(s3, "public-read-write")
    anonymous.put_object(Bucket=writable, Key="dropped", Body=b"x")
    assert [o["Key"] for o in s3.list_objects_v2(Bucket=writable)["Contents"]] == ["dropped"]


def test_authenticated_users_grants_exclude_anonymous_callers(server, s3, anonymous):
    name = open_bucket(s3, "authenticated-read")
    s3.put_object(Bucket=name, Key="k", Body=b"members", ACL="authenticated-read")
    other = server.client("s3", key=OTHER_ACCOUNT)
    assert other.get_object(Bucket=name, Key="k")["Body"].read() == b"members"
    assert refused(anonymous.get_object, Bucket=name, Key="k") == ("AccessDenied", 403)
    assert refused(anonymous.list_objects, Bucket=name) == ("AccessDenied", 403)


def test_policies_for_everyone_let_anonymous_callers_in(s3, anonymous):
    name = open_bucket(s3)
    s3.put_object(Bucket=name, Key="public/a", Body=b"a")
    s3.put_object(Bucket=name, Key="private/b", Body=b"b")
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{name}/public/*"},
        {"Effect": "Allow", "Principal": {"AWS": "000000000000"}, "Action": "s3:GetObject",
         "Resource": f"arn:aws:s3:::{name}/private/*"},
    ]}))
    assert anonymous.get_object(Bucket=name, Key="public/a")["Body"].read() == b"a"
    assert refused(anonymous.get_object, Bucket=name, Key="private/b") == ("AccessDenied", 403)


def test_signed_requests_with_unknown_keys_still_act_for_an_account(server):
    stranger = server.client("s3", key=("AKIDNEVERISSUED", "whatever"))
    name = unique("permissive")
    stranger.create_bucket(Bucket=name)
    assert name in [b["Name"] for b in stranger.list_buckets()["Buckets"]]
