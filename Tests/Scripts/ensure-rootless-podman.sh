#!/usr/bin/env bash
# Makes rootless Podman usable for the rootless Podman lifecycle tests (issue 11): a test user
# who runs podman as themselves, with the test images in their own store. Runs after
# ensure-podman.sh (which installs podman, catatonit, uidmap, slirp4netns, fuse-overlayfs and
# writes the default_ulimits this machine needs; rootless runs read the same containers.conf).
#
# As root, idempotently:
# - the user devenv-rootless with the fixed UID/GID 1500 (Tests/TestSupport/PodmanEngine.swift
#   names both), a home, and a subuid/subgid range of 65536 ids that overlaps no other entry;
# - their XDG_RUNTIME_DIR /run/user/1500 (0700, theirs): Podman keeps its rootless state there;
# - their storage.conf with the overlay driver: without /dev/fuse access Podman falls back to
#   vfs, which copies every layer whole (gigabytes for the Python image's builds); the kernel's
#   own overlay works for unprivileged users (Linux 5.13 and later);
# - /dev/net/tun readable and writable by everyone, Debian's udev default (MODE="0666" in
#   50-udev-default.rules): this sandbox has no udev and leaves it 0600, and slirp4netns, the
#   rootless network of Podman 4.3 (pasta comes with 4.4), then fails with "open /dev/net/tun:
#   Permission denied" for every container that is not --network none. Changed only when the
#   user cannot open it, and said so;
# - the test images copied from Docker (`docker save IMAGE | podman load` as the user), never pulled.
# Then checks that a container starts as the user, with the default network and a published port.
#
# Not root, or a step fails: says why and exits 0 (the rootless tests skip), unless
# DEVENV_REQUIRE_ENGINES names podman-rootless, then exits 1. The verdict also goes to
# .build/engines/podman-rootless, which `make test` prints before the tests (engine-report.sh).
set -uo pipefail

user=devenv-rootless
uid=1500
home=/home/$user
runtime=/run/user/$uid
images=(devenv-test/busybox:latest devenv-test/python-uv:latest)

say() { echo "ensure-rootless-podman: $*"; }
verdict() { { mkdir -p "$(dirname "$0")/../../.build/engines" && echo "$*" >"$(dirname "$0")/../../.build/engines/podman-rootless"; } 2>/dev/null; }
required() { [[ ",${DEVENV_REQUIRE_ENGINES:-}," == *,podman-rootless,* ]]; }
give_up() {
  verdict "skipped: $*"
  if required; then say "rootless Podman unusable: $* (DEVENV_REQUIRE_ENGINES names podman-rootless, failing)" >&2; exit 1; fi
  say "rootless Podman unusable: $*; the rootless Podman tests will be skipped" >&2
  exit 0
}
# podman as the test user, in their own environment (runuser keeps root's HOME otherwise).
as_user() {
  (cd "$home" && runuser -u "$user" -- env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME="$home" USER="$user" LOGNAME="$user" XDG_RUNTIME_DIR="$runtime" "$@")
}

[ "$(id -u)" = 0 ] || give_up "setting up its test user needs root (this is $(id -un))"
command -v podman >/dev/null 2>&1 || give_up "podman is not installed (ensure-podman.sh installs it)"
command -v newuidmap >/dev/null 2>&1 || give_up "newuidmap is missing (Debian's uidmap package)"

if ! id "$user" >/dev/null 2>&1; then
  owner=$(getent passwd "$uid" | cut -d: -f1)
  [ -z "$owner" ] || give_up "UID $uid belongs to $owner, not $user"
  getent group "$uid" >/dev/null || groupadd -g "$uid" "$user" || give_up "groupadd $user failed"
  useradd -u "$uid" -g "$uid" -m -d "$home" -s /bin/sh "$user" || give_up "useradd $user failed"
  say "created the test user $user ($uid:$uid)"
fi
[ "$(id -u "$user")" = "$uid" ] && [ "$(id -g "$user")" = "$uid" ] || give_up "$user exists but is not $uid:$uid"
mkdir -p "$home" && chown "$uid:$uid" "$home"

# A subordinate range for the user when they have none, after every range already given.
for file in /etc/subuid /etc/subgid; do
  touch "$file"
  grep -q "^$user:" "$file" && continue
  start=$(awk -F: 'BEGIN { end = 100000 } { if ($2 + $3 > end) end = $2 + $3 } END { print end }' "$file")
  echo "$user:$start:65536" >>"$file"
  say "gave $user the subordinate ids $start-$((start + 65535)) in $file"
done

mkdir -p "$runtime" && chown "$uid:$uid" "$runtime" && chmod 0700 "$runtime"

storage=$home/.config/containers/storage.conf
if ! grep -qs '^[[:space:]]*driver' "$storage"; then
  mkdir -p "$(dirname "$storage")"
  printf '[storage]\ndriver = "overlay"\n' >"$storage"
  chown -R "$uid:$uid" "$home/.config"
  say "wrote $storage (driver overlay: the kernel's own, not vfs)"
fi

# Podman 4.3's builder keeps RUN --mount=type=cache directories in /var/tmp/buildah-cache for
# every user (later versions use one per user): once a rootful build made it, root owns it and
# each rootless cache mount fails with "mkdir /var/tmp/buildah-cache/ID: permission denied".
# The user's own temporary folder (containers.conf image_copy_tmp_dir, which the builder reads
# when TMPDIR is unset) keeps their caches apart.
conf=$home/.config/containers/containers.conf
if ! grep -qs '^[[:space:]]*image_copy_tmp_dir' "$conf"; then
  mkdir -p "$(dirname "$conf")" "$home/.local/share/containers/tmp"
  grep -qs '^\[engine\]' "$conf" || printf '[engine]\n' >>"$conf"
  sed -i "/^\[engine\]/a image_copy_tmp_dir = \"$home/.local/share/containers/tmp\"" "$conf"
  chown -R "$uid:$uid" "$home/.config" "$home/.local"
  say "set image_copy_tmp_dir in $conf: Podman 4.3 shares /var/tmp/buildah-cache with root's builds, which its cache mounts then cannot write"
fi

if [ -e /dev/net/tun ] && ! as_user sh -c 'exec 3<>/dev/net/tun' 2>/dev/null; then
  mode=$(stat -c %a /dev/net/tun)
  chmod 0666 /dev/net/tun || give_up "/dev/net/tun (mode $mode) is not usable by $user and chmod failed"
  say "made /dev/net/tun 0666, Debian's udev default (it was $mode: no udev here): slirp4netns needs it"
fi

for image in "${images[@]}"; do
  as_user podman image exists "$image" 2>/dev/null && continue
  docker image inspect "$image" >/dev/null 2>&1 || give_up "the test image $image is not on the Docker engine (make engine builds it)"
  say "copying $image from Docker into $user's Podman store (docker save | podman load)"
  docker save "$image" | as_user podman load -q >/dev/null 2>&1 || give_up "podman load of $image as $user failed"
done

out=$(as_user podman run --rm --network none devenv-test/busybox:latest true 2>&1) \
  || give_up "a container does not start as $user: $(echo "$out" | grep -v 'not a shared mount' | tail -1)"
out=$(as_user podman run --rm --publish 127.0.0.1::80 devenv-test/busybox:latest true 2>&1) \
  || give_up "a container with the default rootless network and a published port does not start as $user: $(echo "$out" | grep -v 'not a shared mount' | tail -1)"
version=$(as_user podman version --format '{{.Client.Version}}' 2>/dev/null)
say "rootless Podman $version works as $user ($uid:$uid)"
verdict "runs: rootless Podman $version as the test user $user ($uid:$uid)"
