#!/usr/bin/env bash
# Benchmarks, printed as figures and as ratios to their budgets (never asserted in tests).
#
#   Tests/Scripts/bench.sh [RELEASE_BIN_DIR] [PART...]
#
# RELEASE_BIN_DIR defaults to .build/release; with no PART every part runs. Each part is one
# function below, between its own begin/end markers; add new parts the same way and list them
# in `all_parts`.
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/opt/swift/usr/bin"
bin=${1:-.build/release}
shift || true

# ---- part: toml (begin) ----
# Decoding a ~1 MiB TOML document must take under 50 ms in a release build (issue 2).
bench_toml() {
  local decoder="$bin/toml-test-decoder"
  # A no-op when `make release` just built it; keeps a by-hand run from timing a stale binary.
  if [ "$bin" = .build/release ]; then
    swift build -c release -j 2 --product toml-test-decoder >/dev/null
  fi
  local doc
  doc=$(mktemp /tmp/devenv-bench-toml.XXXXXX)
  # A configuration-like document with every kind of value, repeated to about 1 MiB.
  python3 - "$doc" <<'PY'
import sys
parts = ['# generated for the TOML decode benchmark\ntitle = "bench"\n']
size, i = len(parts[0]), 0
while size < 1 << 20:
    block = f'''
[service_{i}]
name = "svc-{i}"
image = 'python:3.12-slim'
ports = [8000, 8001, 0x1F90, 5_678]
ratio = {i}.25e-3
enabled = {"true" if i % 2 else "false"}
started = 1979-05-27T07:32:00.999-07:00
day = 2024-02-29
env = {{ PYTHONUNBUFFERED = "1", UV_LINK_MODE = "copy", path = "/venv/bin:\\u00e9" }}
limits.cpu = 1.5
limits.memory = "512m"
description = """
A multi-line string for service {i},
with a line-ending backslash \\
and "quotes"."""

[[service_{i}.volumes]]
source = "cache-{i}"
target = "/root/.cache"
'''
    parts.append(block)
    size += len(block.encode())
    i += 1
open(sys.argv[1], "w").write("".join(parts))
PY
  local bytes runs=20 times
  bytes=$(wc -c <"$doc")
  "$decoder" --time 3 <"$doc" >/dev/null # warm up and check that it decodes
  times=$("$decoder" --time "$runs" <"$doc")
  awk -v times="$times" -v bytes="$bytes" -v runs="$runs" 'BEGIN {
    split(times, t, " ")
    printf "toml: decode %.2f MiB config-like document: %.2f ms per decode (mean of %d), %.2f of the 50 ms budget; freeing the result %.2f ms more\n",
      bytes / 1048576, t[1], runs, t[1] / 50, t[2]
  }'
  # For information, the worst shape per byte: a table per line (no budget; about 80k tables).
  python3 -c 'import sys; open(sys.argv[1], "w").write("".join("[t%d]\nx = 1\n" % i for i in range(80000)))' "$doc"
  bytes=$(wc -c <"$doc")
  times=$("$decoder" --time 5 <"$doc")
  rm -f "$doc"
  awk -v times="$times" -v bytes="$bytes" 'BEGIN {
    split(times, t, " ")
    printf "toml: decode %.2f MiB of one-key tables (80k tables, informational): %.2f ms per decode, %.2f of the 50 ms budget; freeing the result %.2f ms more\n",
      bytes / 1048576, t[1], t[1] / 50, t[2]
  }'
}
# ---- part: toml (end) ----

all_parts=(toml)
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=("${all_parts[@]}")
for part in "${parts[@]}"; do
  "bench_$part"
done
