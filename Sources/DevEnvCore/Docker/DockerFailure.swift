/// Turns a failed docker call into devenv's error: the argv and docker's own stderr always, and
/// for messages devenv knows, the exit code and a hint (lazydocker's KnownError).
public enum DockerFailure {
    private static let noEngineMarkers = [
        "Cannot connect to the Docker daemon", "Is the docker daemon running", "error during connect",
        "connect: no such file or directory", "permission denied while trying to connect",
    ]

    /// Whether `stderr` says a container name is taken: Docker "Conflict. The container name
    /// \"/N\" is already in use by container \"ID\"", Podman "the container name \"N\" is already in
    /// use by ID". An engine reserves the name as its create begins, so a create still under way
    /// holds it too (`DockerPlanner.claimRunName`).
    public static func nameTaken(_ stderr: String) -> Bool { stderr.contains("is already in use by") }

    /// `outputShown`: the call's output was already on the user's screen as progress (its last
    /// `detailLines` lines at least), so the detail names the command and does not print the
    /// output a second time (issue 15); the message and hint still come from it.
    public static func error(_ what: String, invocation: ProcessInvocation, result: ProcessResult,
                             outputShown: Bool = false) -> DevEnvError {
        let stderr = result.stderrText.trimmingTrailingWhitespace()
        let output = stderr.isEmpty ? "(exit \(result.exitCode), no output)"
            : outputShown ? "(exit \(result.exitCode); its output is above)" : lastLines(stderr)
        let detail = "$ \(invocation.shellQuoted)\n" + output
        // Podman's log lines (time="..." level=error msg="... systemd ... connect: no such file")
        // are about its helpers (health-check timers without systemd), not the engine.
        let ownLines = stderr.split(separator: "\n").filter { !$0.hasPrefix("time=\"") }.joined(separator: "\n")
        // The CLI cannot even pick an engine: a context that does not exist, a malformed host.
        // Newer CLIs say `context "X": context not found`; Debian's 20.10 (which builds) says
        // `context "X" does not exist`, and takes an empty DOCKER_CONTEXT for a context "".
        if ownLines.contains("context not found")
            || (ownLines.contains("unable to resolve docker endpoint: context \"") && ownLines.contains("\" does not exist")) {
            let name = ownLines.firstRange(of: "context \"").map { ownLines[$0.upperBound...].prefix { $0 != "\"" } } ?? ""
            let empty = name.isEmpty ? "DOCKER_CONTEXT is set but empty, which this docker CLI takes for a context named \"\"; " : ""
            return DevEnvError(.noEngine, "the docker context \"\(name)\" does not exist",
                               hint: empty + "it comes from DOCKER_CONTEXT, else from `docker context use` (~/.docker/config.json): `docker context ls` lists the contexts; unset DOCKER_CONTEXT or run `docker context use default`",
                               detail: detail)
        }
        // Debian's 20.10 CLI says a host it cannot parse as Go's URL parser does (`parse "unix://...": ...`).
        let unparsableHost = ownLines.hasPrefix("parse \"") && ownLines.contains("://")
        if ownLines.contains("unable to resolve docker endpoint") || ownLines.contains("unable to parse docker host")
            || unparsableHost || ownLines.contains("ssh host connection is not valid") {
            return DevEnvError(.noEngine, "the docker CLI cannot use the engine address it was given",
                               hint: "check DOCKER_HOST (unix:///var/run/docker.sock, tcp://HOST:2376 or ssh://USER@HOST), or unset it",
                               detail: detail)
        }
        if let range = ownLines.firstRange(of: "Cannot connect to the Docker daemon at "),
           let host = ownLines[range.upperBound...].split(separator: " ").first.map({ String($0.dropLast($0.hasSuffix(".") ? 1 : 0)) }),
           host != "unix:///var/run/docker.sock" {
            return DevEnvError(.noEngine, "no Docker engine answers at \(host)",
                               hint: "that address comes from DOCKER_HOST or the docker context (DOCKER_CONTEXT, `docker context use`): start the engine there, or unset DOCKER_HOST / `docker context use default`",
                               detail: detail)
        }
        if noEngineMarkers.contains(where: ownLines.contains) {
            let hint = stderr.contains("permission denied")
                ? "add your user to the docker group (then log in again), or use sudo"
                : "start one: `sudo systemctl start docker` (or `sudo dockerd &`); `devenv doctor` checks the set-up"
            return DevEnvError(.noEngine, "no Docker engine answers", hint: hint, detail: detail)
        }
        // `docker create --name N` when N was taken after devenv looked (a race, or another
        // user's devenv): someone else's container, which devenv leaves alone.
        if Self.nameTaken(stderr) {
            return DevEnvError(.conflict, "\(what): the name was taken by another container meanwhile; nothing was removed",
                               hint: "see who owns it: `docker ps --all --filter name=...`; remove or rename it yourself, or set a different `name` under [project] in devenv.toml",
                               detail: detail)
        }
        if stderr.contains("port is already allocated") || stderr.contains("address already in use") {
            return DevEnvError(.conflict, "\(what): a published port is already in use",
                               hint: "stop what holds it, or choose another host port: `ports` in devenv.toml, or `devenv up --port CONTAINER=HOST`",
                               detail: detail)
        }
        if stderr.contains("BuildKit is enabled but the buildx component is missing") {
            return DevEnvError(.failure, "\(what): this docker CLI has no BuildKit (the buildx plugin is missing)",
                               hint: buildKitHint, detail: detail)
        }
        if stderr.contains("the --mount option requires BuildKit") {
            return DevEnvError(.failure, "\(what): the Dockerfile needs BuildKit (RUN --mount) and this docker CLI has none",
                               hint: buildKitHint, detail: detail)
        }
        // Podman before 4.4 keeps every user's RUN --mount=type=cache folders in one
        // /var/tmp/buildah-cache: once a root build made it, a rootless build cannot (seen with
        // 4.3.1: "unable to change uid,gid of cache directory: mkdir
        // /var/tmp/buildah-cache/ID: permission denied").
        if stderr.contains("/buildah-cache") && stderr.contains("permission denied") {
            return DevEnvError(.failure, "\(what): Podman cannot make its build cache folder (root's builds made /var/tmp/buildah-cache, which rootless builds share before Podman 4.4)",
                               hint: "give your builds a folder of their own: `image_copy_tmp_dir = \"/home/YOU/.local/share/containers/tmp\"` under [engine] in ~/.config/containers/containers.conf (or TMPDIR=that folder)",
                               detail: detail)
        }
        if stderr.contains("network bridge not found") {
            return DevEnvError(.failure, "\(what): the engine has no bridge network",
                               hint: "set `network = \"none\"` (or \"host\") for this profile in devenv.toml", detail: detail)
        }
        if stderr.contains("the input device is not a TTY") {
            return DevEnvError(.failure, "\(what): stdin is not a terminal", detail: detail)
        }
        if stderr.contains("is not running") {
            return DevEnvError(.failure, "\(what): the container is not running", hint: "run `devenv up` first",
                               detail: detail)
        }
        return DevEnvError(.failure, "\(what) failed (docker exit \(result.exitCode))", detail: detail)
    }

    /// The end of docker's stderr: a failed build's reason is at its end, and the whole output
    /// was already shown as progress.
    /// How many of docker's last lines an error shows (and a failed step keeps on screen).
    public static let detailLines = 25

    static func lastLines(_ text: String, count: Int = detailLines) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count > count else { return text }
        return "(\(lines.count - count) earlier lines left out)\n" + lines.suffix(count).joined(separator: "\n")
    }

    public static let buildKitHint =
        "install the docker-buildx plugin (Debian: docker-buildx; Docker's repo: docker-buildx-plugin), or point DEVENV_DOCKER at a client with BuildKit built in (Debian's docker.io 20.10: /usr/bin/docker)"
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var text = self
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
