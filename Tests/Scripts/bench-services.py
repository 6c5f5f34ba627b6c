#!/usr/bin/env python3
"""`devenv up` of an app and a service against docker-compose 1.29 doing the same (issue 12).

    bench-services.py DEVENV DOCKER PROJECT

PROJECT is a demo project (bench.sh makes it) whose dev profile runs a `cache` service (the
locally built redis of Tests/Scripts/build-test-images.sh) beside the app; its images exist.
Compose gets the same app image, user, mounts, volumes and command, and the same redis with
the same health check, the app waiting for it (`depends_on: condition: service_healthy`).
Before each run both are taken down with their volumes (images kept: no build in the figure),
so each `up` makes the network, the volumes and both containers and waits for the health
check. Paired, each pair's order alternating (A B, B A, ...): the median of the per-pair
ratios devenv/compose with min-max, a goal and PASS/MISS; exit status 1 on a miss.
Everything this script made is removed.
"""
import json, os, statistics, subprocess, sys, time

devenv, docker, project = sys.argv[1], sys.argv[2], sys.argv[3]
environ = dict(os.environ, DEVENV_DOCKER=docker)


def timed(argv, env=None):
    started = time.perf_counter()
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench: {' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-400:]}")
    return elapsed


def quiet(argv, env=None):
    subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)


# The image devenv built for the app, for compose to run as it is.
timed([devenv, "-C", project, "up", "--quiet"], env=environ)
# The app's container as devenv names it for this folder (README "Names and ownership").
app_container = next(row["container"] for row in json.loads(subprocess.run(
    [devenv, "-C", project, "status", "--json"], capture_output=True, text=True, env=environ).stdout)["environments"]
    if row["profile"] == "dev")
app_image = subprocess.run([docker, "inspect", "--format", "{{.Config.Image}}", app_container],
                           capture_output=True, text=True, check=True).stdout.strip()
uid, gid = os.stat(project).st_uid, os.stat(project).st_gid
compose_file = f"{project}/docker-compose.yml"
with open(compose_file, "w") as f:
    f.write(f"""version: "2.4"
services:
  app:
    image: {app_image}
    user: "{uid}:{gid}"
    init: true
    working_dir: /app
    environment: {{HOME: /home/dev, UV_PROJECT_ENVIRONMENT: /venv}}
    volumes: [".:/app", "venv:/venv", "cache:/home/dev/.cache"]
    command: ["sleep", "infinity"]
    depends_on:
      cache: {{condition: service_healthy}}
  cache:
    image: devenv-test/redis:latest
    volumes: ["data:/data"]
    healthcheck: {{test: ["CMD", "redis-cli", "ping"], interval: 1s, retries: 30}}
volumes: {{venv: {{}}, cache: {{}}, data: {{}}}}
""")
compose_env = dict(os.environ, PATH=os.path.dirname(docker) + ":" + os.environ.get("PATH", ""))
compose = ["docker-compose", "-p", "devenvbenchsvc", "-f", compose_file]


def reset():
    quiet(compose + ["down", "--volumes"], env=compose_env)
    quiet([devenv, "-C", project, "down", "--volumes", "--quiet"], env=environ)


name = "up of app + service (network, volumes, both containers, health wait)  vs  docker-compose up -d (same)"
pairs, goal = 5, 1.0
try:
    reset()
    timed(compose + ["up", "-d"], env=compose_env)  # warm-up, each once
    reset()
    timed([devenv, "-C", project, "up", "--quiet"], env=environ)
    ratios, a_times, b_times = [], [], []
    for index in range(pairs):
        # Each pair's order alternates (A B, B A, ...), as in bench-lifecycle.py.
        if index % 2 == 0:
            reset()
            a = timed(compose + ["up", "-d"], env=compose_env)
        reset()
        b = timed([devenv, "-C", project, "up", "--quiet"], env=environ)
        if index % 2 == 1:
            reset()
            a = timed(compose + ["up", "-d"], env=compose_env)
        a_times.append(a * 1000)
        b_times.append(b * 1000)
        ratios.append(b / a)
finally:
    reset()
    os.remove(compose_file)
ratio = statistics.median(ratios)
ok = ratio <= goal
print(f"services: devenv against docker-compose 1.29, paired (A B, B A, ...)\n  {name}\n"
      f"      devenv {statistics.median(b_times):7.1f} ms, compose {statistics.median(a_times):7.1f} ms (medians); "
      f"ratio {ratio:.2f} (per-pair min {min(ratios):.2f}, max {max(ratios):.2f}, {pairs} pairs)  "
      f"goal <= {goal:.2f}  [{'PASS' if ok else 'MISS'}]")
sys.exit(0 if ok else 1)
