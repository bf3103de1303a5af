"""The gateway itself: admin endpoints, TLS on the same port, HTTP/2,
NotImplemented for modelled operations without a handler, graceful stop."""

import http.client
import socket
import ssl
import time
from datetime import datetime

import botocore.exceptions
import pytest


def test_health_names_version_uptime_and_services(server):
    status, body = server.admin("GET", "health")
    assert status == 200
    assert body["status"] == "running"
    assert body["version"]
    assert body["uptime_seconds"] >= 0
    for name in ("sts", "iam", "ec2", "dynamodb", "glacier", "cloudwatch", "s3"):
        assert name in body["services"]


def test_clock_reports_now_and_moves_forward_only(server):
    status, before = server.admin("GET", "clock")
    assert status == 200
    parsed = datetime.fromisoformat(before["now"].replace("Z", "+00:00"))
    assert abs(parsed.timestamp() - before["epoch_seconds"]) < 0.01
    after = server.advance(3600)
    assert after["epoch_seconds"] - before["epoch_seconds"] >= 3600
    status, body = server.admin("POST", "clock/advance?seconds=-5")
    assert status == 400 and "seconds" in body["error"]
    status, body = server.admin("POST", "clock/advance?seconds=soon")
    assert status == 400
    status, body = server.admin("POST", "clock/advance")
    assert status == 400


def test_unknown_admin_endpoint_is_404(server):
    status, body = server.admin("GET", "nope")
    assert status == 404


def test_reset_drops_all_state(server):
    iam = server.client("iam")
    iam.create_user(UserName="to-be-reset")
    server.reset()
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_user(UserName="to-be-reset")


def test_https_on_the_same_port(server):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=context, timeout=10)
    conn.request("GET", "/_cloudbox/health")
    response = conn.getresponse()
    assert response.status == 200
    assert b"running" in response.read()
    sts = server.client("sts", endpoint=f"https://localhost:{server.port}", verify=False)
    assert sts.get_caller_identity()["Account"] == "000000000000"


def test_http2_prior_knowledge(server):
    """h2c: an HTTP/2 client without TLS, by prior knowledge."""
    preface = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    settings = b"\x00\x00\x00\x04\x00\x00\x00\x00\x00"
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(preface + settings)
        head = s.recv(9)
    # The server answers with its own SETTINGS frame (type 4).
    assert len(head) == 9 and head[3] == 4


def test_modelled_operation_without_handler_is_not_implemented(server):
    iam = server.client("iam")
    with pytest.raises(botocore.exceptions.ClientError) as e:
        iam.list_roles()
    err = e.value.response
    assert err["ResponseMetadata"]["HTTPStatusCode"] == 501
    assert err["Error"]["Code"] == "NotImplemented"
    assert "ListRoles" in err["Error"]["Message"] and "iam" in err["Error"]["Message"]


@pytest.mark.parametrize("service,call", [
    ("dynamodb", lambda c: c.list_exports()),
    ("sqs", lambda c: c.list_queues()),
    ("lambda", lambda c: c.list_functions()),
    ("rds", lambda c: c.describe_db_instances()),
    ("cloudwatch", lambda c: c.describe_alarms()),
])
def test_not_implemented_in_every_protocol(server, service, call):
    client = server.client(service)
    with pytest.raises(botocore.exceptions.ClientError) as e:
        call(client)
    assert e.value.response["Error"]["Code"] == "NotImplemented"
    assert e.value.response["ResponseMetadata"]["HTTPStatusCode"] == 501


def test_sigterm_stops_cleanly(start):
    box = start()
    box.client("sts").get_caller_identity()
    began = time.time()
    assert box.stop() == 0
    assert time.time() - began < 10


def test_one_log_line_per_request(start):
    box = start()
    box.client("sts").get_caller_identity()
    box.stop()
    lines = [line for line in box.log_path.read_text().splitlines() if "GetCallerIdentity" in line]
    assert len(lines) == 1, lines
    for field in ("service=sts", "operation=GetCallerIdentity", "status=200", "latency_us="):
        assert field in lines[0], lines[0]


def test_configuration_by_environment(start):
    box = start(env={"CLOUDBOX_AUTH": "strict", "CLOUDBOX_ROOT_ACCESS_KEY": "AKIAROOTROOTROOT0000",
                     "CLOUDBOX_ROOT_SECRET_KEY": "root-secret"})
    who = box.client("sts", key=("AKIAROOTROOTROOT0000", "root-secret")).get_caller_identity()
    assert who["Arn"] == "arn:aws:iam::000000000000:root"
    with pytest.raises(botocore.exceptions.ClientError) as e:
        box.client("sts").get_caller_identity()  # test/test is no longer known, and strict refuses it
    assert e.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_ready_line_names_endpoint_and_storage(start, tmp_path):
    box = start(data_dir=tmp_path / "state")
    box.stop()
    first = box.log_path.read_text().splitlines()[0]
    assert f"http://127.0.0.1:{box.port}" in first
    assert str(tmp_path / "state") in first


def test_json_log_lines(start):
    import json
    box = start(env={"CLOUDBOX_LOG_FORMAT": "json"})
    box.client("sts").get_caller_identity()
    box.stop()
    events = [json.loads(line) for line in box.log_path.read_text().splitlines() if line.startswith("{")]
    calls = [e for e in events if e.get("operation") == "GetCallerIdentity"]
    assert len(calls) == 1
    assert calls[0]["service"] == "sts" and calls[0]["status"] == 200 and calls[0]["latency_us"] >= 0
