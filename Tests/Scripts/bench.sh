#!/usr/bin/env bash
# Benchmarks on release binaries: Tests/Scripts/bench.sh BIN_DIR [PART...]
# Each part is a function named bench_PART below; with no PART given, every part runs.
# Figures are printed with their goals; speed is never asserted in the unit tests.
set -uo pipefail
cd "$(dirname "$0")/../.."
BIN=${1:-.build/release}
[ $# -gt 0 ] && shift

# Prints "name value goal verdict" for lines of the form "name=value goal<N" or "goal>=N".
check_goals() {
  awk '{
    split($1, kv, "="); name = kv[1]; value = kv[2] + 0; goal = $2; verdict = "";
    if (goal ~ /^goal<=/)      { limit = substr(goal, 7) + 0; verdict = (value <= limit) ? "ok" : "MISSED" }
    else if (goal ~ /^goal>=/) { limit = substr(goal, 7) + 0; verdict = (value >= limit) ? "ok" : "MISSED" }
    else if (goal ~ /^goal</)  { limit = substr(goal, 6) + 0; verdict = (value <  limit) ? "ok" : "MISSED" }
    else if (goal ~ /^goal>/)  { limit = substr(goal, 6) + 0; verdict = (value >  limit) ? "ok" : "MISSED" }
    rest = ""; for (i = 2; i <= NF; i++) rest = rest " " $i;
    printf "  %-50s %10s %s%s\n", name, kv[2], rest, (verdict == "" ? "" : "  [" verdict "]");
    if (verdict == "MISSED") missed = 1
  } END { exit missed }'
}

# ---- tui: terminal toolkit (TerminalUI), via `tui-demo --bench` ----------------------------
bench_tui() {
  echo "tui: diff renderer, screen and log view (200x60 frames)"
  if [ ! -x "$BIN/tui-demo" ]; then echo "  $BIN/tui-demo missing: build with 'swift build -c release'"; return 1; fi
  "$BIN/tui-demo" --bench | check_goals
}
# ---- end tui ---------------------------------------------------------------------------------

status=0
parts=("$@")
if [ ${#parts[@]} -eq 0 ]; then
  mapfile -t parts < <(declare -F | awk '$3 ~ /^bench_/ { sub(/^bench_/, "", $3); print $3 }')
fi
for part in "${parts[@]}"; do
  if declare -F "bench_$part" > /dev/null; then
    "bench_$part" || status=1
  else
    echo "bench: no part named '$part'"; status=1
  fi
done
exit $status
