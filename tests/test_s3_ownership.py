"""S3 Object Ownership: who owns the objects other accounts write, and which
ACLs each setting accepts."""

import json


from awserrors import refused
from conftest import unique


def shared_bucket(s3, ownership):
    """A bucket of the default account whose policy lets everyone do anything."""
    name = unique("own")
    s3.create_bucket(Bucket=name, ObjectOwnership=ownership)
    s3.delete_public_access_block(Bucket=name)
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:*",
         "Resource": [f"arn:aws:s3:::{name}", f"arn:aws:s3:::{name}/*"]}]}))
    return name


def owner_of(client, bucket, key):
    return client.get_object_acl(Bucket=bucket, Key=key)["Owner"]["ID"]


def test_bucket_owner_preferred_takes_objects_given_full_control(s3, other):
    bucket = shared_bucket(s3, "BucketOwnerPreferred")
    bucket_owner = s3.get_bucket_acl(Bucket=bucket)["Owner"]["ID"]
    other.put_object(Bucket=bucket, Key="kept", Body=b"x")
    assert owner_of(other, bucket, "kept") != bucket_owner
    other.put_object(Bucket=bucket, Key="given", Body=b"x", ACL="bucket-owner-full-control")
    assert owner_of(other, bucket, "given") == bucket_owner
    upload = other.create_multipart_upload(Bucket=bucket, Key="mp", ACL="bucket-owner-full-control")
    parts = other.list_parts(Bucket=bucket, Key="mp", UploadId=upload["UploadId"])
    assert parts["Owner"]["ID"] == bucket_owner
    other.copy_object(Bucket=bucket, Key="copied", CopySource={"Bucket": bucket, "Key": "kept"},
                      ACL="bucket-owner-full-control")
    assert owner_of(other, bucket, "copied") == bucket_owner


def test_bucket_owner_enforced_accepts_only_bucket_owner_full_control(s3, other):
    bucket = shared_bucket(s3, "BucketOwnerEnforced")
    bucket_owner = s3.get_bucket_acl(Bucket=bucket)["Owner"]["ID"]
    other.put_object(Bucket=bucket, Key="a", Body=b"x")
    other.put_object(Bucket=bucket, Key="b", Body=b"x", ACL="bucket-owner-full-control")
    assert owner_of(other, bucket, "a") == owner_of(other, bucket, "b") == bucket_owner
    assert refused(other.put_object, Bucket=bucket, Key="c", Body=b"x", ACL="private") == (
        "AccessControlListNotSupported", 400)
    assert refused(other.put_bucket_acl, Bucket=bucket, ACL="private") == ("AccessControlListNotSupported", 400)
    assert refused(other.put_object_acl, Bucket=bucket, Key="a", ACL="private") == (
        "AccessControlListNotSupported", 400)
    s3.put_bucket_acl(Bucket=bucket, ACL="private")


def test_enforcing_ownership_needs_an_owner_only_bucket_acl(s3):
    name = unique("own")
    s3.create_bucket(Bucket=name, ObjectOwnership="ObjectWriter")
    s3.delete_public_access_block(Bucket=name)
    s3.put_bucket_acl(Bucket=name, ACL="public-read")
    enforced = {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert refused(s3.put_bucket_ownership_controls, Bucket=name, OwnershipControls=enforced) == (
        "InvalidBucketAclWithObjectOwnership", 400)
    s3.put_bucket_acl(Bucket=name, ACL="private")
    s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=enforced)
    rules = s3.get_bucket_ownership_controls(Bucket=name)["OwnershipControls"]["Rules"]
    assert rules == [{"ObjectOwnership": "BucketOwnerEnforced"}]
