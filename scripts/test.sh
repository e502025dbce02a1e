#!/usr/bin/env bash
# The whole test suite: installs what is missing, runs the native tests of the core and the
# CLI, builds the release app and runs the browser tests against it in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

scripts/setup.sh

echo "== test mail servers (Dovecot and Postfix on loopback)"
tests/mailserver.sh start
cleanup() { tests/mailserver.sh stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

echo "== native tests (core, CLI, proxy; the Dovecot ones included)"
cargo test --locked -p mailscope-core --features mailscope-core/tls -p mailscope-auth -p mailscope-cli -p mailscope-session -p mailscope-driver -p mailscope-proxy -- --include-ignored

echo "== release build"
scripts/build.sh

echo "== browser tests (Playwright, Chromium), the app served by mailscope-proxy"
cargo build --locked -p mailscope-proxy
port_file=$(mktemp)
target/debug/mailscope-proxy --listen 127.0.0.1:0 --static dist --resolver 127.0.0.1:10053 >"$port_file" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$port_file"; cleanup' EXIT
for _ in $(seq 50); do grep -q http "$port_file" && break; sleep 0.1; done
export MAILSCOPE_URL=$(grep -o 'http://[^ ]*' "$port_file")
# Every test has a bound: one that waits on a page or a server longer fails, naming itself.
node --test --test-concurrency=1 --test-timeout=300000 tests/browser/
