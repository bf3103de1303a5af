#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs the pinned Python clients,
# builds cloudbox, checks docs/coverage.md is current, runs the Rust tests
# (unit, integration, botocore protocol vectors), then the end-to-end tests
# that drive a real cloudbox with boto3 and the aws CLI.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore -r tests/requirements.txt

cargo build --locked -p cloudbox
./target/debug/cloudbox coverage --check docs/coverage.md

if cargo nextest --version >/dev/null 2>&1; then
  cargo nextest run --locked --workspace --no-fail-fast
else
  cargo test --locked --workspace --no-fail-fast
fi

python3 -m pytest tests -q -p no:cacheprovider --timeout 300
