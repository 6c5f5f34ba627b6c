#!/usr/bin/env bash
# Makes a rootless Docker engine answer for the rootless-Docker lifecycle tests (issue 11), and
# says why when it cannot.
#
#   Tests/Scripts/ensure-rootless-docker.sh         start it (when not answering), load the images
#   Tests/Scripts/ensure-rootless-docker.sh stop    stop it (by its pid file)
#
# Like the shared engine (ensure-engine.sh), the daemon is started detached and left running
# for later test runs; `make engine` calls this, the tests only check that it answers
# (Tests/TestSupport/RootlessDockerEngine.swift) and never stop it. `stop` ends it by the pid of
# its rootlesskit, which takes dockerd, containerd and slirp4netns down with it.
#
# What it sets up, as root (nothing outside these, and never the shared engine's socket):
# - Debian's packages: rootlesskit, uidmap (newuidmap/newgidmap), slirp4netns; docker.io ships
#   dockerd-rootless.sh (found with `dpkg -L docker.io`).
# - The test user devenv-rldocker, uid:gid 1600:1600 (home /home/devenv-rldocker), with the
#   subordinate ranges 1600000-1665535 in /etc/subuid and /etc/subgid, and its
#   XDG_RUNTIME_DIR /run/user/1600. A uid 1600 with another name is left alone (skip).
# - The engine: dockerd-rootless.sh run by that user, API socket
#   unix:///run/user/1600/docker.sock, data in ~/.local/share/docker, log
#   /var/log/devenv-rootless-dockerd.log, rootlesskit's pid in /run/user/1600/rootlesskit.pid.
# - Network: rootlesskit's slirp4netns driver with its builtin port driver (dockerd-rootless.sh's
#   defaults), so containers get the default bridge and `-p 127.0.0.1:PORT:PORT` answers on the
#   host, as on the shared engine. Tried here: slirp4netns fails with "open: Permission denied"
#   ("setting up tap tap0 ... exit status 1") while /dev/net/tun is mode 0600, so when it is,
#   this sets it to 0666, the mode systemd's udev rules (50-udev-default.rules) give it on any
#   Debian machine, and says so. --net=host ("port driver requires non-host network"; with
#   port driver none, dockerd then fails on iptables: "Permission denied (you must be root)")
#   would need --bridge=none --iptables=false, so no published ports: not used. vpnkit is not
#   packaged in Debian 12, and rootlesskit 1.1 has no pasta driver.
# - The test images (busybox, python-uv) copied from the shared engine (`docker save | docker
#   load`), never pulled.
#
# Every wait has a deadline. When something is missing or fails, it says why and exits 0 (the
# rootless Docker tests skip with the reason), unless DEVENV_REQUIRE_ENGINES names
# docker-rootless: then it exits 1. The verdict also goes to .build/engines/docker-rootless,
# which `make test` prints before the tests (engine-report.sh).
#
# Nothing here names a registry or mirror host: apt uses the machine's own sources.
set -uo pipefail

user=devenv-rldocker
uid=1600
sub_start=1600000
sub_count=65536
home=/home/$user
runtime=/run/user/$uid
socket=$runtime/docker.sock
host=unix://$socket
rootlesskit_pid_file=$runtime/rootlesskit.pid
log_file=${DEVENV_ROOTLESS_DOCKERD_LOG:-/var/log/devenv-rootless-dockerd.log}
wait_seconds=${DEVENV_ENGINE_WAIT:-60}
images=(devenv-test/busybox:latest devenv-test/python-uv:latest)

say() { echo "ensure-rootless-docker: $*"; }
verdict() { { mkdir -p "$(dirname "$0")/../../.build/engines" && echo "$*" >"$(dirname "$0")/../../.build/engines/docker-rootless"; } 2>/dev/null; }
required() { [[ ",${DEVENV_REQUIRE_ENGINES:-}," == *,docker-rootless,* ]]; }
give_up() {
  verdict "skipped: $*"
  if required; then say "rootless Docker unusable: $* (DEVENV_REQUIRE_ENGINES names docker-rootless, failing)" >&2; exit 1; fi
  say "rootless Docker unusable: $*; the rootless Docker tests will be skipped (set DEVENV_REQUIRE_ENGINES=docker-rootless to fail instead)" >&2
  exit 0
}

# Debian's client (20.10, BuildKit built in) first, as ensure-engine.sh does.
cli=/usr/bin/docker
[ -x "$cli" ] || cli=$(command -v docker 2>/dev/null) || cli=""

# The rootless engine, asked as its user would ask it.
rootless() { DOCKER_HOST=$host timeout "${timeout_seconds:-30}" "$cli" "$@"; }
answers() { [ -n "$cli" ] && [ -S "$socket" ] && timeout_seconds=10 rootless version --format '{{.Server.Version}}' >/dev/null 2>&1; }

running_pid() {
  local pid
  pid=$(cat "$rootlesskit_pid_file" 2>/dev/null) || return 1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q rootlesskit && echo "$pid"
}

stop_engine() {
  local pid waited=0
  pid=$(running_pid) || { say "not running (no live rootlesskit in $rootlesskit_pid_file)"; return 0; }
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null && [ $waited -lt $((wait_seconds * 2)) ]; do sleep 0.5; waited=$((waited + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    say "rootlesskit (pid $pid) still there after ${wait_seconds}s; killing it" >&2
    kill -KILL "$pid"
  fi
  rm -f "$rootlesskit_pid_file"
  say "stopped (rootlesskit pid $pid)"
}

if [ "${1:-}" = stop ]; then stop_engine; verdict "skipped: stopped by ensure-rootless-docker.sh stop"; exit 0; fi

# Copies the test images from the shared engine when the rootless one lacks them.
load_images() {
  local image
  for image in "${images[@]}"; do
    rootless image inspect --format '{{.Id}}' "$image" >/dev/null 2>&1 && continue
    timeout 30 "$cli" -H unix:///var/run/docker.sock image inspect --format '{{.Id}}' "$image" >/dev/null 2>&1 \
      || give_up "the test image $image is not on the shared engine (Tests/Scripts/build-test-images.sh builds it)"
    say "copying $image from the shared engine (docker save | docker load)"
    timeout 300 "$cli" -H unix:///var/run/docker.sock save "$image" | DOCKER_HOST=$host timeout 300 "$cli" load -q >/dev/null \
      || give_up "loading $image into the rootless engine failed"
  done
}

# A container on the default bridge starts: user namespace, runc and slirp4netns all work.
check_container() {
  local out
  out=$(timeout_seconds=60 rootless run --rm devenv-test/busybox:latest true 2>&1) \
    || give_up "a test container does not start on the rootless engine: $(echo "$out" | tail -1)"
  verdict "runs: rootless Docker $(timeout_seconds=10 rootless version --format '{{.Server.Version}}' 2>/dev/null) as the test user $user ($uid:$uid) on $host"
}

if answers; then
  load_images
  check_container
  exit 0
fi

[ "$(id -u)" = 0 ] || give_up "it does not answer on $host, and setting it up needs root (this is $(id -un))"
[ -n "$cli" ] || give_up "no docker CLI (Tests/Scripts/ensure-engine.sh installs docker.io)"

# --- Packages -----------------------------------------------------------------------------------
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
missing=()
for package in docker.io rootlesskit uidmap slirp4netns; do
  installed "$package" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from the machine's apt sources"
  # Bounded like every other wait here (apt-install.sh: dpkg's lock waited for up to 5
  # minutes, each apt-get 10, retried after an update): a stuck mirror is a skip with the reason.
  "$(dirname "$0")/apt-install.sh" --log /tmp/devenv-apt-rootless.log "${missing[@]}" \
    || give_up "apt-get install ${missing[*]} failed (log: /tmp/devenv-apt-rootless.log)"
fi
script=$(dpkg -L docker.io 2>/dev/null | grep '/dockerd-rootless\.sh$' | head -1)
[ -n "$script" ] && [ -x "$script" ] || script=$(command -v dockerd-rootless.sh 2>/dev/null)
[ -n "$script" ] || give_up "docker.io ships no dockerd-rootless.sh (dpkg -L docker.io | grep rootless finds none)"

# --- The test user ------------------------------------------------------------------------------
if existing=$(getent passwd "$uid" | cut -d: -f1) && [ -n "$existing" ] && [ "$existing" != "$user" ]; then
  give_up "uid $uid belongs to $existing, not $user (the test user's fixed uid)"
fi
if ! getent passwd "$user" >/dev/null; then
  getent group "$uid" >/dev/null || groupadd -g "$uid" "$user" || give_up "groupadd -g $uid $user failed"
  # No automatic subordinate ranges (login.defs SUB_UID_*): ours are fixed, added below.
  useradd -m -d "$home" -u "$uid" -g "$uid" -s /bin/bash -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$user" \
    || give_up "useradd $user failed"
  say "created the test user $user ($uid:$uid)"
fi
[ "$(id -u "$user")" = "$uid" ] || give_up "$user exists with uid $(id -u "$user"), not $uid"
for file in /etc/subuid /etc/subgid; do
  grep -q "^$user:" "$file" 2>/dev/null && continue
  # Another user's range overlapping ours would let the two map onto each other's files.
  if awk -F: -v s="$sub_start" -v n="$sub_count" 'NF == 3 && $2 < s + n && s < $2 + $3 { found = 1 } END { exit !found }' "$file" 2>/dev/null; then
    give_up "$file already hands out part of $sub_start-$((sub_start + sub_count - 1)) to another user"
  fi
  echo "$user:$sub_start:$sub_count" >>"$file"
  say "gave $user the subordinate range $sub_start-$((sub_start + sub_count - 1)) in $file"
done
mkdir -p "$runtime" && chown "$uid:$uid" "$runtime" && chmod 700 "$runtime" || give_up "cannot make $runtime"

# --- Network ------------------------------------------------------------------------------------
[ -c /dev/net/tun ] || give_up "there is no /dev/net/tun: slirp4netns (the only rootlesskit network driver here that publishes ports) needs it"
if [ "$(stat -c %a /dev/net/tun)" != 666 ]; then
  chmod 0666 /dev/net/tun || give_up "/dev/net/tun is mode $(stat -c %a /dev/net/tun) and cannot be made 0666: slirp4netns cannot open it"
  say "made /dev/net/tun mode 0666 (udev's default on Debian): slirp4netns, run by the test user, opens it"
fi

# --- Start --------------------------------------------------------------------------------------
if pid=$(running_pid); then
  say "rootlesskit (pid $pid) is running but the engine does not answer; stopping it to start afresh"
  stop_engine
fi
rm -f "$socket" "$runtime/docker.pid"
mkdir -p "$(dirname "$log_file")"
echo "=== $(date -u +%FT%TZ) ensure-rootless-docker.sh starting $script as $user" >>"$log_file"
touch "$log_file"
started=$(date +%s)
# setsid + nohup + closed stdin: it outlives make. setpriv execs, so $! is rootlesskit's pid
# (dockerd-rootless.sh execs rootlesskit, which runs the script again as the child).
setsid nohup setpriv --reuid "$uid" --regid "$uid" --init-groups \
  env -i HOME="$home" USER="$user" LOGNAME="$user" XDG_RUNTIME_DIR="$runtime" PATH=/usr/bin:/usr/sbin:/bin:/sbin \
  DOCKERD_ROOTLESS_ROOTLESSKIT_NET=slirp4netns DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=builtin \
  "$script" --data-root "$home/.local/share/docker" --exec-root "$runtime/docker" -H "$host" \
  --pidfile "$runtime/docker.pid" >>"$log_file" 2>&1 </dev/null &
pid=$!
echo "$pid" >"$rootlesskit_pid_file"
waited=0
until answers; do
  if ! kill -0 "$pid" 2>/dev/null; then
    grep -v '^+ ' "$log_file" | tail -5 >&2
    give_up "dockerd-rootless.sh exited before answering (log: $log_file)"
  fi
  if [ $waited -ge $((wait_seconds * 2)) ]; then
    grep -v '^+ ' "$log_file" | tail -5 >&2
    stop_engine
    give_up "it did not answer on $host within ${wait_seconds}s (log: $log_file)"
  fi
  sleep 0.5
  waited=$((waited + 1))
done
rootless info --format '{{json .SecurityOptions}}' 2>/dev/null | grep -q 'name=rootless' \
  || give_up "the engine on $host does not say it is rootless"
say "started rootless dockerd for $user (rootlesskit pid $pid, slirp4netns, $host) in $(( $(date +%s) - started ))s; log: $log_file; stop: $0 stop"
load_images
check_container
exit 0
