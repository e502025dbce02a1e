#!/usr/bin/env bash
# Builds the release app and runs the parsing/size benchmark and the mail app's first-load
# measure in Chromium; prints figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
port_file=$(mktemp)
cargo build --locked --release -p mailscope-proxy
target/release/mailscope-proxy --listen 127.0.0.1:0 --static dist >"$port_file" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 50); do grep -q http "$port_file" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$port_file")
MAILSCOPE_URL=$url node tests/bench/parse.bench.mjs
MAILSCOPE_URL=$url node tests/bench/mail-load.bench.mjs
MAILSCOPE_URL=$url node tests/bench/delivery.bench.mjs
