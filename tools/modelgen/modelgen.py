#!/usr/bin/env python3
"""Regenerate cloudbox's embedded service models from a pinned botocore release.

Downloads the botocore source distribution named below from the Python package
registry, keeps the newest API version of each service in SERVICES, strips
documentation and examples, and writes one gzip-compressed JSON model per
service into crates/model/models/, with an index and botocore's LICENSE and
NOTICE beside them.

Usage: python3 tools/modelgen/modelgen.py
"""

import gzip
import io
import json
import pathlib
import subprocess
import sys
import tarfile
import tempfile

BOTOCORE_VERSION = "1.43.11"

# Every service the mission names, plus the ones they lean on.
SERVICES = [
    "autoscaling", "budgets", "ce", "cloudfront", "cloudtrail", "cloudwatch",
    "cur", "directconnect", "dms", "dynamodb", "dynamodbstreams", "ebs", "ec2",
    "elasticache", "elb", "elbv2", "events", "freetier", "glacier",
    "greengrass", "greengrassv2", "groundstation", "iam", "iot", "iot-data",
    "kinesis", "kms", "lambda", "logs", "managedblockchain",
    "managedblockchain-query", "polly", "pricing", "rds", "redshift",
    "redshift-data", "route53", "s3", "s3control", "sagemaker",
    "sagemaker-runtime", "secretsmanager", "sns", "sqs", "ssm", "sts",
    "support", "trustedadvisor",
]

# Keys that carry prose or examples only; the wire never needs them.
DROP_KEYS = {"documentation", "documentationUrl", "examples", "deprecatedMessage", "deprecatedSince"}

# Metadata the gateway needs to route a request without loading the model.
INDEX_KEYS = [
    "protocol", "protocols", "apiVersion", "jsonVersion", "targetPrefix",
    "signingName", "endpointPrefix", "serviceId", "awsQueryCompatible",
]

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "crates" / "model" / "models"


def strip(node):
    if isinstance(node, dict):
        return {k: strip(v) for k, v in node.items() if k not in DROP_KEYS}
    if isinstance(node, list):
        return [strip(v) for v in node]
    return node


def download(tmp):
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
         f"botocore=={BOTOCORE_VERSION}", "-d", tmp],
        check=True,
    )
    return next(pathlib.Path(tmp).glob("botocore-*.tar.gz"))


def newest_models(archive):
    """Map service name -> (api version, model JSON) for the newest version."""
    prefix = f"botocore-{BOTOCORE_VERSION}/"
    found = {}
    extras = {}
    with tarfile.open(archive) as tar:
        for member in tar.getmembers():
            name = member.name[len(prefix):] if member.name.startswith(prefix) else member.name
            if name in ("LICENSE.txt", "NOTICE"):
                extras[name] = tar.extractfile(member).read()
                continue
            parts = name.split("/")
            if len(parts) != 5 or parts[:2] != ["botocore", "data"] or parts[4] != "service-2.json":
                continue
            service, version = parts[2], parts[3]
            if service in SERVICES and (service not in found or version > found[service][0]):
                found[service] = (version, json.load(tar.extractfile(member)))
    return found, extras


def main():
    with tempfile.TemporaryDirectory() as tmp:
        archive = download(tmp)
        models, extras = newest_models(archive)
    missing = sorted(set(SERVICES) - set(models))
    if missing:
        sys.exit(f"botocore {BOTOCORE_VERSION} has no model for: {', '.join(missing)}")
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json.gz"):
        old.unlink()
    index = {"botocore": BOTOCORE_VERSION, "services": {}}
    for service in sorted(models):
        version, model = models[service]
        model = strip(model)
        data = json.dumps(model, separators=(",", ":"), sort_keys=False).encode()
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0) as gz:
            gz.write(data)
        (OUT / f"{service}.json.gz").write_bytes(buf.getvalue())
        meta = model["metadata"]
        entry = {k: meta[k] for k in INDEX_KEYS if k in meta}
        entry["operations"] = len(model["operations"])
        index["services"][service] = entry
    (OUT / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    (OUT / "LICENSE.botocore.txt").write_bytes(extras["LICENSE.txt"])
    (OUT / "NOTICE.botocore").write_bytes(extras["NOTICE"])
    print(f"wrote {len(models)} models from botocore {BOTOCORE_VERSION} into {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
