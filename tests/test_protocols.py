"""One real operation in every wire protocol, through real clients:
query (STS/IAM), ec2 (EC2), json 1.0 (DynamoDB), rest-json (Glacier),
smithy-rpc-v2-cbor, json and query (CloudWatch), rest-xml (S3 via s3s)."""

import json

import botocore.exceptions
import cbor2
import pytest


def test_ec2_describe_regions(server):
    ec2 = server.client("ec2")
    regions = {r["RegionName"]: r for r in ec2.describe_regions()["Regions"]}
    for name in ("us-east-1", "eu-west-1", "ap-northeast-2", "sa-east-1"):
        assert name in regions
        assert regions[name]["Endpoint"] == f"ec2.{name}.amazonaws.com"
    assert regions["us-east-1"]["OptInStatus"] == "opt-in-not-required"
    assert len(regions) >= 30
    only = ec2.describe_regions(RegionNames=["eu-west-1"])["Regions"]
    assert [r["RegionName"] for r in only] == ["eu-west-1"]
    filtered = ec2.describe_regions(Filters=[{"Name": "region-name", "Values": ["eu-*"]}])["Regions"]
    assert filtered and all(r["RegionName"].startswith("eu-") for r in filtered)


def test_ec2_describe_availability_zones(server):
    zones = server.client("ec2", region="ap-northeast-2").describe_availability_zones()["AvailabilityZones"]
    names = [z["ZoneName"] for z in zones]
    assert "ap-northeast-2a" in names
    assert all(z["RegionName"] == "ap-northeast-2" and z["State"] == "available" for z in zones)
    assert all(z["ZoneId"].startswith("apne2-az") for z in zones)
    assert all(z["ZoneType"] == "availability-zone" for z in zones)
    ec2 = server.client("ec2")
    everything = ec2.describe_availability_zones(AllAvailabilityZones=True)["AvailabilityZones"]
    kinds = {z["ZoneType"] for z in everything}
    assert {"availability-zone", "local-zone", "wavelength-zone"} <= kinds
    local = ec2.describe_availability_zones(
        AllAvailabilityZones=True, Filters=[{"Name": "zone-type", "Values": ["local-zone"]}])["AvailabilityZones"]
    assert local and all(z["ParentZoneName"].startswith("us-east-1") for z in local)


def test_ec2_cli(server):
    out = server.aws("ec2", "describe-availability-zones", "--zone-names", "us-east-1a")
    assert out["AvailabilityZones"][0]["ZoneId"].startswith("use1-az")


def test_dynamodb_list_tables(server):
    server.reset()
    assert server.client("dynamodb").list_tables()["TableNames"] == []


def test_glacier_vaults(server):
    server.reset()
    glacier = server.client("glacier")
    created = glacier.create_vault(vaultName="photos")
    assert created["location"] == "/000000000000/vaults/photos"
    vault = glacier.describe_vault(vaultName="photos")
    assert vault["VaultARN"] == "arn:aws:glacier:us-east-1:000000000000:vaults/photos"
    assert vault["NumberOfArchives"] == 0
    assert [v["VaultName"] for v in glacier.list_vaults()["VaultList"]] == ["photos"]
    glacier.delete_vault(vaultName="photos")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        glacier.describe_vault(vaultName="photos")
    assert e.value.response["Error"]["Code"] == "ResourceNotFoundException"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


def test_cloudwatch_over_cbor(server):
    server.reset()
    cw = server.client("cloudwatch")
    cw.put_metric_data(Namespace="App", MetricData=[
        {"MetricName": "Latency", "Value": 12.5, "Unit": "Milliseconds",
         "Dimensions": [{"Name": "Host", "Value": "a"}]}])
    metrics = cw.list_metrics(Namespace="App")["Metrics"]
    assert metrics == [{"Namespace": "App", "MetricName": "Latency", "Dimensions": [{"Name": "Host", "Value": "a"}]}]


def test_cloudwatch_over_cbor_wire_shape(server):
    response = server.signed("monitoring", body=cbor2.dumps({"Namespace": "App"}), headers={
        "smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor", "Accept": "application/cbor"},
        path="/service/GraniteServiceVersion20100801/operation/ListMetrics")
    assert response.status_code == 200
    assert response.headers["smithy-protocol"] == "rpc-v2-cbor"
    assert response.headers["Content-Type"] == "application/cbor"
    assert "Metrics" in cbor2.loads(response.content)


def test_cloudwatch_over_json_query_compatible(server):
    server.reset()
    server.client("cloudwatch").put_metric_data(Namespace="Json", MetricData=[{"MetricName": "M", "Value": 1}])
    response = server.signed("monitoring", body=json.dumps({"Namespace": "Json"}).encode(), headers={
        "X-Amz-Target": "GraniteServiceVersion20100801.ListMetrics",
        "Content-Type": "application/x-amz-json-1.0", "x-amzn-query-mode": "true"})
    assert response.status_code == 200, response.text
    assert response.json()["Metrics"][0]["MetricName"] == "M"
    bad = server.signed("monitoring", body=json.dumps({"Namespace": "AWS/EC2", "MetricData": []}).encode(),
                        headers={"X-Amz-Target": "GraniteServiceVersion20100801.PutMetricData",
                                 "Content-Type": "application/x-amz-json-1.0", "x-amzn-query-mode": "true"})
    assert bad.status_code == 400
    assert "x-amzn-query-error" in {k.lower() for k in bad.headers}


def test_cloudwatch_over_query(server):
    response = server.signed("monitoring", body=b"Action=ListMetrics&Version=2010-08-01&Namespace=Json",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 200, response.text
    assert b"<ListMetricsResponse" in response.content
    assert b"<ListMetricsResult>" in response.content


def test_s3_buckets_through_s3s(server):
    server.reset()
    s3 = server.client("s3")
    assert s3.list_buckets()["Buckets"] == []
    s3.create_bucket(Bucket="first-bucket")
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["first-bucket"]
    s3.head_bucket(Bucket="first-bucket")
    s3.delete_bucket(Bucket="first-bucket")
    assert s3.list_buckets()["Buckets"] == []


def test_s3_cli(server):
    server.reset()
    server.aws("s3api", "create-bucket", "--bucket", "cli-bucket")
    listed = server.aws("s3api", "list-buckets")
    assert [b["Name"] for b in listed["Buckets"]] == ["cli-bucket"]


def test_dynamodb_cli(server):
    server.reset()
    assert server.aws("dynamodb", "list-tables")["TableNames"] == []


def test_cloudwatch_gzip_compressed_request(server):
    """boto3 gzips PutMetricData bodies over 10 KiB; the signature covers the compressed bytes."""
    server.reset()
    cw = server.client("cloudwatch", request_min_compression_size_bytes=128)
    datums = [{"MetricName": f"Metric{i}", "Value": float(i), "Dimensions": [{"Name": "Shard", "Value": str(i)}]}
              for i in range(200)]
    cw.put_metric_data(Namespace="Compressed", MetricData=datums)
    names = set()
    for page in cw.get_paginator("list_metrics").paginate(Namespace="Compressed"):
        names.update(m["MetricName"] for m in page["Metrics"])
    assert len(names) == 200
