#!/usr/bin/env bash
# Coverage-guided fuzzing of every entry point that takes outside bytes (cargo-fuzz,
# libFuzzer, on the nightly toolchain), seeded from the project's own test data.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     (default 300 s, every target)
#
# A crash is copied to crates/core/fuzz/regressions/TARGET/, where the ordinary test suite
# replays it on stable (crates/core/tests/fuzz_regressions.rs, crates/proxy/tests/fuzz.rs):
# commit it with the fix. Corpora grow under target/fuzz-corpus/ (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
SECONDS_PER_TARGET=${1:-300}
shift || true
ALL=(message mbox received html x509 pop3 smtp imap request)
TARGETS=("${@:-${ALL[@]}}")

rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
cargo fuzz --version >/dev/null 2>&1 || cargo install cargo-fuzz --version 0.13.2

corpus=target/fuzz-corpus
mkdir -p "$corpus"
for t in "${ALL[@]}"; do mkdir -p "$corpus/$t"; done
# Messages, mboxes and HTML from the test data; protocol conversations, Received fields, a
# certificate and proxy requests from the seeds kept beside the targets.
mapfile -t emls < <(find crates/core/testdata -name '*.eml' | sort)
for f in "${emls[@]:0:400}"; do
  n=$(sha1sum "$f" | cut -c1-16)
  cp -n "$f" "$corpus/message/$n"
  cp -n "$f" "$corpus/mbox/$n"
  grep -qi '<html' "$f" && cp -n "$f" "$corpus/html/$n"
done
for t in "${ALL[@]}"; do
  [ -d "crates/core/fuzz/seeds/$t" ] && cp -n crates/core/fuzz/seeds/"$t"/* "$corpus/$t/" 2>/dev/null || true
done

found=0
cd crates/core/fuzz
for t in "${TARGETS[@]}"; do
  echo "== $t: ${SECONDS_PER_TARGET} s"
  mkdir -p "artifacts/$t"
  if ! cargo +nightly fuzz run "$t" "../../../$corpus/$t" -- \
      -max_total_time="$SECONDS_PER_TARGET" -rss_limit_mb=2048 -timeout=10 \
      -artifact_prefix="artifacts/$t/" 2>&1 | tail -n 4; then
    found=1
  fi
  for a in artifacts/"$t"/*; do
    [ -f "$a" ] || continue
    mkdir -p "regressions/$t"
    cp "$a" "regressions/$t/$(basename "$a")"
    echo "   crash kept as crates/core/fuzz/regressions/$t/$(basename "$a")"
    found=1
  done
done
exit $found
