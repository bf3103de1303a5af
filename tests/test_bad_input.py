"""Bad input gets the AWS error for its protocol: never a panic, never a 500
for the client's mistake, and the server keeps serving."""

import json
import socket

import cbor2
import pytest

JSON_10 = {"Content-Type": "application/x-amz-json-1.0"}


def dynamodb(server, target, body):
    return server.signed("dynamodb", body=body, headers=dict(JSON_10, **{"X-Amz-Target": f"DynamoDB_20120810.{target}"}))


def error_type(response):
    return response.json()["__type"].split("#")[-1]


def test_malformed_json_is_a_serialization_exception(server):
    response = dynamodb(server, "ListTables", b"{not json")
    assert response.status_code == 400
    assert error_type(response) == "SerializationException"


def test_wrong_member_type_is_a_serialization_exception(server):
    response = dynamodb(server, "ListTables", json.dumps({"Limit": "ten"}).encode())
    assert response.status_code == 400
    assert error_type(response) == "SerializationException"


def test_out_of_range_member_is_a_validation_exception(server):
    response = dynamodb(server, "ListTables", json.dumps({"Limit": 0}).encode())
    assert response.status_code == 400
    assert error_type(response) == "ValidationException"
    assert "limit" in response.json()["message"]


def test_unknown_json_operation(server):
    response = dynamodb(server, "DropEverything", b"{}")
    assert response.status_code == 400
    assert error_type(response) == "UnknownOperationException"


def test_unknown_query_action(server):
    response = server.signed("sts", body=b"Action=Nope&Version=2011-06-15",
                             headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 400
    assert b"InvalidAction" in response.content


def test_malformed_cbor(server):
    response = server.signed("monitoring", body=b"\xbf\x61", headers={
        "smithy-protocol": "rpc-v2-cbor", "Content-Type": "application/cbor"},
        path="/service/GraniteServiceVersion20100801/operation/ListMetrics")
    assert response.status_code == 400
    assert cbor2.loads(response.content)["__type"].endswith("SerializationException")


def test_missing_required_member_in_json(server):
    response = server.signed("glacier", method="PUT", path="/-/vaults/bad%20name!", body=b"")
    assert response.status_code in (400, 404)
    assert response.status_code != 500


def test_oversized_body_is_refused(server):
    big = b"{" + b" " * (65 * 1024 * 1024) + b"}"
    response = dynamodb(server, "ListTables", big)
    assert response.status_code == 413


@pytest.mark.parametrize("garbage", [
    b"\x00\x01\x02\x03 garbage\r\n\r\n",
    b"GET / HTTP/1.1\r\nContent-Length: 100\r\n\r\nshort",
    b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n",
    b"\x16\x03\x01\x00\x05hello",
])
def test_garbage_on_the_wire_does_not_hurt_the_server(server, garbage):
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as s:
        s.sendall(garbage)
        s.shutdown(socket.SHUT_WR)
        try:
            s.recv(4096)
        except OSError:
            pass
    status, body = server.admin("GET", "health")
    assert status == 200
    assert server.client("sts").get_caller_identity()["Account"] == "000000000000"
