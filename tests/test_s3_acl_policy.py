"""S3 access control end to end: canned and explicit ACLs on buckets and
objects with ownership controls and the public access block, and bucket
policies validated, returned exactly and applied to other accounts and to
the owner."""

import json

import pytest

from awserrors import fails
from conftest import OTHER_ACCOUNT, unique

ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"
AUTHENTICATED = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"


def grantees(acl):
    return sorted((g["Grantee"].get("URI") or g["Grantee"].get("ID"), g["Permission"]) for g in acl["Grants"])


def owner_id(s3):
    return s3.list_buckets()["Owner"]["ID"]


def test_default_bucket_acl_is_private(s3, bucket):
    acl = s3.get_bucket_acl(Bucket=bucket)
    me = owner_id(s3)
    assert acl["Owner"]["ID"] == me
    assert grantees(acl) == [(me, "FULL_CONTROL")]
    assert acl["Grants"][0]["Grantee"]["Type"] == "CanonicalUser"


def test_acls_are_refused_while_bucket_owner_enforced(s3, bucket):
    assert fails(s3.put_bucket_acl, Bucket=bucket, ACL="public-read") == (
        "AccessControlListNotSupported", "The bucket does not allow ACLs", 400)
    s3.put_bucket_acl(Bucket=bucket, ACL="private")
    s3.put_object(Bucket=bucket, Key="k", Body=b"x")
    assert fails(s3.put_object_acl, Bucket=bucket, Key="k", ACL="public-read")[0] == "AccessControlListNotSupported"
    acl = s3.get_object_acl(Bucket=bucket, Key="k")
    assert grantees(acl) == [(owner_id(s3), "FULL_CONTROL")]


def test_canned_and_explicit_bucket_acls(s3, open_bucket):
    me = owner_id(s3)
    s3.put_bucket_acl(Bucket=open_bucket, ACL="public-read-write")
    assert grantees(s3.get_bucket_acl(Bucket=open_bucket)) == sorted(
        [(me, "FULL_CONTROL"), (ALL_USERS, "READ"), (ALL_USERS, "WRITE")])
    s3.put_bucket_acl(Bucket=open_bucket, ACL="log-delivery-write")
    assert len(s3.get_bucket_acl(Bucket=open_bucket)["Grants"]) == 3

    friend = "f" * 64
    s3.put_bucket_acl(Bucket=open_bucket, GrantRead=f'uri="{AUTHENTICATED}", id="{friend}"',
                      GrantFullControl=f'id="{me}"')
    assert grantees(s3.get_bucket_acl(Bucket=open_bucket)) == sorted(
        [(AUTHENTICATED, "READ"), (friend, "READ"), (me, "FULL_CONTROL")])

    policy = {"Owner": {"ID": me}, "Grants": [
        {"Grantee": {"Type": "CanonicalUser", "ID": me}, "Permission": "FULL_CONTROL"},
        {"Grantee": {"Type": "Group", "URI": ALL_USERS}, "Permission": "READ_ACP"}]}
    s3.put_bucket_acl(Bucket=open_bucket, AccessControlPolicy=policy)
    assert grantees(s3.get_bucket_acl(Bucket=open_bucket)) == sorted([(me, "FULL_CONTROL"), (ALL_USERS, "READ_ACP")])

    assert fails(s3.put_bucket_acl, Bucket=open_bucket, ACL="private", GrantRead=f'id="{me}"')[0] == "InvalidRequest"
    assert fails(s3.put_bucket_acl, Bucket=open_bucket,
                 GrantRead='emailAddress="someone@example.com"')[0] == "UnresolvableGrantByEmailAddress"
    assert fails(s3.put_bucket_acl, Bucket=open_bucket, GrantRead='uri="http://example.com/group"')[0] == (
        "InvalidArgument")


def test_block_public_acls(s3, open_bucket):
    s3.put_public_access_block(Bucket=open_bucket, PublicAccessBlockConfiguration={"BlockPublicAcls": True})
    assert fails(s3.put_bucket_acl, Bucket=open_bucket, ACL="public-read")[::2] == ("AccessDenied", 403)
    s3.put_bucket_acl(Bucket=open_bucket, ACL="private")


def test_acls_at_create_bucket(s3):
    code, message, status = fails(s3.create_bucket, Bucket=unique("mk"), ACL="public-read")
    assert (code, status) == ("InvalidBucketAclWithObjectOwnership", 400)
    assert fails(s3.create_bucket, Bucket=unique("mk"), ACL="public-read",
                 ObjectOwnership="ObjectWriter")[0] == "InvalidBucketAclWithBlockPublicAccessError"
    friend = "e" * 64
    name = unique("mk")
    s3.create_bucket(Bucket=name, ObjectOwnership="BucketOwnerPreferred", GrantRead=f'id="{friend}"')
    assert (friend, "READ") in grantees(s3.get_bucket_acl(Bucket=name))
    assert s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"][0][
        "ObjectOwnership"] == "BucketOwnerPreferred"


def test_object_acls(s3, open_bucket):
    me = owner_id(s3)
    s3.put_object(Bucket=open_bucket, Key="doc", Body=b"x")
    assert grantees(s3.get_object_acl(Bucket=open_bucket, Key="doc")) == [(me, "FULL_CONTROL")]
    s3.put_object_acl(Bucket=open_bucket, Key="doc", ACL="public-read")
    assert grantees(s3.get_object_acl(Bucket=open_bucket, Key="doc")) == sorted([(me, "FULL_CONTROL"),
                                                                                  (ALL_USERS, "READ")])
    s3.put_object_acl(Bucket=open_bucket, Key="doc", GrantReadACP=f'id="{"d" * 64}"')
    assert grantees(s3.get_object_acl(Bucket=open_bucket, Key="doc")) == [("d" * 64, "READ_ACP")]
    assert fails(s3.get_object_acl, Bucket=open_bucket, Key="nope")[::2] == ("NoSuchKey", 404)
    assert fails(s3.put_object_acl, Bucket=open_bucket, Key="nope", ACL="private")[0] == "NoSuchKey"


def test_object_acls_by_version(s3, open_bucket):
    s3.put_bucket_versioning(Bucket=open_bucket, VersioningConfiguration={"Status": "Enabled"})
    first = s3.put_object(Bucket=open_bucket, Key="v", Body=b"1")["VersionId"]
    s3.put_object(Bucket=open_bucket, Key="v", Body=b"2")
    s3.put_object_acl(Bucket=open_bucket, Key="v", VersionId=first, ACL="authenticated-read")
    assert (AUTHENTICATED, "READ") in grantees(s3.get_object_acl(Bucket=open_bucket, Key="v", VersionId=first))
    assert (AUTHENTICATED, "READ") not in grantees(s3.get_object_acl(Bucket=open_bucket, Key="v"))


@pytest.mark.parametrize("policy,message", [
    ("not json", "Policies must be valid JSON and the first byte must be '{'"),
    ('{"Version": "2012-10-17"', "Policies must be valid JSON and the first byte must be '{'"),
    ('{"Version": "2012-10-17"}', "Missing required field Statement"),
    ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
     '"Resource": "arn:aws:s3:::BUCKET/*"}]}', "Missing required field Principal"),
    ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage", '
     '"Resource": "arn:aws:s3:::BUCKET/*"}]}', "Policy has invalid action"),
    ('{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", '
     '"Resource": "arn:aws:s3:::some-other-bucket/*"}]}', "Policy has invalid resource"),
    ('{"Version": "1999-01-01", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", '
     '"Resource": "arn:aws:s3:::BUCKET/*"}]}', "The policy must contain a valid version string"),
])
def test_malformed_policies(s3, bucket, policy, message):
    assert fails(s3.put_bucket_policy, Bucket=bucket, Policy=policy.replace("BUCKET", bucket)) == (
        "MalformedPolicy", message, 400)


def test_policy_round_trip_and_status(s3, bucket):
    text = json.dumps({"Version": "2012-10-17", "Id": "exact", "Statement": [
        {"Sid": "friend", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT[0]}:root"},
         "Action": ["s3:GetBucketTagging"], "Resource": f"arn:aws:s3:::{bucket}"}]}, indent=1)
    s3.put_bucket_policy(Bucket=bucket, Policy=text)
    assert s3.get_bucket_policy(Bucket=bucket)["Policy"] == text
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"] == {"IsPublic": False}
    public = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*"}]})
    assert fails(s3.put_bucket_policy, Bucket=bucket, Policy=public)[::2] == ("AccessDenied", 403)
    s3.delete_public_access_block(Bucket=bucket)
    s3.put_bucket_policy(Bucket=bucket, Policy=public)
    assert s3.get_bucket_policy_status(Bucket=bucket)["PolicyStatus"] == {"IsPublic": True}
    s3.delete_bucket_policy(Bucket=bucket)
    assert fails(s3.get_bucket_policy, Bucket=bucket)[::2] == ("NoSuchBucketPolicy", 404)


def test_policy_lets_another_account_in(s3, other, bucket):
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "k", "Value": "v"}]})
    s3.put_object(Bucket=bucket, Key="shared/doc", Body=b"x", Tagging="t=1")
    assert fails(other.get_bucket_tagging, Bucket=bucket)[::2] == ("AccessDenied", 403)
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": OTHER_ACCOUNT[0]}, "Action": "s3:GetBucketTagging",
         "Resource": f"arn:aws:s3:::{bucket}"},
        {"Effect": "Allow", "Principal": {"AWS": [OTHER_ACCOUNT[0]]}, "Action": "s3:GetObject*",
         "Resource": f"arn:aws:s3:::{bucket}/shared/*"}]}))
    assert other.get_bucket_tagging(Bucket=bucket)["TagSet"] == [{"Key": "k", "Value": "v"}]
    assert other.get_object_tagging(Bucket=bucket, Key="shared/doc")["TagSet"] == [{"Key": "t", "Value": "1"}]
    assert fails(other.put_bucket_tagging, Bucket=bucket, Tagging={"TagSet": []})[0] == "AccessDenied"
    assert fails(other.get_bucket_policy, Bucket=bucket)[0] == "AccessDenied"


def test_explicit_deny_applies_to_the_owner_but_never_locks_the_policy(s3, bucket):
    s3.put_bucket_policy(Bucket=bucket, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": ["s3:PutBucketTagging", "s3:*Policy"],
         "Resource": f"arn:aws:s3:::{bucket}"}]}))
    assert fails(s3.put_bucket_tagging, Bucket=bucket, Tagging={"TagSet": []})[::2] == ("AccessDenied", 403)
    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"])["Statement"][0]["Effect"] == "Deny"
    s3.delete_bucket_policy(Bucket=bucket)
    s3.put_bucket_tagging(Bucket=bucket, Tagging={"TagSet": [{"Key": "a", "Value": "b"}]})


def test_policy_with_the_aws_cli(server, bucket):
    text = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": {"AWS": OTHER_ACCOUNT[0]}, "Action": "s3:*", "Resource": f"arn:aws:s3:::{bucket}/*"}]})
    server.aws("s3api", "put-bucket-policy", "--bucket", bucket, "--policy", text)
    assert server.aws("s3api", "get-bucket-policy", "--bucket", bucket)["Policy"] == text


def test_bucket_acl_grants_let_other_accounts_in(s3, other, open_bucket):
    s3.put_object(Bucket=open_bucket, Key="listed", Body=b"x")
    assert fails(other.list_objects_v2, Bucket=open_bucket)[::2] == ("AccessDenied", 403)
    s3.put_bucket_acl(Bucket=open_bucket, ACL="public-read")
    assert [o["Key"] for o in other.list_objects_v2(Bucket=open_bucket)["Contents"]] == ["listed"]
    assert fails(other.get_bucket_acl, Bucket=open_bucket)[0] == "AccessDenied"
    s3.put_public_access_block(Bucket=open_bucket, PublicAccessBlockConfiguration={"IgnorePublicAcls": True})
    assert fails(other.list_objects_v2, Bucket=open_bucket)[0] == "AccessDenied"
    other_id = other.list_buckets()["Owner"]["ID"]
    s3.put_bucket_acl(Bucket=open_bucket, GrantReadACP=f'id="{other_id}"', GrantRead=f'id="{other_id}"')
    assert other.list_objects_v2(Bucket=open_bucket)["KeyCount"] == 1
    assert (other_id, "READ") in grantees(other.get_bucket_acl(Bucket=open_bucket))
    # ACLs cannot be disabled while they grant anyone but the owner anything.
    enforced = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert fails(s3.put_bucket_ownership_controls, Bucket=open_bucket, OwnershipControls=enforced)[::2] == (
        "InvalidBucketAclWithObjectOwnership", 400)
    s3.put_bucket_acl(Bucket=open_bucket, ACL="private")
    s3.put_bucket_ownership_controls(Bucket=open_bucket, OwnershipControls=enforced)
    assert fails(other.list_objects_v2, Bucket=open_bucket)[0] == "AccessDenied"


def test_object_acl_grants_let_other_accounts_read(s3, other, open_bucket):
    s3.put_object(Bucket=open_bucket, Key="shared", Body=b"hello")
    assert fails(other.get_object, Bucket=open_bucket, Key="shared")[::2] == ("AccessDenied", 403)
    s3.put_object_acl(Bucket=open_bucket, Key="shared", ACL="public-read")
    assert other.get_object(Bucket=open_bucket, Key="shared")["Body"].read() == b"hello"
    assert fails(other.get_object_acl, Bucket=open_bucket, Key="shared")[0] == "AccessDenied"


def test_recreating_a_bucket_in_us_east_1_resets_its_acl(s3, open_bucket):
    s3.put_bucket_acl(Bucket=open_bucket, ACL="public-read")
    s3.create_bucket(Bucket=open_bucket)
    assert grantees(s3.get_bucket_acl(Bucket=open_bucket)) == [(owner_id(s3), "FULL_CONTROL")]


def test_not_principal_cannot_allow(s3, bucket):
    policy = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "NotPrincipal": {"AWS": OTHER_ACCOUNT[0]}, "Action": "s3:ListBucket",
         "Resource": f"arn:aws:s3:::{bucket}"}]})
    assert fails(s3.put_bucket_policy, Bucket=bucket, Policy=policy)[::2] == ("MalformedPolicy", 400)
