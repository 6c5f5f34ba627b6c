#!/usr/bin/env bash
# demo.sh DEVENV: the dashboard on an example uv project (`make demo`).
#
# Writes the example project (demo-project.sh) into a temporary folder with a devenv.toml for
# an engine without a bridge (--network none, no published ports; the dev container runs the
# demo app so its log moves), brings dev up, and opens the dashboard on it. Without a terminal
# it prints `devenv status` instead. The project is left in place to play with; the last lines
# say how to remove it.
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: $0 PATH_TO_DEVENV" >&2
  exit 2
fi
devenv=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
scripts=$(cd "$(dirname "$0")" && pwd)
# Debian's 20.10 client has BuildKit built in (DESIGN.md section 4).
if [ -z "${DEVENV_DOCKER:-}" ] && [ -x /usr/bin/docker ]; then export DEVENV_DOCKER=/usr/bin/docker; fi

parent=$(mktemp -d /tmp/devenv-demo.XXXXXX)
chmod 755 "$parent"
project=$parent/demoapp
mkdir -p "$project"
# Run as root, the example project belongs to a non-root user (the sudo user, else 1000): a
# root-owned folder would be read-only to the container, which runs as its owner.
if [ "$(id -u)" = 0 ]; then
  chown "${SUDO_UID:-1000}:${SUDO_GID:-1000}" "$project"
fi
"$scripts/demo-project.sh" "$project" demoapp >/dev/null
cat >"$project/devenv.toml" <<TOML
[project]
name = "demo$(basename "$parent" | tr 'A-Z' 'a-z' | tr -dc 'a-z0-9' | tail -c 6)"

# The demo engine has no bridge network: builds and containers use none, nothing is published.
[profiles.dev]
network = "none"
ports = []
# The demo app prints a line every second, so the logs pane has something to follow; it runs
# from the bind-mounted source with the image's python, before and after sync-deps alike.
command = ["python3", "-m", "demoapp"]
env = { PYTHONPATH = "/app/src", DEMOAPP_INTERVAL = "1" }

[profiles.ci]
network = "none"
test_command = ["python", "-m", "unittest", "discover", "-s", "tests"]

[profiles.prod]
network = "none"
ports = []
TOML
chown -R "$(stat -c %u:%g "$project")" "$project"

echo "demo: project in $project"
echo "demo: devenv up (the first build takes a little while)"
"$devenv" --project "$project" up
if [ -t 0 ] && [ -t 1 ]; then
  "$devenv" --project "$project" || true
else
  "$devenv" --project "$project" status
fi
echo "demo: remove it with: $devenv --project $project down --volumes && rm -rf $parent"
