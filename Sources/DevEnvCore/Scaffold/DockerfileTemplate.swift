/// The multi-stage Dockerfile `devenv init` writes (DESIGN.md section 1): base -> builder ->
/// prod, and dev and ci beside them. Every line that encodes a hard-won fact says why in a
/// comment of the generated file, for the user who reads it later.
public enum DockerfileTemplate {
    /// The cache every `uv sync` shares through `--mount=type=cache` (root's default uv cache).
    static let uvCache = "/root/.cache/uv"
    /// The BuildKit secret a private index's credentials come in (see devenv.toml).
    static let netrcSecret = "netrc"
    /// The CA bundle secret (devenv.toml's `ca_bundle`, `CABundle`), mounted in every RUN that
    /// fetches; absent (not required) when `ca_bundle` is not set.
    static let caMount = "--mount=type=secret,id=\(CABundle.secretID),required=false"
    /// The start of a fetching RUN's script: the variables that make uv (and pip) trust the
    /// bundle, only when it was given (a SSL_CERT_FILE naming a missing file is an error to some
    /// tools). Set for that RUN only, so nothing of it stays in the image.
    static func caEnvironment(_ variables: String) -> String {
        "if [ -f \(CABundle.buildPath) ]; then export \(variables); fi; \\"
    }
    static let uvCA = caEnvironment("SSL_CERT_FILE=\(CABundle.buildPath) UV_NATIVE_TLS=true")

    public static func text(project: PythonProject, choices: ScaffoldChoices) -> String {
        let cache = "--mount=type=cache,target=\(uvCache)"
        let secret = "--mount=type=secret,id=\(netrcSecret),target=/root/.netrc \\\n    \(caMount)"
        let createUser = "--mount=type=bind,source=\(CreateUserScript.path),target=/tmp/create-user.sh"
        let web = project.webFramework
        // The groups or extras that hold the test runner: dev and ci install them, every sync
        // of those stages keeps them (uv sync removes what it is not asked for).
        let runnerOptions = project.testRunner.syncOptions.map { " " + $0 }.joined()
        let layout: String
        switch project.layout {
        case .src: layout = "src layout, package \(project.module)"
        case .flat: layout = "flat layout, package \(project.module)"
        case .singleModule: layout = "module \(project.module)"
        case .unknown: layout = "no package found for \(project.module)"
        }

        let wheelStage: String
        let prodCode: String
        if project.isPackaged {
            wheelStage = """

                FROM builder AS wheel
                # Then the code, built into a wheel that prod installs. A stage of its own: builder's
                # venv stays dependencies-only and unchanged by code edits, so prod's copy of it is
                # reused (not even re-checksummed) until uv.lock changes.
                COPY . .
                RUN \(cache) \\
                    \(secret) \\
                    \(uvCA)
                    uv build --wheel --out-dir /dist

                """
            prodCode = """
                # The dependencies (a layer reused until uv.lock changes), then the project's wheel,
                # installed without uv's cache; uv itself goes afterwards.
                COPY --from=builder /venv /venv
                RUN --mount=type=bind,from=wheel,source=/dist,target=/dist \\
                    uv pip install --python /venv/bin/python --no-deps --no-cache /dist/*.whl \\
                 && rm -f /usr/local/bin/uv /usr/local/bin/uvx
                """
        } else {
            wheelStage = "\n"
            prodCode = """
                # The dependencies (a layer reused until uv.lock changes), then the code: the project
                # has no [build-system], so uv does not install it and prod runs it from /app.
                COPY --from=builder /venv /venv
                COPY . /app
                RUN rm -f /usr/local/bin/uv /usr/local/bin/uvx
                """
        }

        let healthcheck: String
        let expose: String
        if web != nil {
            expose = "EXPOSE 8080\n"
            healthcheck = """
                # Healthy while the app accepts connections on its port (no curl in slim images:
                # Python's socket module does it).
                HEALTHCHECK --interval=10s --timeout=5s --start-period=10s --retries=3 \\
                  CMD ["python", "-c", "import socket; socket.create_connection(('127.0.0.1', 8080), 3).close()"]
                """
        } else {
            expose = ""
            healthcheck = """
                # Healthy while the runtime can import the application from the venv (read-only root:
                # the bytecode was compiled at build time). Replace with a real probe of your app.
                HEALTHCHECK --interval=10s --timeout=5s --start-period=5s --retries=3 \\
                  CMD ["python", "-c", "import \(project.module)"]
                """
        }
        let webNote = web.map { "\n# \($0) found: prod listens on 8080; make CMD serve there (e.g. uvicorn \(project.module).main:app --host 0.0.0.0 --port 8080)." } ?? ""

        return """
            # Dockerfile written by `devenv init` for \(project.name) (\(layout)).
            # Stages: base -> builder (dependencies)\(project.isPackaged ? " -> wheel (the project)" : "") -> prod (the runtime image);
            # dev (your daily container) and ci (the test run) beside them. `devenv build --profile NAME`
            # builds one with --target NAME and, for dev, your USERNAME/UID/GID as build args.
            # Needs BuildKit (RUN --mount). No "# syntax=" line on purpose: it would fetch the
            # Dockerfile frontend from a registry, and the one built into BuildKit has all this needs.

            # The base image, pinned by tag: \(choices.python.map { "Python \($0)" } ?? "its Python"). devenv.toml's base_image
            # overrides it.
            ARG BASE_IMAGE=\(choices.baseImage)

            FROM ${BASE_IMAGE} AS base
            # uv, pinned, from PyPI when the image has none (an image that ships uv keeps its own).
            ARG UV_VERSION=\(ScaffoldChoices.uvVersion)
            # A CA bundle (devenv.toml's ca_bundle, for a TLS-inspecting proxy) comes as the secret
            # "ca_bundle" in each RUN that fetches, never in a layer.
            RUN \(caMount) \\
                \(caEnvironment("PIP_CERT=\(CABundle.buildPath)"))
                command -v uv >/dev/null 2>&1 || pip install --no-cache-dir "uv==${UV_VERSION}"
            # UV_PROJECT_ENVIRONMENT=/venv in every stage: the venv prod copies is the one builder
            # made, and in dev it lives in a named volume, never in the bind-mounted project.
            # Bytecode is compiled at build time (read-only prod root); copy mode because the uv cache
            # is a separate mount; never download a Python: the image's is the one.
            ENV UV_PROJECT_ENVIRONMENT=/venv \\
                UV_COMPILE_BYTECODE=1 \\
                UV_LINK_MODE=copy \\
                UV_PYTHON_DOWNLOADS=never \\
                PYTHONDONTWRITEBYTECODE=1 \\
                PYTHONUNBUFFERED=1 \\
                PATH=/venv/bin:$PATH
            WORKDIR /app

            FROM base AS build-tools
            # Tools to compile wheels and C extensions, for every stage that runs `uv sync` (builder,
            # dev, ci), never for prod. Debian packages from devenv.toml's
            # build_args = { BUILD_PACKAGES = "build-essential" }; python3-dev is added when the
            # image's Python has no headers (the official images ship theirs), and only packages
            # not installed yet are fetched.
            ARG BUILD_PACKAGES=""
            RUN packages="$BUILD_PACKAGES"; \\
                if [ -n "$packages" ] && ! python3 -c "import os, sys, sysconfig; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))"; then \\
                  packages="$packages python3-dev"; \\
                fi; \\
                missing=""; \\
                for package in $packages; do \\
                  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing="$missing $package"; \\
                done; \\
                if [ -n "$missing" ]; then \\
                  apt-get update && apt-get install -y --no-install-recommends $missing \\
                  && rm -rf /var/lib/apt/lists/*; \\
                fi

            FROM build-tools AS builder
            # Dependencies before code: this layer is rebuilt only when pyproject.toml or uv.lock
            # change. uv's cache is a BuildKit cache mount (never in a layer); a private index's
            # credentials come as the secret "netrc" (never ARG or ENV, which stay in the image).
            COPY pyproject.toml uv.lock ./
            RUN \(cache) \\
                \(secret) \\
                \(uvCA)
                uv sync --frozen --no-install-project --no-dev
            \(wheelStage)
            FROM build-tools AS dev
            # Your user: devenv passes your name and ids, so files you write on the bind mount stay
            # yours. create-user.sh reuses or renames a user or group the base image already has with
            # those ids. The home is /home/dev whatever your name (devenv's dev profile mounts the
            # cache volume at /home/dev/.cache).
            ARG USERNAME=dev
            ARG UID=1000
            ARG GID=1000
            RUN \(createUser) \\
                sh /tmp/create-user.sh "$USERNAME" "$UID" "$GID" /home/dev
            # Dependencies with the dev group, in /venv owned by you (same RUN as the chown, so the
            # files are not stored twice). A new venv volume starts as a copy of this; `devenv
            # sync-deps` adds the project itself, editable, from the bind mount. The copy of uv.lock
            # in /venv tells `devenv up` which lock the venv holds (it syncs when yours changed). The mount points
            # exist and are yours before USER, so new volumes get the right owner.
            COPY pyproject.toml uv.lock ./
            RUN \(cache) \\
                \(secret) \\
                \(uvCA)
                uv sync --frozen --no-install-project\(runnerOptions) \\
             && cp uv.lock /venv/\(DockerPlanner.lockStampName) \\
             && mkdir -p /home/dev/.cache \\
             && chown -R "$UID:$GID" /venv /app /home/dev
            ENV HOME=/home/dev
            USER ${UID}:${GID}
            # Says that the volume paths of devenv's dev profile exist and are UID:GID's, so devenv
            # needs no chown container for new volumes (keep it true if you edit the lines above).
            LABEL devenv.volume-owner="${UID}:${GID} /venv /home/dev/.cache"
            # debugpy
            EXPOSE 5678
            CMD ["sleep", "infinity"]

            FROM build-tools AS ci
            # CI's standard user (UID 1001), the code baked in, the tests as the command.
            ARG USERNAME=ci
            ARG UID=1001
            ARG GID=1001
            RUN \(createUser) \\
                sh /tmp/create-user.sh "$USERNAME" "$UID" "$GID" /home/ci
            COPY pyproject.toml uv.lock ./
            RUN \(cache) \\
                \(secret) \\
                \(uvCA)
                uv sync --frozen --no-install-project\(runnerOptions) \\
             && chown -R "$UID:$GID" /venv /app
            COPY --chown=${UID}:${GID} . .
            ENV HOME=/home/ci
            USER ${UID}:${GID}
            # As the ci user: BuildKit does not expand variables in --mount options, so no uid= for
            # the cache mount here (the dependencies are in place and the project needs no cache),
            # and the private-index secret is given to ci's fixed UID 1001 literally.
            RUN --mount=type=secret,id=\(netrcSecret),target=/home/ci/.netrc,uid=1001 \\
                \(caMount),uid=1001 \\
                \(uvCA)
                uv sync --frozen --no-cache\(runnerOptions)
            CMD \(jsonArray(project.testCommand))

            FROM base AS prod
            # Only the runtime and the venv from builder: no build tools, no uv, no sudo, no
            # setuid/setgid bits, no uv cache, and a non-root user without a login shell. This
            # first step does not depend on the project, so it is built once.
            ARG USERNAME=app
            ARG UID=10001
            ARG GID=10001
            RUN \(createUser) \\
                sh /tmp/create-user.sh "$USERNAME" "$UID" "$GID" /home/app \\
             && usermod -s /usr/sbin/nologin "$USERNAME" \\
             && rm -f /usr/bin/sudo \\
             && find / -xdev -type f -perm /6000 -exec chmod a-s {} + \\
             && rm -rf /root/.cache
            \(prodCode)
            ENV HOME=/home/app
            USER ${UID}:${GID}
            \(expose)\(healthcheck)\(webNote)
            \(prodCommand(project))

            """
    }

    /// prod's CMD: the entry point init found, else a command that fails saying why (a library
    /// has nothing to run; `python -m PACKAGE` without a __main__ would restart-loop).
    static func prodCommand(_ project: PythonProject) -> String {
        if let command = project.prodCommand { return "CMD \(jsonArray(command))" }
        let message = "prod has no entry point: devenv init found no [project.scripts], no \(project.module)/__main__.py"
            + " and no ASGI/WSGI app; set CMD in the prod stage of the Dockerfile"
        return """
            # No entry point found ([project.scripts], a __main__ module, an ASGI/WSGI app under a
            # server): replace this CMD with the command that starts your application.
            CMD \(jsonArray(["python", "-c", "import sys; sys.exit('\(message)')"]))
            """
    }

    /// The exec form of CMD (and a TOML array: the same syntax for these strings): a JSON
    /// array of strings, control characters escaped (`JSONText.quote`), so a word can never end
    /// the Dockerfile line it stands on.
    static func jsonArray(_ words: [String]) -> String {
        "[" + words.map(JSONText.quote).joined(separator: ", ") + "]"
    }
}
