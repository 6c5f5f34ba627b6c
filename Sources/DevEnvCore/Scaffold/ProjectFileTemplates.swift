/// The small files `devenv init` writes beside the Dockerfile.
public enum ProjectFileTemplates {
    /// Keeps the build context small and secrets out of it; docker/create-user.sh stays in (the
    /// stages bind-mount it).
    public static let dockerignore = """
        # Written by `devenv init`: what `docker build` never sees.
        .git
        .venv
        **/__pycache__
        **/*.py[co]
        .pytest_cache
        .mypy_cache
        .ruff_cache
        dist
        build
        *.egg-info
        # Secrets: env files (templates included; images need none) and index credentials.
        .env
        .env.*
        .netrc
        # devenv's own files: editing them should not invalidate the code layers.
        Dockerfile
        .dockerignore
        devenv.toml
        .devenv
        # Backups `devenv init --force` keeps.
        *.bak
        *.bak.*

        """

    /// The lines `.gitignore` needs; init appends the ones missing.
    public static let gitignoreEntries = [
        "# devenv: env files hold secrets and are never committed; their templates are.",
        ".env",
        ".env.*",
        "!.env.*.template",
        ".netrc",
        ".venv/",
        "__pycache__/",
    ]

    /// `.gitignore` with the missing entries appended; nil when nothing is missing.
    public static func gitignore(merging existing: String?) -> String? {
        let present = Set((existing ?? "").split(whereSeparator: \.isNewline).map { String($0).trimmedSpaces })
        let missing = gitignoreEntries.filter { !$0.hasPrefix("#") && !present.contains($0) }
        guard !missing.isEmpty else { return nil }
        var text = existing ?? ""
        if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        if !text.isEmpty { text += "\n" }
        return text + ([gitignoreEntries[0]] + missing).joined(separator: "\n") + "\n"
    }

    /// `services`: what `init --with` added; the dev template says how the app reaches each.
    public static func envTemplate(profile: String, project: PythonProject, services: [InitService] = []) -> String {
        let database = "\(PythonProject.moduleName(project.name))"
        switch profile {
        case "prod":
            return """
                # Environment of the prod container. Copy to .env.prod (git-ignored, never committed),
                # fill in the real values, and keep it readable by you only (chmod 600).
                # devenv passes it with --env-file: one KEY=value a line, no quotes, no `export`.
                APP_ENV=production
                LOG_LEVEL=ERROR
                # DATABASE_URL=postgresql://USER:PASSWORD@HOST:5432/\(database)
                # SECRET_KEY=<a long random string, never the dev one>

                """
        default:
            let lines = services.flatMap(\.envLines)
            let reached = lines.isEmpty ? "" : "# The services devenv runs beside the app, by their names on the project network:\n"
                + lines.joined(separator: "\n") + "\n"
            let database = lines.contains { $0.hasPrefix("DATABASE_URL=") }
                ? "" : "# DATABASE_URL=postgresql://USER:PASSWORD@localhost:5432/\(database)\n"
            return """
                # Environment of the \(profile) container. Copy to .env.\(profile) (git-ignored, never
                # committed) and adjust; `devenv init` made a first copy for you.
                # devenv passes it with --env-file: one KEY=value a line, no quotes, no `export`.
                APP_ENV=development
                LOG_LEVEL=DEBUG
                \(reached)\(database)# SECRET_KEY=<any value for development>

                """
        }
    }

    public static func devenvToml(project: PythonProject, choices: ScaffoldChoices) -> String {
        // Named after the folder, as compose does: two checkouts of one package do not share
        // containers and volumes.
        let name = ProjectName.sanitized(ConfigPath.lastComponent(project.directory))
        let buildPackages: String
        if let reason = project.extensionBuild {
            buildPackages = """
                # Debian packages the dev, ci and builder stages install to compile wheels (never prod);
                # init found compiled code (\(reason)). python3-dev is added when the image's Python
                # has no headers.\(project.buildRequires.contains("maturin") || project.buildRequires.contains("setuptools-rust") ? "\n# Rust extensions also need a Rust toolchain (e.g. cargo) in BUILD_PACKAGES or the base image." : "")
                build_args = { BUILD_PACKAGES = "build-essential" }
                """
        } else {
            buildPackages = """
                # Debian packages the dev, ci and builder stages install to compile wheels (never prod):
                # build_args = { BUILD_PACKAGES = "build-essential" }
                """
        }
        var text = """
            # devenv.toml, written by `devenv init` for \(project.name). `devenv config` shows every
            # effective setting and where it comes from; the profiles dev, ci and prod ship with devenv
            # and any key of theirs can be overridden below under [profiles.NAME].

            [project]
            name = "\(name)"
            dockerfile = "Dockerfile"
            default_profile = "dev"
            # The Dockerfile pins its base image (ARG BASE_IMAGE, \(choices.python.map { "Python \($0)" } ?? "its Python")); base_image here
            # would override it for every profile:
            # base_image = "\(choices.baseImage)"

            \(buildPackages)

            # A private package index: its credentials in a netrc file that is never committed
            # (.gitignore and .dockerignore list it), passed as a BuildKit secret that the Dockerfile
            # mounts for `uv sync` only; never as ARG or ENV.
            # build_secrets = { netrc = { src = ".netrc" } }

            """
        let runner = project.testRunner
        // A commented example of the lifecycle commands (README, "Lifecycle commands").
        let lifecycle = """
            # Lifecycle commands, in any profile: post_create runs once per container, post_start at
            # each start, post_attach when `devenv shell` attaches; a string runs through sh -c, an
            # array is an argv. For example:
            """
        let postCreate = "# post_create = \(DockerfileTemplate.jsonArray(["uv", "sync", "--frozen"] + runner.syncOptions))"
        // Another runner than the shipped profiles' pytest goes to dev and ci alike: `devenv
        // test` runs the default profile (dev) unless told `--profile ci`, and ran pytest there,
        // which the project does not have ("the test runner pytest is not in the dev image").
        var runnerLines: [String] = []
        if runner.command != ["pytest"] {
            runnerLines = [runner.source == .standardLibrary
                ? "# The project does not depend on pytest: the standard library's unittest runs the tests."
                : "# Not packaged (uv does not install it): python -m pytest puts /app on sys.path for the tests.",
                "test_command = \(DockerfileTemplate.jsonArray(runner.command))"]
        }
        // `init --with`: the dev profile runs the services.
        var dev: [String] = []
        if !choices.services.isEmpty {
            dev += ["# Started first by `devenv up`, each healthy before the app; see [services.NAME] below.",
                    "services = \(DockerfileTemplate.jsonArray(choices.services.map(\.service)))"]
        }
        dev += runnerLines
        if !runner.syncOptions.isEmpty {
            // uv sync removes what it is not asked for: every sync keeps the runner's group.
            let sync = DockerfileTemplate.jsonArray(["uv", "sync", "--frozen"] + runner.syncOptions)
            dev += ["# The test runner is in \(runner.syncOptions.joined(separator: " ")): sync-deps keeps it installed.",
                    "sync_command = \(sync)"]
        }
        if !dev.isEmpty {
            text += "\n[profiles.dev]\n" + dev.joined(separator: "\n") + "\n\(lifecycle)\n\(postCreate)\n"
        } else {
            text += """

                \(lifecycle)
                # [profiles.dev]
                \(postCreate)

                """
        }
        if !runnerLines.isEmpty || !runner.syncOptions.isEmpty {
            var ci = "\n[profiles.ci]\n" + runnerLines.map { $0 + "\n" }.joined()
            if !runner.syncOptions.isEmpty {
                ci += "sync_command = \(DockerfileTemplate.jsonArray(["uv", "sync", "--frozen"] + runner.syncOptions))\n"
            }
            text += ci
        }
        for service in choices.services {
            text += "\n[services.\(service.service)]\n" + service.table + "\n"
        }
        return text
    }
}

extension String {
    /// Without leading and trailing blanks (no Foundation in the core).
    var trimmedSpaces: String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }
}
