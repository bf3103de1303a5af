"""S3 buckets end to end: creation rules (names, location constraints,
the global namespace, the per-account quota), HeadBucket, GetBucketLocation,
ListBuckets with its filters and pages, DeleteBucket, and the aws CLI's
`s3 mb` / `s3 rb`."""


import botocore.exceptions
import pytest

from awserrors import code_message_status
from conftest import OTHER_ACCOUNT, unique


def test_create_head_locate_delete(s3):
    name = unique("bkt")
    created = s3.create_bucket(Bucket=name)
    assert created["Location"] == f"/{name}"
    head = s3.head_bucket(Bucket=name)
    assert head["ResponseMetadata"]["HTTPHeaders"]["x-amz-bucket-region"] == "us-east-1"
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] is None
    s3.delete_bucket(Bucket=name)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.head_bucket(Bucket=name)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.delete_bucket(Bucket=name)
    assert code_message_status(excinfo)[0] == "NoSuchBucket"


@pytest.mark.parametrize("name", ["ab", "a" * 64, "Upper-Case", "under_score", "-lead", "trail-", "dot..dot",
                                  "192.168.1.1", "xn--punycode", "name-s3alias", "name--ol-s3", "sthree-x"])
def test_invalid_names_are_refused(s3, name):
    with pytest.raises((botocore.exceptions.ClientError, botocore.exceptions.ParamValidationError)) as excinfo:
        s3.create_bucket(Bucket=name)
    if isinstance(excinfo.value, botocore.exceptions.ClientError):
        assert code_message_status(excinfo)[:3:2] == ("InvalidBucketName", 400)


def test_location_constraints_follow_the_endpoint_region(server, s3):
    name = unique("bkt")
    made = s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    assert made["Location"] == f"http://{name}.s3.amazonaws.com/"
    assert s3.get_bucket_location(Bucket=name)["LocationConstraint"] == "eu-west-1"
    assert s3.head_bucket(Bucket=name)["BucketRegion"] == "eu-west-1"

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.create_bucket(Bucket=unique("bkt"), CreateBucketConfiguration={"LocationConstraint": "us-east-1"})
    assert code_message_status(excinfo)[0] == "InvalidLocationConstraint"

    west = server.client("s3", region="us-west-2")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        west.create_bucket(Bucket=unique("bkt"))
    code, message, status = code_message_status(excinfo)
    assert (code, status) == ("IllegalLocationConstraintException", 400)
    assert message == ("The unspecified location constraint is incompatible for the region specific endpoint "
                       "this request was sent to.")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        west.create_bucket(Bucket=unique("bkt"), CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    assert code_message_status(excinfo)[1] == ("The eu-central-1 location constraint is incompatible for the region specific "
                                    "endpoint this request was sent to.")
    own = unique("bkt")
    west.create_bucket(Bucket=own, CreateBucketConfiguration={"LocationConstraint": "us-west-2"})
    assert west.get_bucket_location(Bucket=own)["LocationConstraint"] == "us-west-2"


def test_names_are_global_across_accounts(server, s3):
    name = unique("bkt")
    s3.create_bucket(Bucket=name)
    # us-east-1 answers success to the owner and changes nothing
    s3.create_bucket(Bucket=name)
    other = server.client("s3", key=OTHER_ACCOUNT)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        other.create_bucket(Bucket=name)
    assert code_message_status(excinfo)[::2] == ("BucketAlreadyExists", 409)
    # the other account cannot see or delete it
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        other.head_bucket(Bucket=name)
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        other.delete_bucket(Bucket=name)
    assert code_message_status(excinfo)[0] == "AccessDenied"

    regional = unique("bkt")
    s3.create_bucket(Bucket=regional, CreateBucketConfiguration={"LocationConstraint": "ap-south-1"})
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.create_bucket(Bucket=regional, CreateBucketConfiguration={"LocationConstraint": "ap-south-1"})
    assert code_message_status(excinfo)[::2] == ("BucketAlreadyOwnedByYou", 409)


def test_expected_bucket_owner(s3):
    name = unique("bkt")
    s3.create_bucket(Bucket=name)
    s3.head_bucket(Bucket=name, ExpectedBucketOwner="000000000000")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.head_bucket(Bucket=name, ExpectedBucketOwner="999999999999")
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_list_buckets_prefix_pages_and_region(server):
    account = ("222233334444", "x")
    s3 = server.client("s3", key=account)
    prefix = unique("lst")
    names = [f"{prefix}-{i:02d}" for i in range(7)]
    for name in names[:5]:
        s3.create_bucket(Bucket=name)
    for name in names[5:]:
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"})
    s3.create_bucket(Bucket=unique("zzz"))

    listed = s3.list_buckets(Prefix=prefix)
    assert [b["Name"] for b in listed["Buckets"]] == names
    assert listed["Prefix"] == prefix
    assert all(b["BucketRegion"] in ("us-east-1", "eu-west-2") for b in listed["Buckets"])
    assert len(listed["Owner"]["ID"]) == 64

    seen, token = [], None
    while True:
        kwargs = {"Prefix": prefix, "MaxBuckets": 3}
        if token:
            kwargs["ContinuationToken"] = token
        page = s3.list_buckets(**kwargs)
        seen += [b["Name"] for b in page["Buckets"]]
        token = page.get("ContinuationToken")
        if not token:
            break
    assert seen == names

    regional = s3.list_buckets(Prefix=prefix, BucketRegion="eu-west-2")
    assert [b["Name"] for b in regional["Buckets"]] == names[5:]

    paginated = [b["Name"] for page in s3.get_paginator("list_buckets").paginate(Prefix=prefix,
                                                                               PaginationConfig={"PageSize": 2})
                 for b in page["Buckets"]]
    assert paginated == names

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.list_buckets(MaxBuckets=10001)
    assert code_message_status(excinfo)[0] == "InvalidArgument"
    # other accounts' buckets are not listed
    assert not server.client("s3", key=OTHER_ACCOUNT).list_buckets(Prefix=prefix)["Buckets"]


def test_delete_refuses_a_bucket_with_objects(s3):
    name = unique("bkt")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="k", Body=b"x")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.delete_bucket(Bucket=name)
    assert code_message_status(excinfo)[::2] == ("BucketNotEmpty", 409)
    s3.delete_object(Bucket=name, Key="k")
    s3.delete_bucket(Bucket=name)


def test_deleting_a_bucket_drops_its_configuration(s3):
    name = unique("bkt")
    s3.create_bucket(Bucket=name)
    s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [{"Key": "a", "Value": "1"}]})
    s3.delete_bucket(Bucket=name)
    s3.create_bucket(Bucket=name)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_bucket_tagging(Bucket=name)
    assert code_message_status(excinfo)[0] == "NoSuchTagSet"


def test_bucket_quota_is_enforced_and_configurable(start):
    box = start(env={"CLOUDBOX_S3_BUCKET_QUOTA": "3"})
    s3 = box.client("s3")
    for i in range(3):
        s3.create_bucket(Bucket=f"quota-{i}")
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.create_bucket(Bucket="quota-3")
    assert code_message_status(excinfo) == ("TooManyBuckets", "You have attempted to create more buckets than allowed", 400)
    # the quota is per account
    box.client("s3", key=OTHER_ACCOUNT).create_bucket(Bucket="quota-other")
    s3.delete_bucket(Bucket="quota-0")
    s3.create_bucket(Bucket="quota-3")


def test_aws_cli_mb_and_rb(server):
    name = unique("cli")
    result = server.aws("s3", "mb", f"s3://{name}", check=False)
    assert result.returncode == 0, result.stderr
    assert f"make_bucket: {name}" in result.stdout
    listed = server.aws("s3api", "list-buckets", "--prefix", name)
    assert [b["Name"] for b in listed["Buckets"]] == [name]
    result = server.aws("s3", "rb", f"s3://{name}", check=False)
    assert result.returncode == 0, result.stderr
    assert f"remove_bucket: {name}" in result.stdout
    assert server.aws("s3api", "list-buckets", "--prefix", name)["Buckets"] == []


def test_buckets_and_configuration_survive_kill_9(start, tmp_path):
    data = tmp_path / "data"
    box = start(data_dir=data)
    s3 = box.client("s3")
    s3.create_bucket(Bucket="durable-bucket", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_bucket_tagging(Bucket="durable-bucket", Tagging={"TagSet": [{"Key": "team", "Value": "storage"}]})
    s3.put_bucket_cors(Bucket="durable-bucket", CORSConfiguration={
        "CORSRules": [{"AllowedMethods": ["GET"], "AllowedOrigins": ["https://example.com"]}]})
    box.kill()
    box = start(data_dir=data)
    s3 = box.client("s3")
    assert s3.get_bucket_location(Bucket="durable-bucket")["LocationConstraint"] == "eu-west-1"
    assert s3.get_bucket_tagging(Bucket="durable-bucket")["TagSet"] == [{"Key": "team", "Value": "storage"}]
    assert s3.get_bucket_cors(Bucket="durable-bucket")["CORSRules"][0]["AllowedOrigins"] == ["https://example.com"]


def test_legacy_bucket_defaults_are_opt_in(start):
    box = start(env={"CLOUDBOX_S3_LEGACY_BUCKET_DEFAULTS": "1"})
    s3 = box.client("s3")
    s3.create_bucket(Bucket="legacy-public", ACL="public-read")
    grants = s3.get_bucket_acl(Bucket="legacy-public")["Grants"]
    assert any(g["Grantee"].get("URI", "").endswith("/AllUsers") for g in grants)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_bucket_ownership_controls(Bucket="legacy-public")
    assert code_message_status(excinfo)[0] == "OwnershipControlsNotFoundError"
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_public_access_block(Bucket="legacy-public")
    assert code_message_status(excinfo)[0] == "NoSuchPublicAccessBlockConfiguration"
    # naming BucketOwnerEnforced still disables ACLs
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.create_bucket(Bucket="legacy-enforced", ACL="public-read", ObjectOwnership="BucketOwnerEnforced")
    assert code_message_status(excinfo)[0] == "InvalidBucketAclWithObjectOwnership"
