"""Regenerates botocore_signed.json: requests signed by botocore's own SigV4
signers at a fixed time, used to test the verifier against a real client.

Run with botocore installed: python3 generate.py > botocore_signed.json
"""

import datetime
import json
from urllib.parse import urlsplit

import botocore.auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials

SIGNED_AT = datetime.datetime(2026, 1, 1, 12, 0, 0)
ACCESS_KEY = "AKIAIOSFODNN7EXAMPLE"
SECRET_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
SESSION_TOKEN = "FwoGZXIvYXdzEBYaDGV4YW1wbGUrdG9rZW4vPT0="

botocore.auth.get_current_datetime = lambda: SIGNED_AT


def signed(name, signer, method, url, headers=None, body=b"", token=None, expires=None, context=None):
    credentials = Credentials(ACCESS_KEY, SECRET_KEY, token)
    service, region = signer[1], signer[2]
    if expires is None:
        auth = signer[0](credentials, service, region)
    else:
        auth = signer[0](credentials, service, region, expires=expires)
    request = AWSRequest(method=method, url=url, headers=dict(headers or {}), data=body)
    request.context.update(context or {})
    auth.add_auth(request)
    prepared = request.prepare()
    parts = urlsplit(prepared.url)
    target = parts.path + ("?" + parts.query if parts.query else "")
    sent_headers = [["Host", parts.netloc]]
    sent_headers += [[k, v.decode() if isinstance(v, bytes) else v] for k, v in prepared.headers.items()]
    raw_body = prepared.body or b""
    return {
        "name": name,
        "method": prepared.method,
        "target": target,
        "headers": sent_headers,
        "body": raw_body.decode() if isinstance(raw_body, bytes) else raw_body,
        "access_key_id": ACCESS_KEY,
        "secret_access_key": SECRET_KEY,
        "session_token": token,
        "signed_at": SIGNED_AT.strftime("%Y%m%dT%H%M%SZ"),
        "region": region,
        "service": service,
    }


def main():
    v4 = botocore.auth.SigV4Auth
    s3 = botocore.auth.S3SigV4Auth
    query = botocore.auth.SigV4QueryAuth
    s3_query = botocore.auth.S3SigV4QueryAuth
    fixtures = [
        signed(
            "json dynamodb ListTables",
            (v4, "dynamodb", "us-east-1"),
            "POST",
            "http://localhost:4566/",
            {"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"},
            b'{"Limit": 10}',
        ),
        signed(
            "query form body with special characters",
            (v4, "iam", "us-east-1"),
            "POST",
            "http://localhost:4566/",
            {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            b"Action=CreateUser&Version=2010-05-08&UserName=al%20ice%2Bbob%3D%26&Path=%2Fteam%2F%7Ex%2F",
        ),
        signed(
            "query string with special characters",
            (v4, "iam", "us-east-1"),
            "GET",
            "http://localhost:4566/?Version=2010-05-08&Action=ListUsers&PathPrefix=%2Fa%20b%2Bc~%2A%21&Marker=x%3Dy%26z&Empty=",
        ),
        signed(
            "rest path that needs encoding",
            (v4, "lambda", "eu-west-1"),
            "POST",
            "http://localhost:4566/2015-03-31/functions/my%20func%3Aprod/invocations?Qualifier=v%201",
            {"Content-Type": "application/json"},
            b'{"hello": "world"}',
        ),
        signed(
            "rest path with dot segments and repeated slashes",
            (v4, "glacier", "us-west-2"),
            "GET",
            "http://localhost:4566/-/vaults//my-vault/./jobs",
            {"x-amz-glacier-version": "2012-06-01"},
        ),
        signed(
            "session token",
            (v4, "sts", "us-east-1"),
            "POST",
            "http://localhost:4566/",
            {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            b"Action=GetCallerIdentity&Version=2011-06-15",
            token=SESSION_TOKEN,
        ),
        signed(
            "header values with runs of spaces",
            (v4, "sts", "us-east-1"),
            "POST",
            "http://localhost:4566/",
            {
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                "X-Amz-Meta-Note": "  several   spaces\there  ",
            },
            b"Action=GetCallerIdentity&Version=2011-06-15",
        ),
        signed(
            "date header instead of x-amz-date",
            (v4, "sts", "us-east-1"),
            "POST",
            "http://localhost:4566/",
            {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8", "Date": "placeholder"},
            b"Action=GetCallerIdentity&Version=2011-06-15",
        ),
        signed(
            "s3 put object with signed payload",
            (s3, "s3", "us-east-1"),
            "PUT",
            "http://localhost:4566/my-bucket/dir/a%20b%2Bc.txt",
            {"Content-Type": "text/plain"},
            b"hello, world\n",
        ),
        signed(
            "s3 virtual-hosted get with unsigned payload",
            (s3, "s3", "eu-central-1"),
            "GET",
            "http://my-bucket.s3.eu-central-1.localhost.localstack.cloud:4566/photos/2026/%C3%A9t%C3%A9.jpg",
            context={"client_config": Config(s3={"payload_signing_enabled": False})},
        ),
        signed(
            "s3 put with streaming trailer payload",
            (s3, "s3", "us-east-1"),
            "PUT",
            "http://localhost:4566/my-bucket/streamed",
            {"Content-Encoding": "aws-chunked", "X-Amz-Trailer": "x-amz-checksum-crc32"},
            b"5\r\nhello\r\n0\r\nx-amz-checksum-crc32:NhCmhg==\r\n\r\n",
            context={"checksum": {"request_algorithm": {"in": "trailer", "name": "x-amz-checksum-crc32"}}},
        ),
        signed(
            "presigned s3 get",
            (s3_query, "s3", "us-east-1"),
            "GET",
            "http://localhost:4566/my-bucket/reports/q1%20final.pdf?response-content-type=application%2Fpdf",
            expires=3600,
        ),
        signed(
            "presigned s3 get with session token",
            (s3_query, "s3", "us-west-2"),
            "GET",
            "http://my-bucket.s3.us-west-2.localhost.localstack.cloud:4566/key",
            token=SESSION_TOKEN,
            expires=600,
        ),
        signed(
            "presigned sts get caller identity",
            (query, "sts", "us-east-1"),
            "GET",
            "http://localhost:4566/?Action=GetCallerIdentity&Version=2011-06-15",
            expires=900,
        ),
    ]
    print(json.dumps(fixtures, indent=1))


main()
