"""Browser POST uploads: forms from boto3's generate_presigned_post sent
with requests, their policies enforced as S3 enforces them."""

import time

import pytest
import requests

from awserrors import xml_members
from conftest import unique


@pytest.fixture
def bucket(server):
    name = unique("post")
    s3 = server.client("s3", signature_version="s3v4")
    s3.create_bucket(Bucket=name)
    return s3, name


def post(form, body, name="photo.txt", **kwargs):
    return requests.post(form["url"], data=form["fields"], files={"file": (name, body)}, timeout=30, **kwargs)


def test_upload_with_fields_and_filename(bucket):
    s3, name = bucket
    form = s3.generate_presigned_post(
        name, "uploads/${filename}",
        Fields={"success_action_status": "201", "Content-Type": "text/plain", "x-amz-meta-owner": "me"},
        Conditions=[{"success_action_status": "201"}, {"Content-Type": "text/plain"}, {"x-amz-meta-owner": "me"},
                    ["starts-with", "$key", "uploads/"], ["content-length-range", 1, 100]],
        ExpiresIn=300)
    response = post(form, b"hello form")
    assert response.status_code == 201, response.text
    reply = xml_members(response)
    assert reply["Bucket"] == name and reply["Key"] == "uploads/photo.txt"
    assert reply["ETag"] == '"' + __import__("hashlib").md5(b"hello form").hexdigest() + '"'
    head = s3.head_object(Bucket=name, Key="uploads/photo.txt")
    assert head["ContentType"] == "text/plain"
    assert head["Metadata"] == {"owner": "me"}
    assert head["ContentLength"] == 10
    assert s3.get_object(Bucket=name, Key="uploads/photo.txt")["Body"].read() == b"hello form"


def test_default_status_and_redirect(bucket):
    s3, name = bucket
    plain = s3.generate_presigned_post(name, "plain")
    response = post(plain, b"x" * 200_000, name="big.bin")
    assert response.status_code == 204, response.text
    assert s3.head_object(Bucket=name, Key="plain")["ContentLength"] == 200_000
    target = "http://example.com/done"
    form = s3.generate_presigned_post(name, "redirected", Fields={"success_action_redirect": target},
                                      Conditions=[{"success_action_redirect": target}])
    response = post(form, b"data", allow_redirects=False)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(target + "?bucket=" + name + "&key=redirected&etag=%22")
    assert response.headers["Location"].endswith("%22")


def test_policy_conditions_enforced(bucket):
    s3, name = bucket
    form = s3.generate_presigned_post(name, "uploads/${filename}",
                                      Conditions=[["content-length-range", 2, 10]], ExpiresIn=300)
    too_large = post(form, b"0123456789abc")
    assert too_large.status_code == 400 and xml_members(too_large)["Code"] == "EntityTooLarge"
    too_small = post(form, b"0")
    assert too_small.status_code == 400 and xml_members(too_small)["Code"] == "EntityTooSmall"
    other_key = dict(form, fields=dict(form["fields"], key="elsewhere/x"))
    refused = post(other_key, b"data")
    assert refused.status_code == 403
    assert xml_members(refused) == {
        "Code": "AccessDenied",
        "Message": 'Invalid according to Policy: Policy Condition failed: ["starts-with", "$key", "uploads/"]',
    }
    extra = dict(form, fields=dict(form["fields"], **{"x-amz-meta-sneaky": "1"}))
    refused = post(extra, b"data")
    assert refused.status_code == 403
    assert xml_members(refused)["Message"] == "Invalid according to Policy: Extra input fields: x-amz-meta-sneaky"
    listed = s3.list_objects_v2(Bucket=name)
    assert listed["KeyCount"] == 0


def test_expired_policy_and_bad_signature(bucket):
    s3, name = bucket
    form = s3.generate_presigned_post(name, "late", ExpiresIn=1)
    time.sleep(2.2)
    late = post(form, b"data")
    assert late.status_code == 403
    assert xml_members(late)["Message"] == "Invalid according to Policy: Policy expired."
    form = s3.generate_presigned_post(name, "forged")
    form["fields"]["x-amz-signature"] = "0" * 64
    forged = post(form, b"data")
    assert forged.status_code == 403 and xml_members(forged)["Code"] == "SignatureDoesNotMatch"
    assert s3.list_objects_v2(Bucket=name)["KeyCount"] == 0


def test_unknown_key_in_permissive_mode(server, bucket):
    s3, name = bucket
    stranger = server.client("s3", signature_version="s3v4", key=("AKIASTRANGER0000000", "whatever"))
    form = stranger.generate_presigned_post(name, "from-stranger", Conditions=[["content-length-range", 1, 4]])
    response = post(form, b"data")
    assert response.status_code == 204, response.text
    assert s3.get_object(Bucket=name, Key="from-stranger")["Body"].read() == b"data"
    too_large = post(form, b"too large")
    assert too_large.status_code == 400 and xml_members(too_large)["Code"] == "EntityTooLarge"


def test_strict_mode_refuses_unknown_keys(start):
    box = start(auth="strict")
    s3 = box.client("s3", signature_version="s3v4")
    s3.create_bucket(Bucket="strict-post")
    known = s3.generate_presigned_post("strict-post", "ok")
    assert post(known, b"data").status_code == 204
    stranger = box.client("s3", signature_version="s3v4", key=("AKIASTRANGER0000000", "whatever"))
    refused = post(stranger.generate_presigned_post("strict-post", "no"), b"data")
    assert refused.status_code == 403 and xml_members(refused)["Code"] == "InvalidAccessKeyId"
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="strict-post")["Contents"]] == ["ok"]


def test_signed_forms_need_a_signature_and_a_valid_expiration(bucket):
    s3, name = bucket
    form = s3.generate_presigned_post(name, "k", ExpiresIn=300)
    unsigned = dict(form, fields={k: v for k, v in form["fields"].items() if k != "x-amz-signature"})
    response = post(unsigned, b"data")
    assert response.status_code == 400 and xml_members(response)["Code"] == "InvalidArgument"
    assert "'X-Amz-Signature'" in xml_members(response)["Message"]
    import base64
    import json
    document = json.loads(base64.b64decode(form["fields"]["policy"]))
    document["expiration"] = "2030-01-01 00:00:00+00:00"
    bad_date = dict(form, fields=dict(form["fields"], policy=base64.b64encode(json.dumps(document).encode()).decode()))
    response = post(bad_date, b"data")
    assert response.status_code == 400 and xml_members(response)["Code"] == "InvalidPolicyDocument"


def test_the_url_names_the_bucket_the_policy_is_checked_against(server, bucket):
    s3, name = bucket
    other = unique("post")
    s3.create_bucket(Bucket=other)
    form = s3.generate_presigned_post(name, "k", ExpiresIn=300)
    elsewhere = dict(form, url=f"{server.endpoint}/{other}", fields=dict(form["fields"], bucket=name))
    response = post(elsewhere, b"data")
    assert response.status_code == 403 and xml_members(response)["Code"] == "AccessDenied"


def test_anonymous_forms_carry_acl_tagging_and_checksums(server, bucket):
    s3, name = bucket
    s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls={"Rules": [{"ObjectOwnership": "ObjectWriter"}]})
    s3.delete_public_access_block(Bucket=name)
    s3.put_bucket_acl(Bucket=name, ACL="public-read-write")
    tagging = "<Tagging><TagSet><Tag><Key>team</Key><Value>blue</Value></Tag></TagSet></Tagging>"
    import base64
    import hashlib
    good = base64.b64encode(hashlib.sha256(b"bar").digest()).decode()
    fields = {"key": "anon.txt", "acl": "public-read", "tagging": tagging, "x-amz-checksum-sha256": good}
    response = requests.post(f"{server.endpoint}/{name}", data=fields, files={"file": ("f", b"bar")}, timeout=30)
    assert response.status_code == 204, response.text
    assert requests.get(f"{server.endpoint}/{name}/anon.txt", timeout=10).content == b"bar"
    assert s3.get_object(Bucket=name, Key="anon.txt")["Body"].read() == b"bar"
    assert s3.get_object_tagging(Bucket=name, Key="anon.txt")["TagSet"] == [{"Key": "team", "Value": "blue"}]
    wrong = dict(fields, key="wrong.txt", **{"x-amz-checksum-sha256": base64.b64encode(b"x" * 32).decode()})
    response = requests.post(f"{server.endpoint}/{name}", data=wrong, files={"file": ("f", b"bar")}, timeout=30)
    assert response.status_code == 400
