"""S3 CORS end to end: the configuration API, browser preflight OPTIONS
requests answered from it, and Access-Control-* headers on actual requests
that carry an Origin."""


import botocore.exceptions
import pytest
import requests

from awserrors import code_message_status

RULES = [
    {"ID": "app", "AllowedOrigins": ["https://*.example.com"], "AllowedMethods": ["GET", "PUT"],
     "AllowedHeaders": ["x-amz-*", "content-type"], "ExposeHeaders": ["ETag", "x-amz-version-id"],
     "MaxAgeSeconds": 600},
    {"AllowedOrigins": ["*"], "AllowedMethods": ["HEAD"]},
]


def preflight(server, path, origin, method, headers=None):
    sent = {"Origin": origin, "Access-Control-Request-Method": method}
    if headers:
        sent["Access-Control-Request-Headers"] = headers
    return requests.options(server.endpoint + path, headers=sent, timeout=10)


def test_configuration_round_trip_and_delete(s3, bucket):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    assert s3.get_bucket_cors(Bucket=bucket)["CORSRules"] == RULES
    s3.delete_bucket_cors(Bucket=bucket)
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.get_bucket_cors(Bucket=bucket)
    assert code_message_status(excinfo) == ("NoSuchCORSConfiguration", "The CORS configuration does not exist", 404)


@pytest.mark.parametrize("rule,message", [
    ({"AllowedOrigins": ["*"], "AllowedMethods": ["PATCH"]},
     "Found unsupported HTTP method in CORS config. Unsupported method is PATCH"),
    ({"AllowedOrigins": ["https://*.*.com"], "AllowedMethods": ["GET"]},
     'AllowedOrigin "https://*.*.com" can not have more than one wildcard.'),
])
def test_invalid_rules_are_refused(s3, bucket, rule, message):
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": [rule]})
    assert code_message_status(excinfo) == ("InvalidRequest", message, 400)


def test_preflight_allowed(server, s3, bucket):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    reply = preflight(server, f"/{bucket}/photo.jpg", "https://app.example.com", "PUT", "Content-Type, X-Amz-Date")
    assert reply.status_code == 200, reply.text
    assert reply.headers["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert reply.headers["Access-Control-Allow-Methods"] == "GET, PUT"
    assert reply.headers["Access-Control-Allow-Headers"] == "content-type, x-amz-date"
    assert reply.headers["Access-Control-Expose-Headers"] == "ETag, x-amz-version-id"
    assert reply.headers["Access-Control-Max-Age"] == "600"
    assert reply.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Origin" in reply.headers["Vary"]

    anyone = preflight(server, f"/{bucket}/photo.jpg", "http://elsewhere.org", "HEAD")
    assert anyone.status_code == 200
    assert anyone.headers["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Credentials" not in anyone.headers


@pytest.mark.parametrize("origin,method,headers", [
    ("https://evil.com", "GET", None),
    ("https://app.example.com", "DELETE", None),
    ("https://app.example.com", "GET", "authorization"),
])
def test_preflight_refused(server, s3, bucket, origin, method, headers):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    reply = preflight(server, f"/{bucket}/k", origin, method, headers)
    assert reply.status_code == 403
    assert "<Code>AccessForbidden</Code>" in reply.text
    assert "CORSResponse: This CORS request is not allowed." in reply.text
    assert "Access-Control-Allow-Origin" not in reply.headers


def test_preflight_without_configuration_or_origin(server, bucket):
    reply = preflight(server, f"/{bucket}/k", "https://app.example.com", "GET")
    assert reply.status_code == 403
    assert "CORSResponse: CORS is not enabled for this bucket." in reply.text
    bare = requests.options(f"{server.endpoint}/{bucket}/k", timeout=10)
    assert bare.status_code == 400
    missing = preflight(server, "/no-such-cors-bucket/k", "https://a.com", "GET")
    assert missing.status_code == 404 and "NoSuchBucket" in missing.text


def test_actual_requests_carry_cors_headers(server, s3, bucket):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    s3.put_object(Bucket=bucket, Key="page.html", Body=b"<html/>")
    url = s3.generate_presigned_url("get_object", Params={"Bucket": bucket, "Key": "page.html"})
    allowed = requests.get(url, headers={"Origin": "https://www.example.com"}, timeout=10)
    assert allowed.status_code == 200 and allowed.content == b"<html/>"
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://www.example.com"
    assert allowed.headers["Access-Control-Expose-Headers"] == "ETag, x-amz-version-id"
    other = requests.get(url, headers={"Origin": "https://evil.com"}, timeout=10)
    assert other.status_code == 200
    assert "Access-Control-Allow-Origin" not in other.headers
    plain = requests.get(url, timeout=10)
    assert "Access-Control-Allow-Origin" not in plain.headers


def test_preflight_to_a_virtual_hosted_bucket(server, s3, bucket):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    reply = requests.options(f"{server.endpoint}/photo.jpg", timeout=10, headers={
        "Host": f"{bucket}.s3.localhost.localstack.cloud:{server.port}", "Origin": "https://app.example.com",
        "Access-Control-Request-Method": "GET"})
    assert reply.status_code == 200, reply.text
    assert reply.headers["Access-Control-Allow-Origin"] == "https://app.example.com"


def test_actual_requests_match_the_method_they_name(server, s3, bucket):
    s3.put_bucket_cors(Bucket=bucket, CORSConfiguration={"CORSRules": RULES})
    named = server.signed_s3("GET", f"/{bucket}", headers={"Origin": "https://www.example.com",
                                                          "Access-Control-Request-Method": "DELETE"})
    assert named.status_code == 200
    assert "Access-Control-Allow-Origin" not in named.headers
    own = server.signed_s3("GET", f"/{bucket}", headers={"Origin": "https://www.example.com"})
    assert own.headers["Access-Control-Allow-Methods"] == "GET, PUT"
