#!/usr/bin/env bash
# Runs ceph/s3-tests, the S3 compatibility suite, against a fresh cloudbox
# and prints pass/fail/skip counts overall and per area.
#
#   tools/conformance/s3-tests.sh <checkout of ceph/s3-tests> [pytest arguments...]
#
# The suite is not part of this repository: clone it anywhere and install
# its requirements (pip install -r requirements.txt) first. cloudbox runs in
# permissive mode on a free port with its state in a temporary directory;
# the suite's three users are three accounts (12-digit access keys select
# the account in permissive mode). CLOUDBOX_BIN picks the binary
# (default target/debug/cloudbox) and CLOUDBOX_ARGS adds serve flags (e.g.
# --s3-legacy-bucket-defaults, for the suite's pre-2023 bucket defaults);
# S3TESTS_RESULTS keeps the per-test
# results (JSON lines) in a file of your choosing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
suite="$(cd "${1:?usage: s3-tests.sh <s3-tests checkout> [pytest args...]}" && pwd)"
shift
bin="${CLOUDBOX_BIN:-$root/target/debug/cloudbox}"
work="$(mktemp -d)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

"$bin" serve --listen "127.0.0.1:$port" --data-dir "$work/data" --log warn ${CLOUDBOX_ARGS:-} >"$work/cloudbox.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/_cloudbox/health" >/dev/null && break
  sleep 0.05
done

canonical_id() {
  python3 -c 'import hashlib, sys; print(hashlib.sha256(f"cloudbox canonical user {sys.argv[1]}".encode()).hexdigest())' "$1"
}

cat >"$work/s3tests.conf" <<CONF
[DEFAULT]
host = 127.0.0.1
port = $port
is_secure = False
ssl_verify = False

[fixtures]
bucket prefix = s3t-{random}-

[s3 main]
display_name = main
user_id = $(canonical_id 000000000000)
email = main@example.com
# S3 refuses LocationConstraint us-east-1 (the region the clients sign for), so none is set
api_name =
access_key = test
secret_key = test

[s3 alt]
display_name = alt
user_id = $(canonical_id 111111111111)
email = alt@example.com
access_key = 111111111111
secret_key = alt-secret

[s3 tenant]
display_name = tenant
user_id = $(canonical_id 222222222222)
email = tenant@example.com
access_key = 222222222222
secret_key = tenant-secret
tenant = tenant

[iam]
email = iam@example.com
user_id = iam
access_key = 333333333333
secret_key = iam-secret
display_name = iam

[iam root]
access_key = 444444444444
secret_key = root-secret
user_id = root
email = root@example.com

[iam alt root]
access_key = 555555555555
secret_key = alt-root-secret
user_id = altroot
email = altroot@example.com
CONF

results="${S3TESTS_RESULTS:-$work/results.jsonl}"
rm -f "$results"
cd "$suite"
set +e
S3TEST_CONF="$work/s3tests.conf" PYTHONPATH="$here${PYTHONPATH:+:$PYTHONPATH}" \
  CLOUDBOX_S3TESTS_RESULTS="$results" \
  python3 -m pytest s3tests/functional/test_s3.py -q -p no:cacheprovider -p s3tests_results \
  -m 'not fails_on_aws' "$@"
status=$?
set -e
python3 "$here/s3tests_summary.py" "$results"
exit "$status"
