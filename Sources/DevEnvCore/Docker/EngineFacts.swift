#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The one description of the engine a command talks to (issue 11): its family (Docker or
/// Podman), rootful or rootless, where it is (a context or a host, local or remote), BuildKit
/// and versions. Built from what the CLI prints (`docker info`/`version --format '{{json .}}'`,
/// `podman version`), read leniently: Podman's shim and old clients leave fields out. The
/// planner's user mapping, `status`, `doctor`, `--dry-run` and the dashboard header all read
/// it; `EngineProbe` (DevEnvApp) fills it once per command.
public struct EngineFacts: Sendable, Hashable {
    public var clientVersion: String?
    /// Nil when no engine answered. Local Podman has no server: its client version, once a
    /// call succeeded (`podmanAnswered`).
    public var serverVersion: String?
    /// The engine's API version (Docker: the server's, from `version`; Podman: its own).
    public var apiVersion: String?
    /// The context the CLI uses (DOCKER_CONTEXT, else config.json's currentContext, else
    /// "default"), as the CLI reports it.
    public var context: String?
    /// `docker info` SecurityOptions, e.g. "name=seccomp,profile=default", "name=rootless".
    public var securityOptions: [String] = []
    public var dockerRootDir: String?
    /// The client's CLI plugins (buildx, compose), from `docker info`'s ClientInfo.
    public var clientPlugins: [String] = []
    /// The family of the CLI: how devenv words its calls (`ps`/`volume ls` templates, `build
    /// --format docker`, keep-id, `events --until`). The CLI's name or file, else the probe.
    public var kind: EngineKind = .docker
    /// A docker CLI talking to Podman's Docker-compatible API (DOCKER_HOST or a context on
    /// `podman system service`'s socket), which neither the CLI's name nor its file tells: its
    /// `info` lists Podman's log drivers (`k8s-file`, which Docker has not), its `version`
    /// names a "Podman Engine" component. The calls stay Docker's (the CLI parses them);
    /// what the engine does is Podman's (`server`).
    public var podmanAPI = false
    /// Podman's own answer to "rootless?" (`podman info`'s host.security.rootless, or the
    /// process's effective UID for a local Podman: rootless Podman is Podman run by a non-root
    /// user); nil for Docker, whose answer is in `securityOptions`.
    public var podmanRootless: Bool?
    /// Why the engine did not answer (docker's stderr, last line).
    public var serverError: String?
    /// The OCI runtimes the engine has registered (`docker info`'s Runtimes, by name: `runc`,
    /// `nvidia` ...); empty when the engine did not say (Podman's `version`).
    public var runtimes: [String] = []

    /// Whether `docker run --gpus` can work: the NVIDIA Container Toolkit registers a runtime
    /// named `nvidia` with the engine (`nvidia-ctk runtime configure`), and Docker's `--gpus`
    /// needs its hook. Read from the engine description's one `docker info`, so asking costs
    /// no call of its own.
    public var hasGPURuntime: Bool { runtimes.contains("nvidia") }

    public init(kind: EngineKind = .docker) { self.kind = kind }

    /// The family of the engine that answers: Podman behind a docker CLI on its API
    /// (`podmanAPI`), else the CLI's (`kind`). Its init is catatonit (a command it cannot start
    /// is "failed to exec pid1", exit 1), its builds are Buildah's (no BuildKit; `RUN --mount`
    /// taken all the same).
    public var server: EngineKind { podmanAPI ? .podman : kind }

    /// Whether `docker run --rm` reports the command's exit status: not through the docker CLI
    /// on Podman's API, whose `run --rm` exits 0 whatever the command did (podman#18889; Podman
    /// 4.3.1 here: `sh -c 'exit 3'` gave 0, without `--rm` 3). One-off runs there go without
    /// `--rm` and devenv removes them by ID (`OneOffContainers`).
    public var runRemovalKeepsStatus: Bool { !(kind == .docker && podmanAPI) }

    /// The CLI is Podman (its name, or its shim's "Emulate Docker CLI using podman" notice).
    public var isPodman: Bool {
        get { kind == .podman }
        set { kind = newValue ? .podman : .docker }
    }

    private struct VersionJSON: Decodable {
        struct Part: Decodable {
            var Version: String?
            var ApiVersion: String?
            var APIVersion: String?
            var Context: String?
            /// Podman's client only ("linux/amd64"; Docker's has Os and Arch apart).
            var OsArch: String?
        }
        struct Component: Decodable { var Name: String? }
        struct ServerPart: Decodable {
            var Version: String?
            var ApiVersion: String?
            var APIVersion: String?
            var Components: [Component]?
        }
        var Client: Part?
        var Server: ServerPart?
    }

    private struct InfoJSON: Decodable {
        struct Plugin: Decodable { var Name: String? }
        struct ClientInfo: Decodable {
            var Plugins: [Plugin]?
            var Context: String?
            var Version: String?
        }
        /// Only the names matter; each runtime's settings are skipped.
        struct Skipped: Decodable { init(from decoder: Decoder) throws {} }
        struct Plugins: Decodable { var Log: [String]? }
        var SecurityOptions: [String]?
        var Plugins: Plugins?
        var Runtimes: [String: Skipped]?
        var DockerRootDir: String?
        var ServerVersion: String?
        var ClientInfo: ClientInfo?
        var ServerErrors: [String]?
        // Podman's shape (lower-case keys).
        struct Host: Decodable {
            struct Security: Decodable { var rootless: Bool? }
            var security: Security?
        }
        struct Store: Decodable { var graphRoot: String? }
        struct PodmanVersion: Decodable { var Version: String?; var APIVersion: String? }
        var host: Host?
        var store: Store?
        var version: PodmanVersion?
    }

    /// Reads `docker version --format '{{json .}}'` (stdout may be partial JSON or empty when the
    /// engine does not answer; stderr says why). Podman's has no Server part when it is local.
    public mutating func readVersion(stdout: String, stderr: String, cli: String, succeeded: Bool = false) {
        if stderr.contains("Emulate Docker CLI using podman") || EngineKind.named(cli) == .podman {
            kind = .podman
        }
        let line = stdout.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        if let parsed = try? JSONDecoder().decode(VersionJSON.self, from: Data(line.utf8)) {
            // A `docker` that answers in Podman's words is Podman (its shim with the notice
            // silenced by /etc/containers/nodocker, or a wrapper script).
            if parsed.Client?.OsArch != nil && parsed.Client?.APIVersion != nil && parsed.Client?.ApiVersion == nil {
                kind = .podman
            }
            clientVersion = parsed.Client?.Version
            serverVersion = parsed.Server?.Version
            if kind == .docker, parsed.Server?.Components?.contains(where: { $0.Name == "Podman Engine" }) == true { podmanAPI = true }
            apiVersion = parsed.Server?.ApiVersion ?? parsed.Server?.APIVersion
                ?? (kind == .podman ? parsed.Client?.APIVersion : nil)
            context = parsed.Client?.Context
        }
        if kind == .podman && serverVersion == nil && succeeded {
            // Local Podman is its own engine: the call that answered is the engine answering.
            serverVersion = clientVersion
        }
        if serverVersion == nil {
            let lines = stderr.split(whereSeparator: \.isNewline).map(String.init)
                .filter { !$0.contains("Emulate Docker CLI") }
            serverError = lines.last
        }
    }

    /// Reads `docker info --format '{{json .}}'`, Docker's shape or Podman's (which also marks
    /// the engine as Podman: the `docker` of podman-docker answers with it).
    public mutating func readInfo(stdout: String) {
        // Docker prints one line; Podman's `{{json .}}` is pretty-printed over many.
        let line = stdout.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard let parsed = (try? JSONDecoder().decode(InfoJSON.self, from: Data(line.utf8)))
            ?? (try? JSONDecoder().decode(InfoJSON.self, from: Data(stdout.utf8))) else { return }
        if let host = parsed.host {
            kind = .podman
            podmanRootless = host.security?.rootless ?? podmanRootless
            dockerRootDir = parsed.store?.graphRoot
            if serverVersion == nil { serverVersion = parsed.version?.Version }
            // The shim's `docker info` is all a command asks: Podman's own version is its client's.
            if clientVersion == nil { clientVersion = parsed.version?.Version }
            if apiVersion == nil { apiVersion = parsed.version?.APIVersion }
            return
        }
        securityOptions = parsed.SecurityOptions ?? []
        // Podman's API answers `info` in Docker's shape, with its own log drivers (Podman 4.3:
        // k8s-file, none, passthrough, journald); Docker's are json-file, local, syslog ...
        if parsed.Plugins?.Log?.contains("k8s-file") == true { podmanAPI = true }
        runtimes = (parsed.Runtimes ?? [:]).keys.sorted()
        dockerRootDir = parsed.DockerRootDir
        clientPlugins = (parsed.ClientInfo?.Plugins ?? []).compactMap(\.Name)
        if context == nil { context = parsed.ClientInfo?.Context }
        if clientVersion == nil { clientVersion = parsed.ClientInfo?.Version }
        if serverVersion == nil { serverVersion = parsed.ServerVersion }
        if let error = parsed.ServerErrors?.first, serverError == nil { serverError = error }
    }

    /// Podman's API behind a docker CLI says rootless in SecurityOptions only in later Podman
    /// versions (4.3.1's says seccomp alone): there its store tells, a rootless Podman's being
    /// under the user's home (`~/.local/share/containers/storage`; root's is /var/lib/containers).
    public var isRootless: Bool {
        if kind == .podman { return podmanRootless ?? false }
        if securityOptions.contains(where: { $0.contains("name=rootless") }) { return true }
        return podmanAPI && (dockerRootDir ?? "").contains("/.local/share/containers/")
    }

    /// Rootful or rootless, and the engine's family: "rootful Docker", "rootless Podman"
    /// (Podman's too behind a docker CLI: `server`).
    public var mode: String { "\(isRootless ? "rootless" : "rootful") \(server.display)" }

    /// How a container user maps to a host user on this engine (DESIGN.md section 4): rootless
    /// Docker's UID 0 is the host user; rootless Podman maps the host user to itself with
    /// keep-id; rootful engines map UID n to UID n.
    public var userMapping: DockerPlanner.UserMapping {
        switch (kind, isRootless) {
        case (.docker, true): return .rootless
        case (.podman, true): return .podmanKeepID(namesIDs: supportsKeepIDOptions)
        default: return .direct
        }
    }

    /// The engine in a few words for the dashboard's header: family and mode with the
    /// engine's version, where it is (`location`: "context NAME", a DOCKER_HOST or
    /// CONTAINER_HOST value, "local"), and how container users map to host users on it
    /// (`userMapping`; `hostUser` is "UID:GID" of the user devenv syncs):
    /// "rootless Docker 20.10.24 · context rootless · container root is host 1000:1000".
    public func summary(location: String, hostUser: String) -> String {
        let version = serverVersion.map { " \($0)" } ?? ""
        let mapping: String
        switch userMapping {
        case .direct: mapping = "container UIDs are host UIDs"
        case .rootless: mapping = "container root is host \(hostUser)"
        case .podmanKeepID: mapping = "keep-id: host \(hostUser) is \(hostUser) inside"
        }
        return "\(mode)\(version) · \(location) · \(mapping)"
    }

    /// Podman 4.3 or later: `--userns=keep-id:uid=U,gid=G` (added in 4.3.0, containers/podman
    /// PR 15389; older ones reject it as "unrecognized namespace mode"). False when the version
    /// is unknown, so the plain form is used.
    public var supportsKeepIDOptions: Bool {
        guard kind == .podman, let version = clientVersion else { return false }
        let parts = version.split(separator: ".").map { Int($0.prefix { $0.isNumber }) ?? 0 }
        guard let major = parts.first else { return false }
        return major > 4 || (major == 4 && parts.count > 1 && parts[1] >= 3)
    }

    /// The client's major version (20 for "20.10.24+dfsg1").
    public var clientMajor: Int? { clientVersion.flatMap { Int($0.prefix { $0.isNumber }) } }
}
