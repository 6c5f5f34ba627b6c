/// Judges gathered facts: one `DoctorCheck` per concern, in a fixed order. Pure, so every
/// verdict is unit-tested on hand-made facts.
public enum DoctorChecks {
    /// Words (between underscores) that name a secret when given to ARG or ENV (which stay in
    /// the image's history). Whole words: TOKENIZERS_PARALLELISM is no token.
    static let secretWords: Set<String> = ["PASSWORD", "PASSWORDS", "PASSWD", "SECRET", "SECRETS", "TOKEN", "TOKENS",
                                           "APIKEY", "CREDENTIAL", "CREDENTIALS"]
    /// Suffixes that name where a secret is, not the secret itself.
    static let referenceSuffixes = ["_FILE", "_PATH", "_DIR", "_ID", "_URL_FILE"]

    static let gib: UInt64 = 1 << 30
    /// Below these, building images fails or soon will.
    public static let diskFailBelow: UInt64 = 2 * gib
    public static let diskWarnBelow: UInt64 = 10 * gib

    public static func evaluate(_ facts: DoctorFacts) -> [DoctorCheck] {
        var checks: [DoctorCheck] = []
        checks += engine(facts)
        if facts.engine.serverVersion != nil {
            checks.append(buildKit(facts))
            checks.append(engineMode(facts))
        }
        checks.append(hostUser(facts))
        if let containerUser = containerUser(facts) { checks.append(containerUser) }
        if facts.engine.serverVersion != nil {
            checks.append(imageUsers(facts))
            if let volumes = volumes(facts) { checks.append(volumes) }
        }
        checks.append(envFiles(facts))
        checks.append(secrets(facts))
        checks.append(caBundle(facts))
        if let error = facts.configError {
            checks.append(DoctorCheck("config", .fail, "the configuration does not load: \(error)",
                                      fix: "fix devenv.toml; `devenv config` shows each value and where it comes from"))
        } else {
            if let prod = prodProfile(facts) { checks.append(prod) }
            checks.append(stages(facts))
            if let context = buildContext(facts) { checks.append(context) }
        }
        if facts.engine.serverVersion != nil { checks.append(disk(facts)) }
        return checks
    }

    // MARK: Engine

    static func engine(_ facts: DoctorFacts) -> [DoctorCheck] {
        guard facts.cliFound else {
            // The search passed a file over: what it was, and the fix of that, not "install Docker".
            if let passedOver = facts.cliPassedOver {
                return [DoctorCheck("docker-cli", .fail, "the docker CLI \"\(facts.cli)\" was not found: \(passedOver)",
                                    fix: "make that file executable (chmod +x), or put the right \(facts.cli) before it on PATH")]
            }
            return [DoctorCheck("docker-cli", .fail, "the docker CLI \"\(facts.cli)\" was not found",
                                fix: "install Docker (Debian: apt-get install docker.io), or set DEVENV_DOCKER to a docker-compatible CLI")]
        }
        let client = facts.engine.clientVersion ?? "unknown version"
        var checks = [DoctorCheck("docker-cli", .ok, "\(facts.cli) (client \(client)\(facts.engine.isPodman ? ", Podman" : ""))")]
        guard let server = facts.engine.serverVersion else {
            checks.append(DoctorCheck("engine", .fail,
                                      "no engine answers: \(facts.engine.serverError ?? "docker version got no server part")",
                                      fix: "start the engine (systemctl start docker, or dockerd as root), or check DOCKER_HOST / DOCKER_CONTEXT"))
            return checks
        }
        let context = facts.engine.context.map { ", context \($0)" } ?? ""
        checks.append(DoctorCheck("engine", .ok, "the engine answers (server \(server)\(context))"))
        if let major = facts.engine.clientMajor, let serverMajor = Int(server.prefix { $0.isNumber }),
           !facts.engine.isPodman, major + 3 < serverMajor {
            checks.append(DoctorCheck("versions", .warn, "client \(client) is much older than server \(server)",
                                      fix: "update the docker CLI to match the engine"))
        } else {
            checks.append(DoctorCheck("versions", .ok, "client \(client), server \(server)"))
        }
        return checks
    }

    static func buildKit(_ facts: DoctorFacts) -> DoctorCheck {
        let engine = facts.engine
        if engine.isPodman {
            return DoctorCheck("buildkit", .ok, "Podman (Buildah) builds support RUN --mount without BuildKit")
        }
        if engine.clientPlugins.contains("buildx") {
            return DoctorCheck("buildkit", .ok, "BuildKit through the buildx plugin")
        }
        if let major = engine.clientMajor, major < 23 {
            return DoctorCheck("buildkit", .ok, "BuildKit built into the \(engine.clientVersion ?? "") client (devenv sets DOCKER_BUILDKIT=1)")
        }
        return DoctorCheck("buildkit", .fail,
                           "client \(engine.clientVersion ?? "?") has no buildx plugin: builds fall back to the legacy builder, which rejects RUN --mount",
                           fix: "install the buildx plugin (Debian: apt-get install docker-buildx; Docker's packages: docker-buildx-plugin)")
    }

    /// What `up` does on this engine (`EngineFacts.userMapping`), said as a fact: doctor never
    /// asks the user to configure what devenv already does.
    static func engineMode(_ facts: DoctorFacts) -> DoctorCheck {
        switch facts.engine.userMapping {
        case .podmanKeepID(let namesIDs):
            let option = namesIDs ? "--userns=keep-id:uid=UID,gid=GID" : "--userns=keep-id"
            return DoctorCheck("engine-mode", .ok,
                               "rootless Podman: devenv runs containers with \(option), so your UID is the same inside and files on the bind mount are yours")
        case .rootless:
            return DoctorCheck("engine-mode", .ok,
                               "rootless Docker: devenv runs the synced user's containers as 0:0, which is you on the host, so files on the bind mount are yours")
        case .direct:
            return DoctorCheck("engine-mode", .ok, "\(facts.engine.mode): --user UID:GID writes bind-mounted files as that user")
        }
    }

    // MARK: Users

    /// Root in a root-owned folder: the container runs as the fallback user (1000), who cannot
    /// write the workspace. One text for doctor and for `up`'s warning.
    public static func rootOwnedFolder(synced: String) -> (summary: String, fix: String) {
        ("running as root in a root-owned folder: the container runs as \(synced), which owns nothing here (the workspace is read-only to it)",
         "run devenv as your own user, or chown the project folder to that user (chown -R \(synced) PROJECT)")
    }

    /// Who a container of the synced user runs as on this engine, as `up` makes it
    /// (`DockerPlanner.syncedUser`): "1000:1000", or on rootless Docker "0:0 (...)".
    static func syncedRunsAs(_ identity: HostIdentity, _ facts: DoctorFacts) -> String {
        let user = DockerPlanner.syncedUser(identity, mapping: facts.engine.userMapping)
        guard facts.engine.userMapping == .rootless else { return user }
        return "\(user) (rootless Docker: container root is the host user who runs the engine)"
    }

    static func hostUser(_ facts: DoctorFacts) -> DoctorCheck {
        guard let identity = facts.identity else {
            return DoctorCheck("host-user", .warn, "the synced user is unknown (the configuration did not load)",
                               fix: "fix the configuration first")
        }
        let synced = "\(identity.uid):\(identity.gid)"
        // The container runs as someone else than the synced user: say so, not who it would be
        // (`container-user` says who it is).
        if let dev = facts.profiles.first(where: { $0.name == "dev" }) ?? facts.profiles.first, dev.user != .host {
            // On a rootless engine container root is the host user who runs it.
            let rootIsYou = facts.engine.isRootless && dev.user == .ids(uid: 0, gid: 0)
            return DoctorCheck("host-user", .ok,
                               "you are \(facts.hostUID):\(facts.hostGID); profile \(dev.name) does not sync to you (user = \"\(dev.user)\")"
                                   + (rootIsYou ? ", but on this rootless engine its root is the host user who runs the engine" : ""))
        }
        switch identity.source {
        case .fallback:
            let warning = rootOwnedFolder(synced: synced)
            return DoctorCheck("host-user", .warn, warning.summary, fix: warning.fix)
        case .sudo:
            return DoctorCheck("host-user", .ok, "under sudo: the container runs as \(identity.userName) \(syncedRunsAs(identity, facts))")
        case .folderOwner:
            return DoctorCheck("host-user", .ok, "running as root: the container runs as the folder's owner \(syncedRunsAs(identity, facts))")
        case .host:
            if let owner = facts.folderOwner, owner.uid != facts.hostUID {
                return DoctorCheck("host-user", .warn,
                                   "you are \(facts.hostUID):\(facts.hostGID) but the project folder belongs to \(owner.uid):\(owner.gid): files the container writes will be yours, not its owner's",
                                   fix: "run devenv as the folder's owner, or chown -R \(facts.hostUID):\(facts.hostGID) the project folder")
            }
            return DoctorCheck("host-user", .ok, "you are \(synced) and own the project folder; the container runs as \(syncedRunsAs(identity, facts))")
        }
    }

    /// Who the dev container runs as, with `up`'s own root-mapping warnings
    /// (`HostIdentity.rootMappingWarnings`): `user = "0:0"`, a synced group 0, or the image's
    /// USER root (read from the Dockerfile's dev stage; `up` reads the built image's).
    static func containerUser(_ facts: DoctorFacts) -> DoctorCheck? {
        guard let identity = facts.identity,
              let dev = facts.profiles.first(where: { $0.name == "dev" }) ?? facts.profiles.first else { return nil }
        let user: EnvironmentSpec.User
        var imageUser: (user: String, source: String)?
        switch dev.user {
        case .host: user = .host
        case .ids(let uid, let gid): user = .fixed(uid: uid, gid: gid)
        case .image:
            user = .image
            if let summary = facts.dockerfile.map(DockerfileSummary.parse),
               let target = dev.target ?? summary.stages.last?.name, summary.stageNames.contains(target) {
                imageUser = (summary.effectiveUser(of: target) ?? "", "stage \(target)")
            }
        }
        let warnings = HostIdentity.rootMappingWarnings(user: user, identity: identity, profile: dev.name, imageUser: imageUser,
                                                        rootlessEngine: facts.engine.isRootless)
        if let first = warnings.first {
            return DoctorCheck("container-user", .warn, first,
                               fix: "set user = \"host\" (the default) for profile \(dev.name), or give its stage a non-root USER")
        }
        switch user {
        case .host: return DoctorCheck("container-user", .ok, "profile \(dev.name) runs its container as \(syncedRunsAs(identity, facts))")
        case .fixed(let uid, let gid): return DoctorCheck("container-user", .ok, "profile \(dev.name) runs its container as \(uid):\(gid)")
        case .image:
            return DoctorCheck("container-user", .ok, "profile \(dev.name) runs its container as the image's USER\(imageUser.map { " (\($0.source): \($0.user))" } ?? "")")
        }
    }

    static func imageUsers(_ facts: DoctorFacts) -> DoctorCheck {
        guard let identity = facts.identity else {
            return DoctorCheck("image-users", .warn, "not checked: the synced user is unknown", fix: "fix the configuration first")
        }
        guard let image = facts.imageAccounts else {
            return DoctorCheck("image-users", .warn,
                               "not checked: \(facts.imageAccountsSkipped ?? "neither the dev image nor the base image is on this engine")",
                               fix: "run `devenv build`, then `devenv doctor` again")
        }
        let accounts = image.accounts
        let user = accounts.user(uid: identity.uid)
        let group = accounts.group(gid: identity.gid)
        // On rootless Docker the dev container runs as 0:0, not as the synced user the build
        // args name (`DockerPlanner.syncedUser`): the built image is judged by that user.
        let dev = facts.profiles.first(where: { $0.name == "dev" }) ?? facts.profiles.first
        if image.isBuilt, facts.engine.userMapping == .rootless, dev?.user == .host, accounts.user(uid: 0) != nil {
            return DoctorCheck("image-users", .ok, "in \(image.image) the container runs as \(syncedRunsAs(identity, facts)), which the image has")
        }
        if image.isBuilt {
            guard let user else {
                return DoctorCheck("image-users", .warn,
                                   "the dev image \(image.image) has no user with UID \(identity.uid): whoami and ~ do not work in the container",
                                   fix: "create the user from the USERNAME/UID/GID build args in the dev stage (devenv init's create-user.sh does), then `devenv build`")
            }
            if user.groupID != identity.gid {
                return DoctorCheck("image-users", .warn,
                                   "in \(image.image) UID \(identity.uid) (\(user.name)) has primary GID \(user.groupID.map(String.init) ?? "?"), not \(identity.gid)",
                                   fix: "rebuild (`devenv build --no-cache`) so the dev stage assigns GID \(identity.gid)")
            }
            return DoctorCheck("image-users", .ok,
                               "in \(image.image) UID \(identity.uid) is \(user.name) and GID \(identity.gid) is \(group?.name ?? "unnamed")")
        }
        // The base image: what the dev stage will meet.
        var taken: [String] = []
        if let user, user.name != identity.userName { taken.append("UID \(identity.uid) is \(user.name)") }
        if let group, group.name != identity.userName { taken.append("GID \(identity.gid) is \(group.name)") }
        guard !taken.isEmpty else {
            return DoctorCheck("image-users", .ok, "the base image \(image.image) leaves UID \(identity.uid) and GID \(identity.gid) free")
        }
        let text = facts.dockerfile ?? ""
        let reuses = text.contains("usermod") || text.contains("groupmod") || text.contains("create-user.sh")
        if reuses {
            return DoctorCheck("image-users", .ok,
                               "in the base image \(image.image) \(taken.joined(separator: ", ")); the Dockerfile reuses or renames existing entries")
        }
        return DoctorCheck("image-users", .fail,
                           "in the base image \(image.image) \(taken.joined(separator: ", ")): a plain useradd/groupadd with those ids fails the build",
                           fix: "reuse or rename the existing entries (groupmod -n, usermod -l), as devenv init's docker/create-user.sh does")
    }

    static func volumes(_ facts: DoctorFacts) -> DoctorCheck? {
        guard let expected = facts.volumeOwnerExpected else { return nil }
        let dev = facts.profiles.first(where: { $0.name == "dev" }) ?? facts.profiles.first
        if facts.engine.userMapping == .rootless, dev?.user == .host {
            // `up` gives no volume an owner there (DockerPlanner.chownVolumes): root of the
            // engine's user namespace writes them whoever owns them.
            let names = facts.volumes.isEmpty ? "no dev volumes yet" : facts.volumes.map(\.name).joined(separator: ", ")
            return DoctorCheck("volumes", .ok, "\(names): the container runs as 0:0 on rootless Docker, which writes every volume whatever its owner")
        }
        if facts.volumes.isEmpty {
            if let skipped = facts.volumesSkipped {
                return DoctorCheck("volumes", .warn, "volume owners not checked: \(skipped)", fix: "run `devenv build`, then `devenv doctor` again")
            }
            return DoctorCheck("volumes", .ok, "no dev volumes yet (`devenv up` creates them owned by \(expected.uid):\(expected.gid))")
        }
        let wrong = facts.volumes.filter { $0.uid != expected.uid || $0.gid != expected.gid }
        guard wrong.isEmpty else {
            let list = wrong.map { "\($0.name) is \($0.uid):\($0.gid)" }.joined(separator: ", ")
            return DoctorCheck("volumes", .fail,
                               "\(list), not the synced \(expected.uid):\(expected.gid): uv sync and caches fail with permission errors",
                               fix: "devenv down --volumes && devenv up (new volumes get the right owner), or docker run --rm -u 0 -v VOLUME:/d IMAGE chown -R \(expected.uid):\(expected.gid) /d")
        }
        return DoctorCheck("volumes", .ok, "\(facts.volumes.map(\.name).joined(separator: ", ")) belong to \(expected.uid):\(expected.gid)")
    }

    // MARK: Trust

    /// A host whose trust store holds extra CAs (an administrator's, or a TLS-inspecting
    /// proxy's) reaches indexes that a container's stock bundle rejects ("invalid peer
    /// certificate: UnknownIssuer"), until `ca_bundle` hands the host's bundle over (issue 10,
    /// item 11). A warning: the extra CA may be for an intranet the project never fetches from.
    public static func caBundle(_ facts: DoctorFacts) -> DoctorCheck {
        if let value = facts.caBundle {
            return DoctorCheck("ca-bundle", .ok, "ca_bundle = \(JSONText.quote(value)): builds and containers get that CA bundle")
        }
        guard !facts.hostExtraCAs.isEmpty else {
            return DoctorCheck("ca-bundle", .ok, "no extra CAs in this host's trust store")
        }
        let shown = facts.hostExtraCAs.prefix(3).joined(separator: ", ") + (facts.hostExtraCAs.count > 3 ? ", ..." : "")
        return DoctorCheck("ca-bundle", .warn,
                           "this host trusts \(Plural.count(facts.hostExtraCAs.count, "extra CA file")) (\(shown)) that builds and containers do not: behind a TLS-inspecting proxy their index fetches fail with \"invalid peer certificate: UnknownIssuer\"",
                           fix: "add ca_bundle = \"host\" to [project] in devenv.toml (the host's bundle goes to builds as a secret and to containers read-only)")
    }

    // MARK: Secrets

    static func envFiles(_ facts: DoctorFacts) -> DoctorCheck {
        let tracked = facts.envFiles.filter { $0.tracked == true }
        if !tracked.isEmpty {
            let names = tracked.map(\.path).joined(separator: ", ")
            return DoctorCheck("env-files", .fail, "git tracks \(names): their secrets are in the repository's history",
                               fix: "git rm --cached \(tracked.map(\.path).joined(separator: " ")), add .env.* with !.env.*.template to .gitignore, and rotate the secrets")
        }
        let open = facts.envFiles.filter { ($0.permissions ?? 0) & 0o004 != 0 }
        if !open.isEmpty {
            let list = open.map { "\($0.path) (\(String($0.permissions ?? 0, radix: 8)))" }.joined(separator: ", ")
            return DoctorCheck("env-files", .warn, "\(list) readable by every user of this machine",
                               fix: "chmod 600 \(open.map(\.path).joined(separator: " "))")
        }
        if facts.envFiles.isEmpty { return DoctorCheck("env-files", .ok, "no .env files") }
        let unknown = facts.envFiles.contains { $0.tracked == nil }
        return DoctorCheck("env-files", .ok,
                           "\(facts.envFiles.map(\.path).joined(separator: ", ")): \(unknown ? "not in a git repository" : "not tracked by git"), readable by you only")
    }

    /// True for a variable name that holds a secret, not a reference to one.
    public static func isSecretName(_ name: String) -> Bool {
        let upper = name.uppercased()
        guard !referenceSuffixes.contains(where: { upper.hasSuffix($0) }) else { return false }
        let words = upper.split(whereSeparator: { $0 == "_" || $0 == "-" || $0 == "." }).map(String.init)
        // ..._KEY (API_KEY, AWS_SECRET_ACCESS_KEY, PRIVATE_KEY), but not a lone KEY.
        if words.count >= 2 && words.last == "KEY" { return true }
        return words.contains(where: secretWords.contains)
    }

    /// A URL of the form scheme://user:password@host/...: credentials written into it.
    public static func hasURLCredentials(_ value: String) -> Bool {
        guard let scheme = value.firstRange(of: "://") else { return false }
        let rest = value[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" }
        guard let at = authority.lastIndex(of: "@") else { return false }
        return authority[..<at].contains(":")
    }

    static func secrets(_ facts: DoctorFacts) -> DoctorCheck {
        var found: [String] = []
        if let text = facts.dockerfile {
            for variable in DockerfileSummary.parse(text).variables
            where isSecretName(variable.name) || hasURLCredentials(variable.value ?? "") {
                found.append("\(variable.kind.rawValue) \(variable.name) (\(facts.dockerfilePath):\(variable.line))")
            }
        }
        for argument in facts.buildArgs where isSecretName(argument.name) || hasURLCredentials(argument.value) {
            found.append("build arg \(argument.name) (devenv.toml)")
        }
        guard found.isEmpty else {
            return DoctorCheck("secrets", .fail,
                               "\(found.joined(separator: ", ")): ARG and ENV values stay in the image and its history",
                               fix: "pass it as a BuildKit secret: build_secrets = { NAME = { env = \"VAR\" } } in devenv.toml and RUN --mount=type=secret,id=NAME in the Dockerfile")
        }
        return DoctorCheck("secrets", .ok, "no secrets in ARG, ENV or build args")
    }

    /// A stage that copies the whole build context bakes every file .dockerignore lets through
    /// into its image (and its layers, even if a later RUN deletes it): env files, `.netrc`,
    /// `.git` and private keys must be excluded. Nil without a Dockerfile.
    static func buildContext(_ facts: DoctorFacts) -> DoctorCheck? {
        guard let text = facts.dockerfile else { return nil }
        let copies = DockerfileSummary.parse(text).contextCopies
        guard let first = copies.first else {
            return DoctorCheck("build-context", .ok, "no stage copies the whole build context")
        }
        let ignore = DockerignoreMatcher(facts.dockerignore ?? "")
        let leaks = facts.contextSecrets.filter { !ignore.excludes($0.path) }
        let prefix = facts.contextPath == "." ? "" : facts.contextPath + "/"
        let where_ = copies.map { "\($0.instruction) at \(facts.dockerfilePath):\($0.line) (stage \($0.stage))" }.joined(separator: ", ")
        guard !leaks.isEmpty else {
            let kept = facts.contextSecrets.isEmpty ? "the context has no env files, .netrc, .git or private keys"
                : "\(facts.dockerignorePath) keeps out \(Plural.count(facts.contextSecrets.count, "secret-like file"))"
            return DoctorCheck("build-context", .ok, "\(where_) copies the build context; \(kept)")
        }
        let names = leaks.map { TerminalSafeText.escaping(prefix + $0.path, keepingLineBreaks: false) + " (\($0.kind.rawValue))" }
        var lines: [String] = []
        for leak in leaks {
            for line in BuildContextScan.ignoreLines(for: leak.kind, path: leak.path) where !lines.contains(line) {
                lines.append(TerminalSafeText.escaping(line, keepingLineBreaks: false))
            }
        }
        let more = copies.count > 1 ? " (and \(copies.count - 1) more)" : ""
        return DoctorCheck("build-context", .fail,
                           "\(first.instruction) at \(facts.dockerfilePath):\(first.line) (stage \(first.stage))\(more) copies the build context into the image, and \(facts.dockerignore == nil ? "there is no \(facts.dockerignorePath) to exclude" : "\(facts.dockerignorePath) does not exclude") \(names.joined(separator: ", "))",
                           fix: "add these lines at the end of \(facts.dockerignorePath) (the last matching line wins): \(lines.joined(separator: "  ")); then rotate any secret an image already holds")
    }

    // MARK: Profiles and stages

    static func prodProfile(_ facts: DoctorFacts) -> DoctorCheck? {
        guard let prod = facts.profiles.first(where: { $0.name == "prod" }) else { return nil }
        let summary = facts.dockerfile.map(DockerfileSummary.parse)
        var root = false
        var rootReason = ""
        switch prod.user {
        case .ids(let uid, _):
            if uid == 0 { root = true; rootReason = "user = \"\(prod.user)\"" }
        case .host:
            break
        case .image:
            if let summary, let target = prod.target ?? summary.stages.last?.name,
               summary.stageNames.contains(target) {
                let user = summary.effectiveUser(of: target)
                let name = user?.split(separator: ":").first.map(String.init)
                if user == nil || name == "0" || name == "root" {
                    root = true
                    rootReason = user == nil ? "stage \(target) sets no USER" : "stage \(target) has USER \(user ?? "")"
                }
            }
        }
        if root {
            return DoctorCheck("prod-profile", .fail, "prod would run as root (\(rootReason))",
                               fix: "add a non-root USER to the prod stage (devenv init's Dockerfile uses 10001), or set user = \"UID:GID\" under [profiles.prod]")
        }
        var problems: [String] = []
        if !prod.readOnly { problems.append("a writable root file system (read_only = false)") }
        let added = prod.capAdd.filter { $0.uppercased() != "NET_BIND_SERVICE" }
        if !added.isEmpty { problems.append("added capabilities \(added.joined(separator: ", "))") }
        if !prod.capDrop.contains(where: { $0.uppercased() == "ALL" }) { problems.append("capabilities not dropped (cap_drop lacks ALL)") }
        if !prod.noNewPrivileges { problems.append("no no_new_privileges") }
        if !problems.isEmpty {
            return DoctorCheck("prod-profile", .warn, "prod runs with \(problems.joined(separator: ", "))",
                               fix: "under [profiles.prod]: read_only = true, cap_drop = [\"ALL\"], cap_add = [\"NET_BIND_SERVICE\"] at most, no_new_privileges = true")
        }
        return DoctorCheck("prod-profile", .ok, "prod runs non-root, read-only, without added capabilities or new privileges")
    }

    static func stages(_ facts: DoctorFacts) -> DoctorCheck {
        guard let text = facts.dockerfile else {
            return DoctorCheck("stages", .fail, "no Dockerfile at \(facts.dockerfilePath)",
                               fix: "run `devenv init` to write a multi-stage Dockerfile, or set dockerfile in devenv.toml")
        }
        let names = DockerfileSummary.parse(text).stageNames
        let missing = facts.profiles.compactMap { profile -> String? in
            guard let target = profile.target, !names.contains(target) else { return nil }
            return "\(profile.name) (target \(target))"
        }
        guard missing.isEmpty else {
            return DoctorCheck("stages", .fail,
                               "\(facts.dockerfilePath) has no stage for \(missing.joined(separator: ", ")); it has \(names.isEmpty ? "no named stage" : names.joined(separator: ", "))",
                               fix: "add `FROM ... AS NAME` stages for them, or set target under [profiles.NAME] in devenv.toml")
        }
        return DoctorCheck("stages", .ok, "\(facts.dockerfilePath) has a stage for every profile's target (\(names.joined(separator: ", ")))")
    }

    static func disk(_ facts: DoctorFacts) -> DoctorCheck {
        guard let free = facts.freeBytes else {
            return DoctorCheck("disk", .warn, "free space for images not measured (the engine's data folder \(facts.diskPath ?? "") is not on this machine)",
                               fix: "check it on the engine's host: docker system df")
        }
        let gigabytes = Double(free) / Double(gib)
        let shown = "\(Int(gigabytes * 10) / 10).\(Int(gigabytes * 10) % 10) GiB free in \(facts.diskPath ?? "the engine's data folder")"
        if free < diskFailBelow {
            return DoctorCheck("disk", .fail, shown + ": builds will fail", fix: "docker system prune (unused images, build cache), or free space")
        }
        if free < diskWarnBelow {
            return DoctorCheck("disk", .warn, shown + ": a few more images will fill it", fix: "docker system prune to reclaim unused images and build cache")
        }
        return DoctorCheck("disk", .ok, shown)
    }
}
