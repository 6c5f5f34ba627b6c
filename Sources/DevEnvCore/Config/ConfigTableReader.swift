/// Reads decoded TOML tables into typed configuration, collecting a diagnostic for every
/// problem (unknown key, wrong type, bad value) instead of stopping at the first.
struct ConfigTableReader {
    var diagnostics: [Diagnostic] = []
    let projectDirectory: String
    let home: String?
    /// devenv's own environment, for `$VAR` in `mounts`.
    let environment: HostEnvironment
    /// The names in `environment` whose values were not UTF-8 (`VariableExpansion.expand`).
    let undecodable: Set<String>

    init(projectDirectory: String, home: String?, environment: HostEnvironment = [:], undecodable: Set<String> = []) {
        self.projectDirectory = projectDirectory
        self.home = home
        self.environment = environment
        self.undecodable = undecodable
    }

    // MARK: Findings

    /// Findings past `ConfigLimits.maximumFindings`, counted but not kept.
    private(set) var unshown = (errors: 0, warnings: 0)
    private var onceAdded: Set<Diagnostic> = []

    /// Whether the findings are at the limit: what would only add to them (a "did you mean")
    /// is not worth working out any more.
    var isFull: Bool { diagnostics.count >= ConfigLimits.maximumFindings }

    mutating func error(_ message: String, at location: SourceLocation?) {
        add(Diagnostic(.error, message, at: location))
    }

    mutating func warning(_ message: String, at location: SourceLocation?) {
        add(Diagnostic(.warning, message, at: location))
    }

    /// Keeps `diagnostic` unless the findings are full (then it is only counted) or it is
    /// there already (`once`: one `extends` problem reached from several profiles).
    mutating func add(_ diagnostic: Diagnostic, once: Bool = false) {
        // Kept or only counted, a `once` finding is one finding.
        if once && !onceAdded.insert(diagnostic).inserted { return }
        guard !isFull else {
            if diagnostic.severity == .error { unshown.errors += 1 } else { unshown.warnings += 1 }
            return
        }
        diagnostics.append(diagnostic)
    }

    /// The last finding, when some were not kept: how many, of which severity. An error when
    /// any of them was one, so that the configuration still fails to load.
    var unshownSummary: Diagnostic? {
        guard unshown.errors + unshown.warnings > 0 else { return nil }
        var parts: [String] = []
        if unshown.errors > 0 { parts.append(Plural.count(unshown.errors, "more error")) }
        if unshown.warnings > 0 { parts.append(Plural.count(unshown.warnings, "more warning")) }
        return Diagnostic(unshown.errors > 0 ? .error : .warning,
                          "and \(parts.joined(separator: " and ")) not shown (devenv lists the first \(ConfigLimits.maximumFindings)): "
                              + "fix these, then run `devenv config` again", at: nil)
    }

    /// Reports every key of `table` not in `known`, with the nearest known key.
    mutating func checkKeys(_ table: TOMLTable, known: [String], in context: String) {
        for (key, node) in table.entries where !known.contains(key) {
            var message = "unknown key \"\(key)\" in \(context)"
            if !isFull, let near = KeySuggestion.nearest(to: key, in: known) { message += "; did you mean \"\(near)\"?" }
            error(message, at: node.keyLocation ?? node.location)
        }
    }

    static func origin(_ node: TOMLNode) -> ConfigOrigin { .file(node.keyLocation ?? node.location) }

    /// The place of character `offset` of a one-line string value that starts (at its opening
    /// quote) at `start`; the string's own place when its text holds escapes or line breaks,
    /// which make the source longer than the value.
    static func location(_ start: SourceLocation, offset: Int?, in value: String) -> SourceLocation {
        guard let offset, !value.contains("\\"), !value.contains(where: \.isNewline) else { return start }
        return SourceLocation(file: start.file, line: start.line, column: start.column + 1 + offset)
    }

    // MARK: Typed values

    mutating func string(_ key: String, _ node: TOMLNode) -> String? {
        guard case .string(let s) = node.value else {
            error("\"\(key)\" must be a string, found \(node.value.typeDescription)", at: node.location)
            return nil
        }
        return passable("\"\(key)\"", s, at: node.location) ? s : nil
    }

    /// Whether `text` can be passed to a process (`ConfigLimits.argumentProblem`); reports
    /// why not at `location`. Every string the readers below return has passed it, so a NUL
    /// or an over-long value is exit 2 at its place before anything is built or removed.
    mutating func passable(_ what: String, _ text: String, extra: Int = 0, at location: SourceLocation) -> Bool {
        guard let problem = ConfigLimits.argumentProblem(what, text, extra: extra) else { return true }
        error(problem, at: location)
        return false
    }

    mutating func nonEmptyString(_ key: String, _ node: TOMLNode) -> String? {
        guard let s = string(key, node) else { return nil }
        if s.isEmpty { error("\"\(key)\" must not be empty", at: node.location); return nil }
        return s
    }

    mutating func bool(_ key: String, _ node: TOMLNode) -> Bool? {
        guard case .boolean(let b) = node.value else {
            error("\"\(key)\" must be true or false, found \(node.value.typeDescription)", at: node.location)
            return nil
        }
        return b
    }

    /// An array of strings, each with its location; nil (and errors) when any element is not one.
    mutating func stringArray(_ key: String, _ node: TOMLNode, nonEmpty: Bool = false) -> [(String, SourceLocation)]? {
        guard case .array(let elements) = node.value else {
            error("\"\(key)\" must be an array of strings, found \(node.value.typeDescription)", at: node.location)
            return nil
        }
        var out: [(String, SourceLocation)] = []
        var ok = true
        for element in elements {
            if case .string(let s) = element.value {
                if passable("an element of \"\(key)\"", s, at: element.location) { out.append((s, element.location)) } else { ok = false }
            } else {
                error("\"\(key)\" must contain only strings, found \(element.value.typeDescription)", at: element.location)
                ok = false
            }
        }
        if ok && nonEmpty && out.isEmpty {
            error("\"\(key)\" must not be empty", at: node.location)
            return nil
        }
        return ok ? out : nil
    }

    /// A table of string values; entries of the wrong type are reported and left out.
    mutating func stringTable(_ key: String, _ node: TOMLNode) -> [(key: String, value: String, node: TOMLNode)] {
        guard case .table(let table) = node.value else {
            error("\"\(key)\" must be a table of strings, found \(node.value.typeDescription)", at: node.location)
            return []
        }
        var out: [(String, String, TOMLNode)] = []
        for (name, entry) in table.entries {
            if case .string(let s) = entry.value {
                guard passable("the name \"\(key).\(name)\"", name, at: entry.keyLocation ?? entry.location),
                      passable("\"\(key).\(name)\"", s, extra: name.utf8.count + 1, at: entry.location) else { continue }
                out.append((name, s, entry))
            } else {
                error("\"\(key).\(name)\" must be a string, found \(entry.value.typeDescription)"
                      + (isScalar(entry.value) ? " (quote it)" : ""), at: entry.location)
            }
        }
        return out
    }

    private func isScalar(_ value: TOMLValue) -> Bool {
        switch value {
        case .integer, .float, .boolean: return true
        default: return false
        }
    }

    /// A path relative to the project folder must stay inside it.
    /// `ca_bundle`: `"host"`, a path (checked for existence by the loader, which knows the host),
    /// or in a profile `"none"`. One reader for [project] and profiles.
    mutating func caBundle(_ key: String, _ node: TOMLNode, profile: Bool) -> String? {
        guard let s = nonEmptyString(key, node) else { return nil }
        if s == CABundle.none && !profile {
            error("\"ca_bundle\" = \"none\" is for a profile (its container gets no bundle); in [project] leave the key out",
                  at: node.location)
            return nil
        }
        return s
    }

    mutating func checkInsideProject(_ key: String, _ path: String, at location: SourceLocation) -> Bool {
        if ConfigPath.escapes(path) {
            error("\"\(key)\" path \"\(path)\" leaves the project folder", at: location)
            return false
        }
        return true
    }

    static func isEnvName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || isASCIILetter(first) else { return false }
        return s.unicodeScalars.allSatisfy { $0 == "_" || isASCIILetter($0) || ($0 >= "0" && $0 <= "9") }
    }

    private static func isASCIILetter(_ c: Unicode.Scalar) -> Bool { (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") }

    /// Non-empty, only ASCII letters, digits and the ASCII characters in `extra`. Checked
    /// byte by byte: a `Set<Character>` literal built on every call cost about 0.4 million
    /// instructions of a `status` (issue 14).
    static func isToken(_ s: String, extra: StaticString) -> Bool {
        let allowed = UnsafeBufferPointer(start: extra.utf8Start, count: extra.utf8CodeUnitCount)
        return !s.isEmpty && s.utf8.allSatisfy { byte in
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39)
                || allowed.contains(byte)
        }
    }

    // MARK: Settings read alike in profiles, [project] and services

    /// `KEY = { NAME = "value" }` whose names are environment variable names (`env`, build
    /// args): a bad name is reported ("\"KEY.NAME\" is not a valid WHAT name") and left out.
    /// `caution(name, value)` is a warning to give at the name (a secret written in the file).
    mutating func variables(_ key: String, _ node: TOMLNode, what: String,
                            caution: (_ name: String, _ value: String) -> String? = { _, _ in nil }) -> [NamedSetting] {
        var out: [NamedSetting] = []
        for (name, value, entry) in stringTable(key, node) {
            let at = entry.keyLocation ?? entry.location
            guard Self.isEnvName(name) else {
                error("\"\(key).\(name)\" is not a valid \(what) name", at: at)
                continue
            }
            if let text = caution(name, value) { warning(text, at: at) }
            out.append(NamedSetting(name: name, value: value, origin: .file(at)))
        }
        return out
    }

    /// `volumes = { NAME = "/container/path" }`: names are tokens (letters, digits, '_', '-'),
    /// paths absolute (normalised); a bad entry is reported (`what`: "volume role" in a
    /// profile, "volume name" in a service) and left out.
    mutating func volumes(_ key: String, _ node: TOMLNode, what: String) -> [NamedSetting] {
        var out: [NamedSetting] = []
        for (name, path, entry) in stringTable(key, node) {
            let at = entry.keyLocation ?? entry.location
            guard Self.isToken(name, extra: "_-") else {
                error("\(what) \"\(name)\" may only use letters, digits, '_' and '-'", at: at)
                continue
            }
            // It ends a volume's name, which the engines keep as a file name of at most 255
            // bytes (`ProjectName.maximumLength`).
            guard name.count <= ProjectName.maximumLength else {
                error("\(what) \"\(name)\" may be at most \(ProjectName.maximumLength) characters long (found \(name.count)): it ends a Docker volume's name",
                      at: at)
                continue
            }
            guard path.hasPrefix("/") else {
                error("\"\(key).\(name)\" must be an absolute container path, found \"\(path)\"", at: entry.location)
                continue
            }
            out.append(NamedSetting(name: name, value: ConfigPath.normalize(path), origin: .file(at)))
        }
        return out
    }

    /// `user = "host" | "image" | "UID:GID"`.
    mutating func user(_ key: String, _ node: TOMLNode) -> UserSpec? {
        guard let s = string(key, node) else { return nil }
        guard let spec = UserSpec(parsing: s) else {
            error("\"\(key)\" must be \"host\", \"image\" or \"UID:GID\" (numbers), found \"\(s)\"", at: node.location)
            return nil
        }
        return spec
    }

    /// A command as a string (run with `sh -c`) or an argv (a non-empty array of strings):
    /// the lifecycle commands of a profile and a service's health check.
    mutating func command(_ key: String, _ node: TOMLNode) -> LifecycleCommand? {
        if case .string(let text) = node.value {
            if text.isEmpty { error("\"\(key)\" must not be empty", at: node.location); return nil }
            return passable("\"\(key)\"", text, at: node.location) ? .shell(text) : nil
        }
        if case .array = node.value {
            return stringArray(key, node, nonEmpty: true).map { .argv($0.map(\.0)) }
        }
        error("\"\(key)\" must be a string (run with sh -c) or an array of strings (an argv), found \(node.value.typeDescription)",
              at: node.location)
        return nil
    }

    /// A Dockerfile stage name (`target`).
    mutating func stageName(_ key: String, _ node: TOMLNode) -> String? {
        guard let s = nonEmptyString(key, node) else { return nil }
        guard Self.isToken(s, extra: "_.-") else {
            error("\"\(key)\" \"\(s)\" is not a Dockerfile stage name", at: node.location)
            return nil
        }
        return s
    }

    // MARK: Profile

    /// One file's (or `[profiles.NAME]` table's) settings for one profile.
    mutating func profileLayer(_ table: TOMLTable, context: String) -> ProfileLayer {
        checkKeys(table, known: ConfigKeys.profile, in: context)
        var layer = ProfileLayer()
        for (key, node) in table.entries {
            let origin = Self.origin(node)
            switch key {
            case "extends":
                if let s = nonEmptyString(key, node) { layer.extends = Sourced(s, origin) }
            case "description":
                if let s = string(key, node) { layer.description = Sourced(s, origin) }
            case "target":
                if let s = stageName(key, node) { layer.target = Sourced(s, origin) }
            case "user":
                if let spec = user(key, node) { layer.user = Sourced(spec, origin) }
            case "home":
                if let s = string(key, node) {
                    if s.hasPrefix("/") { layer.home = Sourced(ConfigPath.normalize(s), origin) }
                    else { error("\"home\" must be an absolute container path, found \"\(s)\"", at: node.location) }
                }
            case "network":
                if let s = nonEmptyString(key, node) { layer.network = Sourced(s, origin) }
            case "host":
                if let s = nonEmptyString(key, node) {
                    if PortMapping.isIPv4(s) || PortMapping.isIPv6(s) { layer.host = Sourced(s, origin) }
                    else { error("\"host\" must be an IP address such as \"127.0.0.1\" or \"0.0.0.0\", found \"\(s)\"", at: node.location) }
                }
            case "ports":
                if let specs = stringArray(key, node) { layer.ports = Sourced(ports(specs), origin) }
            case "services":
                if let names = stringArray(key, node) {
                    layer.services = Sourced(names.map { NamedSetting(name: $0.0, value: "", origin: .file($0.1)) }, origin)
                }
            case "env":
                layer.env += variables(key, node, what: "environment variable") { name, value in
                    SecretName.looksSecret(name) && !value.isEmpty
                        ? "\"env.\(name)\" looks like a secret written in a configuration file; "
                            + "put it in the profile's env_file (not committed) instead"
                        : nil
                }
            case "env_file":
                if let s = nonEmptyString(key, node), checkInsideProject(key, s, at: node.location) {
                    layer.envFile = Sourced(s, origin)
                }
            case "volumes":
                layer.volumes += volumes(key, node, what: "volume role")
            case "command":
                if let words = stringArray(key, node, nonEmpty: true) { layer.command = Sourced(words.map(\.0), origin) }
            case "read_only":
                if let b = bool(key, node) { layer.readOnly = Sourced(b, origin) }
            case "ssh":
                if let b = bool(key, node) { layer.ssh = Sourced(b, origin) }
            case "ca_bundle":
                if let s = caBundle(key, node, profile: true) { layer.caBundle = Sourced(s, origin) }
            case "tmpfs":
                if let items = stringArray(key, node) {
                    var ok = true
                    for (item, at) in items where !item.hasPrefix("/") {
                        error("\"tmpfs\" entry \"\(item)\" must start with an absolute container path", at: at)
                        ok = false
                    }
                    if ok { layer.tmpfs = Sourced(items.map(\.0), origin) }
                }
            case "cap_drop", "cap_add":
                if let items = stringArray(key, node) {
                    var ok = true
                    for (item, at) in items where !Self.isToken(item, extra: "_") {
                        error("\"\(key)\" entry \"\(item)\" is not a capability name (like NET_BIND_SERVICE or ALL)", at: at)
                        ok = false
                    }
                    if ok {
                        let caps = Sourced(items.map { $0.0.uppercased() }, origin)
                        if key == "cap_drop" { layer.capDrop = caps } else { layer.capAdd = caps }
                    }
                }
            case "no_new_privileges":
                if let b = bool(key, node) { layer.noNewPrivileges = Sourced(b, origin) }
            case "restart":
                if let s = string(key, node) {
                    if Self.isRestartPolicy(s) { layer.restart = Sourced(s, origin) }
                    else { error("\"restart\" must be no, always, unless-stopped, on-failure or on-failure:N, found \"\(s)\"", at: node.location) }
                }
            case "mount_workspace":
                if let b = bool(key, node) { layer.mountWorkspace = Sourced(b, origin) }
            case "sync_command":
                if let words = stringArray(key, node, nonEmpty: true) { layer.syncCommand = Sourced(words.map(\.0), origin) }
            case "test_command":
                if let words = stringArray(key, node, nonEmpty: true) { layer.testCommand = Sourced(words.map(\.0), origin) }
            case "run_args":
                if let words = stringArray(key, node) {
                    let checked = RunOptions.check(words.map(\.0))
                    for problem in checked.problems { error("\"run_args\": \(problem.reason)", at: words[problem.index].1) }
                    for caution in checked.cautions { warning("\"run_args\": \(caution.reason)", at: words[caution.index].1) }
                    if checked.problems.isEmpty { layer.runArgs = Sourced(checked.options, origin) }
                }
            case "post_create", "post_start", "post_attach":
                guard let stage = LifecycleStage.allCases.first(where: { $0.profileKey == key }) else { break }
                if let command = command(key, node) { layer.lifecycle[stage] = Sourced(command, origin) }
            default:
                break  // reported by checkKeys
            }
        }
        return layer
    }

    private static func isRestartPolicy(_ s: String) -> Bool {
        if ["no", "always", "unless-stopped", "on-failure"].contains(s) { return true }
        guard s.hasPrefix("on-failure:") else { return false }
        let count = s.dropFirst("on-failure:".count)
        return !count.isEmpty && count.allSatisfy { $0.isASCII && $0.isNumber }
    }

    mutating func ports(_ specs: [(String, SourceLocation)]) -> [PortMapping] {
        var out: [PortMapping] = []
        var bound: [String: String] = [:]
        for (spec, at) in specs {
            switch PortMapping.parse(spec) {
            case .failure(let problem):
                error("bad port spec \"\(spec)\": \(problem.reason)", at: at)
            case .success(let mapping):
                let binding = "\(mapping.hostIP ?? "*"):\(mapping.hostPort)/\(mapping.transport.rawValue)"
                if let earlier = bound[binding] {
                    error("port spec \"\(spec)\" publishes host port \(mapping.hostPort) again (already in \"\(earlier)\")", at: at)
                    continue
                }
                bound[binding] = spec
                out.append(mapping)
            }
        }
        return out
    }

    // MARK: Project

    mutating func project(_ table: TOMLTable, context: String, into settings: inout ProjectSettings) {
        checkKeys(table, known: ConfigKeys.project, in: context)
        for (key, node) in table.entries {
            let origin = Self.origin(node)
            switch key {
            case "name":
                if let s = nonEmptyString(key, node) {
                    if ProjectName.isValid(s) { settings.name = Sourced(s, origin) }
                    else if s.count > ProjectName.maximumLength && ProjectName.isValid(String(s.prefix(ProjectName.maximumLength))) {
                        error("\"name\" is \(s.count) characters long; at most \(ProjectName.maximumLength) fit in Docker's "
                              + "volume and image names; try \"\(ProjectName.sanitized(s))\"", at: node.location)
                    } else {
                        error("\"name\" \"\(s)\" cannot name Docker images and volumes "
                              + "(lowercase letters, digits and single '.', '_', '-' between); try \"\(ProjectName.sanitized(s))\"",
                              at: node.location)
                    }
                }
            case "dockerfile", "context":
                if let s = nonEmptyString(key, node), checkInsideProject(key, s, at: node.location) {
                    if key == "dockerfile" { settings.dockerfile = Sourced(s, origin) } else { settings.context = Sourced(s, origin) }
                }
            case "workspace":
                if let s = string(key, node) {
                    if s.hasPrefix("/") && ConfigPath.normalize(s) != "/" { settings.workspace = Sourced(ConfigPath.normalize(s), origin) }
                    else { error("\"workspace\" must be an absolute container path other than /, found \"\(s)\"", at: node.location) }
                }
            case "default_profile":
                if let s = nonEmptyString(key, node) { settings.defaultProfile = Sourced(s, origin) }
            case "ca_bundle":
                if let s = caBundle(key, node, profile: false) { settings.caBundle = Sourced(s, origin) }
            case "base_image":
                if let s = nonEmptyString(key, node) { settings.baseImage = Sourced(s, origin) }
            case "clean_cache":
                if let words = stringArray(key, node, nonEmpty: true) { settings.cleanCache = Sourced(words.map(\.0), origin) }
            case "build_args":
                let args = variables(key, node, what: "build argument") { name, _ in
                    SecretName.looksSecret(name)
                        ? "build arg \"\(name)\" looks like a secret: build args stay in the image history; "
                            + "use [project.build_secrets] and RUN --mount=type=secret instead"
                        : nil
                }
                settings.buildArgs = settings.buildArgs.overlaid(with: args)
            case "build_secrets":
                settings.buildSecrets = buildSecrets(node, existing: settings.buildSecrets)
            case "mounts":
                if let specs = stringArray(key, node) {
                    var mounts: [MountSpec] = []
                    for (spec, at) in specs {
                        switch MountSpec.parse(spec, projectDirectory: projectDirectory, home: home, environment: environment,
                                             undecodable: undecodable) {
                        case .failure(let problem):
                            error("bad mount spec \"\(spec)\": \(problem.reason)", at: Self.location(at, offset: problem.offset, in: spec))
                        case .success(let mount):
                            if checkInsideProject("mounts", mount.hostPath, at: at) { mounts.append(mount) }
                        }
                    }
                    settings.mounts = Sourced(mounts, origin)
                }
            default:
                break  // reported by checkKeys
            }
        }
    }

    private mutating func buildSecrets(_ node: TOMLNode, existing: [BuildSecret]) -> [BuildSecret] {
        guard case .table(let table) = node.value else {
            error("\"build_secrets\" must be a table (id = { src = \"path\" } or { env = \"VAR\" }), found \(node.value.typeDescription)",
                  at: node.location)
            return existing
        }
        var byID: [String: BuildSecret] = [:]
        for secret in existing { byID[secret.id] = secret }
        for (id, entry) in table.entries {
            let at = entry.keyLocation ?? entry.location
            guard Self.isToken(id, extra: "_.-") else {
                error("build secret id \"\(id)\" may only use letters, digits, '_', '.' and '-'", at: at)
                continue
            }
            guard case .table(let spec) = entry.value else {
                error("build secret \"\(id)\" must be a table: { src = \"path\" } or { env = \"VAR\" }, found \(entry.value.typeDescription)",
                      at: entry.location)
                continue
            }
            checkKeys(spec, known: ConfigKeys.buildSecret, in: "build secret \"\(id)\"")
            let src = spec["src"], env = spec["env"]
            switch (src, env) {
            case (let src?, nil):
                if let path = nonEmptyString("build_secrets.\(id).src", src),
                   checkInsideProject("build_secrets.\(id).src", path, at: src.location) {
                    byID[id] = BuildSecret(id: id, source: .file(path: path, resolvedPath: ConfigPath.join(projectDirectory, path)),
                                           origin: .file(at))
                }
            case (nil, let env?):
                if let variable = nonEmptyString("build_secrets.\(id).env", env) {
                    if Self.isEnvName(variable) {
                        byID[id] = BuildSecret(id: id, source: .environment(variable), origin: .file(at))
                    } else {
                        error("\"build_secrets.\(id).env\" \"\(variable)\" is not an environment variable name", at: env.location)
                    }
                }
            case (.some, .some):
                error("build secret \"\(id)\" must have either src or env, not both", at: at)
            case (nil, nil):
                if spec.keys.allSatisfy(ConfigKeys.buildSecret.contains) {
                    error("build secret \"\(id)\" needs src = \"path\" or env = \"VAR\"", at: at)
                }
            }
        }
        return byID.values.sorted { $0.id < $1.id }
    }
}
