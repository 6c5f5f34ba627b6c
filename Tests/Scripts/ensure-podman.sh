#!/usr/bin/env bash
# Makes rootful Podman usable for the Podman lifecycle tests (issue 11), and says which engines
# the tests can use and why any cannot.
#
# - Root: installs podman and what it needs from Debian's packages when missing (catatonit for
#   --init; uidmap, slirp4netns, fuse-overlayfs for rootless runs).
# - Podman's default ulimits (nofile 1048576, nproc 4194304) exceed the hard limits of a
#   sandbox without CAP_SYS_RESOURCE, and every `podman run` then fails with "error setting
#   rlimit type 7". Only when /etc/containers/containers.conf is absent or sets no
#   default_ulimits, this writes one with nofile at the hard limit (`ulimit -Hn`) and nproc
#   32768 (higher failed here), and says so. An existing setting is left as it is.
# - The test images are never pulled: they are copied from the Docker engine
#   (`docker save IMAGE | podman load`) when Podman lacks them.
# - Not root, or a step fails: says why and exits 0 (the Podman tests skip), unless
#   DEVENV_REQUIRE_ENGINES names podman, then exits 1.
#
# Nothing here names a registry or mirror host: apt uses the machine's own sources.
set -uo pipefail

say() { echo "ensure-podman: $*"; }
# The verdict for `make test`'s engine report (Tests/Scripts/engine-report.sh).
verdict() { { mkdir -p "$(dirname "$0")/../../.build/engines" && echo "$*" >"$(dirname "$0")/../../.build/engines/podman"; } 2>/dev/null; }
required() { [[ ",${DEVENV_REQUIRE_ENGINES:-}," == *,podman,* ]]; }
give_up() {
  verdict "skipped: $*"
  if required; then say "rootful Podman unusable: $* (DEVENV_REQUIRE_ENGINES names podman, failing)" >&2; exit 1; fi
  say "rootful Podman unusable: $*; the Podman tests will be skipped" >&2
  exit 0
}

images=(devenv-test/busybox:latest devenv-test/python-uv:latest)

if ! command -v podman >/dev/null 2>&1 || ! command -v catatonit >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || give_up "podman (or catatonit) is not installed and this is not root"
  say "installing podman from Debian's packages"
  # With its recommended packages, as before; apt-install.sh waits for dpkg's lock, updates
  # the lists when needed (this ran without `apt-get update` on a machine whose engine was
  # there already), retries, bounded.
  "$(dirname "$0")/apt-install.sh" --recommends --log /tmp/devenv-apt-podman.log podman catatonit uidmap slirp4netns fuse-overlayfs \
    || give_up "apt-get install podman failed (log: /tmp/devenv-apt-podman.log)"
fi
[ "$(id -u)" = 0 ] || give_up "rootful Podman needs root (this is $(id -un))"

conf=/etc/containers/containers.conf
if ! grep -qs '^[[:space:]]*default_ulimits' "$conf"; then
  hard=$(ulimit -Hn)
  [ "$hard" = unlimited ] && hard=1048576
  mkdir -p /etc/containers
  if [ -e "$conf" ]; then
    grep -q '^\[containers\]' "$conf" || printf '\n[containers]\n' >>"$conf"
    sed -i "/^\[containers\]/a default_ulimits = [\"nofile=$hard:$hard\", \"nproc=32768:32768\"]" "$conf"
  else
    printf '[containers]\ndefault_ulimits = [\n  "nofile=%s:%s",\n  "nproc=32768:32768",\n]\n' "$hard" "$hard" >"$conf"
  fi
  say "wrote default_ulimits (nofile=$hard, nproc=32768) into $conf: Podman's defaults exceed this machine's hard limits"
fi

for image in "${images[@]}"; do
  podman image exists "$image" && continue
  docker image inspect "$image" >/dev/null 2>&1 || give_up "the test image $image is not on the Docker engine (make engine builds it)"
  say "copying $image from Docker into Podman (docker save | podman load)"
  docker save "$image" | podman load -q >/dev/null || give_up "podman load of $image failed"
done

out=$(podman run --rm --network none devenv-test/busybox:latest true 2>&1) || give_up "a test container does not start: $(echo "$out" | tail -1)"
version=$(podman version --format '{{.Client.Version}}')
say "rootful Podman $version works"
verdict "runs: rootful Podman $version"
