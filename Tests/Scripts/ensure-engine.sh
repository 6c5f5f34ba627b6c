#!/usr/bin/env bash
# Makes sure a Docker engine answers, for the integration and end-to-end tests.
#
# - An engine already answers: nothing to do, nothing printed.
# - Root: installs what is missing from Debian's packages (docker.io brings dockerd, containerd
#   and runc; debootstrap and tmux are for the test images and the end-to-end tests), then starts
#   dockerd with its defaults (the default bridge and iptables; --bridge=none only as a fallback
#   when the bridge cannot be created, and said so), detached so it outlives make.
#   If dockerd cannot start with its default storage driver (overlay2), it is retried with vfs.
# - Not root and no engine: prints why and exits 0 (the tests skip), unless
#   DEVENV_REQUIRE_ENGINE=1, then exits 1.
#
# Nothing here names a registry or mirror host: apt uses the machine's own sources.
set -uo pipefail

log_file=${DEVENV_DOCKERD_LOG:-/var/log/devenv-dockerd.log}
pid_file=/var/run/docker.pid
socket=/var/run/docker.sock
wait_seconds=${DEVENV_ENGINE_WAIT:-60}

say() { echo "ensure-engine: $*"; }

# No engine and none can be had: skip, or fail when the caller requires one.
give_up() {
  if [ "${DEVENV_REQUIRE_ENGINE:-}" = 1 ]; then
    say "no Docker engine: $* (DEVENV_REQUIRE_ENGINE=1, failing)" >&2
    exit 1
  fi
  say "no Docker engine: $*; engine tests will be skipped (set DEVENV_REQUIRE_ENGINE=1 to fail instead)" >&2
  exit 0
}

# Debian's client (20.10, BuildKit built in) first: a newer static client earlier on PATH may
# lack the buildx plugin.
docker_cli() {
  if [ -x /usr/bin/docker ]; then echo /usr/bin/docker; return 0; fi
  command -v docker 2>/dev/null
}

# True when the server part of `docker version` answers.
engine_answers() {
  local cli
  cli=$(docker_cli) || return 1
  timeout 10 "$cli" version --format '{{.Server.Version}}' >/dev/null 2>&1
}

# Says so when the engine answering has no default bridge: published ports and the project
# networks the tests use need one.
check_bridge() {
  local cli interface
  cli=$(docker_cli) || return 0
  if ! interface=$(timeout 10 "$cli" network inspect --format '{{index .Options "com.docker.network.bridge.name"}}' bridge 2>/dev/null); then
    say "WARNING: the running engine has no default bridge network (started with --bridge=none?):" \
        "published ports and container networking do not work, so the tests that use them fail." \
        "Restart it without --bridge=none (Tests/Scripts/ensure-engine.sh starts it with its defaults)." >&2
    return 1
  fi
  # A local engine's bridge interface can vanish under it (deleted by hand or by another
  # daemon); containers on the default network then fail to start.
  interface=${interface:-docker0}
  if [ -z "${DOCKER_HOST:-}" ] && [ -d /sys/class/net ] && [ ! -e "/sys/class/net/$interface" ]; then
    say "WARNING: the engine's default bridge network uses the interface $interface, which does not exist:" \
        "containers on the default network cannot start. A dockerd started with --bridge=none deletes it when it" \
        "starts (even a private one with its own data root: run those in their own network namespace, unshare --net)." \
        "Restart the engine to recreate it (the tests' TestEngine.require() puts it back as root)." >&2
    return 1
  fi
  return 0
}

if engine_answers; then check_bridge; exit 0; fi

if [ "$(id -u)" != 0 ]; then
  if [ -z "$(docker_cli)" ]; then
    give_up "no docker CLI installed and not root (cannot apt-get install docker.io)"
  fi
  give_up "'$(docker_cli) version' gets no answer from a server and not root (cannot start dockerd)"
fi

# --- Packages -----------------------------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for package in docker.io debootstrap tmux; do
  installed "$package" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from the machine's apt sources"
  # Waits for dpkg's lock, updates the lists when needed, retries, bounded (apt-install.sh).
  "$(dirname "$0")/apt-install.sh" "${missing[@]}" ||
    give_up "apt-get install ${missing[*]} failed (log: /tmp/devenv-apt-install.log)"
  # The package's init script may have started an engine on its own.
  engine_answers && { say "engine answers after installing ${missing[*]}"; check_bridge; exit 0; }
fi
command -v dockerd >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
command -v dockerd >/dev/null 2>&1 || give_up "dockerd not found after installing docker.io"

# --- Start dockerd ------------------------------------------------------------------------------
daemon_pid() {
  local pid
  [ -r "$pid_file" ] || return 1
  pid=$(cat "$pid_file" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

# Waits until the engine answers; fails early when the daemon process is gone.
wait_for_engine() {
  local pid=$1 waited=0
  while [ $waited -lt $((wait_seconds * 2)) ]; do
    if [ -S "$socket" ] && engine_answers; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.5
    waited=$((waited + 1))
  done
  return 1
}

start_dockerd() {
  # setsid + nohup + closed stdin: the daemon outlives make and the shell that started it.
  setsid nohup dockerd "$@" >>"$log_file" 2>&1 </dev/null &
  echo $!
}

# The log lines written since the last "===" marker: what the latest attempt said.
attempt_log() {
  awk '/^=== /{ buffer = "" } { buffer = buffer $0 "\n" } END { printf "%s", buffer }' "$log_file"
}

# Whether the latest attempt failed on the network (bridge, iptables) or on storage.
failed_on_network() {
  attempt_log | grep -iE 'level=(error|fatal)|failed to start daemon' |
    grep -qiE 'network controller|bridge|iptables|docker0|netlink'
}

if pid=$(daemon_pid); then
  # A daemon is running but not answering: still starting (wait for it, do not start another)
  # or shutting down (wait until it is gone, then start one).
  say "dockerd (pid $pid) is running but not answering; waiting up to ${wait_seconds}s"
  wait_for_engine "$pid" && { say "engine answers (dockerd pid $pid)"; exit 0; }
  kill -0 "$pid" 2>/dev/null && give_up "dockerd (pid $pid) did not answer within ${wait_seconds}s; see $log_file"
  say "dockerd (pid $pid) exited; starting a new one"
fi

started=$(date +%s)
mkdir -p "$(dirname "$log_file")"
flags=()
network=bridge
driver=default
for attempt in 1 2 3; do
  echo "=== $(date -u +%FT%TZ) ensure-engine.sh starting dockerd ${flags[*]}" >>"$log_file"
  pid=$(start_dockerd "${flags[@]}")
  wait_for_engine "$pid" && break
  kill "$pid" 2>/dev/null; sleep 1
  if [ "$network" = bridge ] && failed_on_network; then
    # Only here, never by default: without a bridge, published ports do not work.
    say "dockerd could not set up its default bridge (last log lines below); retrying with --bridge=none --iptables=false: containers get no network and the tests that publish ports will fail" >&2
    tail -5 "$log_file" >&2
    flags+=(--bridge=none --iptables=false --ip6tables=false)
    network=none
  elif [ "$driver" = default ]; then
    say "dockerd did not come up with its default storage driver; retrying with vfs (last log lines below)" >&2
    tail -5 "$log_file" >&2
    flags+=(--storage-driver=vfs)
    driver=vfs
  else
    tail -20 "$log_file" >&2
    give_up "dockerd did not answer within ${wait_seconds}s; see $log_file"
  fi
  [ "$attempt" = 3 ] && { tail -20 "$log_file" >&2; give_up "dockerd did not answer within ${wait_seconds}s; see $log_file"; }
done
engine_answers || { tail -20 "$log_file" >&2; give_up "dockerd did not answer within ${wait_seconds}s; see $log_file"; }
storage=$("$(docker_cli)" info --format '{{.Driver}}' 2>/dev/null)
if [ "$network" = bridge ]; then
  networking="default bridge docker0"
else
  networking="NO bridge (--bridge=none fallback): no published ports, no container network"
fi
say "started dockerd (pid $pid, storage driver ${storage:-$driver}, $networking) in $(( $(date +%s) - started ))s; log: $log_file"
[ "$network" = bridge ] && check_bridge
exit 0
