"""Regenerates botocore_requests.json: requests exactly as botocore sends them,
with the route each must resolve to, for the identification tests.

Run with botocore installed: python3 generate.py > botocore_requests.json
"""

import json
from urllib.parse import urlsplit

import botocore.session
from botocore.config import Config

LOCAL = "http://localhost:4566"


class Captured(Exception):
    pass


def capture(service, operation, params, expect, region="us-east-1", endpoint=LOCAL, config=None):
    session = botocore.session.get_session()
    client = session.create_client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id="test",
        aws_secret_access_key="test",
        config=config,
    )
    seen = {}

    def hook(request, **_):
        parts = urlsplit(request.url)
        seen["method"] = request.method
        seen["target"] = parts.path + ("?" + parts.query if parts.query else "")
        headers = [["Host", parts.netloc]]
        headers += [[k, v.decode() if isinstance(v, bytes) else v] for k, v in request.headers.items()]
        seen["headers"] = [h for h in headers if h[0].lower() not in ("user-agent", "amz-sdk-invocation-id")]
        body = request.body or b""
        if hasattr(body, "read"):
            body = body.read()
        seen["body"] = body.decode() if isinstance(body, bytes) else body
        raise Captured()

    client.meta.events.register("before-send", hook)
    try:
        getattr(client, operation)(**params)
    except Captured:
        pass
    return {"name": f"{service} {operation} via {urlsplit(endpoint).netloc}", **seen, "expect": expect}


def expect(service, operation, wire, region="us-east-1", query_compatible=False):
    return {
        "route": "service",
        "service": service,
        "operation": operation,
        "wire": wire,
        "region": region,
        "query_compatible": query_compatible,
    }


def s3(region):
    return {"route": "s3", "region": region}


def main():
    virtual = Config(s3={"addressing_style": "virtual"})
    path = Config(s3={"addressing_style": "path"})
    fixtures = [
        capture("sts", "get_caller_identity", {}, expect("sts", "GetCallerIdentity", "query")),
        capture("iam", "create_user", {"UserName": "alice"}, expect("iam", "CreateUser", "query")),
        capture(
            "ec2", "describe_regions", {}, expect("ec2", "DescribeRegions", "ec2", "eu-west-1"), region="eu-west-1"
        ),
        capture("dynamodb", "list_tables", {}, expect("dynamodb", "ListTables", "json")),
        capture("dynamodbstreams", "list_streams", {}, expect("dynamodbstreams", "ListStreams", "json")),
        capture("sqs", "list_queues", {}, expect("sqs", "ListQueues", "json", query_compatible=True)),
        capture("cloudwatch", "list_metrics", {}, expect("cloudwatch", "ListMetrics", "json", query_compatible=True)),
        capture("elb", "describe_load_balancers", {}, expect("elb", "DescribeLoadBalancers", "query")),
        capture("elbv2", "describe_load_balancers", {}, expect("elbv2", "DescribeLoadBalancers", "query")),
        capture(
            "glacier",
            "list_vaults",
            {},
            expect("glacier", "ListVaults", "rest-json", "us-west-2"),
            region="us-west-2",
        ),
        capture(
            "glacier",
            "describe_vault",
            {"vaultName": "photos"},
            expect("glacier", "DescribeVault", "rest-json"),
        ),
        capture("iot", "list_things", {}, expect("iot", "ListThings", "rest-json")),
        capture("iot", "describe_thing", {"thingName": "lamp 1"}, expect("iot", "DescribeThing", "rest-json")),
        capture("greengrassv2", "list_components", {}, expect("greengrassv2", "ListComponents", "rest-json")),
        capture("greengrass", "list_groups", {}, expect("greengrass", "ListGroups", "rest-json")),
        capture("route53", "list_hosted_zones", {}, expect("route53", "ListHostedZones", "rest-xml")),
        capture(
            "s3control",
            "list_access_points",
            {"AccountId": "123456789012"},
            expect("s3control", "ListAccessPoints", "rest-xml"),
        ),
        capture("s3", "list_buckets", {}, s3("us-east-1")),
        capture(
            "s3",
            "put_object",
            {"Bucket": "my-bucket", "Key": "a/b.txt", "Body": b"hello"},
            s3("eu-west-1"),
            region="eu-west-1",
            endpoint="http://s3.localhost.localstack.cloud:4566",
            config=virtual,
        ),
        capture(
            "s3",
            "put_object",
            {"Bucket": "my-bucket", "Key": "a/b.txt", "Body": b"hello"},
            s3("us-east-1"),
            config=path,
        ),
        capture(
            "s3",
            "list_objects_v2",
            {"Bucket": "my-bucket"},
            s3("ap-south-1"),
            region="ap-south-1",
            endpoint="http://s3.ap-south-1.localhost.localstack.cloud:4566",
            config=virtual,
        ),
        capture(
            "kinesis",
            "list_streams",
            {},
            expect("kinesis", "ListStreams", "json", "eu-north-1"),
            region="eu-north-1",
            endpoint="http://kinesis.eu-north-1.localhost.localstack.cloud:4566",
        ),
    ]
    print(json.dumps(fixtures, indent=1))


main()
