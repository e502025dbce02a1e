#!/usr/bin/env bash
# Builds the release app and runs the parsing/size benchmark, the mail app's first-load
# measure, the delivery sizes and the live checks' benchmark; prints figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
port_file=$(mktemp)
cargo build --locked --release -p mailscope-proxy
target/release/mailscope-proxy --listen 127.0.0.1:0 --static dist --resolver 127.0.0.1:10053 >"$port_file" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 50); do grep -q http "$port_file" && break; sleep 0.1; done
url=$(grep -o 'http://[^ ]*' "$port_file")
MAILSCOPE_URL=$url node tests/bench/parse.bench.mjs
MAILSCOPE_URL=$url node tests/bench/mail-load.bench.mjs
MAILSCOPE_URL=$url node tests/bench/delivery.bench.mjs
# The live checks: natively (each round at once against one question after another), then
# as a person meets them in Chromium, on the same message. Needs the test DNS and DKIM key.
tests/mailserver.sh start
live_message=$(mktemp --suffix=.eml)
cargo run --locked --release -q -p mailscope-driver --example live_bench "$live_message"
MAILSCOPE_URL=$url node tests/bench/live.bench.mjs "$live_message"
