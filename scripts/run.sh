#!/usr/bin/env bash
# Installs what is missing, builds the app and the proxy, and serves the app through
# mailscope-proxy on http://127.0.0.1:${PORT:-8080}. Extra arguments go to the proxy, e.g.
# --allow 127.0.0.1:10993 to reach the local test mail servers.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
scripts/setup.sh
scripts/build.sh
cargo build --locked --release -p mailscope-proxy
exec target/release/mailscope-proxy --listen "127.0.0.1:${PORT:-8080}" --static dist "$@"
