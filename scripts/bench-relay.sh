#!/usr/bin/env bash
# The relay benchmark: mailscope-proxy against websockify (Debian's package) and websocat
# (built from crates.io), each as its own process on loopback, measured in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
dpkg-query -W -f='${Status}' websockify 2>/dev/null | grep -q 'install ok installed' || {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends websockify >/dev/null
}
websocat --version 2>/dev/null | grep -q '1.14.0' || cargo install websocat --version 1.14.0
cargo build --locked --release -p mailscope-proxy
cargo run --locked --release -p mailscope-proxy --example relay_bench
