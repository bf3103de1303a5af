#!/usr/bin/env bash
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
# Runs each fuzz target (all of them by default) for SECONDS (default 60).
# Needs cargo-fuzz (`cargo install cargo-fuzz`); on a stable toolchain the
# sanitizer flags are let through with RUSTC_BOOTSTRAP=1.
# Findings land in fuzz/artifacts/<target>/; a panic stops the run non-zero.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
targets=(decode_json decode_rest_json decode_cbor decode_query decode_ec2 decode_rest_xml parse_expressions parse_partiql)
if [ "$#" -gt 1 ]; then
    targets=("${@:2}")
fi
for target in "${targets[@]}"; do
    echo "== $target for ${seconds}s"
    mkdir -p "corpus/$target"
    mkdir -p "seeds/$target"
    RUSTC_BOOTSTRAP=1 cargo fuzz run "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -max_len=8192 -rss_limit_mb=2048 -print_final_stats=1
done
