#!/usr/bin/env bash
# Builds the base images the tests use, locally, without any registry:
#   devenv-test/busybox:latest    busybox-static from Debian, imported as a root file system
#   devenv-test/python-uv:latest  Debian bookworm minbase (debootstrap) with python3 and
#                                 python3-venv, plus the uv binary from uv's wheel on PyPI
#   devenv-test/python-build:latest  the same with build-essential and python3-dev (C
#                                 extensions compile), and a wheel cache at /wheels that uv
#                                 uses offline (UV_FIND_LINKS, UV_OFFLINE): the project corpus
#                                 of the integration tests locks, builds and syncs without a network
#   devenv-test/redis:latest      Debian bookworm minbase with Debian's redis-server: the service
#                                 the services tests run beside an app (its own HEALTHCHECK is
#                                 `redis-cli ping`; data in /data)
# An image that already exists with the current recipe version is kept, so reruns are instant.
# The debootstrap tree and the uv wheel are cached under $DEVENV_TEST_CACHE
# (/var/cache/devenv-test) so a rebuild does not download again.
#
# The Debian mirror is read from the machine's apt sources at run time; nothing here names a
# registry or mirror host. Without an engine the images are skipped with the reason (failing
# instead when DEVENV_REQUIRE_ENGINE=1).
set -uo pipefail

cache=${DEVENV_TEST_CACHE:-/var/cache/devenv-test}
busybox_image=devenv-test/busybox:latest
python_image=devenv-test/python-uv:latest
build_image=devenv-test/python-build:latest
# The corpus's dependencies, downloaded on the host (pip, PyPI) into $cache/wheels and copied
# into $build_image. colorama is in every universal uv.lock of pytest (a win32 marker).
corpus_wheels=(pytest colorama setuptools six)
# Bump when a recipe below changes, so existing images are rebuilt.
recipe_version=1
# The python-build recipe's own version (its wheel list and environment change on their own).
build_recipe_version=2
redis_image=devenv-test/redis:latest
# The redis recipe's own version.
redis_recipe_version=1
label=devenv.test-image.recipe

say() { echo "build-test-images: $*"; }
elapsed() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }'; }

give_up() {
  if [ "${DEVENV_REQUIRE_ENGINE:-}" = 1 ]; then
    say "$* (DEVENV_REQUIRE_ENGINE=1, failing)" >&2
    exit 1
  fi
  say "$*; skipping the test images (engine tests will be skipped)" >&2
  exit 0
}

# Debian's client (20.10, BuildKit built in) first, as in ensure-engine.sh.
if [ -x /usr/bin/docker ]; then docker=/usr/bin/docker
elif docker=$(command -v docker 2>/dev/null); then :
else give_up "no docker CLI"; fi
timeout 10 "$docker" version --format '{{.Server.Version}}' >/dev/null 2>&1 ||
  give_up "no Docker engine answers (run Tests/Scripts/ensure-engine.sh as root)"

# True when the image exists and was made by the current recipe.
image_is_current() {
  local found
  found=$("$docker" image inspect --format "{{ index .Config.Labels \"$label\" }}" "$1" 2>/dev/null) || return 1
  [ "$found" = "${2:-$recipe_version}" ]
}

need_root() {
  [ "$(id -u)" = 0 ] || give_up "building $1 needs root (apt-get, debootstrap, chroot)"
}

# apt-get update, for `apt-get download` below: as apt-install.sh runs it (dpkg's lock waited
# for, downloads retried, bounded), tried twice.
apt_updated=0
apt_update_once() {
  [ $apt_updated = 1 ] && return 0
  local attempt
  for attempt in 1 2; do
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get update -qq -o DPkg::Lock::Timeout=300 -o Acquire::Retries=3 </dev/null &&
      { apt_updated=1; return 0; }
  done
  give_up "apt-get update failed twice"
}

# Installs host packages that are missing (Tests/Scripts/apt-install.sh).
ensure_packages() {
  "$(dirname "$0")/apt-install.sh" --log /tmp/devenv-apt-images.log "$@" ||
    give_up "apt-get install $* failed (log: /tmp/devenv-apt-images.log)"
}

# The first Debian archive URI of the machine's apt sources (deb822 .sources files first, then
# one-line sources.list), skipping the security archive.
debian_mirror() {
  local file
  for file in /etc/apt/sources.list.d/*.sources; do
    [ -r "$file" ] || continue
    awk '
      BEGIN { RS = ""; FS = "\n" }
      {
        uris = ""; suites = ""; types = ""
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^URIs:/)   { uris = $i;   sub(/^URIs:[ \t]*/, "", uris) }
          if ($i ~ /^Suites:/) { suites = $i; sub(/^Suites:[ \t]*/, "", suites) }
          if ($i ~ /^Types:/)  { types = $i }
        }
        if (types ~ /deb([ \t]|$)/ && suites !~ /security/ && uris != "") { split(uris, u, /[ \t]+/); print u[1]; exit }
      }' "$file"
  done
  for file in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$file" ] || continue
    awk '$1 == "deb" && $0 !~ /security/ {
           for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/ && $i !~ /=/) { print $i; exit }
         }' "$file"
  done
}

# --- devenv-test/busybox ------------------------------------------------------------------------
build_busybox() {
  local started work deb
  if image_is_current "$busybox_image"; then return 0; fi
  need_root "$busybox_image"
  started=$(date +%s.%N)
  work=$(mktemp -d /tmp/devenv-busybox.XXXXXX)
  mkdir -p "$cache"
  deb=$(ls "$cache"/busybox-static_*.deb 2>/dev/null | head -1)
  if [ -z "$deb" ]; then
    apt_update_once
    # apt-get download, not install: busybox-static conflicts with the host's busybox package.
    (cd "$cache" && timeout 600 apt-get download -qq -o APT::Sandbox::User=root -o Acquire::Retries=3 busybox-static </dev/null) || give_up "apt-get download busybox-static failed"
    deb=$(ls "$cache"/busybox-static_*.deb | head -1)
  fi
  mkdir -p "$work/deb" "$work/rootfs"/{bin,etc,tmp,root,proc,sys,dev}
  dpkg-deb -x "$deb" "$work/deb"
  cp "$work/deb/bin/busybox" "$work/rootfs/bin/busybox"
  local applet
  for applet in $("$work/rootfs/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$work/rootfs/bin/$applet"
  done
  chmod 1777 "$work/rootfs/tmp"
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$work/rootfs/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$work/rootfs/etc/group"
  tar -C "$work/rootfs" -c . | "$docker" import \
      --change 'ENV PATH=/bin' --change 'CMD ["sh"]' \
      --change "LABEL $label=$recipe_version" \
      - "$busybox_image" >/dev/null || { rm -rf "$work"; give_up "docker import $busybox_image failed"; }
  rm -rf "$work"
  say "built $busybox_image in $(elapsed "$started")s"
}

# --- devenv-test/python-uv ----------------------------------------------------------------------
# The uv binary from uv's wheel on PyPI, cached.
fetch_uv() {
  local wheel_dir=$cache/uv-wheel candidate
  # Debian's python3 with pip is the ordinary client; any python3 with pip will do.
  host_python=""
  for candidate in /usr/bin/python3 python3; do
    if "$candidate" -m pip --version >/dev/null 2>&1; then host_python=$candidate; break; fi
  done
  if [ -z "$host_python" ]; then ensure_packages python3-pip; host_python=/usr/bin/python3; fi
  if ls "$wheel_dir"/uv-*.whl >/dev/null 2>&1; then return 0; fi
  mkdir -p "$wheel_dir"
  say "downloading uv's wheel from PyPI"
  "$host_python" -m pip download --quiet --no-deps --only-binary=:all: --dest "$wheel_dir" uv ||
    give_up "pip download uv failed"
}

install_uv_into() {
  local rootfs=$1 wheel
  wheel=$(ls "$cache"/uv-wheel/uv-*.whl | head -1)
  # The binary is uv-VERSION.data/scripts/uv inside the wheel (a zip); python3 is there since
  # pip downloaded the wheel.
  "$host_python" - "$wheel" "$rootfs/usr/local/bin/uv" <<'EOF' || give_up "could not take uv out of $wheel"
import re, shutil, sys, zipfile
wheel, target = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as archive:
    name = next(n for n in archive.namelist() if re.fullmatch(r"uv-[^/]*\.data/scripts/uv", n))
    with archive.open(name) as source, open(target, "wb") as sink:
        shutil.copyfileobj(source, sink)
EOF
  chmod 0755 "$rootfs/usr/local/bin/uv"
}

build_python_uv() {
  local started rootfs=$cache/bookworm-python-rootfs mirror
  if image_is_current "$python_image"; then return 0; fi
  need_root "$python_image"
  started=$(date +%s.%N)
  mkdir -p "$cache"
  if [ ! -x "$rootfs/usr/bin/python3" ]; then
    ensure_packages debootstrap
    # debootstrap fetches over http(s) or from a file: tree; other apt schemes do not apply.
    mirror=$(debian_mirror | grep -E '^(https?|file):' | head -1)
    [ -n "$mirror" ] || give_up "no Debian mirror found in /etc/apt/sources.list{,.d}"
    say "debootstrap bookworm minbase with python3 (mirror from the machine's apt sources)"
    rm -rf "$rootfs.partial"
    if ! debootstrap --variant=minbase \
        --include=python3,python3-venv,ca-certificates,passwd,adduser,findutils,procps \
        bookworm "$rootfs.partial" "$mirror" >"$cache/debootstrap.log" 2>&1; then
      tail -20 "$cache/debootstrap.log" >&2
      give_up "debootstrap failed (log: $cache/debootstrap.log)"
    fi
    # Smaller image: no package caches or lists (containers have no network anyway).
    rm -rf "$rootfs.partial"/var/cache/apt/archives/*.deb "$rootfs.partial"/var/lib/apt/lists/*
    rm -rf "$rootfs"
    mv "$rootfs.partial" "$rootfs"
  fi
  fetch_uv
  install_uv_into "$rootfs"
  local uv_version
  uv_version=$(chroot "$rootfs" /usr/local/bin/uv --version 2>&1) || give_up "uv does not run in the rootfs: $uv_version"
  tar -C "$rootfs" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -c . | "$docker" import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'CMD ["python3"]' \
      --change "LABEL $label=$recipe_version" \
      - "$python_image" >/dev/null || give_up "docker import $python_image failed"
  say "built $python_image ($uv_version, $(chroot "$rootfs" python3 --version 2>&1)) in $(elapsed "$started")s"
}

# --- devenv-test/python-build -------------------------------------------------------------------
fetch_wheels() {
  local wheel_dir=$cache/wheels
  if [ -f "$wheel_dir/.complete" ]; then return 0; fi
  mkdir -p "$wheel_dir"
  say "downloading the corpus wheels from PyPI (${corpus_wheels[*]})"
  "$host_python" -m pip download --quiet --only-binary=:all: --python-version 3.11 --platform any \
      --dest "$wheel_dir" "${corpus_wheels[@]}" || give_up "pip download ${corpus_wheels[*]} failed"
  touch "$wheel_dir/.complete"
}

build_python_build() {
  local started rootfs=$cache/bookworm-build-rootfs mirror work
  if image_is_current "$build_image" "$build_recipe_version"; then return 0; fi
  need_root "$build_image"
  started=$(date +%s.%N)
  if [ ! -x "$rootfs/usr/bin/gcc" ]; then
    ensure_packages debootstrap
    mirror=$(debian_mirror | grep -E '^(https?|file):' | head -1)
    [ -n "$mirror" ] || give_up "no Debian mirror found in /etc/apt/sources.list{,.d}"
    say "debootstrap bookworm minbase with python3, python3-dev and build-essential"
    rm -rf "$rootfs.partial"
    if ! debootstrap --variant=minbase \
        --include=python3,python3-venv,python3-dev,build-essential,ca-certificates,passwd,adduser,findutils,procps \
        bookworm "$rootfs.partial" "$mirror" >"$cache/debootstrap-build.log" 2>&1; then
      tail -20 "$cache/debootstrap-build.log" >&2
      give_up "debootstrap failed (log: $cache/debootstrap-build.log)"
    fi
    rm -rf "$rootfs.partial"/var/cache/apt/archives/*.deb "$rootfs.partial"/var/lib/apt/lists/*
    rm -rf "$rootfs"
    mv "$rootfs.partial" "$rootfs"
  fi
  fetch_uv
  install_uv_into "$rootfs"
  fetch_wheels
  rm -rf "$rootfs/wheels"
  mkdir -p "$rootfs/wheels"
  cp "$cache"/wheels/*.whl "$rootfs/wheels/"
  tar -C "$rootfs" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -c . | "$docker" import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'ENV LANG=C.UTF-8' \
      --change 'ENV UV_FIND_LINKS=/wheels' \
      --change 'ENV UV_OFFLINE=1' \
      --change 'CMD ["python3"]' \
      --change "LABEL $label=$build_recipe_version" \
      - "$build_image" >/dev/null || give_up "docker import $build_image failed"
  say "built $build_image in $(elapsed "$started")s"
}

# --- devenv-test/redis --------------------------------------------------------------------------
build_redis() {
  local started rootfs=$cache/bookworm-redis-rootfs mirror
  if image_is_current "$redis_image" "$redis_recipe_version"; then return 0; fi
  need_root "$redis_image"
  started=$(date +%s.%N)
  mkdir -p "$cache"
  if [ ! -x "$rootfs/usr/bin/redis-server" ]; then
    ensure_packages debootstrap
    mirror=$(debian_mirror | grep -E '^(https?|file):' | head -1)
    [ -n "$mirror" ] || give_up "no Debian mirror found in /etc/apt/sources.list{,.d}"
    say "debootstrap bookworm minbase with redis-server"
    rm -rf "$rootfs.partial"
    if ! debootstrap --variant=minbase --include=redis-server \
        bookworm "$rootfs.partial" "$mirror" >"$cache/debootstrap-redis.log" 2>&1; then
      tail -20 "$cache/debootstrap-redis.log" >&2
      give_up "debootstrap failed (log: $cache/debootstrap-redis.log)"
    fi
    rm -rf "$rootfs.partial"/var/cache/apt/archives/*.deb "$rootfs.partial"/var/lib/apt/lists/*
    rm -rf "$rootfs"
    mv "$rootfs.partial" "$rootfs"
  fi
  mkdir -p "$rootfs/data"
  # Every interface (the service network), no protected mode (no password in tests), data in
  # /data (a named volume): an RDB file on shutdown and an append-only log as it goes.
  tar -C "$rootfs" --exclude=./proc/* --exclude=./sys/* --exclude=./dev/* -c . | "$docker" import \
      --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      --change 'WORKDIR /data' \
      --change 'EXPOSE 6379' \
      --change 'HEALTHCHECK --interval=1s --timeout=3s --retries=30 CMD ["redis-cli", "ping"]' \
      --change 'CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no", "--dir", "/data", "--appendonly", "yes"]' \
      --change "LABEL $label=$redis_recipe_version" \
      - "$redis_image" >/dev/null || give_up "docker import $redis_image failed"
  say "built $redis_image ($(chroot "$rootfs" redis-server --version 2>&1 | cut -d' ' -f1-3)) in $(elapsed "$started")s"
}

build_busybox
build_python_uv
build_python_build
build_redis
