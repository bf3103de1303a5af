"""Reading what an AWS error told the client: its code, message and HTTP
status from a botocore ClientError, or the members of an S3 XML reply read
with requests."""

import xml.etree.ElementTree as ET

import botocore.exceptions
import pytest


def raised(call, *args, **kwargs):
    """Run `call`, which must fail with a ClientError; returns pytest's ExceptionInfo of it."""
    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        call(*args, **kwargs)
    return excinfo


def code_and_message(excinfo):
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def code_and_status(excinfo):
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]


def code_message_status(excinfo):
    """The message is None when the error has none (HEAD answers carry no body)."""
    response = excinfo.value.response
    return response["Error"]["Code"], response["Error"].get("Message"), response["ResponseMetadata"]["HTTPStatusCode"]


def refused(call, *args, **kwargs):
    """The (code, HTTP status) of the ClientError `call` must raise."""
    return code_and_status(raised(call, *args, **kwargs))


def fails(call, *args, **kwargs):
    """The (code, message, HTTP status) of the ClientError `call` must raise."""
    return code_message_status(raised(call, *args, **kwargs))


def xml_members(response):
    """The members of an S3 XML reply's root element by tag, without the request ids every S3 error carries."""
    root = ET.fromstring(response.content)
    return {child.tag: child.text for child in root if child.tag not in ("RequestId", "HostId")}
