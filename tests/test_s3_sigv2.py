"""Requests signed with SigV2 (boto3's signature_version="s3"), path-style:
bucket operations sign the bucket's path as `/bucket/`, as AWS expects."""

import uuid


def test_bucket_and_object_operations_with_sigv2(server):
    v2 = server.client("s3", signature_version="s3")
    name = f"v2-{uuid.uuid4().hex[:12]}"
    v2.create_bucket(Bucket=name)
    v2.head_bucket(Bucket=name)
    v2.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": [{"AllowedMethods": ["GET"],
                                                                      "AllowedOrigins": ["*"]}]})
    v2.put_object(Bucket=name, Key="k", Body=b"x")
    assert [o["Key"] for o in v2.list_objects(Bucket=name)["Contents"]] == ["k"]
    assert v2.get_object(Bucket=name, Key="k")["Body"].read() == b"x"
    url = v2.generate_presigned_url("list_objects", Params={"Bucket": name}, ExpiresIn=60)
    import requests
    assert b"<Key>k</Key>" in requests.get(url, timeout=10).content
