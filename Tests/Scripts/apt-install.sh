#!/usr/bin/env bash
# Installs the Debian packages the test tooling needs, as root, from the machine's own apt
# sources: only those not installed yet. Exit 0 when all are installed afterwards, else 1 with
# the end of apt's output on stderr.
#
#   Tests/Scripts/apt-install.sh [--recommends] [--log FILE] PACKAGE...
#
# One way for every script (ensure-engine.sh, ensure-podman.sh, ensure-rootless-docker.sh,
# ensure-test-tools.sh, build-test-images.sh), so that none fails on what a fresh CI machine
# does to apt:
# - dpkg's lock held by another apt (a fresh machine's apt-daily or unattended-upgrades, another
#   make on the machine): apt-get gives up at once by default ("Could not get lock
#   /var/lib/dpkg/lock-frontend"); here it waits for it, up to 5 minutes (DPkg::Lock::Timeout).
# - no package lists yet, or stale ones (a mirror's 404 for a file an update moved): the
#   install is tried, then again after `apt-get update`.
# - a mirror's passing failure (a reset connection): apt retries each download 3 times.
# - a mirror that stops answering: each apt-get gets 10 minutes (timeout), so `make` never hangs.
#
# Nothing here names a registry or mirror host.
set -uo pipefail

recommends=(--no-install-recommends)
log=/tmp/devenv-apt-install.log
while [ $# -gt 0 ]; do
  case "$1" in
    --recommends) recommends=(); shift ;;
    --log) log=$2; shift 2 ;;
    *) break ;;
  esac
done

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for package in "$@"; do
  installed "$package" || missing+=("$package")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "apt-install: ${missing[*]} missing and this is not root" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
apt_get() {
  timeout 600 apt-get -q -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 "$@" </dev/null >>"$log" 2>&1
}

: >"$log"
for attempt in 1 2; do
  # A machine that never ran `apt-get update` has no lists: nothing to try before it.
  if [ "$attempt" = 2 ] || ! ls /var/lib/apt/lists/*_Packages* >/dev/null 2>&1; then
    apt_get update || echo "apt-install: apt-get update failed (attempt $attempt)" >>"$log"
  fi
  if apt_get install -y "${recommends[@]}" "${missing[@]}"; then exit 0; fi
  echo "apt-install: apt-get install ${missing[*]} failed (attempt $attempt)" >>"$log"
done
tail -20 "$log" >&2
echo "apt-install: apt-get install ${missing[*]} failed twice, the second time after apt-get update (log: $log)" >&2
exit 1
