/// Everything the planners need to know about one environment (a project in one profile),
/// resolved from configuration: absolute host paths, no defaults left to fill.
public struct EnvironmentSpec: Sendable, Hashable {
    public enum User: Sendable, Hashable {
        /// The host user's UID/GID (HostIdentity), also passed as build args.
        case host
        /// A fixed UID:GID, e.g. CI's 1001:1001.
        case fixed(uid: UInt32, gid: UInt32)
        /// Whatever USER the image declares.
        case image
    }

    public enum SecretSource: Sendable, Hashable {
        case file(String)
        case environment(String)
    }

    public struct BuildSecret: Sendable, Hashable {
        public var id: String
        public var source: SecretSource
        /// Where the secret was configured (`devenv.toml:9:1`), for errors about it.
        public var origin: String?
        public init(id: String, source: SecretSource, origin: String? = nil) {
            self.id = id
            self.source = source
            self.origin = origin
        }
    }

    public struct BindMount: Sendable, Hashable {
        public var source: String
        public var target: String
        public var readOnly: Bool
        /// Where the mount was configured (`devenv.toml:7:10`), for errors about it.
        public var origin: String?
        public init(source: String, target: String, readOnly: Bool = false, origin: String? = nil) {
            self.source = source
            self.target = target
            self.readOnly = readOnly
            self.origin = origin
        }
    }

    public var project: String
    public var profile: String
    /// The project's `default_profile` (`[project]`, else the built-in `dev`): the profile a
    /// command without `--profile` acts on (`command(_:)`).
    public var defaultProfile = "dev"
    public var projectRoot: String
    public var dockerfile: String
    public var context: String
    public var target: String?
    /// Where `target` was set (`devenv.toml:4:1`, a shipped profile's file), for the error that
    /// names a stage the Dockerfile does not have.
    public var targetOrigin: String?
    public var buildArgs: [String: String] = [:]
    public var buildSecrets: [BuildSecret] = []
    public var network: String?
    /// `docker build --ssh default`: RUN --mount=type=ssh reaches the host's SSH agent (profile
    /// key `ssh`; the container side is set up by the loader as mounts and env).
    public var ssh = false
    /// The host's CA bundle file for builds, passed as the BuildKit secret `ca_bundle`
    /// (`CABundle`); not part of the image fingerprint, since a secret is in no layer.
    public var caBundle: String?
    public var user: User = .host
    /// Published ports, each with its host address when it has one (the profile's `host`);
    /// with `up --port` applied (`portOverrides`).
    public var ports: [PortMapping] = []
    /// `devenv up --port CONTAINER=HOST` of this command, already applied to `ports`; empty
    /// for any other command. Kept so the container's inputs name the command line, not
    /// devenv.toml, as where its host ports came from (`DockerPlanner.inputs`).
    public var portOverrides: [PortOverride] = []
    /// `ports` as the configuration has them, before `portOverrides` (nil: none given).
    public var configuredPorts: [PortMapping]?

    /// Applies `up --port` to `ports`, keeping the configuration's in `configuredPorts`.
    /// Throws `PortOverride.apply`'s usage error (exit 2) for a container port the profile
    /// does not publish.
    public mutating func override(ports overrides: [PortOverride]) throws {
        guard !overrides.isEmpty else { return }
        let configured = configuredPorts ?? ports
        ports = try PortOverride.apply(overrides, to: configured, profile: profile)
        configuredPorts = configured
        portOverrides = overrides
    }
    public var environment: [String: String] = [:]
    /// Names in `environment` whose value is a template with `${containerEnv:VAR}` that the
    /// planner resolves when it creates the container (`DockerPlanner.imageEnvironment`).
    public var environmentResolvedAtCreate: Set<String> = []
    public var envFile: String?
    /// Role (venv, cache) -> container path; each becomes a labelled named volume.
    public var volumes: [String: String] = [:]
    /// Extra bind mounts, with absolute host paths.
    public var mounts: [BindMount] = []
    public var command: [String] = []
    public var readOnly = false
    public var tmpfs: [String] = []
    public var capDrop: [String] = []
    public var capAdd: [String] = []
    public var noNewPrivileges = false
    public var restart: String?
    public var mountWorkspace = true
    public var workspace = "/app"
    public var syncCommand: [String] = ["uv", "sync", "--frozen"]
    public var testCommand: [String] = []
    public var cleanCacheCommand: [String] = []
    /// A ready image to run instead of building (devcontainer.json `image`).
    public var image: String?
    /// `docker build --cache-from` images.
    public var cacheFrom: [String] = []
    /// Extra `docker run` options, already checked against `RunOptions`.
    public var runArgs: [String] = []
    /// What the user calls `runArgs` where it was set: `runArgs` in a devcontainer.json,
    /// `run_args` in devenv.toml (for warnings about it).
    public var runArgsKey = "run_args"
    /// Lifecycle commands by stage.
    public var lifecycle: [LifecycleStage: LifecycleCommand] = [:]
    public var waitFor: LifecycleStage = .updateContent
    /// Labels of published ports, by container port.
    public var portLabels: [String: String] = [:]
    /// The devcontainer.json the environment comes from (absolute), nil for devenv's own.
    public var devcontainerFile: String?
    /// The GPUs it asks for (devcontainer.json `hostRequirements.gpu`); `DockerPlanner.gpus`
    /// says whether the engine gives them.
    public var gpu: GPURequest?
    /// The services this profile runs beside the app, their paths (env_file, build dockerfile
    /// and context) made absolute.
    public var services: [ServiceSpec] = []
    /// The project network the app joins when there are services (`ResourceNames.network`);
    /// `network` still applies to builds.
    public var serviceNetwork: String?

    public init(project: String, profile: String, projectRoot: String, dockerfile: String, context: String) {
        self.project = project
        self.profile = profile
        self.projectRoot = projectRoot
        self.dockerfile = dockerfile
        self.context = context
    }

    /// The devenv command line that does `words` for this profile, as devenv's messages tell
    /// the user to type it: `devenv up` for the project's default profile, `devenv up --profile
    /// ci` for another (without `--profile`, devenv acts on `default_profile`, which need not be
    /// dev).
    public func command(_ words: String) -> String {
        Self.command(words, profile: profile, defaultProfile: defaultProfile)
    }

    /// `command(_:)` for `profile` of a project whose `default_profile` is `defaultProfile`.
    public static func command(_ words: String, profile: String, defaultProfile: String) -> String {
        "devenv \(words)" + (profile == defaultProfile ? "" : " --profile \(profile)")
    }
}
