/// `devenv help [COMMAND]` and `--help`: what each command does, its options, and examples.
enum HelpText {
    static let version = "0.1.0"

    static let overview = """
        devenv \(version): Python (uv) projects in Docker development containers, as you.

        usage: devenv [OPTIONS] [COMMAND] [ARGS]

        With no command on a terminal, devenv opens its dashboard; otherwise (or with --no-tui)
        it prints `status`.

        commands:
          up            build if needed, create volumes, start the container (idempotent)
          down          stop and remove the container (--volumes: also its volumes)
          restart       restart the container (recreate it when its configuration changed)
          build         build the profile's image (--no-cache)
          status        every profile's state, health, staleness and volumes
          shell         an interactive shell in the container, as you, in the workspace
          exec          run a command in the container: devenv exec -- pytest -x
          logs          the container's output (-f, --tail N, --since T, --raw)
          sync-deps     run the sync command (uv sync --frozen) in the container
          clean-cache   remove __pycache__, *.pyc and tool caches in the workspace
          test          run the profile's test command in a fresh container (--profile ci)
          config        the merged configuration and where each value came from
          init          write a multi-stage Dockerfile, env templates and devenv.toml for a uv project
          doctor        check Docker, BuildKit, users, volumes, env files, secrets and stages
          help          this text, or a command's: devenv help up

        options (before or after the command):
          -C, --project DIR   the project folder (default: the current folder)
          -p, --profile NAME  dev, ci, prod or one of the project's (default: [project] default_profile)
          --no-tui            never open the dashboard
          --json              machine-readable output on stdout (see README)
          --dry-run           print the docker command lines, one a line, and run none
          -q, --quiet         no progress on stderr
          -v, --verbose       more detail
          --version           devenv's version

        exit codes: 0 ok, 1 failed (exec, shell and test pass the command's own code through),
        2 usage or configuration error, 3 no Docker engine, 4 conflict with a container or volume
        devenv did not create (left untouched), 130 interrupted (cleaned up).

        environment: DOCKER_HOST and DOCKER_CONTEXT choose the engine; DEVENV_DOCKER names another
        docker-compatible CLI (e.g. podman, or /usr/bin/docker for a client with BuildKit).
        """

    static let commands: [String: String] = [
        "up": """
            usage: devenv up [--profile NAME]

            Builds the profile's image when the Dockerfile, pyproject.toml, uv.lock or the build
            args changed, creates the labelled volumes (owned by the synced user), and starts the
            container with the project bind-mounted. On a running, unchanged environment it
            starts nothing and says so; a stale container (its configuration changed) is
            recreated, keeping its volumes. Ctrl-C leaves no half-created container behind.

            examples:
              devenv up
              devenv up --profile prod
              devenv up --dry-run        # the docker commands of a from-scratch up
            """,
        "down": """
            usage: devenv down [--volumes]

            Stops and removes the profile's container. --volumes also removes its named volumes
            (virtualenv, caches). Only objects that carry this project's labels are touched.

            examples:
              devenv down
              devenv down --volumes --profile dev
            """,
        "restart": """
            usage: devenv restart

            Restarts the running container; when there is none or its configuration changed, does
            what `up` does.
            """,
        "build": """
            usage: devenv build [--no-cache]

            Builds the profile's Dockerfile target with USERNAME/UID/GID build args, the project's
            build args and --secret for build secrets, using BuildKit when the docker CLI has it.

            examples:
              devenv build
              devenv build --no-cache --profile prod
            """,
        "status": """
            usage: devenv status [--json]

            Every profile of the project: state (not created, running, exited (code), ...),
            health, stale when the container no longer matches the configuration, ports, and the
            named volumes. Two docker calls.

            examples:
              devenv status
              devenv status --json | jq '.environments[] | select(.stale)'
            """,
        "shell": """
            usage: devenv shell

            An interactive shell (bash, else sh) in the running container, as the synced user, in
            the workspace. Its exit code is devenv's.
            """,
        "exec": """
            usage: devenv exec -- COMMAND [ARGS...]

            Runs COMMAND in the running container as the synced user, in the workspace; a
            terminal when stdin and stdout are one. Its exit code is devenv's.

            examples:
              devenv exec -- python -c 'import sys; print(sys.prefix)'
              echo 'print(1)' | devenv exec -- python -
            """,
        "logs": """
            usage: devenv logs [-f] [--tail N|all] [--since T] [--raw]

            The container's output. -f follows it until Ctrl-C. --since takes docker's forms:
            10m, 2h, or a timestamp. On a terminal the output is made safe as in the dashboard:
            colours stay, other escape sequences (titles, clipboard, screen switches) and
            control characters are dropped; --raw passes the bytes unchanged. Into a pipe or a
            file the bytes are always unchanged.

            examples:
              devenv logs --tail 50
              devenv logs -f --since 10m
            """,
        "sync-deps": """
            usage: devenv sync-deps

            Runs the profile's sync_command (default: uv sync --frozen) in the running container,
            filling the virtualenv volume.
            """,
        "clean-cache": """
            usage: devenv clean-cache

            Removes __pycache__ folders, *.pyc and *.pyo files and the .pytest_cache, .mypy_cache
            and .ruff_cache folders in the workspace (not in .venv or .git), and reports how many
            files and bytes it removed.
            """,
        "test": """
            usage: devenv test [--profile ci]

            Runs the profile's test_command (ci: pytest) in a fresh container of the profile's
            image, building it if needed; the container is removed afterwards and the test
            command's exit code is devenv's.
            """,
        "config": """
            usage: devenv config [--profile NAME] [--json]

            The effective configuration (shipped profile, your profiles, devenv.toml or
            [tool.devenv] in pyproject.toml, merged) and for each value the file and line it came
            from.
            """,
        "init": """
            usage: devenv init [--base-image IMAGE] [--python 3.13] [--force]

            Detects the uv project (pyproject.toml, uv.lock, src/ or flat layout, package name,
            console scripts, web framework) and writes: a Dockerfile with the stages base,
            builder, dev, ci and prod; docker/create-user.sh (run through a build-time bind
            mount); .dockerignore; .env.dev.template and .env.prod.template (and .env.dev from
            its template when missing, mode 600); devenv.toml; and the missing .gitignore
            entries for .env.* (templates kept). It refuses to overwrite an existing file unless
            --force, which keeps the old one as FILE.bak. --python picks the default base image's
            Python (else .python-version, else 3.13); --base-image pins another image. No docker
            call; --dry-run writes nothing.

            examples:
              devenv init
              devenv init --python 3.12
              devenv init --base-image my-python-uv:3.12 --force --json
            """,
        "doctor": """
            usage: devenv doctor [--json]

            Checks, each with ok, warn or FAIL, why, and how to fix: the docker CLI and the engine,
            client and server versions, BuildKit (buildx or built in), a rootless or Podman engine
            and what it means for UID sync, you versus the project folder's owner, UID/GID
            collisions with the image's users, the dev volumes' owners, .env files tracked by git
            or readable by others, secrets in ARG/ENV or build args, a prod profile running as
            root, writable or with added capabilities, Dockerfile stages missing for a profile's
            target, and free disk space for images. Exit 0 when nothing fails, 1 otherwise. At
            most five docker calls.

            examples:
              devenv doctor
              devenv doctor --json | jq '.checks[] | select(.status != "ok")'
            """,
        "help": """
            usage: devenv help [COMMAND]
            """,
        "version": """
            usage: devenv --version
            """,
    ]

    static func text(for command: String?) -> String {
        guard let command, let text = commands[command] else { return overview + "\n" }
        return text + "\n"
    }
}
