// devenv's commands and options, declared once. The parser (CommandLineParser), `devenv help`,
// `COMMAND --help`, "did you mean", the usage errors, `devenv completion bash|zsh|fish` and the
// README check (Tests/DevEnvAppTests/ReadmeTablesTests) all read these two lists.
//
// To add an option (say `logs --tail N`, or the flag `down --images`):
//   1. append `OptionSpec(["--tail"], value: "N", "only the last N lines", commands: ["logs"])`
//      to `options` below (`value: "NAME"` when it takes a value, `completion:` for what a shell
//      offers for that value; no `commands:` makes it a global option);
//   2. read it where CommandLineParser.command(_:) builds that command:
//      `arguments.flag("--images")` for a flag, `arguments.value("--tail")` for a value (the
//      long name is the key whatever spelling the user typed), and carry it in the `Command` case
//      (ParsedCommand.swift);
//   3. mention it in README.md's command table or option list: the README test says where.
// To add a command: a `CommandSpec` in `commands`, a `Command` case, a line in
// CommandLineParser.command(_:) and in App.dispatch, and a row in README's command table.

/// The table itself: see the note above.
public enum CommandTable {
    public static let version = "0.1.0"

    public static let options: [OptionSpec] = [
        // Global: before or after the command.
        OptionSpec(["--project", "-C"], value: "DIR", "the project folder (default: the current folder)",
                   completion: .directories),
        OptionSpec(["--profile", "-p"], value: "NAME",
                   "dev, ci, prod or one of the project's (default: [project] default_profile)",
                   completion: .profiles),
        OptionSpec(["--no-tui"], "never open the dashboard"),
        OptionSpec(["--json"], "machine-readable output on stdout (see README)"),
        OptionSpec(["--dry-run"], "print the docker command lines, one a line, and run none"),
        OptionSpec(["--quiet", "-q"], "no progress on stderr"),
        OptionSpec(["--verbose", "-v"], "each docker command line on stderr as it runs"),
        OptionSpec(["--help", "-h"], "this text, or the command's"),
        OptionSpec(["--version"], "devenv's version"),
        // Per command.
        OptionSpec(["--port"], value: "CONTAINER=HOST", "publish container port CONTAINER on host port HOST this time (repeatable)",
                   commands: ["up"]),
        OptionSpec(["--allow-initialize"], "allow the devcontainer.json's initializeCommand to run on this machine (remembered for this content of the file)",
                   commands: ["up", "restart"]),
        OptionSpec(["--volumes"], "also remove the profile's named volumes", commands: ["down"]),
        OptionSpec(["--images"], "also remove the images devenv built for the profile (its app and services)", commands: ["down"]),
        OptionSpec(["--no-cache"], "build every layer afresh", commands: ["build"]),
        OptionSpec(["--service"], value: "NAME", "in the service NAME's container ([services.NAME]) instead of the app's",
                   commands: ["exec"], completion: .services),
        OptionSpec(["--follow", "-f"], "follow the output until Ctrl-C", commands: ["logs"]),
        OptionSpec(["--tail"], value: "N", "only the last N lines (or `all`)", commands: ["logs"],
                   completion: .choices(["10", "50", "100", "all"])),
        OptionSpec(["--since"], value: "T", "only output since T (10m, 2h or a timestamp)", commands: ["logs"]),
        OptionSpec(["--raw"], "the container's bytes unchanged, even on a terminal", commands: ["logs"]),
        OptionSpec(["--base-image"], value: "IMAGE", "pin another base image", commands: ["init"]),
        OptionSpec(["--python"], value: "VERSION", "the default base image's Python (3.13)", commands: ["init"],
                   completion: .choices(["3.10", "3.11", "3.12", "3.13"])),
        OptionSpec(["--force"], "replace existing files, keeping each as FILE.bak", commands: ["init"]),
        OptionSpec(["--with"], value: "SERVICE", "add a service: postgres or redis (repeatable)", commands: ["init"],
                   completion: .choices(["postgres", "redis"])),
    ]

    public static let commands: [CommandSpec] = [
        CommandSpec("up", "build if needed, create volumes, start the container (idempotent)", description: """
            Builds the profile's image when the Dockerfile, pyproject.toml, uv.lock or the build
            args changed, creates the labelled volumes (owned by the synced user), and starts the
            container with the project bind-mounted. On a running, unchanged environment it
            starts nothing and says so; a stale container (its configuration changed) is
            recreated, keeping its volumes. Ctrl-C leaves no half-created container behind.
            A host port in use (another project, a container, a host process) stops it before
            anything changes, with exit 4 naming the port and its holder. The profile's services
            ([services.NAME], `services = [...]`) start first on the project network, each
            waited for until it is healthy.
            """, examples: ["devenv up", "devenv up --profile prod", "devenv up --port 8000=8001   # the app on host port 8001",
                            "devenv up --dry-run        # the docker commands of a from-scratch up"]),
        CommandSpec("down", "stop and remove the container (--volumes: also its volumes; --images: its images)", description: """
            Stops and removes the profile's container. --volumes also removes its named volumes
            (virtualenv, caches). The profile's services and its project network go too (their
            volumes with --volumes). --images also removes every image devenv built for the
            profile (the app's, old ones too, and its built services'), each by ID, or only the
            profile's names when another project's name is on the same image (a build cache
            that ignores labels shares images); an image a container still uses, or that also
            carries a name devenv did not give it, is left and reported. Only objects that carry
            this project's labels or names are touched.
            """, examples: ["devenv down", "devenv down --volumes --profile dev", "devenv down --volumes --images"]),
        CommandSpec("restart", "restart the container (recreate it when its configuration changed)", description: """
            Restarts the running container; when there is none or its configuration changed, does
            what `up` does.
            """),
        CommandSpec("build", "build the profile's image", description: """
            Builds the profile's Dockerfile target with USERNAME/UID/GID build args, the project's
            build args and --secret for build secrets, using BuildKit when the docker CLI has it.
            """, examples: ["devenv build", "devenv build --no-cache --profile prod"]),
        CommandSpec("status", "every profile's state, health, staleness and volumes", description: """
            Every profile of the project: state (not created, running, exited (code), ...),
            health, stale when the container no longer matches the configuration, ports, and the
            named volumes.
            """, examples: ["devenv status", "devenv status --json | jq '.environments[] | select(.stale)'"], outputIsThePoint: true, onlyReads: true),
        CommandSpec("shell", "an interactive shell in the container, as you, in the workspace", description: """
            An interactive shell (bash, else sh) in the running container, as the synced user, in
            the workspace, with your TERM and COLORTERM. Its exit code is devenv's.
            """, outputIsThePoint: true),
        CommandSpec("exec", usage: "COMMAND [ARGS...]", arguments: .passthrough(required: true, optionsStartIt: false),
                    "run a command in the container: devenv exec pytest -x", description: """
            Runs COMMAND in the running container as the synced user, in the workspace; a
            terminal when stdin and stdout are one (then with your TERM and COLORTERM). As with
            docker exec, devenv's options stand before COMMAND and everything from COMMAND on is
            the command's; `--` before COMMAND is accepted too. Its exit code is devenv's.
            --service NAME runs it in that service's container instead (as the user it runs as,
            in its working folder).
            """, examples: ["devenv exec id", "devenv exec python -c 'import sys; print(sys.prefix)'",
                            "echo 'print(1)' | devenv exec python -", "devenv exec --profile ci -- ls -la",
                            "devenv exec --service db -- psql -U postgres"], outputIsThePoint: true),
        CommandSpec("logs", usage: "[SERVICE]", arguments: .word(.services, required: false),
                    "the container's output (or a service's)", description: """
            The container's output. -f follows it until Ctrl-C. --since takes docker's forms:
            10m, 2h, or a timestamp. On a terminal the output is made safe as in the dashboard:
            colours stay, other escape sequences (titles, clipboard, screen switches) and
            control characters are dropped; --raw passes the bytes unchanged. Into a pipe or a
            file the bytes are always unchanged. With SERVICE, that service's output instead.
            """, examples: ["devenv logs --tail 50", "devenv logs -f --since 10m", "devenv logs db --tail 20"], outputIsThePoint: true, onlyReads: true),
        CommandSpec("sync-deps", "run the sync command (uv sync --frozen) in the container", description: """
            Runs the profile's sync_command (default: uv sync --frozen) in the running container,
            filling the virtualenv volume.
            """),
        CommandSpec("clean-cache", "remove __pycache__, *.pyc and tool caches in the workspace", description: """
            Removes __pycache__ folders, *.pyc and *.pyo files and the .pytest_cache, .mypy_cache
            and .ruff_cache folders in the workspace (not in .venv or .git), and reports how many
            files and bytes it removed.
            """),
        CommandSpec("prune", "remove the images devenv built for this project that no profile uses any more", description: """
            Removes the images devenv built for this project folder (labels and names checked)
            that are not the current image of any profile or built service: those left behind
            when the Dockerfile, dependency files or build args changed. Each goes by ID, or only
            its old names when a current or another project's name is on the same image; one a
            container still uses is left and reported. Reports what it removed and the space freed;
            --dry-run lists what would go and removes nothing. Images of other projects, pulled
            images and images you built are never touched. Then it lists this project's
            containers and volumes made in a folder that no longer exists (moved, renamed or
            deleted: names carry the folder's tag), and those made in this folder under another
            project name (the project was renamed), with the command that removes each; it
            removes none of them.
            """, examples: ["devenv prune --dry-run", "devenv prune"]),
        CommandSpec("test", usage: "[ARGS...]", arguments: .passthrough(required: false, optionsStartIt: true),
                    "run the profile's test command in a fresh container (--profile ci)", description: """
            Runs the profile's test_command (ci: pytest) in a fresh container of the profile's
            image, building it if needed; the container is removed afterwards and the test
            command's exit code is devenv's. ARGS are added to the test command: everything from
            the first word that is not one of devenv's options, or after `--` (use `--` to pass
            an option devenv also has, such as -q or -v).
            """, examples: ["devenv test --profile ci", "devenv test -k name -x", "devenv test -- -q"], outputIsThePoint: true),
        CommandSpec("config", "the merged configuration and where each value came from", description: """
            The effective configuration (shipped profile, your profiles, devenv.toml or
            [tool.devenv] in pyproject.toml, merged) and for each value the file and line it came
            from.
            """, examples: ["devenv config --profile prod", "devenv config --json"], outputIsThePoint: true, onlyReads: true),
        CommandSpec("init", "write a multi-stage Dockerfile, env templates and devenv.toml for a uv project",
                    description: """
            Detects the uv project (pyproject.toml, uv.lock, src/ or flat layout, package name,
            console scripts, web framework) and writes: a Dockerfile with the stages base,
            builder, dev, ci and prod; docker/create-user.sh (run through a build-time bind
            mount); .dockerignore; .env.dev.template and .env.prod.template (and .env.dev from
            its template when missing, mode 600); devenv.toml; and the missing .gitignore
            entries for .env.* (templates kept). It refuses to overwrite an existing file unless
            --force, which keeps the old one as FILE.bak. --python picks the default base image's
            Python (else .python-version, else 3.13); --base-image pins another image. --with
            postgres or --with redis adds that service ([services.db], [services.cache]) to the dev
            profile and its URL to .env.dev.template. No docker call; --dry-run writes nothing.
            """, examples: ["devenv init", "devenv init --python 3.12", "devenv init --with postgres --with redis",
                            "devenv init --base-image my-python-uv:3.12 --force --json"]),
        CommandSpec("doctor", "check Docker, BuildKit, users, volumes, env files, secrets and stages",
                    description: """
            Checks, each with ok, warn or FAIL, why, and how to fix: the docker CLI and the engine,
            client and server versions, BuildKit (buildx or built in), a rootless or Podman engine
            and what it means for UID sync, you versus the project folder's owner, UID/GID
            collisions with the image's users, the dev volumes' owners, .env files tracked by git
            or readable by others, secrets in ARG/ENV or build args, a prod profile running as
            root, writable or with added capabilities, env files, .netrc, .git or private keys a
            COPY . would bake into an image (checked against .dockerignore by Docker's rules),
            Dockerfile stages missing for a profile's
            target, and free disk space for images. Exit 0 when nothing fails, 1 otherwise. At
            most five docker calls.
            """, examples: ["devenv doctor", "devenv doctor --json | jq '.checks[] | select(.status != \"ok\")'"], outputIsThePoint: true, onlyReads: true),
        CommandSpec("completion", usage: "bash|zsh|fish",
                    arguments: .word(.choices(["bash", "zsh", "fish"]), required: true),
                    "a shell completion script (make install puts them where shells find them)", description: """
            Prints the completion script for bash, zsh or fish, generated from devenv's command
            table. Profile names are completed from the project's configuration at completion
            time.
            """, examples: ["source <(devenv completion bash)",
                            "devenv completion fish > ~/.config/fish/completions/devenv.fish"], onlyReads: true),
        CommandSpec("help", usage: "[COMMAND]", arguments: .word(.commands, required: false),
                    "this text, or a command's: devenv help up", description: """
            devenv's overview, or a command's usage, options and examples (as COMMAND --help).
            """, onlyReads: true),
        CommandSpec("version", "devenv's version (as --version)", description: "Prints devenv's version.",
                    hidden: true, onlyReads: true),
        // The completion scripts ask it for the project's names at completion time.
        CommandSpec("__complete", usage: "profiles|services", arguments: .word(.choices(["profiles", "services"]), required: true),
                    "names for shell completion", description: """
            Prints the project's profile (or service) names, one a line, for the completion
            scripts; prints nothing when there is no readable configuration.
            """, hidden: true, onlyReads: true),
    ]

    public static func command(_ name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }

    /// The option spelled `name` (any of its spellings), whatever command it belongs to.
    public static func option(_ name: String) -> OptionSpec? {
        options.first { $0.names.contains(name) }
    }

    public static var visibleCommands: [CommandSpec] { commands.filter { !$0.hidden } }
    public static var globalOptions: [OptionSpec] { options.filter(\.isGlobal) }
}
