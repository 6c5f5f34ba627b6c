/// The effective settings of one profile after layering: every value with its origin.
/// Field names follow the TOML keys (documented in README, "Profiles").
public struct Profile: Sendable, Hashable {
    public var name: String
    /// The profile this one was built on (`extends`), nil for a profile that starts from the
    /// built-in defaults.
    public var extends: Sourced<String?>
    public var description: Sourced<String?>
    /// `docker build --target`; nil builds the Dockerfile's last stage.
    public var target: Sourced<String?>
    public var user: Sourced<UserSpec>
    /// HOME for the container user (`-e HOME=`): a synced host UID has no passwd entry in the
    /// image, so HOME would be `/`. The Dockerfile creates it owned by the synced user.
    public var home: Sourced<String?>
    /// `docker build/run --network`; nil leaves the engine's default.
    public var network: Sourced<String?>
    /// The host address `ports` without one of their own are published on; nil is docker's
    /// default, every interface. The shipped dev profile says 127.0.0.1: a dev server or a
    /// debugger on every interface of a laptop is an open door.
    public var host: Sourced<String?>
    public var ports: Sourced<[PortMapping]>
    public var env: [NamedSetting]
    /// The `env` entries whose value is a template that `up` resolves against the container's
    /// environment when it creates the container (devcontainer.json remoteEnv entries that refer
    /// to `${containerEnv:VAR}`); a later layer that sets the name plainly takes it out.
    public var envResolvedAtUp: Set<String> = []
    /// Relative to the project folder.
    public var envFile: Sourced<String?>
    /// Named volumes: role (`venv`, `cache`) -> container path.
    public var volumes: [NamedSetting]
    /// `ssh = true`: builds get `--ssh default` (RUN --mount=type=ssh reaches the host's
    /// agent) and a container that mounts the project gets the agent socket and ~/.gitconfig.
    public var ssh: Sourced<Bool>
    /// `ca_bundle` as written: `"host"`, a PEM file's path, or `"none"` (this profile's
    /// container gets no bundle); nil: [project]'s applies (`CABundle`).
    public var caBundle: Sourced<String?>
    /// nil keeps the image's CMD.
    public var command: Sourced<[String]?>
    public var readOnly: Sourced<Bool>
    public var tmpfs: Sourced<[String]>
    public var capDrop: Sourced<[String]>
    public var capAdd: Sourced<[String]>
    public var noNewPrivileges: Sourced<Bool>
    /// `docker run --restart`; nil is docker's `no`.
    public var restart: Sourced<String?>
    /// Bind-mount the project folder at the project's `workspace`.
    public var mountWorkspace: Sourced<Bool>
    public var syncCommand: Sourced<[String]>
    public var testCommand: Sourced<[String]>
    /// A ready image to run instead of building the Dockerfile (devcontainer.json `image`).
    public var image: Sourced<String?>
    /// Extra `docker run` options, validated by `RunOptions` (profile key `run_args`).
    public var runArgs: Sourced<[String]>
    /// Labels of published ports, by container port (devcontainer.json `portsAttributes`).
    public var portLabels: [NamedSetting]
    /// Lifecycle commands by stage (`post_create` ..., or devcontainer.json's).
    public var lifecycle: [LifecycleStage: Sourced<LifecycleCommand>]
    /// The stage `up` waits for before it reports the environment ready (devcontainer.json
    /// `waitFor`; the spec's default is updateContent). Later stages still run before `up`
    /// returns, since devenv has no background attach.
    public var waitFor: Sourced<LifecycleStage>
    /// The devcontainer.json this profile was read from (absolute), nil for devenv's own.
    public var devcontainerFile: String?
    /// devcontainer.json's `hostRequirements.gpu` (`GPURequest`); nil: no GPU asked for.
    public var gpu: Sourced<GPURequest?> = .builtIn(nil)
    /// The services (`[services.NAME]`) this profile runs beside the app, each with the place
    /// it is named (`value` unused); none unless a file says so.
    public var services: Sourced<[NamedSetting]> = .builtIn([])

    /// `ports` as published: a mapping without an address of its own gets `host`.
    public var publishedPorts: [PortMapping] {
        ports.value.map { mapping in
            var mapping = mapping
            if mapping.hostIP == nil { mapping.hostIP = host.value }
            return mapping
        }
    }

    /// What a profile is before any file says otherwise (and without `extends`).
    public static func builtInDefaults(name: String) -> Profile {
        Profile(
            name: name,
            extends: .builtIn(nil),
            description: .builtIn(nil),
            target: .builtIn(nil),
            user: .builtIn(.image),
            home: .builtIn(nil),
            network: .builtIn(nil),
            host: .builtIn(nil),
            ports: .builtIn([]),
            env: [],
            envFile: .builtIn(nil),
            volumes: [],
            ssh: .builtIn(false),
            caBundle: .builtIn(nil),
            command: .builtIn(nil),
            readOnly: .builtIn(false),
            tmpfs: .builtIn([]),
            capDrop: .builtIn([]),
            capAdd: .builtIn([]),
            noNewPrivileges: .builtIn(false),
            restart: .builtIn(nil),
            mountWorkspace: .builtIn(true),
            syncCommand: .builtIn(["uv", "sync", "--frozen"]),
            testCommand: .builtIn(["pytest"]),
            image: .builtIn(nil),
            runArgs: .builtIn([]),
            portLabels: [],
            lifecycle: [:],
            waitFor: .builtIn(.updateContent),
            devcontainerFile: nil)
    }

    /// This profile with every value `layer` sets replaced; `env` and `volumes` merge by key.
    func overlaid(with layer: ProfileLayer) -> Profile {
        var p = self
        if let v = layer.extends { p.extends = Sourced(v.value, v.origin) }
        if let v = layer.description { p.description = Sourced(v.value, v.origin) }
        if let v = layer.target { p.target = Sourced(v.value, v.origin) }
        if let v = layer.user { p.user = v }
        if let v = layer.home { p.home = Sourced(v.value, v.origin) }
        if let v = layer.network { p.network = Sourced(v.value, v.origin) }
        if let v = layer.host { p.host = Sourced(v.value, v.origin) }
        if let v = layer.ports { p.ports = v }
        p.env = p.env.overlaid(with: layer.env)
        p.envResolvedAtUp.subtract(layer.env.map(\.name))
        p.envResolvedAtUp.formUnion(layer.envResolvedAtUp)
        if let v = layer.envFile { p.envFile = Sourced(v.value, v.origin) }
        p.volumes = p.volumes.overlaid(with: layer.volumes)
        if let v = layer.ssh { p.ssh = v }
        if let v = layer.caBundle { p.caBundle = Sourced(v.value, v.origin) }
        if let v = layer.command { p.command = Sourced(v.value, v.origin) }
        if let v = layer.readOnly { p.readOnly = v }
        if let v = layer.tmpfs { p.tmpfs = v }
        if let v = layer.capDrop { p.capDrop = v }
        if let v = layer.capAdd { p.capAdd = v }
        if let v = layer.noNewPrivileges { p.noNewPrivileges = v }
        if let v = layer.restart { p.restart = Sourced(v.value, v.origin) }
        if let v = layer.mountWorkspace { p.mountWorkspace = v }
        if let v = layer.syncCommand { p.syncCommand = v }
        if let v = layer.testCommand { p.testCommand = v }
        if let v = layer.image { p.image = Sourced(v.value, v.origin) }
        if let v = layer.runArgs { p.runArgs = v }
        p.portLabels = p.portLabels.overlaid(with: layer.portLabels)
        p.lifecycle.merge(layer.lifecycle) { _, upper in upper }
        if let v = layer.waitFor { p.waitFor = v }
        if let v = layer.devcontainerFile { p.devcontainerFile = v }
        if let v = layer.gpu { p.gpu = Sourced(v.value, v.origin) }
        if let v = layer.services { p.services = v }
        return p
    }
}

/// What one file says about one profile: only the keys it sets.
struct ProfileLayer: Sendable, Equatable {
    var extends: Sourced<String>?
    var description: Sourced<String>?
    var target: Sourced<String>?
    var user: Sourced<UserSpec>?
    var home: Sourced<String>?
    var network: Sourced<String>?
    var host: Sourced<String>?
    var ports: Sourced<[PortMapping]>?
    var env: [NamedSetting] = []
    /// Names in `env` resolved at up (`Profile.envResolvedAtUp`).
    var envResolvedAtUp: Set<String> = []
    var envFile: Sourced<String>?
    var volumes: [NamedSetting] = []
    var ssh: Sourced<Bool>?
    var caBundle: Sourced<String>?
    var command: Sourced<[String]>?
    var readOnly: Sourced<Bool>?
    var tmpfs: Sourced<[String]>?
    var capDrop: Sourced<[String]>?
    var capAdd: Sourced<[String]>?
    var noNewPrivileges: Sourced<Bool>?
    var restart: Sourced<String>?
    var mountWorkspace: Sourced<Bool>?
    var syncCommand: Sourced<[String]>?
    var testCommand: Sourced<[String]>?
    var image: Sourced<String>?
    var runArgs: Sourced<[String]>?
    var portLabels: [NamedSetting] = []
    var lifecycle: [LifecycleStage: Sourced<LifecycleCommand>] = [:]
    var waitFor: Sourced<LifecycleStage>?
    var devcontainerFile: String?
    var gpu: Sourced<GPURequest>?
    var services: Sourced<[NamedSetting]>?
}
