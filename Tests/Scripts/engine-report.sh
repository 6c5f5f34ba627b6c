#!/usr/bin/env bash
# Says, before the tests run, on which engines the engine tests will run and why any will be
# skipped: Docker from the engine itself (its tests skip without one, unless
# DEVENV_REQUIRE_ENGINE=1), the others from the verdicts `make engine` left in .build/engines/
# (ensure-podman.sh, ensure-rootless-podman.sh, ensure-rootless-docker.sh). Prints only; never fails.
cd "$(dirname "$0")/../.." || exit 0
if [ -x /usr/bin/docker ]; then docker=/usr/bin/docker; else docker=$(command -v docker || echo docker); fi
echo "engine tests will run on:"
if server=$("$docker" version --format '{{.Server.Version}}' 2>/dev/null) && [ -n "$server" ]; then
  echo "  docker: runs: Docker engine $server"
else
  echo "  docker: skipped: no Docker engine answers (Tests/Scripts/ensure-engine.sh starts one as root)"
fi
for engine in podman podman-rootless docker-rootless; do
  if [ -s ".build/engines/$engine" ]; then
    echo "  $engine: $(head -1 ".build/engines/$engine")"
  else
    echo "  $engine: skipped: not set up (make engine sets it up)"
  fi
done
required=${DEVENV_REQUIRE_ENGINES:-}
echo "  (DEVENV_REQUIRE_ENGINES=${required:-none}: a named engine that is skipped fails its tests instead)"
