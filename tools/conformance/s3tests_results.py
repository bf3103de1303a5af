"""A pytest plugin that writes one JSON line per test of the S3 suite: its
name, markers and outcome, for s3tests_summary.py to count by area."""

import json
import os

_markers = {}


def pytest_collection_modifyitems(items):
    for item in items:
        _markers[item.nodeid] = sorted({mark.name for mark in item.iter_markers()})


def pytest_runtest_logreport(report):
    failed_setup = report.when == "setup" and report.outcome != "passed"
    if report.when != "call" and not failed_setup:
        return
    path = os.environ.get("CLOUDBOX_S3TESTS_RESULTS")
    if not path:
        return
    record = {"test": report.nodeid.split("::")[-1], "markers": _markers.get(report.nodeid, []),
              "outcome": report.outcome, "seconds": round(report.duration, 2)}
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(record) + "\n")
