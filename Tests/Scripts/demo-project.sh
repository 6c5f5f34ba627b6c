#!/usr/bin/env bash
# demo-project.sh DIR [NAME]: writes an example uv project into DIR (created if missing), for
# the tests and `make demo`. It follows DESIGN.md section 1: one multi-stage Dockerfile
# (base, builder, dev, ci, prod), /venv as the project environment everywhere uv runs, the
# user's UID/GID as build args, .dockerignore, .env.dev.template, .env.dev and .env.prod.
#
# Containers here have no network, so the project has no third-party dependencies and uses uv's
# own build backend (uv_build), which uv runs built in, without a download, when the required
# version range contains uv's own version. The range and uv.lock therefore come from the uv that
# will use them: the one in devenv-test/python-uv (run with --network none), else a uv on PATH.
#
# The files belong to the owner of DIR (the lock is written as that user).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 DIR [NAME]" >&2
  exit 2
fi
dir=$1
name=${2:-demoapp}
if ! [[ $name =~ ^[a-z][a-z0-9_-]*$ ]]; then
  echo "demo-project: NAME must be lower case letters, digits, - or _, starting with a letter: $name" >&2
  exit 2
fi
module=${name//-/_}
image=${DEVENV_TEST_PYTHON_IMAGE:-devenv-test/python-uv:latest}
if [ -x /usr/bin/docker ]; then docker=/usr/bin/docker; else docker=$(command -v docker || true); fi

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
owner=$(stat -c %u:%g "$dir")

# How to run uv on the project: in the test image when an engine has it, else a local uv.
run_uv() {
  if [ -n "$docker" ] && "$docker" image inspect "$image" >/dev/null 2>&1; then
    "$docker" run --rm --network none -u "$owner" -v "$dir:/app" -w /app \
      -e UV_OFFLINE=1 -e UV_CACHE_DIR=/tmp/uv-cache -e UV_PYTHON_DOWNLOADS=never \
      "$image" uv "$@"
  elif command -v uv >/dev/null 2>&1; then
    (cd "$dir" && UV_OFFLINE=1 UV_PYTHON_DOWNLOADS=never uv "$@")
  else
    echo "demo-project: no uv: neither the image $image nor uv on PATH (run make engine)" >&2
    return 1
  fi
}

uv_version=$(run_uv --version | awk '{ print $2 }')
if ! [[ $uv_version =~ ^([0-9]+)\.([0-9]+)\.[0-9]+ ]]; then
  echo "demo-project: cannot read uv's version: '$uv_version'" >&2
  exit 1
fi
uv_minor="${BASH_REMATCH[1]}.${BASH_REMATCH[2]}"
uv_next="${BASH_REMATCH[1]}.$((BASH_REMATCH[2] + 1))"

mkdir -p "$dir/src/$module" "$dir/tests" "$dir/docker"

cat >"$dir/pyproject.toml" <<EOF
[project]
name = "$name"
version = "0.1.0"
description = "Example uv project for devenv"
requires-python = ">=3.11"
# No third-party dependencies: the containers of the demo have no network.
dependencies = []

[project.scripts]
$name = "$module.__main__:main"

# uv's own backend: uv $uv_version builds with it built in (no download) because the range
# below contains its version.
[build-system]
requires = ["uv_build>=$uv_minor,<$uv_next"]
build-backend = "uv_build"
EOF

cat >"$dir/src/$module/__init__.py" <<'EOF'
"""Example application for devenv: prints a log line periodically."""

__version__ = "0.1.0"


def greeting(name: str) -> str:
    return f"hello, {name}"
EOF

cat >"$dir/src/$module/__main__.py" <<EOF
"""Prints a log line every DEMOAPP_INTERVAL seconds and touches a heartbeat file the prod
HEALTHCHECK reads. Exits on SIGTERM: as PID 1 in a container, Python would ignore it otherwise."""

import os
import signal
import sys
import time

from $module import __version__, greeting

HEARTBEAT = os.environ.get("DEMOAPP_HEARTBEAT", "/tmp/$module.heartbeat")


def main() -> None:
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    interval = float(os.environ.get("DEMOAPP_INTERVAL", "2"))
    who = os.environ.get("DEMOAPP_NAME", "devenv")
    print(f"$module {__version__} starting (uid {os.getuid()}, every {interval}s)", flush=True)
    tick = 0
    while True:
        tick += 1
        print(f"tick {tick}: {greeting(who)}", flush=True)
        try:
            with open(HEARTBEAT, "w") as heartbeat:
                heartbeat.write(str(time.time()))
        except OSError as error:
            print(f"heartbeat not written: {error}", file=sys.stderr, flush=True)
        time.sleep(interval)


if __name__ == "__main__":
    main()
EOF

cat >"$dir/tests/__init__.py" <<'EOF'
EOF
cat >"$dir/tests/test_$module.py" <<EOF
import unittest

from $module import greeting


class GreetingTests(unittest.TestCase):
    def test_greeting_names_the_user(self) -> None:
        self.assertEqual(greeting("ada"), "hello, ada")


if __name__ == "__main__":
    unittest.main()
EOF

# Creates (or reuses and renames) the user and group with the given ids: base images may already
# hold them (ubuntu:24.04 has ubuntu 1000:1000; macOS's GID 20 is dialout in Debian).
cat >"$dir/docker/create-user.sh" <<'EOF'
#!/bin/sh
# create-user.sh USERNAME UID GID [HOME]: makes USERNAME own UID and GID, reusing existing
# entries; HOME defaults to /home/USERNAME.
set -eu
user=$1 uid=$2 gid=$3 home=${4:-/home/$1}
[ "$uid" = 0 ] && exit 0
if group=$(getent group "$gid" | cut -d: -f1) && [ -n "$group" ]; then
  if [ "$group" != "$user" ] && ! getent group "$user" >/dev/null; then groupmod -n "$user" "$group"; fi
elif getent group "$user" >/dev/null; then
  groupmod -g "$gid" "$user"
else
  groupadd -g "$gid" "$user"
fi
if old=$(getent passwd "$uid" | cut -d: -f1) && [ -n "$old" ]; then
  if [ "$old" != "$user" ] && ! getent passwd "$user" >/dev/null; then
    usermod -l "$user" -d "$home" -m -g "$gid" "$old"
  else
    usermod -d "$home" -m -g "$gid" "$old"
  fi
elif getent passwd "$user" >/dev/null; then
  usermod -u "$uid" -g "$gid" -d "$home" -m "$user"
else
  useradd -m -d "$home" -u "$uid" -g "$gid" -s /bin/bash "$user"
fi
mkdir -p "$home"
chown "$uid:$gid" "$home"
EOF
chmod 0755 "$dir/docker/create-user.sh"

cat >"$dir/Dockerfile" <<EOF
# Multi-stage build: base -> builder -> prod, and dev and ci for working and testing.
# No "# syntax=" line: that would pull the Dockerfile frontend from a registry; the frontend
# built into BuildKit supports RUN --mount.
ARG BASE_IMAGE=devenv-test/python-uv:latest

FROM \${BASE_IMAGE} AS base
# UV_PROJECT_ENVIRONMENT=/venv everywhere uv runs: the venv prod copies is the one builder made,
# and in dev it lives in a named volume, never in the bind-mounted project.
ENV UV_PROJECT_ENVIRONMENT=/venv \\
    UV_COMPILE_BYTECODE=1 \\
    UV_LINK_MODE=copy \\
    UV_PYTHON_DOWNLOADS=never \\
    UV_CACHE_DIR=/cache/uv \\
    PYTHONDONTWRITEBYTECODE=1 \\
    PYTHONUNBUFFERED=1 \\
    PATH=/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
WORKDIR /app

FROM base AS builder
# Dependencies first (a layer that survives code changes), then the project itself, not
# editable so the venv holds it and prod needs no source tree.
COPY pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/cache/uv uv sync --frozen --no-install-project --no-dev
COPY src ./src
RUN --mount=type=cache,target=/cache/uv uv sync --frozen --no-dev --no-editable

FROM base AS dev
ARG USERNAME=dev
ARG UID=1000
ARG GID=1000
COPY docker/create-user.sh /usr/local/sbin/create-user.sh
# The home is /home/dev whatever the host user is called: devenv's dev profile mounts the
# cache volume at /home/dev/.cache and sets HOME to it.
RUN create-user.sh "\${USERNAME}" "\${UID}" "\${GID}" /home/dev
# Mount points exist and belong to the user before USER: a new named volume copies them,
# owner included.
RUN mkdir -p /venv /cache/uv /home/dev/.cache \\
 && chown "\${UID}:\${GID}" /venv /cache/uv /app /home/dev /home/dev/.cache
USER \${UID}:\${GID}
# devenv then needs no chown container for new volumes at these paths.
LABEL devenv.volume-owner="\${UID}:\${GID} /venv /home/dev/.cache"
EXPOSE 5678
CMD ["sleep", "infinity"]

FROM base AS ci
# CI's standard UID, written out: BuildKit (20.10) does not expand variables in --mount options.
COPY docker/create-user.sh /usr/local/sbin/create-user.sh
RUN create-user.sh ci 1001 1001 && mkdir -p /venv /cache/uv && chown 1001:1001 /venv /cache/uv /app
USER 1001:1001
COPY --chown=1001:1001 pyproject.toml uv.lock ./
RUN --mount=type=cache,target=/cache/uv,uid=1001,gid=1001 uv sync --frozen --no-install-project
COPY --chown=1001:1001 src ./src
COPY --chown=1001:1001 tests ./tests
RUN --mount=type=cache,target=/cache/uv,uid=1001,gid=1001 uv sync --frozen
# No pytest offline: the standard library's unittest runs the tests.
CMD ["python", "-m", "unittest", "discover", "-s", "tests", "-v"]

FROM base AS prod
# Only the runtime and the venv from builder: no uv, no source tree, no setuid bits, not root.
COPY --from=builder /venv /venv
RUN rm -f /usr/local/bin/uv \\
 && useradd --system --no-create-home --uid 10001 --user-group --shell /usr/sbin/nologin app \\
 && find / -xdev -type f -perm /6000 -exec chmod a-s {} + \\
 && rm -rf /app
WORKDIR /
USER 10001:10001
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \\
  CMD ["python", "-c", "import os, sys, time; sys.exit(0 if time.time() - os.path.getmtime('/tmp/$module.heartbeat') < 30 else 1)"]
CMD ["python", "-m", "$module"]
EOF

cat >"$dir/.dockerignore" <<'EOF'
.git
.venv
**/__pycache__
**/*.pyc
.env*
!.env.dev.template
EOF

cat >"$dir/.gitignore" <<'EOF'
.venv/
__pycache__/
*.pyc
.env.dev
.env.prod
EOF

cat >"$dir/.env.dev.template" <<'EOF'
# Copy to .env.dev (never committed) and adjust.
DEMOAPP_INTERVAL=1
DEMOAPP_NAME=developer
EOF
cp "$dir/.env.dev.template" "$dir/.env.dev"
sed -i '1d' "$dir/.env.dev"
cat >"$dir/.env.prod" <<'EOF'
DEMOAPP_INTERVAL=5
DEMOAPP_NAME=production
EOF

chown -R "$owner" "$dir" 2>/dev/null || true
rm -f "$dir/uv.lock"
run_uv lock --quiet
echo "demo-project: wrote $name in $dir (uv $uv_version, uv.lock made offline)"
