"""Static website hosting: the website endpoint (chosen by the Host header)
serves a bucket's website configuration as S3 websites do."""

import json

import pytest
import requests

from conftest import unique


@pytest.fixture
def site(server):
    name = unique("site")
    s3 = server.client("s3")
    s3.create_bucket(Bucket=name)
    s3.delete_public_access_block(Bucket=name)
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                                                      "Resource": f"arn:aws:s3:::{name}/*"}]}
    s3.put_bucket_policy(Bucket=name, Policy=json.dumps(policy))
    s3.put_object(Bucket=name, Key="index.html", Body=b"<h1>home</h1>", ContentType="text/html")
    s3.put_object(Bucket=name, Key="docs/index.html", Body=b"docs home", ContentType="text/html")
    s3.put_object(Bucket=name, Key="error.html", Body=b"<p>not here</p>", ContentType="text/html")
    s3.put_object(Bucket=name, Key="moved", Body=b"", WebsiteRedirectLocation="/index.html")
    return server, s3, name


def visit(server, bucket, path, method="GET", host=None):
    host = host or f"{bucket}.s3-website.localhost.localstack.cloud:{server.port}"
    return requests.request(method, server.endpoint + path, headers={"Host": host}, allow_redirects=False, timeout=10)


def test_without_configuration_and_without_bucket(site):
    server, _, name = site
    response = visit(server, name, "/")
    assert response.status_code == 404
    assert response.headers["Content-Type"].startswith("text/html")
    assert "<li>Code: NoSuchWebsiteConfiguration</li>" in response.text
    assert f"<li>BucketName: {name}</li>" in response.text
    missing = visit(server, "no-such-site-bucket", "/")
    assert missing.status_code == 404 and "<li>Code: NoSuchBucket</li>" in missing.text


def test_index_and_error_documents(site):
    server, s3, name = site
    s3.put_bucket_website(Bucket=name, WebsiteConfiguration={
        "IndexDocument": {"Suffix": "index.html"}, "ErrorDocument": {"Key": "error.html"}})
    home = visit(server, name, "/")
    assert home.status_code == 200 and home.content == b"<h1>home</h1>"
    assert home.headers["Content-Type"] == "text/html"
    assert visit(server, name, "/docs/").content == b"docs home"
    directory = visit(server, name, "/docs")
    assert directory.status_code == 302 and directory.headers["Location"] == "/docs/"
    error = visit(server, name, "/nothing.html")
    assert error.status_code == 404 and error.content == b"<p>not here</p>"
    assert visit(server, name, "/nothing.html", method="HEAD").status_code == 404
    redirect = visit(server, name, "/moved")
    assert redirect.status_code == 301 and redirect.headers["Location"] == "/index.html"
    regional = visit(server, name, "/", host=f"{name}.s3-website-us-east-1.amazonaws.com")
    assert regional.content == b"<h1>home</h1>"
    dotted = visit(server, name, "/", host=f"{name}.s3-website.us-east-1.amazonaws.com")
    assert dotted.content == b"<h1>home</h1>"
    refused = visit(server, name, "/index.html", method="PUT")
    assert refused.status_code == 405 and "MethodNotAllowed" in refused.text


def test_missing_error_document_gives_html_page(site):
    server, s3, name = site
    s3.put_bucket_website(Bucket=name, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
    response = visit(server, name, "/absent")
    assert response.status_code == 404
    assert "<li>Code: NoSuchKey</li>" in response.text and "<li>Key: absent</li>" in response.text


def test_private_objects_are_not_served(server):
    name = unique("private-site")
    s3 = server.client("s3")
    s3.create_bucket(Bucket=name)
    s3.put_object(Bucket=name, Key="index.html", Body=b"secret")
    s3.put_bucket_website(Bucket=name, WebsiteConfiguration={"IndexDocument": {"Suffix": "index.html"}})
    response = visit(server, name, "/")
    assert response.status_code == 403
    assert "<li>Code: AccessDenied</li>" in response.text


def test_redirect_all_requests(site):
    server, s3, name = site
    s3.put_bucket_website(Bucket=name, WebsiteConfiguration={
        "RedirectAllRequestsTo": {"HostName": "example.com", "Protocol": "https"}})
    response = visit(server, name, "/a/b.html")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://example.com/a/b.html"


def test_routing_rules(site):
    server, s3, name = site
    s3.put_bucket_website(Bucket=name, WebsiteConfiguration={
        "IndexDocument": {"Suffix": "index.html"},
        "RoutingRules": [
            {"Condition": {"KeyPrefixEquals": "old/"}, "Redirect": {"ReplaceKeyPrefixWith": "docs/"}},
            {"Condition": {"KeyPrefixEquals": "gone"}, "Redirect": {"ReplaceKeyWith": "index.html",
                                                                     "HttpRedirectCode": "302"}},
            {"Condition": {"HttpErrorCodeReturnedEquals": "404"},
             "Redirect": {"HostName": "fallback.example.com", "Protocol": "https", "ReplaceKeyPrefixWith": "x/"}},
        ]})
    host = f"{name}.s3-website.localhost.localstack.cloud:{server.port}"
    prefix = visit(server, name, "/old/page.html")
    assert prefix.status_code == 301 and prefix.headers["Location"] == f"http://{host}/docs/page.html"
    whole = visit(server, name, "/gone-forever")
    assert whole.status_code == 302 and whole.headers["Location"] == f"http://{host}/index.html"
    on_error = visit(server, name, "/missing.html")
    assert on_error.status_code == 301
    assert on_error.headers["Location"] == "https://fallback.example.com/x/missing.html"
    assert visit(server, name, "/").content == b"<h1>home</h1>"
