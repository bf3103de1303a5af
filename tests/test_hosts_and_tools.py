"""Requests addressed the way LocalStack-era tools address them: LocalStack
host names (virtual-hosted S3 included), and awslocal itself."""

import os
import subprocess

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import requests


def send_as_host(server, host, service, method="GET", path="/", body=b"", headers=None, region="us-east-1"):
    """Sign for `host` (as a client that resolved it would) but connect to the server."""
    url = f"http://{host}:{server.port}{path}"
    request = botocore.awsrequest.AWSRequest(method=method, url=url, data=body, headers=headers or {})
    signer = botocore.auth.S3SigV4Auth if service == "s3" else botocore.auth.SigV4Auth
    signer(botocore.credentials.Credentials("test", "test"), service, region).add_auth(request)
    prepared = request.prepare()
    sent_headers = dict(prepared.headers)
    sent_headers["Host"] = f"{host}:{server.port}"
    return requests.request(method, f"http://127.0.0.1:{server.port}{path}", headers=sent_headers, data=body,
                            timeout=30)


def test_virtual_hosted_s3_on_localstack_host_names(server):
    server.reset()
    s3 = server.client("s3")
    s3.create_bucket(Bucket="hosted")
    for host in ("hosted.s3.localhost.localstack.cloud", "hosted.s3.us-east-1.localhost.localstack.cloud"):
        response = send_as_host(server, host, "s3", method="HEAD")
        assert response.status_code == 200, (host, response.status_code, response.text)
        assert response.headers["x-amz-bucket-region"] == "us-east-1"
    missing = send_as_host(server, "absent.s3.localhost.localstack.cloud", "s3", method="HEAD")
    assert missing.status_code == 404


def test_path_style_s3_on_the_localstack_s3_host(server):
    server.reset()
    server.client("s3").create_bucket(Bucket="pathy")
    response = send_as_host(server, "s3.localhost.localstack.cloud", "s3", path="/")
    assert response.status_code == 200
    assert b"<Name>pathy</Name>" in response.content


def test_unsigned_request_routed_by_service_host(server):
    response = requests.get(f"http://127.0.0.1:{server.port}/-/vaults",
                            headers={"Host": f"glacier.us-east-1.amazonaws.com:{server.port}"}, timeout=30)
    assert response.status_code == 200, response.text
    assert "VaultList" in response.json()


def test_awslocal_works_unchanged(server):
    server.reset()
    env = dict(os.environ, LOCALSTACK_HOST=f"127.0.0.1:{server.port}", AWS_DEFAULT_REGION="us-east-1",
               AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test", DISABLE_DEPRECATION_NOTICE="1")
    run = lambda *args: subprocess.run(["awslocal", *args], capture_output=True, text=True, env=env, timeout=60)
    created = run("iam", "create-user", "--user-name", "via-awslocal")
    assert created.returncode == 0, created.stderr
    who = run("sts", "get-caller-identity")
    assert who.returncode == 0 and "000000000000" in who.stdout
    made = run("s3", "mb", "s3://awslocal-bucket")
    assert made.returncode == 0, made.stderr
    listed = run("s3", "ls")
    assert "awslocal-bucket" in listed.stdout
