"""End-to-end test harness: starts real cloudbox servers on free ports.

`server` is one ephemeral server shared by the whole session (tests that
need a clean slate call `server.reset()`); `Cloudbox(...)` starts a private
one (a data directory, strict auth, a kill -9...). Clients are the real
ones: boto3 and the aws CLI, pointed at the server's endpoint.
"""

import json
import os
import pathlib
import signal
import socket
import subprocess
import time
import urllib.request
import uuid

import boto3
import botocore.config
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
BINARY = pathlib.Path(os.environ.get("CLOUDBOX_BIN", ROOT / "target" / "debug" / "cloudbox"))
REGION = "us-east-1"
ROOT_KEY = ("test", "test")
# A second account, for what one account may do to another's buckets and objects.
OTHER_ACCOUNT = ("111122223333", "secret")


def unique(prefix):
    """A fresh name (bucket, table...) starting with `prefix`, so tests sharing a server do not collide."""
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def create_open_bucket(s3, prefix="open"):
    """A new bucket that accepts ACLs (ObjectWriter) and has no public access block."""
    name = unique(prefix)
    s3.create_bucket(Bucket=name, ObjectOwnership="ObjectWriter")
    s3.delete_public_access_block(Bucket=name)
    return name


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cloudbox:
    """One cloudbox process listening on 127.0.0.1."""

    def __init__(self, tmp_dir, *, data_dir=None, auth=None, env=None):
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.log_path = pathlib.Path(tmp_dir) / f"cloudbox-{self.port}.log"
        args = [str(BINARY), "serve", "--listen", f"127.0.0.1:{self.port}"]
        args += ["--auth", auth] if auth else []
        args += ["--data-dir", str(data_dir)] if data_dir else ["--ephemeral"]
        full_env = {k: v for k, v in os.environ.items() if not k.startswith("CLOUDBOX_")}
        full_env.update(env or {})
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(args, stdout=self.log, stderr=subprocess.STDOUT, env=full_env)
        self.wait_ready()

    def wait_ready(self, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"cloudbox exited early:\n{self.log_path.read_text()}")
            try:
                with urllib.request.urlopen(self.endpoint + "/_cloudbox/health", timeout=1) as r:
                    if r.status == 200:
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError(f"cloudbox not ready after {timeout}s:\n{self.log_path.read_text()}")

    def client(self, service, region=REGION, key=ROOT_KEY, token=None, endpoint=None, verify=None, **config):
        return boto3.client(
            service,
            endpoint_url=endpoint or self.endpoint,
            verify=verify,
            region_name=region,
            aws_access_key_id=key[0],
            aws_secret_access_key=key[1],
            aws_session_token=token,
            config=botocore.config.Config(retries={"max_attempts": 1}, **config),
        )

    def admin(self, method, path, body=None):
        request = urllib.request.Request(self.endpoint + "/_cloudbox/" + path, data=body, method=method)
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read() or b"null")

    def reset(self):
        status, _ = self.admin("POST", "reset")
        assert status == 200

    def advance(self, seconds):
        status, body = self.admin("POST", f"clock/advance?seconds={seconds}")
        assert status == 200, body
        return body

    def aws(self, *args, key=ROOT_KEY, check=True):
        """Run the aws CLI against this server; returns parsed JSON output (or text)."""
        env = dict(os.environ, AWS_ACCESS_KEY_ID=key[0], AWS_SECRET_ACCESS_KEY=key[1],
                   AWS_DEFAULT_REGION=REGION, AWS_MAX_ATTEMPTS="1", AWS_PAGER="")
        env.pop("AWS_PROFILE", None)
        result = subprocess.run(["aws", "--endpoint-url", self.endpoint, "--output", "json", *args],
                                capture_output=True, text=True, env=env, timeout=60)
        if check and result.returncode != 0:
            raise AssertionError(f"aws {' '.join(args)} failed ({result.returncode}): {result.stderr}")
        if not check:
            return result
        return json.loads(result.stdout) if result.stdout.strip() else None

    def signed(self, signing_name, body=b"", headers=None, method="POST", path="/", key=ROOT_KEY):
        """Send a raw request signed with SigV4 for `signing_name`; returns a requests.Response."""
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials
        import requests

        request = botocore.awsrequest.AWSRequest(method=method, url=self.endpoint + path, data=body,
                                                 headers=headers or {})
        botocore.auth.SigV4Auth(botocore.credentials.Credentials(*key), signing_name, REGION).add_auth(request)
        prepared = request.prepare()
        return requests.request(method, prepared.url, headers=dict(prepared.headers), data=body, timeout=30)

    def signed_s3(self, method, path, body=b"", headers=None, key=ROOT_KEY, unsigned_headers=None):
        """Send a raw S3 request signed with SigV4 as boto3 signs it (unsigned requests are anonymous);
        an `x-amz-content-sha256` in `headers` (UNSIGNED-PAYLOAD, a streaming payload) is signed as given,
        `unsigned_headers` are added after signing. Returns a requests.Response."""
        import botocore.auth
        import botocore.awsrequest
        import botocore.credentials
        import requests

        headers = dict(headers or {})
        given_hash = next((v for k, v in headers.items() if k.lower() == "x-amz-content-sha256"), None)

        class Signer(botocore.auth.S3SigV4Auth):
            def payload(self, request):
                return given_hash or super().payload(request)

        request = botocore.awsrequest.AWSRequest(method=method, url=self.endpoint + path, data=body, headers=headers)
        Signer(botocore.credentials.Credentials(*key), "s3", REGION).add_auth(request)
        prepared = request.prepare()
        sent = dict(prepared.headers)
        sent.update(unsigned_headers or {})
        return requests.request(method, prepared.url, headers=sent, data=body, timeout=30)

    def stop(self):
        """SIGTERM and wait: a clean shutdown."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=30)
        self.log.close()
        return self.process.returncode

    def kill(self):
        """SIGKILL: no chance to flush anything."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.log.close()


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    box = Cloudbox(tmp_path_factory.mktemp("shared"))
    yield box
    box.stop()


@pytest.fixture
def start(tmp_path):
    """Start private servers; all are stopped at the end of the test."""
    started = []

    def _start(**kwargs):
        box = Cloudbox(tmp_path, **kwargs)
        started.append(box)
        return box

    yield _start
    for box in started:
        box.kill()


@pytest.fixture
def s3(server):
    """A boto3 S3 client of the default account on the shared server."""
    return server.client("s3")


@pytest.fixture
def other(server):
    """A boto3 S3 client of OTHER_ACCOUNT on the shared server."""
    return server.client("s3", key=OTHER_ACCOUNT)


@pytest.fixture
def bucket(s3):
    """A new empty bucket of the default account (on whichever server `s3` talks to)."""
    name = unique("bucket")
    s3.create_bucket(Bucket=name)
    return name


@pytest.fixture
def open_bucket(s3):
    """A new bucket of the default account that accepts ACLs and has no public access block."""
    return create_open_bucket(s3)
