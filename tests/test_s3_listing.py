"""S3 listing end to end with boto3 and the aws CLI: ListObjects (v1),
ListObjectsV2 and ListObjectVersions with prefixes, delimiters and common
prefixes, markers, continuation tokens, start-after, max-keys and
encoding-type=url, in S3's key order."""

import botocore.exceptions
import pytest

KEYS = ["a", "a/b", "a/c/d", "a/c/e", "b", "b/x", "c!", "c/d", "c~", "ü", "z z", "\u4e2d"]


@pytest.fixture
def s3(server):
    server.reset()
    client = server.client("s3")
    client.create_bucket(Bucket="listing")
    for key in KEYS:
        client.put_object(Bucket="listing", Key=key, Body=key.encode())
    return client


def utf8_order(keys):
    return sorted(keys, key=lambda k: k.encode())


def all_v2(s3, **kwargs):
    keys, prefixes, token = [], [], None
    while True:
        page = s3.list_objects_v2(Bucket="listing", **kwargs, **({"ContinuationToken": token} if token else {}))
        keys += [o["Key"] for o in page.get("Contents", [])]
        prefixes += [p["Prefix"] for p in page.get("CommonPrefixes", [])]
        assert page["KeyCount"] == len(page.get("Contents", [])) + len(page.get("CommonPrefixes", []))
        if not page["IsTruncated"]:
            return keys, prefixes
        token = page["NextContinuationToken"]


def test_v2_lists_in_utf8_byte_order(s3):
    page = s3.list_objects_v2(Bucket="listing")
    assert [o["Key"] for o in page["Contents"]] == utf8_order(KEYS)
    assert page["KeyCount"] == len(KEYS) and page["IsTruncated"] is False
    first = page["Contents"][0]
    assert first["Size"] == 1 and first["StorageClass"] == "STANDARD" and first["ETag"].startswith('"')
    assert "Owner" not in first
    assert "Owner" in s3.list_objects_v2(Bucket="listing", FetchOwner=True)["Contents"][0]


def test_v2_pages_with_tokens_and_max_keys(s3):
    for size in [1, 2, 5]:
        keys, _ = all_v2(s3, MaxKeys=size)
        assert keys == utf8_order(KEYS)
    page = s3.list_objects_v2(Bucket="listing", MaxKeys=3)
    assert page["IsTruncated"] is True and page["KeyCount"] == 3 and page["MaxKeys"] == 3
    empty = s3.list_objects_v2(Bucket="listing", MaxKeys=0)
    assert empty["KeyCount"] == 0 and "Contents" not in empty
    with pytest.raises(botocore.exceptions.ClientError) as caught:
        s3.list_objects_v2(Bucket="listing", ContinuationToken="!!not-a-token!!")
    assert caught.value.response["Error"]["Code"] == "InvalidArgument"


def test_v2_prefix_delimiter_and_start_after(s3):
    keys, prefixes = all_v2(s3, Delimiter="/")
    assert keys == utf8_order([k for k in KEYS if "/" not in k])
    assert prefixes == ["a/", "b/", "c/"]
    keys, prefixes = all_v2(s3, Prefix="a/", Delimiter="/")
    assert keys == ["a/b"] and prefixes == ["a/c/"]
    # Common prefixes count toward MaxKeys and pages never repeat them.
    keys, prefixes = all_v2(s3, Delimiter="/", MaxKeys=1)
    assert prefixes == ["a/", "b/", "c/"]
    assert keys == utf8_order([k for k in KEYS if "/" not in k])
    after = s3.list_objects_v2(Bucket="listing", StartAfter="b/x")
    assert [o["Key"] for o in after["Contents"]] == utf8_order([k for k in KEYS if k.encode() > b"b/x"])
    assert after["StartAfter"] == "b/x"
    assert all_v2(s3, Prefix="nothing")[0] == []


def test_an_empty_delimiter_is_no_delimiter(s3):
    for listed in (s3.list_objects(Bucket="listing", Delimiter=""),
                   s3.list_objects_v2(Bucket="listing", Delimiter=""),
                   s3.list_object_versions(Bucket="listing", Delimiter="")):
        assert "Delimiter" not in listed
        assert "CommonPrefixes" not in listed
        entries = listed.get("Contents", listed.get("Versions"))
        assert [o["Key"] for o in entries] == utf8_order(KEYS)


def test_v1_markers(s3):
    page = s3.list_objects(Bucket="listing", MaxKeys=4)
    assert [o["Key"] for o in page["Contents"]] == utf8_order(KEYS)[:4]
    assert page["IsTruncated"] is True and "NextMarker" not in page
    assert "Owner" in page["Contents"][0]
    rest = s3.list_objects(Bucket="listing", Marker=page["Contents"][-1]["Key"])
    assert [o["Key"] for o in rest["Contents"]] == utf8_order(KEYS)[4:]
    with_delimiter = s3.list_objects(Bucket="listing", Delimiter="/", MaxKeys=2)
    assert with_delimiter["NextMarker"] == "a/"
    following = s3.list_objects(Bucket="listing", Delimiter="/", Marker="a/")
    assert "a/" not in [p["Prefix"] for p in following.get("CommonPrefixes", [])]
    paginator = s3.get_paginator("list_objects")
    listed = [o["Key"] for page in paginator.paginate(Bucket="listing", PaginationConfig={"PageSize": 3})
              for o in page.get("Contents", [])]
    assert listed == utf8_order(KEYS)


def test_url_encoding(server, s3):
    # Asked for explicitly, keys come back encoded (botocore decodes only what it asked for itself).
    raw = s3.list_objects_v2(Bucket="listing", EncodingType="url", Prefix="z")
    assert [o["Key"] for o in raw["Contents"]] == ["z%20z"]
    assert [o["Key"] for o in s3.list_objects_v2(Bucket="listing", Prefix="z")["Contents"]] == ["z z"]
    text = server.signed_s3("GET", "/listing?list-type=2&encoding-type=url&prefix=z").text
    assert "<Key>z%20z</Key>" in text


def test_versions_listing_pages(s3):
    s3.put_bucket_versioning(Bucket="listing", VersioningConfiguration={"Status": "Enabled"})
    ids = [s3.put_object(Bucket="listing", Key="a", Body=str(i).encode())["VersionId"] for i in range(3)]
    s3.delete_object(Bucket="listing", Key="b")
    everything = s3.list_object_versions(Bucket="listing")
    a_versions = [v for v in everything["Versions"] if v["Key"] == "a"]
    assert [v["VersionId"] for v in a_versions] == list(reversed(ids)) + ["null"]
    assert [v["IsLatest"] for v in a_versions] == [True, False, False, False]
    assert [m["Key"] for m in everything["DeleteMarkers"]] == ["b"]
    # Page through one entry at a time with key and version markers.
    seen, key_marker, version_marker = [], None, None
    while True:
        kwargs = {"MaxKeys": 1}
        if key_marker:
            kwargs["KeyMarker"] = key_marker
            if version_marker:
                kwargs["VersionIdMarker"] = version_marker
        page = s3.list_object_versions(Bucket="listing", **kwargs)
        entries = page.get("Versions", []) + page.get("DeleteMarkers", [])
        assert len(entries) == 1
        seen.append((entries[0]["Key"], entries[0]["VersionId"], entries[0]["IsLatest"]))
        if not page["IsTruncated"]:
            break
        key_marker, version_marker = page["NextKeyMarker"], page.get("NextVersionIdMarker")
    total = len(everything["Versions"]) + len(everything["DeleteMarkers"])
    assert len(seen) == total
    assert [s for s in seen if s[0] == "a"] == [(v["Key"], v["VersionId"], v["IsLatest"]) for v in a_versions]
    prefixed = s3.list_object_versions(Bucket="listing", Prefix="a/", Delimiter="/")
    assert [v["Key"] for v in prefixed["Versions"]] == ["a/b"]
    assert [p["Prefix"] for p in prefixed["CommonPrefixes"]] == ["a/c/"]


def test_listing_with_the_aws_cli(server, s3):
    result = server.aws("s3", "ls", "s3://listing/", check=False)
    assert result.returncode == 0
    assert "PRE a/" in result.stdout and " b\n" in result.stdout
    listed = server.aws("s3api", "list-objects-v2", "--bucket", "listing", "--prefix", "a/")
    assert [o["Key"] for o in listed["Contents"]] == ["a/b", "a/c/d", "a/c/e"]
    paged = server.aws("s3api", "list-objects-v2", "--bucket", "listing", "--page-size", "2")
    assert [o["Key"] for o in paged["Contents"]] == utf8_order(KEYS)
