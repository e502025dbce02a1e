#!/usr/bin/env bash
# The mail app's IMAP cache on a 10,000-message folder: builds the app and the release proxy,
# starts the test mail servers (if they are not running), prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
cargo build --locked --release -p mailscope-proxy
tests/mailserver.sh status >/dev/null 2>&1 || tests/mailserver.sh start
MAILSCOPE_PROXY=target/release/mailscope-proxy node tests/bench/cache.bench.mjs
