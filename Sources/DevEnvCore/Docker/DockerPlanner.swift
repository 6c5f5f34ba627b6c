/// Turns an environment (spec + the synced user) into docker command lines, as values. Pure:
/// every argv devenv ever runs against Docker is built here, so unit tests can pin them down
/// and `--dry-run` can print them.
public struct DockerPlanner: Sendable {
    /// The docker CLI (`docker`, a path, or DEVENV_DOCKER such as `podman`).
    public var cli: String
    public var spec: EnvironmentSpec
    public var identity: HostIdentity
    public var names: ResourceNames
    /// The engine family: from the CLI's name until the engine description says otherwise
    /// (`EngineFacts`); it picks the `ps` templates, the build's image format and keep-id.
    public var engine: EngineKind

    public init(cli: String, spec: EnvironmentSpec, identity: HostIdentity) {
        self.cli = cli
        self.spec = spec
        self.identity = identity
        self.names = ResourceNames(spec)
        self.engine = EngineKind.named(cli)
    }

    private func docker(_ arguments: [String], io: ProcessIO = .capture,
                        environment: [String: String] = [:]) -> ProcessInvocation {
        ProcessInvocation([cli] + arguments, environment: environment, io: io)
    }

    /// How container users map to host users on this engine (DESIGN.md section 4).
    public enum UserMapping: Sendable, Hashable {
        /// Rootful Docker: container UID n is host UID n.
        case direct
        /// Rootless Docker: container UID 0 is the host user who runs the engine.
        case rootless
        /// Rootless Podman: `--userns=keep-id` maps the host user to the same UID inside.
        /// (Rootful Podman maps directly, like rootful Docker; keep-id is rootless-only.)
        /// `namesIDs`: Podman 4.3 and later take `keep-id:uid=U,gid=G` (containers/podman
        /// PR 15389), which names the ids the container runs as instead of implying them.
        case podmanKeepID(namesIDs: Bool)
    }

    public var userMapping: UserMapping = .direct

    /// `--user` for a container that runs as the synced user (`user = "host"`) on an engine with
    /// `mapping`: 0:0 on rootless Docker, where container root is the host user who runs the
    /// engine (DESIGN.md section 4), else the synced user's UID:GID. The one rule for the app's
    /// container, the services and doctor's account of them.
    public static func syncedUser(_ identity: HostIdentity, mapping: UserMapping) -> String {
        mapping == .rootless ? "0:0" : "\(identity.uid):\(identity.gid)"
    }

    /// The user namespace of a container that runs as the synced user: on rootless Podman the
    /// host user keeps their UID and GID inside (`--userns=keep-id`, with `:uid=U,gid=G` where
    /// Podman has it), so files they write on the bind mount, and volumes chowned to them, are
    /// theirs on the host; without it container UID n is the n-th subordinate id. Empty
    /// elsewhere (rootful engines map n to n; rootless Docker runs the synced user as 0:0).
    /// The app's container, its one-shot volume containers and the services use this one rule.
    public var keepIDArguments: [String] {
        guard case .podmanKeepID(let namesIDs) = userMapping else { return [] }
        return [namesIDs ? "--userns=keep-id:uid=\(identity.uid),gid=\(identity.gid)" : "--userns=keep-id"]
    }

    /// Whether the engine has a GPU runtime (`EngineFacts.hasGPURuntime`), asked by `up` and
    /// `test` only when the spec wants GPUs; nil when not asked (a dry run plans as configured).
    /// The container fingerprint counts the configuration, not the engine's answer.
    public var engineHasGPURuntime: Bool?

    /// The container's GPU options: the one rule, `GPUArguments`.
    public var gpuArguments: GPUArguments {
        GPUArguments(request: spec.gpu, runArgs: spec.runArgs, engineHasGPURuntime: engineHasGPURuntime)
    }

    /// The image's own environment (its Config.Env, `ImageEnvironment.parse`, with the env
    /// file's entries over it), known once `up` or `test` has inspected the image: the
    /// `${containerEnv:VAR}` templates of
    /// `spec.environmentResolvedAtCreate` are resolved against it, under the profile's env, when
    /// a container is created. Nil: the templates are passed as written (a dry run, and the
    /// fingerprint, which counts the configuration, not the image's answer).
    public var imageEnvironment: [String: String]?

    /// Volumes an earlier devenv made for this folder that this engine's environment uses under
    /// their old names (role -> name, `ResourceNames.adoptableEarlierVolume`), known once `up` or
    /// `test` has listed the volumes. Not part of the fingerprint: it counts the configuration,
    /// so a container made on an adopted volume stays up to date.
    public var adoptedVolumes: [String: String] = [:]

    /// The named volume of `role` this environment mounts: an adopted earlier one, else today's name.
    public func volume(role: String) -> String { adoptedVolumes[role] ?? names.volume(role: role) }

    /// This planner without what only the engine tells (user mapping, GPU runtime, the image's
    /// environment, adopted volumes): what the fingerprint and the recorded inputs count.
    private var asConfigured: DockerPlanner {
        var direct = self
        direct.userMapping = .direct
        direct.engineHasGPURuntime = nil
        direct.imageEnvironment = nil
        direct.adoptedVolumes = [:]
        return direct
    }

    public static let userLabel = "devenv.user"

    /// The user a `docker exec` in this environment's container runs as: the one the container
    /// runs as (`runningAs`, its `userLabel`, when known), else `userArgument`; nil: the image's
    /// USER. The one rule for `exec`, the lifecycle commands, and what signals their processes
    /// (`ExecMarker.signalCall`, `stopLifecycleCommands`), which must run as the same user.
    public func execUser(runningAs: String?) -> String? { runningAs ?? userArgument }

    /// `--user` for run and exec: nil when the image's own USER applies.
    public var userArgument: String? {
        switch spec.user {
        case .host: return Self.syncedUser(identity, mapping: userMapping)
        case .fixed(let uid, let gid): return "\(uid):\(gid)"
        case .image: return nil
        }
    }

    // MARK: Queries

    /// The docker calls that only ask the engine something (argv after the CLI): these carry a
    /// deadline (`QueryTimeout`), since an engine that stops answering would otherwise hang
    /// devenv forever. Declared once, here; the session applies it to every call it runs.
    /// Long operations (build, run, exec, `logs --follow`, `events` without `--until`, stats)
    /// have none.
    static let queries: [[String]] = [
        ["ps"], ["container", "ls"], ["container", "ps"], ["container", "list"], ["container", "inspect"],
        ["inspect"], ["image", "inspect"], ["image", "ls"], ["image", "list"], ["images"],
        ["volume", "ls"], ["volume", "list"], ["volume", "inspect"], ["network", "ls"], ["network", "inspect"],
        ["version"], ["info"], ["system", "info"], ["system", "df"], ["buildx", "version"],
        ["context", "ls"], ["context", "inspect"], ["context", "show"],
        // Podman's one health check run (HealthCheckDriving): a check that hangs must not hang up.
        ["healthcheck", "run"],
    ]

    /// How the CLI of a query runs (`ProcessInvocation.runtimeDefaults`; the user's own
    /// `GOGC` wins): the docker and podman CLIs are Go programs, and at Go's default (GOGC=100:
    /// the first collection at a 4 MB heap) the docker 20.10 CLI (go1.19) collects garbage once
    /// or twice in one `docker ps`, with a mark worker on a second core: 15-20% of the CLI's CPU
    /// time (26-28 ms of task-clock against 22-23 ms at 400, `perf stat -r 40`, GODEBUG=gctrace=1
    /// shows the collections), and on a 2-core machine what devenv does while it waits then
    /// competes with the CLI for both cores (issue 14). At 400 the first collection waits for a
    /// 16 MB heap and each later one for five times the live heap, so a large answer is still
    /// collected and memory stays bounded; a query is short and read-only, and creates no
    /// container whose environment it could reach.
    public static let queryRuntimeDefaults = ["GOGC": "400"]

    /// Whether `argv` (the CLI first) is a query: one of `queries`, `events` with `--until` (a
    /// snapshot of past events), `stats --no-stream` or `logs` without `--follow`.
    public static func isQuery(_ argv: [String]) -> Bool {
        let words = Array(argv.dropFirst())
        if queries.contains(where: { words.starts(with: $0) }) { return true }
        if words.first == "events" { return words.contains { $0 == "--until" || $0.hasPrefix("--until=") } }
        if words.first == "stats" { return words.contains("--no-stream") }
        // `logs` without --follow asks for what is there and ends: a query (issue 9 section 4).
        if words.first == "logs" { return !words.contains { $0 == "--follow" || $0 == "-f" } }
        return false
    }

    /// For `docker exec` and `docker run`, interactive or piped (the command may run for
    /// hours), and `docker logs --follow` (a quiet container prints nothing for hours): the
    /// question asked once when it still runs at the query deadline, whether the engine answers
    /// at all (`ProcessInvocation.answerCheck`). A paused engine otherwise left `devenv exec` and
    /// `devenv logs -f` by a remembered container ID (one call, no lookup first), `clean-cache`
    /// after its lookup, and `devenv test`'s one-off container (`docker run`, after the build)
    /// waiting for ever, saying nothing. Nil for others (a call that runs to its end, such as
    /// `up`'s create, has its own notice: `ProcessInvocation.patience`).
    public static func answerCheck(for argv: [String]) -> [String]? {
        guard let cli = argv.first, let verb = argv.dropFirst().first else { return nil }
        let follows = verb == "logs" && argv.contains { $0 == "--follow" || $0 == "-f" }
        guard verb == "exec" || verb == "run" || follows else { return nil }
        return engineAnswers(cli: cli)
    }

    /// The question whether the engine answers at all: the server's version (one round trip).
    public static func engineAnswers(cli: String) -> [String] { [cli, "version", "--format", "{{.Server.Version}}"] }

    /// The deadline of a call in seconds: nil for a long operation, `queryTimeout` for a query,
    /// plus the time a query waits on purpose (`events --until=-3s` ends 3 s from now:
    /// `watchStart`).
    public static func deadline(for argv: [String], queryTimeout: Double) -> Double? {
        guard isQuery(argv) else { return nil }
        // Docker's `--until=-3s` and Podman's `--until=3s` both end 3 s from now.
        let until = argv.first { $0.hasPrefix("--until=") }.map { String($0.dropFirst("--until=".count)).drop { $0 == "-" } }
        guard let until, until.hasSuffix("s"), let wait = Double(until.dropLast()), wait > 0 else { return queryTimeout }
        return queryTimeout + wait
    }

    // MARK: Inspecting

    /// The one call that shows this environment's containers: found by name (so a foreign
    /// container with devenv's name shows up too), under its own name and the temporary names
    /// of a recreate (`replacement`, `previous`) that an interrupted run may have left behind,
    /// and every container named like one of its services (`serviceContainerPrefix`), so that
    /// one a service no longer configured left running shows too (`ContainerOwnership.orphanedServices`).
    /// Labels are checked by the caller (`ContainerOwnership`).
    public func findContainer() -> ProcessInvocation {
        Self.findContainers(cli: cli, names: lookupNames, prefixes: lookupPrefixes, engine: engine)
    }

    /// The names `findContainer` asks for: the container's, then a recreate's temporary ones,
    /// then the name an earlier devenv gave it (`ResourceNames.legacy`; labels decide whether
    /// the container there is this folder's: `ContainerOwnership.environment`).
    public var lookupNames: [String] {
        [names.container, names.replacementContainer, names.previousContainer,
         names.legacy.container, names.legacy.replacementContainer, names.legacy.previousContainer]
    }
    /// The name prefixes `findContainer` asks for: its services' containers, configured or not,
    /// under today's names and an earlier devenv's.
    public var lookupPrefixes: [String] { [names.serviceContainerPrefix, names.legacy.serviceContainerPrefix] }

    /// `docker ps` for these exact names and the names starting with `prefixes` (name filters
    /// are ORed regular expressions on both Docker and Podman, so each is anchored and its dots
    /// escaped), stopped ones included.
    public static func findContainers(cli: String, names: [String], prefixes: [String] = [], engine: EngineKind? = nil) -> ProcessInvocation {
        var arguments = [cli, "ps", "--all", "--no-trunc"]
        arguments.reserveCapacity(arguments.count + 2 * (names.count + prefixes.count) + 2)
        // `name=^/?NAME$` (exact) or `name=^/?PREFIX`, escaped byte by byte ('.' is ASCII) into
        // one buffer: mapping Characters to Strings and joining them went through generic code
        // whose first use cost 0.27 M instructions, and an interpolation and a two-element array
        // for each filter another 40 K, before `status` could start its docker call (issue 14).
        func filter(_ name: String, exact: Bool) -> String {
            var text: [UInt8] = Array("name=^/?".utf8)
            text.reserveCapacity(text.count + 2 * name.utf8.count + 1)
            for byte in name.utf8 {
                if byte == UInt8(ascii: ".") { text.append(UInt8(ascii: "\\")) }
                text.append(byte)
            }
            if exact { text.append(UInt8(ascii: "$")) }
            return String(decoding: text, as: UTF8.self)
        }
        for name in names {
            arguments.append("--filter")
            arguments.append(filter(name, exact: true))
        }
        for prefix in prefixes {
            arguments.append("--filter")
            arguments.append(filter(prefix, exact: false))
        }
        arguments.append("--format")
        arguments.append(containerFormat(engine ?? EngineKind.named(cli)))
        return ProcessInvocation(arguments)
    }

    /// One line per container: a JSON object with the fields `ContainerSnapshot` reads, a tab,
    /// then labels as a JSON object of strings (`ContainerSnapshot.parseList` reads both engines).
    /// Docker: those fields one by one (`dockerContainerFields`), not `{{json .}}`: the Docker
    /// CLI asks the engine for every container's size when the template uses `.Size`, and
    /// `{{json .}}` uses every field. The engine then measures each container's writable layer
    /// file by file: with 20,000 small files in one container's layer, each `docker ps` cost the
    /// engine 113-118 ms of CPU against 1.5-5.5 ms with the fields named (Docker 20.10.24,
    /// issue 14), on every `status`, `up` and dashboard snapshot. Its `Labels` joins labels with
    /// commas, so a project path holding ",x=" would garble them: devenv's own labels are asked
    /// for one by one (`.Label`, Docker-only). Podman: no `.Label`, `{{json .}}` is its raw
    /// record (empty Status, or the whole list pretty-printed), `.State` is human text; but
    /// `.Labels` is a map, exact as it is, and `.ListContainer.State` the raw state. Checked on
    /// Docker 20.10 and Podman 4.3.1.
    public static func containerFormat(_ engine: EngineKind) -> String {
        switch engine {
        case .docker: return dockerPsTemplate
        case .podman:
            // In a fixed order (a dictionary's changes from run to run): the template is part of
            // the lookup's argv, which LookupSpeculation compares with the one it started early.
            let fields = [("CreatedAt", ".CreatedAt"), ("ID", ".ID"), ("Image", ".Image"), ("Mounts", ".Mounts"),
                          ("Names", ".Names"), ("Ports", ".Ports"), ("RunningFor", ".RunningFor"),
                          ("State", ".ListContainer.State"), ("Status", ".Status")]
            return "{" + fields.map { "\"\($0.0)\":{{json \($0.1)}}" }.joined(separator: ",")
                + "}\t{{json .Labels}}"
        }
    }

    /// The fields `ContainerSnapshot.parseList` reads from Docker's `ps`, each as
    /// `"Name":{{json .Name}}`, in a fixed order (the template is part of the lookup's argv,
    /// which LookupSpeculation compares with the one it started early). Never `Size`: see
    /// `containerFormat`. One literal: built from a list at run time it cost 40 K instructions,
    /// spent before `status` and an unchanged `up` can start their one docker call (issue 14).
    /// SnapshotParsingTests checks it against the fields the parser reads.
    static let dockerContainerFieldsTemplate = #"{"CreatedAt":{{json .CreatedAt}},"ID":{{json .ID}},"Image":{{json .Image}},"#
        + #""Labels":{{json .Labels}},"Mounts":{{json .Mounts}},"Names":{{json .Names}},"Ports":{{json .Ports}},"#
        + #""RunningFor":{{json .RunningFor}},"State":{{json .State}},"Status":{{json .Status}}}"#

    /// Docker's whole `ps` template: the fields, a tab, devenv's own labels.
    static let dockerPsTemplate = dockerContainerFieldsTemplate + "\t" + ownLabelsTemplate

    /// `docker volume ls`: Docker's labels have the same flaw as `ps`'s; Podman's `{{json .}}`
    /// prints the whole list as one pretty-printed array. (Docker's volume list measures no
    /// sizes, whatever the template: `{{json .}}` stays.)
    public static func volumeFormat(_ engine: EngineKind) -> String {
        switch engine {
        case .docker: return "{{json .}}\t" + ownLabelsTemplate
        case .podman: return "{\"Name\":{{json .Name}},\"Mountpoint\":{{json .Mountpoint}}}\t{{json .Labels}}"
        }
    }

    /// Every `devenv.*` label devenv reads from `docker ps` or `volume ls` (Docker): asked for one
    /// by one, as only these are read (`ContainerSnapshot.labels(joined:exact:)`). A label
    /// missing here reads as absent on Docker.
    static let ownLabels = [ResourceNames.projectLabel, ResourceNames.profileLabel, ResourceNames.rootLabel,
                            ResourceNames.configHashLabel, ResourceNames.roleLabel, ResourceNames.serviceLabel, userLabel,
                            EnvironmentInputs.label, ContainerUser.label]

    /// `ownLabels`, each as `"label":{{json (.Label "label")}}`, as one literal: built at run
    /// time it cost 38 K instructions before `status` started its docker call (issue 14).
    /// SnapshotParsingTests checks that it is the template `ownLabels` gives.
    static let ownLabelsTemplate = #"{"devenv.project":{{json (.Label "devenv.project")}},"#
        + #""devenv.profile":{{json (.Label "devenv.profile")}},"devenv.root":{{json (.Label "devenv.root")}},"#
        + #""devenv.config-hash":{{json (.Label "devenv.config-hash")}},"devenv.role":{{json (.Label "devenv.role")}},"#
        + #""devenv.service":{{json (.Label "devenv.service")}},"devenv.user":{{json (.Label "devenv.user")}},"#
        + #""devenv.inputs":{{json (.Label "devenv.inputs")}},"devenv.user-mapping":{{json (.Label "devenv.user-mapping")}}}"#

    /// Every running container with its published ports, to find who holds a port `up` wants.
    public static func listRunningContainers(cli: String, engine: EngineKind? = nil) -> ProcessInvocation {
        ProcessInvocation([cli, "ps", "--no-trunc", "--format", containerFormat(engine ?? EngineKind.named(cli))])
    }

    /// Volumes whose names start like this project's (name filters match substrings; the
    /// caller keeps the exact names and checks labels).
    public static func listProjectVolumes(cli: String, project: String, engine: EngineKind? = nil) -> ProcessInvocation {
        ProcessInvocation([cli, "volume", "ls", "--filter", "name=devenv-\(project)-", "--format",
                           volumeFormat(engine ?? EngineKind.named(cli))])
    }

    /// Every container labelled for `project`, in any folder, stopped ones included: `prune`
    /// looks for those left in folders that are gone (`LeftBehind`).
    public static func listProjectContainers(cli: String, project: String, engine: EngineKind? = nil) -> ProcessInvocation {
        listContainers(cli: cli, labelled: ResourceNames.projectLabel, project, engine: engine)
    }

    /// Every volume labelled for `project`, in any folder (`LeftBehind`).
    public static func listProjectVolumesByLabel(cli: String, project: String, engine: EngineKind? = nil) -> ProcessInvocation {
        listVolumes(cli: cli, labelled: ResourceNames.projectLabel, project, engine: engine)
    }

    /// Every container labelled for the folder `root`, under any project name, stopped ones
    /// included: `prune` looks for those a renamed project left (`LeftBehind`).
    public static func listFolderContainers(cli: String, root: String, engine: EngineKind? = nil) -> ProcessInvocation {
        listContainers(cli: cli, labelled: ResourceNames.rootLabel, root, engine: engine)
    }

    /// Every volume labelled for the folder `root`, under any project name (`LeftBehind`).
    public static func listFolderVolumes(cli: String, root: String, engine: EngineKind? = nil) -> ProcessInvocation {
        listVolumes(cli: cli, labelled: ResourceNames.rootLabel, root, engine: engine)
    }

    private static func listContainers(cli: String, labelled label: String, _ value: String, engine: EngineKind?) -> ProcessInvocation {
        ProcessInvocation([cli, "ps", "--all", "--no-trunc", "--filter", "label=\(label)=\(value)",
                           "--format", containerFormat(engine ?? EngineKind.named(cli))])
    }

    private static func listVolumes(cli: String, labelled label: String, _ value: String, engine: EngineKind?) -> ProcessInvocation {
        ProcessInvocation([cli, "volume", "ls", "--filter", "label=\(label)=\(value)", "--format", volumeFormat(engine ?? EngineKind.named(cli))])
    }

    /// The IDs of every image devenv built, for any project (full IDs, one a line per name;
    /// untagged ones too): the images that carry a `devenv.project` label, whatever its value.
    /// `down --images` and `prune` inspect them and `ImageSelection` decides by their labels
    /// and names. One listing suffices because the rule considers only images with devenv's
    /// labels (`ImageSnapshot.isBuiltByDevenv`): this project's by label, and those a build
    /// cache that ignores `--label` (Podman 4.3, podman#10340) gave this project's name while
    /// they carry another project's labels. It was two listings, by this project's label and
    /// by its names, because an engine ANDs filters of different kinds (`label` and
    /// `reference`). `label=KEY` matches a key with any value on Docker and Podman alike.
    public static func listDevenvImageIDs(cli: String) -> ProcessInvocation {
        ProcessInvocation([cli, "image", "ls", "--quiet", "--no-trunc", "--filter", "label=\(ResourceNames.projectLabel)"])
    }

    /// The IDs of every image labelled for the folder `root`, intermediate ones too (`--all`:
    /// a multi-stage Podman build's steps, `BuildStepImages`), full, one a line per name.
    public static func listFolderImageIDs(cli: String, root: String) -> ProcessInvocation {
        ProcessInvocation([cli, "image", "ls", "--all", "--quiet", "--no-trunc", "--filter", "label=\(ResourceNames.rootLabel)=\(root)"])
    }

    /// How often `down --images` and `prune` list (`listDevenvImageIDs`) and inspect the images
    /// when each answer failed only because an image went meanwhile (`imageListingRaced`).
    public static let imageListingAttempts = 3

    /// Whether a failed image listing failed only because an image was removed while the engine
    /// listed it: Podman (4.3 and later) reads each image as it lists and fails the whole
    /// `image ls` (exit 125, `locating image with ID "...": image not known`) when another
    /// process removed one meanwhile: another project's `down --images`, the user's `podman rmi`.
    /// `image inspect` of several IDs fails the same way, with nothing on stdout, when one of
    /// them went after the listing (CI, rootless Podman, two test runs sharing a store).
    /// Asking again lists the store as it is then. Docker's listing is one snapshot; it never
    /// says this, and its inspect still describes the images that are there.
    public static func imageListingRaced(_ result: ProcessResult) -> Bool {
        !result.succeeded && result.stderrText.contains("image not known")
    }

    /// The `reference` filters of `project`'s image names: an earlier devenv's `devenv-PROJECT:*`,
    /// and `devenv-PROJECT-*:*`, which holds every folder's `devenv-PROJECT-TAG[-svc-NAME]:*`
    /// and the earlier `devenv-PROJECT-svc-NAME:*` (also another project's whose name starts
    /// with `PROJECT-`: the caller keeps this folder's by names and labels, `ImageSelection`).
    static func projectImageReferences(_ project: String) -> [String] {
        ["--filter", "reference=devenv-\(project):*", "--filter", "reference=devenv-\(project)-*:*"]
    }

    /// One JSON object a line per image: ID, labels, names and size (`ImageSnapshot.parseList`).
    /// Both engines answer these fields with `image inspect`, by their Go names: `.ID`, not
    /// `.Id` (Docker's JSON key, which its CLI also accepts; Podman 4.3.1 refuses it inside a
    /// larger template: "can't evaluate field Id").
    public static func inspectImages(cli: String, ids: [String]) -> ProcessInvocation {
        ProcessInvocation([cli, "image", "inspect", "--format",
                           "{\"Id\":{{json .ID}},\"Labels\":{{json .Config.Labels}},\"Tags\":{{json .RepoTags}},\"Size\":{{json .Size}}}"]
                          + ids)
    }

    /// Removes one image by the ID devenv looked up (and checked the labels and names of).
    /// Never forced: the engine refuses an image a container still uses, or that carries
    /// several names, and devenv leaves it then.
    public static func removeImage(cli: String, id: String) -> ProcessInvocation {
        ProcessInvocation([cli, "image", "rm", id])
    }

    /// Removes one name devenv gave an image (`ImageSelection.Action.removeNames`). Never
    /// forced: while the image has another name only this name goes (both engines untag, even
    /// when a container uses the image); with its last name the image goes too, unless a
    /// container uses it (the engine refuses, and devenv leaves it).
    public static func removeImageName(cli: String, name: String) -> ProcessInvocation {
        ProcessInvocation([cli, "image", "rm", name])
    }

    /// Succeeds when the image exists; prints `ID LABELS<TAB>USER<TAB>ENV`: the image's ID,
    /// its labels as JSON (`ImageVolumeOwner`), its Config.User as JSON
    /// (`ImageVolumeOwner.configUser`: a root USER is warned about) and its Config.Env as JSON
    /// (`ImageEnvironment.parse`: what `${containerEnv:VAR}` resolves against). JSON escapes
    /// tabs, so the tabs only separate.
    public func imageExists(_ image: String) -> ProcessInvocation {
        docker(["image", "inspect", "--format", "{{.Id}} {{json .Config.Labels}}\t{{json .Config.User}}\t{{json .Config.Env}}", image])
    }

    // MARK: Building

    /// The fingerprint of everything that decides the image: the Dockerfile, the dependency
    /// files, the target and the build args (including the synced UID/GID).
    public func imageFingerprint(dockerfile: [UInt8], dependencyFiles: [(name: String, bytes: [UInt8]?)]) -> String {
        var print = Fingerprint()
        print.add(dockerfile)
        for file in dependencyFiles {
            print.add(file.name)
            print.add(file.bytes ?? [])
        }
        print.add(spec.target ?? "")
        for (key, value) in buildArguments() { print.add("\(key)=\(value)") }
        for secret in spec.buildSecrets { print.add("secret:\(secret.id)") }
        if spec.ssh { print.add("ssh") }
        return print.short
    }

    /// Each input's short hash (`EnvironmentInputs`), for the label `create` puts on the
    /// container: which one changed is what `status` names. `pyproject` is pyproject.toml's raw
    /// bytes (its dependency tables are what count).
    public func inputs(dockerfile: [UInt8]?, uvLock: [UInt8]?, pyproject: [UInt8]?, envFileContents: [UInt8]?,
                       image: String) -> EnvironmentInputs {
        var inputs = EnvironmentInputs()
        if spec.image == nil {
            inputs.add("dockerfile", dockerfile)
            inputs.add("uv.lock", uvLock)
            inputs.add("pyproject.dependencies", EnvironmentInputs.pyprojectDependencies(pyproject))
            inputs.add("target", spec.target ?? "")
            for (key, value) in buildArguments() { inputs.add("arg.\(key)", value) }
            inputs.add("build.secrets", spec.buildSecrets.map(\.id).joined(separator: ",") + (spec.ssh ? ";ssh" : ""))
        }
        if spec.envFile != nil { inputs.add("env_file", envFileContents) }
        var direct = asConfigured
        // `up --port`: devenv.toml's ports are hashed as configured, the command line's choice
        // under a key of its own, so a later plain `status` names `up --port`, not devenv.toml.
        if let configured = spec.configuredPorts { direct.spec.ports = configured }
        inputs.addContainer(arguments: Array(direct.create(image: image, configHash: "").argv.dropFirst(4)), image: image)
        if !spec.portOverrides.isEmpty { inputs.add(EnvironmentInputs.portOverrideKey, spec.portOverrides.map(\.description).joined(separator: ",")) }
        return inputs
    }

    /// USERNAME/UID/GID from the synced user (or CI's fixed ids), then the project's own.
    public func buildArguments() -> [(String, String)] {
        var arguments: [(String, String)] = []
        switch spec.user {
        case .host:
            arguments = [("USERNAME", Self.containerUserName(identity.userName)), ("UID", "\(identity.uid)"),
                         ("GID", "\(identity.gid)")]
        case .fixed(let uid, let gid):
            arguments = [("UID", "\(uid)"), ("GID", "\(gid)")]
        case .image:
            break
        }
        for key in spec.buildArgs.keys.sorted() { arguments.append((key, spec.buildArgs[key] ?? "")) }
        return arguments
    }

    /// A host user name that is not a valid Linux account name (e.g. `First Last` on macOS)
    /// becomes `dev`.
    static func containerUserName(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_-".unicodeScalars)
        let lower = name.lowercased()
        guard let first = lower.unicodeScalars.first, ("a"..."z").contains(first) || first == "_",
              lower.unicodeScalars.allSatisfy({ allowed.contains($0) }), lower.count <= 32 else { return "dev" }
        return lower
    }

    /// `--iidfile FILE`, or nothing without a file.
    public static func imageIDFileArguments(_ file: String?) -> [String] { file.map { ["--iidfile", $0] } ?? [] }

    /// A ready image (devcontainer.json `image`) that is not on the engine yet.
    public func pull(_ image: String) -> ProcessInvocation { docker(["pull", image], io: .stream) }

    /// `docker build` of the profile's image. `imageIDFile`: where the CLI writes the new image's
    /// ID (`--iidfile`, "sha256:HEX"; the classic builder, BuildKit, buildx and `podman build`
    /// all take it), so devenv can record it as its own (`BuiltImages`).
    public func build(image: String, buildKit: Bool, noCache: Bool, imageIDFile: String? = nil) -> ProcessInvocation {
        var arguments = ["build", "--file", spec.dockerfile, "--tag", image] + Self.imageIDFileArguments(imageIDFile)
        // Podman (Buildah) writes OCI images unless told otherwise, and OCI has no HEALTHCHECK:
        // the prod profile's health check would be dropped and it would never turn healthy.
        if engine == .podman { arguments += ["--format", "docker"] }
        if let target = spec.target { arguments += ["--target", target] }
        arguments += names.labelArguments
        if let network = spec.network { arguments += ["--network", network] }
        for (key, value) in buildArguments() { arguments += ["--build-arg", "\(key)=\(value)"] }
        for secret in spec.buildSecrets {
            switch secret.source {
            case .file(let path): arguments += ["--secret", "id=\(secret.id),\(Self.csvField("src=\(path)"))"]
            case .environment(let variable): arguments += ["--secret", "id=\(secret.id),env=\(variable)"]
            }
        }
        if spec.ssh { arguments += ["--ssh", "default"] }
        if let bundle = spec.caBundle { arguments += ["--secret", "id=\(CABundle.secretID),\(Self.csvField("src=\(bundle)"))"] }
        for image in spec.cacheFrom { arguments += ["--cache-from", image] }
        if noCache { arguments.append("--no-cache") }
        if buildKit && engine == .docker { arguments += ["--progress", "plain"] }
        arguments.append(Self.contextArgument(spec.context))
        // BuildKit only when the client has it: forcing it without buildx fails (DESIGN.md s4).
        return docker(arguments, io: .stream, environment: buildKit ? ["DOCKER_BUILDKIT": "1"] : [:])
    }

    // MARK: Volumes

    public func createVolume(role: String) -> ProcessInvocation {
        var arguments = ["volume", "create"] + names.labelArguments
        arguments += ["--label", "\(ResourceNames.roleLabel)=\(role)", names.volume(role: role)]
        return docker(arguments)
    }

    /// A new named volume is root:root when the image lacks the path (DESIGN.md section 4): ONE
    /// one-shot root container gives every new volume (each at /volumes/ROLE) to the synced
    /// user before the first start; a container start costs about half a second, so not one
    /// per volume (issue 14). Nil when there is nothing to do.
    /// `run`: the token of this call (`oneOffArguments`), so that a container a signal or the
    /// deadline cut off between its create and its start is found and removed
    /// (`OneOffContainers`): it would hold the new volumes for good.
    public func chownVolumes(roles: [String], image: String, run: String? = nil) -> ProcessInvocation? {
        // Under rootless Docker the volume's root already is the host user.
        guard let user = userArgument, userMapping != .rootless, !roles.isEmpty else { return nil }
        var arguments = ["run", "--rm"] + names.labelArguments + oneOffArguments(run) + ["--network", "none", "--user", "0:0"]
            + synced(keepIDArguments) + ["--entrypoint", "chown"]
        for role in roles { arguments += ["--volume", "\(volume(role: role)):/volumes/\(role)"] }
        return docker(arguments + [image, "-R", user] + roles.map { "/volumes/\($0)" })
    }

    /// The ownership probe of volumes that already exist: an earlier `up` killed between
    /// creating a volume and its chown (or any root container since) left it root-owned, and
    /// nothing else would ever hand it over. One one-shot root container looks at each volume's
    /// top (`stat`, as `chownVolumes` mounts them at /volumes/ROLE) and gives the ones not owned
    /// by the synced user to them (`chown -R`), printing the path of each it gave. A `sh` and a
    /// `stat` in the image are needed, as `chown` is for new volumes. Nil when there is nothing
    /// to do (no volumes, rootless Docker, the image's own user). `run`: the token of this call
    /// (`oneOffArguments`), as `chownVolumes`'s.
    public func repairVolumeOwners(roles: [String], image: String, run: String? = nil) -> ProcessInvocation? {
        guard let user = userArgument, userMapping != .rootless, !roles.isEmpty else { return nil }
        var arguments = ["run", "--rm"] + names.labelArguments + oneOffArguments(run) + ["--network", "none", "--user", "0:0"] + synced(keepIDArguments)
            + ["--entrypoint", "sh"]
        for role in roles { arguments += ["--volume", "\(volume(role: role)):/volumes/\(role)"] }
        return docker(arguments + [image, "-c", Self.volumeOwnerRepairScript, "sh", user] + roles.map { "/volumes/\($0)" })
    }

    /// `arguments` when the environment runs as the synced user (keep-id maps only them).
    private func synced(_ arguments: [String]) -> [String] { spec.user == .host ? arguments : [] }

    /// $1 is UID:GID, the rest are the volumes' paths; exit 1 when a stat or chown fails.
    static let volumeOwnerRepairScript =
        #"u=$1; shift; for d; do o=$(stat -c %u:%g "$d") || exit 1; [ "$o" = "$u" ] || { chown -R "$u" "$d" || exit 1; echo "$d"; }; done"#

    public func removeVolumes(_ volumes: [String]) -> ProcessInvocation {
        docker(["volume", "rm"] + volumes)
    }

    // MARK: Running

    /// The fingerprint stored on the container: when the current one differs, the container is
    /// stale and `up` recreates it.
    public func containerFingerprint(image: String, envFileContents: [UInt8]? = nil) -> String {
        var print = Fingerprint()
        if let envFileContents { print.add(envFileContents) }
        // Neither the CLI (docker or /usr/bin/docker) nor the engine's user mapping (known only
        // when a container is made) is part of the configuration.
        let direct = asConfigured
        for word in direct.create(image: image, configHash: "").argv.dropFirst() { print.add(word) }
        return print.short
    }

    /// `docker create` (not `run --detach`): it prints the new container's ID, so that the
    /// start, and any clean-up after a failed start, act on that ID and never on a name that
    /// someone else may hold by then. `name` is the environment's container name, or the
    /// temporary name a replacement is made under.
    /// `inputs` (`EnvironmentInputs.encoded`) is stored as a label when not empty.
    public func create(image: String, configHash: String, name: String? = nil, inputs: String = "") -> ProcessInvocation {
        let inputLabel = inputs.isEmpty ? [] : ["--label", "\(EnvironmentInputs.label)=\(inputs)"]
        return docker(["create", "--name", name ?? names.container] + containerArguments(configHash: configHash, restartPolicy: true)
                      + inputLabel + [image] + spec.command)
    }

    /// A one-off container of the environment's image (`devenv test`), removed when it ends.
    /// It publishes no ports: the profile's long-running container may hold them already.
    /// `run`: the token of this call (`oneOffArguments`).
    public func runToCompletion(image: String, command: [String], run: String? = nil) -> ProcessInvocation {
        var oneOff = self
        oneOff.spec.ports = []
        return docker(["run", "--rm"] + oneOffArguments(run) + oneOff.containerArguments(configHash: "", restartPolicy: false)
                      + [image] + command, io: .interactive)
    }

    /// A one-off `docker run --rm` (`chownVolumes`, `repairVolumeOwners`, `cleanCacheAsRoot`,
    /// `runToCompletion`, `ServicePlanner.chownVolumes`) without its `--rm`, kept to its end for
    /// the caller to remove by its run label and ID (`OneOffContainers`): the docker CLI on
    /// Podman's API exits 0 from `run --rm` whatever the command did (podman#18889,
    /// `EngineFacts.runRemovalKeepsStatus`). Any other call is returned as it is.
    public static func keptToItsEnd(_ invocation: ProcessInvocation) -> ProcessInvocation {
        var kept = invocation
        if kept.argv.count > 2, kept.argv[1] == "run", kept.argv[2] == "--rm" { kept.argv.remove(at: 2) }
        return kept
    }

    /// What marks a one-off `docker run` (`runToCompletion`, `startForTests`, `chownVolumes`,
    /// `repairVolumeOwners`, `cleanCacheAsRoot`, `ServicePlanner.chownVolumes`) as the call `run`
    /// (`AppContext.randomToken`): the label `runLabel` and the name `runName`. `docker run`
    /// creates, then starts, and `--rm` removes only a container that ran, so one made by a run
    /// ended between the two (a signal, the deadline) is found by the label (`findByRun`) and
    /// removed by ID; the name lets a create still under way at the engine when devenv looks be
    /// waited out (`claimRunName`). Both kept by `OneOffContainers`. None without a token.
    public func oneOffArguments(_ run: String?) -> [String] {
        guard let run else { return [] }
        return ["--name", runName(run)] + Self.runLabelArguments(run)
    }

    /// The name of the container a one-off run makes for the call `run` (`oneOffArguments`).
    public func runName(_ run: String) -> String { "\(names.container)-run-\(run)" }

    /// Takes the name of the call `run`'s container (`runName`) with a container that is never
    /// started (`true`: never run), labelled as that call's: an engine reserves a name as a
    /// create begins, so this fails ("is already in use") while the run's own create is under
    /// way or its container is there, and once it succeeds no create of the run can come after
    /// it. A `docker run` whose CLI ended with its create request in flight has the engine
    /// finish that create after devenv looked (break26: once in 14). Prints the new ID.
    /// `--pull never`: the image is the run's own, already there; a claim never fetches one
    /// from a registry (Docker's and Podman's create pull a missing image by default).
    public func claimRunName(image: String, run: String) -> ProcessInvocation {
        docker(["create", "--pull", "never", "--name", runName(run)] + names.labelArguments + Self.runLabelArguments(run) + [image, "true"])
    }

    /// `devenv test`'s one-off container when the profile has lifecycle commands: started idle
    /// (`sleep infinity`, as devcontainer.json's default command) and removed when it stops,
    /// so that they run in it (`docker exec`) before the test command does. It publishes no
    /// ports, as `runToCompletion`. Prints the new container's ID. `run`: the token of this call
    /// (`oneOffArguments`), so that a start whose ID devenv never got (ended at its deadline,
    /// interrupted) is found again and removed.
    public func startForTests(image: String, run: String? = nil) -> ProcessInvocation {
        var oneOff = self
        oneOff.spec.ports = []
        return docker(["run", "--detach", "--rm"] + oneOffArguments(run) + oneOff.containerArguments(configHash: "", restartPolicy: false)
                      + [image, "sleep", "infinity"])
    }

    /// The label that names the call that made a one-off container (`oneOffArguments`).
    public static let runLabel = "devenv.run"

    /// `--label devenv.run=TOKEN` for a one-off container's `docker run`; none without a token.
    static func runLabelArguments(_ run: String?) -> [String] {
        run.map { ["--label", "\(runLabel)=\($0)"] } ?? []
    }

    /// The full IDs of the containers, running or not, labelled for this environment's project,
    /// profile and folder and made by the call `run` (`oneOffArguments`), one a
    /// line; `neverStarted`: only those still as created (`status=created`, Docker and Podman).
    public func findByRun(_ run: String, neverStarted: Bool = false) -> ProcessInvocation {
        docker(["ps", "--all", "--quiet", "--no-trunc"] + names.labels.flatMap { ["--filter", "label=\($0.0)=\($0.1)"] }
               + ["--filter", "label=\(Self.runLabel)=\(run)"] + (neverStarted ? ["--filter", "status=created"] : []))
    }

    private func containerArguments(configHash: String, restartPolicy: Bool) -> [String] {
        var arguments = ["--init"] + names.labelArguments
        if !configHash.isEmpty { arguments += ["--label", "\(ResourceNames.configHashLabel)=\(configHash)"] }
        if let network = spec.serviceNetwork ?? spec.network { arguments += ["--network", network] }
        // How its user maps to the host's on this engine, for status to report (`ContainerUser`).
        if !configHash.isEmpty { arguments += ["--label", "\(ContainerUser.label)=\(containerUser.labelValue)"] }
        if let user = userArgument {
            // The user it runs as, for exec and shell to use the same (the mapping depends on the engine).
            if !configHash.isEmpty { arguments += ["--label", "\(Self.userLabel)=\(user)"] }
            arguments += ["--user", user]
            arguments += synced(keepIDArguments)
        }
        let environment = containerEnvironment
        if let envFile = spec.envFile { arguments += ["--env-file", envFile] }
        for key in environment.keys.sorted() { arguments += ["--env", "\(key)=\(environment[key] ?? "")"] }
        for port in spec.ports { arguments += ["--publish", port.description] }
        // --mount, not -v: a path may hold ':' (which -v splits on) or ',' (CSV-quoted here).
        if spec.mountWorkspace { arguments += ["--mount", Self.mount("bind", spec.projectRoot, spec.workspace)] }
        for role in spec.volumes.keys.sorted() {
            arguments += ["--mount", Self.mount("volume", volume(role: role), spec.volumes[role] ?? "")]
        }
        for mount in spec.mounts {
            arguments += ["--mount", Self.mount("bind", mount.source, mount.target, readOnly: mount.readOnly)]
        }
        arguments += workdirArguments
        if spec.readOnly { arguments.append("--read-only") }
        for mount in spec.tmpfs { arguments += ["--tmpfs", mount] }
        for capability in spec.capDrop { arguments += ["--cap-drop", capability] }
        for capability in spec.capAdd { arguments += ["--cap-add", capability] }
        if spec.noNewPrivileges { arguments += ["--security-opt", "no-new-privileges:true"] }
        if restartPolicy, let restart = spec.restart { arguments += ["--restart", restart] }
        // run_args were checked against RunOptions' list when the configuration was read.
        let gpus = gpuArguments
        arguments += gpus.added + gpus.runArgs
        return arguments
    }

    /// The `--env` entries of a new container: the profile's env (and the venv's location for
    /// uv), with the `${containerEnv:VAR}` templates resolved against what the container's
    /// environment will be: the image's Config.Env overlaid with the plain entries (the
    /// devcontainer spec resolves remoteEnv against the container's environment).
    var containerEnvironment: [String: String] {
        var environment = spec.environment
        if let venv = spec.volumes["venv"], environment["UV_PROJECT_ENVIRONMENT"] == nil {
            environment["UV_PROJECT_ENVIRONMENT"] = venv
        }
        guard let image = imageEnvironment, !spec.environmentResolvedAtCreate.isEmpty else { return environment }
        var container = image
        // The engine gives a container without PATH its default one (runc's, as Docker and Podman set it).
        if container["PATH"] == nil { container["PATH"] = Self.defaultPath }
        for (name, value) in environment where !spec.environmentResolvedAtCreate.contains(name) { container[name] = value }
        for name in spec.environmentResolvedAtCreate {
            guard let template = environment[name] else { continue }
            environment[name] = DevcontainerVariables.resolveContainerEnvironment(template, environment: container)
        }
        return environment
    }

    /// The PATH Docker and Podman give a container whose image sets none.
    static let defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

    /// `--workdir WORKSPACE`, except on Podman for a read-only root without the workspace
    /// mounted (prod): Docker makes a missing workdir before the root turns read-only, Podman
    /// refuses to start ("workdir /app does not exist"), so there the image's own WORKDIR applies.
    var workdirArguments: [String] {
        if engine == .podman && spec.readOnly && !spec.mountWorkspace { return [] }
        return ["--workdir", spec.workspace]
    }

    /// A `--mount` value: docker reads it as one CSV record, so a field holding ',' or '"' is
    /// quoted.
    static func mount(_ type: String, _ source: String, _ target: String, readOnly: Bool = false) -> String {
        var fields = ["type=\(type)", "source=\(source)", "target=\(target)"]
        if readOnly { fields.append("readonly") }
        return fields.map(csvField).joined(separator: ",")
    }

    /// The build context folder as the docker CLI is given it: `DIR`, or `DIR/.` when DIR's last
    /// name holds a control character other than tab, LF and CR. With BuildKit the CLI sends
    /// that last name in an HTTP header of the build's session (`session.NewSession(ctx,
    /// filepath.Base(contextDir), key)`, docker/cli `build_buildkit.go`); Go turns CR and LF in a
    /// header into spaces but sends ESC, DEL and the other controls as they are, the engine
    /// answers 400, and the build fails after a 5 s wait with "no active session for ...: context
    /// deadline exceeded" (a folder named with an escape sequence pasted from coloured output).
    /// `DIR/.` is the same folder to every tool, and its last name is `.`.
    public static func contextArgument(_ context: String) -> String {
        let lastName = context.utf8.split(separator: UInt8(ascii: "/")).last ?? []
        let breaksTheHeader = { (byte: UInt8) in (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F }
        return lastName.contains(where: breaksTheHeader) ? context + "/." : context
    }

    static func csvField(_ field: String) -> String {
        // A line break ends a CSV record unless the field is quoted (a folder name may hold one).
        // Bytes, not Characters: "\r\n" is one Character that is neither "\r" nor "\n", and
        // comparing Characters cost every `status` profile a grapheme walk (issue 14).
        guard field.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }) else {
            return field
        }
        var quoted = "\""
        for character in field { quoted += character == "\"" ? "\"\"" : String(character) }
        return quoted + "\""
    }

    // MARK: Watching a start

    /// How long `up` watches a container that runs a real command after starting it: a CMD
    /// that fails (an import error, a library without an entry point) exits well within it, and
    /// a restart policy would otherwise hide the loop behind "started".
    public static let startWatchSeconds = 3

    /// Whether `up` watches the container's first seconds: not for the idle command (`sleep
    /// infinity`) the dev profile runs, which only a broken image could stop.
    public var watchesStart: Bool { spec.command != ["sleep", "infinity"] }

    /// Blocks for `startWatchSeconds`, the engine keeping the time: `--until` a negative
    /// duration is that far in the future, and the stream ends then. Prints the container's
    /// `die` events (JSON, with the exit code) meanwhile.
    /// Podman reads `--until=-3s` as 3 s ago and returns at once; it takes an absolute time
    /// (`now`: seconds since the epoch) and streams until then.
    public func watchStart(container: String, now: Double = 0) -> ProcessInvocation {
        let until: String
        switch engine {
        case .docker: until = "--until=-\(Self.startWatchSeconds)s"
        case .podman: until = "--until=\(Int(now.rounded(.up)) + Self.startWatchSeconds)"
        }
        return docker(["events", "--filter", "container=\(container)", "--filter", "event=die", "--format", "{{json .}}",
                       "--since", "0s", until])
    }

    /// `STATUS EXITCODE RESTARTCOUNT` of one container, after the watch.
    public func startVerdict(container: String) -> ProcessInvocation {
        docker(["inspect", "--type", "container", "--format", "{{.State.Status}} {{.State.ExitCode}} {{.RestartCount}}", container])
    }

    /// The last lines of a container's output (stdout and stderr), for an error message.
    public func lastLogLines(container: String, count: Int) -> ProcessInvocation {
        docker(["logs", "--tail", "\(count)", container])
    }

    /// Acting on a container: always by the ID devenv looked up (and checked the labels of)
    /// or got back from `create`, never by name: between the lookup and the call the name may
    /// have passed to a container devenv does not own.
    /// `stop` (and `restart`): the stop signal (SIGTERM, or run_args' `--stop-signal`), then
    /// SIGKILL after the container's own stop timeout: run_args' `--stop-timeout` when the
    /// profile sets one, else the engine's default (10 s on Docker and Podman). No `--time`:
    /// it would override the profile's `--stop-timeout` (a database given 60 s to flush would
    /// be killed after 10), and devenv has no setting of its own for it.
    /// Its `grace` is the stop timeout in seconds (the profile's `--stop-timeout`, else the
    /// engine's 10 s), so "still waiting for `docker stop`" is not said, and clean-up after an
    /// interruption does not give up on the stop (`DockerSession.attempt`), while the container
    /// only takes the time it was given (a service's stop gets it too: it only lengthens those
    /// waits); its `waitsFor` says what it waits for (`stopWait`).
    public func stop(id: String) -> ProcessInvocation { forStop(docker(["stop", id])) }
    public func remove(id: String) -> ProcessInvocation { docker(["rm", "--force", id]) }
    public func start(id: String) -> ProcessInvocation { docker(["start", id]) }
    public func unpause(id: String) -> ProcessInvocation { docker(["unpause", id]) }
    public func restart(id: String) -> ProcessInvocation { forStop(docker(["restart", id])) }

    /// The profile's run_args `--stop-timeout` in seconds (`--stop-timeout N` or `=N`, the last
    /// given, as docker reads them); nil when it sets none or not a whole number.
    public var stopTimeoutSeconds: Int? {
        Self.lastValue(of: "--stop-timeout", in: spec.runArgs).flatMap { Int($0) }
    }

    /// What a stop of the environment's container waits for, in the user's words: said when
    /// `down` or `restart` stops it and in the notice of an interrupted stop
    /// (`ProcessInvocation.waitsFor`). A process that ignores its stop signal (a shell as PID
    /// 1, `trap '' TERM`) holds the stop for the whole timeout, which looked like a hang when
    /// nothing said so (left23). From run_args' `--stop-signal` and `--stop-timeout`, else
    /// SIGTERM and the engine's default (10 s).
    public var stopWait: String {
        let signal = Self.lastValue(of: "--stop-signal", in: spec.runArgs) ?? "SIGTERM"
        let timeout = stopTimeoutSeconds.map { "\($0) s (run_args' --stop-timeout)" } ?? "\(Self.engineStopTimeout) s (the engine's default)"
        return "its process gets \(signal), then SIGKILL if it has not exited within \(timeout)"
    }

    /// What a service container's stop waits for (`stopWait`; a service has no run_args, so its
    /// image's STOPSIGNAL and the engine's default timeout apply).
    public static let serviceStopWait = "its process gets its stop signal, then SIGKILL if it has not exited within \(engineStopTimeout) s (the engine's default)"

    /// Seconds Docker and Podman give a container's process between its stop signal and
    /// SIGKILL when neither the container (`--stop-timeout`) nor the call (`--time`) sets it.
    public static let engineStopTimeout = 10

    /// The value of `option` in `words` (`--opt VALUE` or `--opt=VALUE`), the last one given.
    static func lastValue(of option: String, in words: [String]) -> String? {
        var found: String?
        for (index, word) in words.enumerated() {
            if word == option, index + 1 < words.count { found = words[index + 1] }
            if word.hasPrefix(option + "=") { found = String(word.dropFirst(option.count + 1)) }
        }
        return found
    }

    private func forStop(_ invocation: ProcessInvocation) -> ProcessInvocation {
        var invocation = invocation
        invocation.grace = Double(max(0, stopTimeoutSeconds ?? Self.engineStopTimeout))
        invocation.waitsFor = stopWait
        return invocation
    }
    public func rename(id: String, to name: String) -> ProcessInvocation { docker(["rename", id, name]) }

    // MARK: Working inside

    /// `docker exec`: -t only when both ends are terminals ("the input device is not a TTY"
    /// otherwise), -i whenever the command may read stdin.
    /// `runningAs` is the container's `devenv.user` label: the user it was started with.
    /// `terminalEnvironment`: the host's TERM and COLORTERM, passed only with a terminal (docker
    /// exec would otherwise say TERM=xterm, 8 colours, in a 256-colour terminal).
    /// `container`: the ID to run in (one devenv looked up or remembered, which no other
    /// container can take over); the environment's container name when nil.
    /// `marker`: the command's processes carry it (`ExecMarker`), so a signal that ends devenv
    /// can reach them.
    public func exec(_ command: [String], interactive: Bool, terminal: Bool,
                     io: ProcessIO = .interactive, runningAs: String? = nil,
                     terminalEnvironment: [String: String] = [:], container: String? = nil,
                     marker: ExecMarker? = nil) -> ProcessInvocation {
        var arguments = ["exec"]
        if interactive { arguments.append("--interactive") }
        if terminal { arguments.append("--tty") }
        if terminal {
            for name in ["TERM", "COLORTERM"] {
                if let value = terminalEnvironment[name], !value.isEmpty { arguments += ["--env", "\(name)=\(value)"] }
            }
        }
        arguments += marker?.arguments ?? []
        if let user = execUser(runningAs: runningAs) { arguments += ["--user", user] }
        arguments += workdirArguments
        if let venv = spec.volumes["venv"], spec.environment["UV_PROJECT_ENVIRONMENT"] == nil {
            arguments += ["--env", "UV_PROJECT_ENVIRONMENT=\(venv)"]
        }
        arguments.append(container ?? names.container)
        return docker(arguments + command, io: io)
    }

    // MARK: The synced user's home

    /// After a start: makes the synced user's HOME exist and belong to them when the image
    /// lacks it (issue 9 section 8). Docker makes the missing parents of a mount point (the
    /// shipped dev profile mounts a cache volume under HOME) root-owned, and an image without
    /// the user has no HOME at all, so `touch ~/.bash_history` failed. A root `docker exec`
    /// runs `homeScript` with the user and HOME (the profile's `HOME`, else the user's line in
    /// the image's /etc/passwd); it prints HOME when it made or gave it. Nil when the image's
    /// own user applies, under rootless Docker, or when the synced user is root.
    public func giveHome() -> ProcessInvocation? {
        guard let user = userArgument, userMapping != .rootless, !user.hasPrefix("0:") else { return nil }
        return docker(["exec", "--user", "0:0", names.container, "sh", "-c", Self.homeScript, "sh", user,
                       spec.environment["HOME"] ?? ""])
    }

    /// $1 is UID:GID, $2 HOME or empty. A HOME of / (a user with no passwd line) is left alone.
    /// One that exists is given only when root owns it and it holds nothing but mount points
    /// (the parent Docker made for a volume): a real folder (/root, /usr) is never given away,
    /// nor one of another user.
    static let homeScript = #"""
        u=$1 h=$2
        if [ -z "$h" ]; then
          while IFS=: read -r n p i g c d s; do [ "$i" = "${u%%:*}" ] && { h=$d; break; }; done < /etc/passwd 2>/dev/null
        fi
        case $h in ""|/) exit 0;; esac
        if [ -d "$h" ]; then
          [ "$(stat -c %u "$h")" = 0 ] || exit 0
          for e in "$h"/* "$h"/.[!.]* "$h"/..?*; do
            [ -e "$e" ] || [ -L "$e" ] || continue
            grep -qF " $e " /proc/self/mountinfo || exit 0
          done
        else
          mkdir -p "$h" || exit 1
        fi
        chown "$u" "$h" && echo "$h"
        """#

    /// `ID<TAB>STARTEDAT<TAB>USER<TAB>IMAGEID` of the environment's container (USER: its
    /// `devenv.user` label, empty without one), for the lifecycle commands: which container,
    /// which start and which image (`LifecycleRecord`), and the user they run as.
    public func lifecycleFacts(container: String? = nil) -> ProcessInvocation {
        docker(["inspect", "--type", "container", "--format",
                "{{.Id}}\t{{.State.StartedAt}}\t{{index .Config.Labels \"\(Self.userLabel)\"}}\t{{.Image}}", container ?? names.container])
    }

    /// One lifecycle command in the container (`LifecycleStage`): as the container's user, in
    /// the workspace, its output streamed; no stdin and no terminal (nothing could answer a prompt).
    /// `container`: the ID to run in (`devenv test`'s one-off container); the environment's
    /// container when nil.
    public func lifecycleCommand(_ argv: [String], runningAs: String? = nil, container: String? = nil) -> ProcessInvocation {
        var invocation = exec(argv, interactive: false, terminal: false, io: .stream, runningAs: runningAs, container: container)
        // The mark `stopLifecycleCommands` finds the command's processes by (inserted after `exec`).
        invocation.argv.insert(contentsOf: ["--env", Self.lifecycleMark], at: 2)
        return invocation
    }

    /// In the environment of every lifecycle command's processes (and their children's, who
    /// inherit it), so they can be found again.
    public static let lifecycleMark = "DEVENV_LIFECYCLE=1"

    /// Ends the lifecycle commands still running in the container (`container`, else the
    /// environment's): Docker does not end an exec's processes when its client ends
    /// (Ctrl-C stops `docker exec`, not the `sh -c` it started), so after an interrupted stage
    /// they would run on, and again beside the next `up`'s. SIGTERM to every process
    /// whose environment has `lifecycleMark`, then SIGKILL to those left after the grace
    /// (`ExecMarker.endCommand`, as exec's pass-on). Exit 0 also when none ran. It runs as the
    /// commands' user (`runningAs`, as `lifecycleCommand`): root in a container lacks
    /// CAP_SYS_PTRACE, which reading another user's /proc/PID/environ needs.
    public func stopLifecycleCommands(runningAs: String? = nil, container: String? = nil) -> ProcessInvocation {
        var arguments = ["exec"]
        if let user = execUser(runningAs: runningAs) { arguments += ["--user", user] }
        return docker(arguments + [container ?? names.container] + ExecMarker.endCommand(mark: Self.lifecycleMark, signal: 15))  // SIGTERM
    }

    // MARK: The venv's uv.lock stamp

    /// The copy of uv.lock the venv was last synced from, inside the venv volume: the generated
    /// dev stage writes it when it fills /venv (a new volume starts as a copy of that), and
    /// `sync-deps` after each sync. `up` compares it with the workspace's uv.lock.
    public static let lockStampName = ".devenv-uv.lock"

    /// Whether this environment's venv follows the workspace's uv.lock: the project is mounted,
    /// the venv is a volume and there is a sync command.
    public var tracksLock: Bool { spec.mountWorkspace && spec.volumes["venv"] != nil && !spec.syncCommand.isEmpty }

    private var lockStampPath: String { (spec.volumes["venv"] ?? "/venv") + "/" + Self.lockStampName }

    /// `cmp -s uv.lock STAMP` in the workspace: exit 0 the same, 1 different (the venv is out of
    /// date), 2 no stamp (a venv devenv's Dockerfile did not make: unknown, left alone).
    public func compareLockStamp(runningAs: String? = nil) -> ProcessInvocation {
        exec(["cmp", "-s", "uv.lock", lockStampPath], interactive: false, terminal: false, io: .capture, runningAs: runningAs)
    }

    /// Records the workspace's uv.lock as the one the venv was synced from.
    /// `container`: the name or ID found (an earlier devenv's name until `up` replaces it);
    /// nil: the environment's name.
    public func writeLockStamp(runningAs: String? = nil, container: String? = nil) -> ProcessInvocation {
        exec(["cp", "uv.lock", lockStampPath], interactive: false, terminal: false, io: .capture, runningAs: runningAs,
             container: container)
    }

    /// The login shell of the synced user: bash when the image has it, else sh.
    public static let shellCommand = ["sh", "-c", "if command -v bash >/dev/null 2>&1; then exec bash; else exec sh; fi"]

    /// `docker logs`; `container` as for `exec`.
    public func logs(follow: Bool, tail: String?, since: String?, container: String? = nil) -> ProcessInvocation {
        Self.logs(cli: cli, follow: follow, tail: tail, since: since, container: container ?? names.container)
    }

    /// `logs` with the CLI and container given: what `devenv logs` starts before its
    /// configuration is read (LookupSpeculation.beginLogs) is this very call.
    public static func logs(cli: String, follow: Bool, tail: String?, since: String?, container: String) -> ProcessInvocation {
        var arguments = [cli, "logs"]
        if follow { arguments.append("--follow") }
        if let tail { arguments += ["--tail", tail] }
        if let since { arguments += ["--since", since] }
        arguments.append(container)
        return ProcessInvocation(arguments, io: .interactive)
    }

    /// Removes Python caches under the workspace and prints "FILES BYTES" of what it removed
    /// (last line), after a "failed<TAB>PATH" line for each cache it could not remove (all of
    /// it: a root-owned leftover of an earlier root container): it goes on past those. POSIX sh
    /// and find only, so it runs in busybox and slim images alike; the virtualenv and .git are
    /// left alone. Exit 0 unless the workspace is missing.
    public static let cleanCacheScript = """
        cd "$1" || exit 1
        find . \\( -name .git -o -name .venv -o -name node_modules \\) -prune -o \
          \\( -type d \\( -name __pycache__ -o -name .pytest_cache -o -name .mypy_cache -o -name .ruff_cache \\) -print -prune \\) -o \
          \\( -type f \\( -name '*.pyc' -o -name '*.pyo' \\) -print \\) 2>/dev/null | {
          files=0; bytes=0
          while IFS= read -r path; do
            n=$(find "$path" -type f 2>/dev/null | wc -l)
            b=$(find "$path" -type f -exec cat {} + 2>/dev/null | wc -c)
            if ! rm -rf "$path" 2>/dev/null; then
              n=$((n - $(find "$path" -type f 2>/dev/null | wc -l)))
              b=$((b - $(find "$path" -type f -exec cat {} + 2>/dev/null | wc -c)))
              printf 'failed\\t%s\\n' "$path"
            fi
            files=$((files + n)); bytes=$((bytes + b))
          done
          echo "$files $bytes"
        }
        """

    /// `container`: as `writeLockStamp`'s.
    public func cleanCache(runningAs: String? = nil, container: String? = nil) -> ProcessInvocation {
        let command = spec.cleanCacheCommand.isEmpty
            ? ["sh", "-c", Self.cleanCacheScript, "clean-cache", spec.workspace] : spec.cleanCacheCommand
        return exec(command, interactive: false, terminal: false, io: .capture, runningAs: runningAs, container: container)
    }

    /// The same script as root in a one-shot container of `image` with the project
    /// bind-mounted where the container has it: for the caches the user could not remove
    /// (left by an earlier root container), as root containers give volumes to the user.
    /// `run`: the token of this call (`oneOffArguments`).
    public func cleanCacheAsRoot(image: String, run: String? = nil) -> ProcessInvocation {
        docker(["run", "--rm"] + names.labelArguments + oneOffArguments(run) + ["--network", "none", "--user", "0:0", "--entrypoint", "sh",
                "--mount", Self.mount("bind", spec.projectRoot, spec.workspace), image,
                "-c", Self.cleanCacheScript, "clean-cache", spec.workspace])
    }

    // MARK: The engine

    /// `info --format '{{json .}}'`: the engine description's one call on Docker (`EngineFacts`).
    public static func engineInfo(cli: String) -> ProcessInvocation {
        ProcessInvocation([cli, "info", "--format", "{{json .}}"])
    }

    public func engineInfo() -> ProcessInvocation { Self.engineInfo(cli: cli) }

    /// `version --format '{{json .}}'`: the one call on a local Podman (its info takes 0.8 s).
    public static func engineVersion(cli: String) -> ProcessInvocation {
        ProcessInvocation([cli, "version", "--format", "{{json .}}"])
    }
}
