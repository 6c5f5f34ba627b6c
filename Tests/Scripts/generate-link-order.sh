#!/usr/bin/env bash
# generate-link-order.sh [DEVENV]: rewrites Sources/devenv/link-order.txt, the order in which
# `make release` lays out devenv's functions (gold's --section-ordering-file; the Makefile's
# RELEASE_FLAGS say why). It lists, one `.text.SYMBOL` section a line and sorted, every function
# of devenv's own binary that callgrind sees run in the everyday commands on a real engine:
# --version, status (text and --json), an unchanged up, exec, logs and config, each twice (the
# second run is the everyday one: its lookup started early, LookupSpeculation). Run it after
# `make release` (DEVENV defaults to .build/release/devenv) and `make engine`; it makes one
# project with a unique name, brings its dev environment up (no network, no published port),
# and removes what it made with `down --volumes` and its images. A stale file costs only
# start-up time: the linker ignores names that no longer exist, and lays out new functions
# where it would without the file.
set -euo pipefail
cd "$(dirname "$0")/../.."
devenv=$(cd "$(dirname "${1:-.build/release/devenv}")" && pwd)/$(basename "${1:-.build/release/devenv}")
docker=/usr/bin/docker
[ -x "$docker" ] || docker=$(command -v docker)
command -v valgrind >/dev/null || Tests/Scripts/apt-install.sh valgrind >/dev/null
out=Sources/devenv/link-order.txt

work=$(mktemp -d /tmp/devenv-link-order.XXXXXX)
name=linkorder$$
cleanup() {
  DEVENV_DOCKER=$docker "$devenv" -C "$work/app" down --volumes --quiet >/dev/null 2>&1 || true
  "$docker" images -q --filter "label=devenv.project=$name" | sort -u | xargs -r "$docker" rmi -f >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
chmod 755 "$work"
Tests/Scripts/demo-project.sh "$work/app" "$name" >/dev/null
printf '[project]\nname = "%s"\n[profiles.dev]\nnetwork = "none"\nports = []\n' "$name" >"$work/app/devenv.toml"
export DEVENV_DOCKER=$docker
"$devenv" -C "$work/app" up --quiet >/dev/null

run() { # run ARGS...: devenv under callgrind (devenv only, not the docker CLI it runs), twice
  local i
  for i in 1 2; do
    valgrind --tool=callgrind --demangle=no --callgrind-out-file="$work/cg.%p" "$devenv" -C "$work/app" "$@" \
      </dev/null >/dev/null 2>&1
  done
}
run --version
run status --no-tui
run status --json
run up --quiet
run exec -- true
run logs --tail 5
run config

# Every function callgrind names (fn= and cfn= lines, "(id) name" the first time an id is used),
# kept when devenv's own symbol table has it as code.
nm --defined-only "$devenv" | awk '$2 ~ /^[tTwW]$/ { print $3 }' | sort -u >"$work/defined"
sed -n -E 's/^c?fn=\([0-9]+\) (.+)$/\1/p' "$work"/cg.* | sort -u >"$work/ran"
{
  echo "# devenv's functions that run in its everyday commands, laid out together (make release;"
  echo "# written by Tests/Scripts/generate-link-order.sh, do not edit)."
  comm -12 "$work/defined" "$work/ran" | sed 's/^/.text./'
} >"$out"
echo "generate-link-order: $(($(wc -l <"$out") - 2)) functions in $out"
