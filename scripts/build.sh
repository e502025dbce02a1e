#!/usr/bin/env bash
# Builds the app into dist/ with Trunk (release: size-optimised wasm, wasm-opt -Oz).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
# Trunk runs cargo --offline: fetch what the lock file names first (quick when present).
cargo fetch --locked --target wasm32-unknown-unknown >/dev/null
cargo fetch --locked >/dev/null
# --minify: HTML, CSS and the JS glue written small (the wasm is wasm-opt'd either way).
# Five pages, five bundles: the inspector at /, the connection test (with the TLS worker)
# at /connect/, the web mail app (with the same worker) at /mail/, the protocol workbench at
# /workbench/, the live checks (with their worker) at /live/, framed by the inspector. The first build empties dist/, so it runs first.
trunk build --release --minify "$@"
trunk build connect.html --release --minify --dist dist/connect --public-url /connect/ "$@"
trunk build mail.html --release --minify --dist dist/mail --public-url /mail/ "$@"
trunk build workbench.html --release --minify --dist dist/workbench --public-url /workbench/ "$@"
trunk build live.html --release --minify --dist dist/live --public-url /live/ "$@"
# The app runs under a policy that allows no inline script: Trunk's start scripts become files.
node scripts/externalize-loader.mjs dist
# The service worker that keeps the app shell for offline use, listing this build's files.
node scripts/offline.mjs dist
# Brotli and gzip twins of every file, sent by the proxy to browsers that accept them.
node scripts/precompress.mjs dist
