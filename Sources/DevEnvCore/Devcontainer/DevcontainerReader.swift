/// What one devcontainer.json says, in devenv's terms: a profile layer, and the project
/// settings that devenv keeps per project but the file sets per configuration (they apply
/// when its profile is the chosen one, under anything devenv.toml sets).
struct DevcontainerLayer {
    var profile = ProfileLayer()
    var dockerfile: Sourced<String>?
    var context: Sourced<String>?
    var workspace: Sourced<String>?
    var buildArgs: [NamedSetting] = []
    var mounts: Sourced<[MountSpec]>?
    var cacheFrom: Sourced<[String]>?
}

/// Maps a decoded devcontainer.json onto devenv's configuration (README, "devcontainer.json").
/// Wrong types are errors (the file is broken for every tool); properties devenv cannot honour
/// are warnings naming the property and what to do instead, never silently dropped.
struct DevcontainerReader {
    /// The file as shown in locations (`.devcontainer/devcontainer.json`).
    let file: String
    /// The file's absolute path: relative build paths start from its folder.
    let path: String
    let projectDirectory: String
    let profileName: String
    var variables: DevcontainerVariables
    var diagnostics: [Diagnostic] = []

    init(file: String, path: String, projectDirectory: String, profileName: String, environment: HostEnvironment,
         undecodable: Set<String> = []) {
        self.file = file
        self.path = path
        self.projectDirectory = projectDirectory
        self.profileName = profileName
        var id = Fingerprint()
        id.add(projectDirectory)
        id.add(profileName)
        variables = DevcontainerVariables(
            localWorkspaceFolder: projectDirectory,
            containerWorkspaceFolder: "/workspaces/" + ConfigPath.lastComponent(projectDirectory),
            localEnvironment: environment, undecodableLocalEnvironment: undecodable, devcontainerID: id.hex)
    }

    /// Properties devenv reads.
    static let mapped: Set<String> = [
        "$schema", "name", "image", "build", "dockerFile", "context", "forwardPorts", "appPort", "portsAttributes",
        "containerEnv", "remoteEnv", "containerUser", "remoteUser", "updateRemoteUserUID", "mounts", "workspaceFolder",
        "workspaceMount", "runArgs", "overrideCommand", "init", "privileged", "capAdd", "securityOpt", "hostRequirements",
        "initializeCommand", "onCreateCommand", "updateContentCommand", "postCreateCommand", "postStartCommand",
        "postAttachCommand", "waitFor",
    ]

    /// Properties of the spec devenv does not support, with what to do instead.
    static let unsupported: [String: String] = [
        "features": "features are install scripts fetched from registries; install these tools in the Dockerfile instead",
        "overrideFeatureInstallOrder": "features are not supported; install the tools in the Dockerfile",
        "dockerComposeFile": "Docker Compose is not used; define the services in devenv.toml (devenv services) and give this file an image or build",
        "service": "Docker Compose is not used; define the services in devenv.toml (devenv services)",
        "runServices": "Docker Compose is not used; define the services in devenv.toml (devenv services)",
        "customizations": "editor settings (VS Code, Codespaces); devenv has no editor and leaves them alone",
        "extensions": "editor extensions (VS Code); devenv has no editor and leaves them alone",
        "settings": "editor settings (VS Code); devenv has no editor and leaves them alone",
        "shutdownAction": "devenv leaves the container running until `devenv down`",
        "userEnvProbe": "devenv does not probe a login shell; set the variables in containerEnv or remoteEnv",
        "otherPortsAttributes": "only the label of listed ports (portsAttributes) is used",
        "secrets": "put secrets in the profile's env_file (not committed)",
        "onAutoForward": "devenv publishes forwardPorts on 127.0.0.1 itself",
    ]

    // MARK: Findings

    private mutating func error(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.error, message, at: location))
    }

    private mutating func warning(_ message: String, at location: SourceLocation) {
        diagnostics.append(Diagnostic(.warning, message, at: location))
    }

    private static func origin(_ node: JSONCNode) -> ConfigOrigin { .file(node.place) }

    // MARK: Typed values

    /// A string with the spec's variables replaced; unknown ones are warned about.
    private mutating func string(_ key: String, _ node: JSONCNode, forShell: Bool = false) -> String? {
        guard case .string(let raw) = node.value else {
            error("\"\(key)\" must be a string, found \(node.value.typeDescription)", at: node.location)
            return nil
        }
        // No command line, environment entry or file name can carry a NUL: the process would
        // get the text up to it only, not what `devenv config` shows.
        if let problem = ConfigLimits.nulProblem("\"\(key)\"", raw) {
            error(problem, at: node.location)
            return nil
        }
        let (text, unresolved, refused) = variables.substitute(raw, forShell: forShell)
        // Checked first: its U+FFFD text would be judged (and quoted) as if it were the value.
        if let name = variables.undecodableReference(in: raw) {
            error("\"\(key)\": \(HostVariable.notUTF8(name))", at: node.location)
            return nil
        }
        for name in unresolved {
            warning("\"\(key)\": devenv cannot resolve \(name) here; it is kept as written", at: node.location)
        }
        if let reason = refused.first {
            error("\"\(key)\": \(reason); the command would run part of a substituted value", at: node.location)
            return nil
        }
        // Every string here becomes one argument of a process (`sh -c TEXT`, `-e NAME=VALUE`):
        // past Linux's limit the spawn fails with "Argument list too long", after the
        // container was made. A host variable substituted into it can make it that long.
        if let problem = ConfigLimits.lengthProblem("\"\(key)\"", text, substituted: raw != text) {
            error(problem, at: node.location)
            return nil
        }
        return text
    }

    private mutating func bool(_ key: String, _ node: JSONCNode) -> Bool? {
        guard case .bool(let b) = node.value else {
            error("\"\(key)\" must be true or false, found \(node.value.typeDescription)", at: node.location)
            return nil
        }
        return b
    }

    /// A string or an array of strings (`cacheFrom`, `securityOpt` ...).
    private mutating func strings(_ key: String, _ node: JSONCNode, allowSingle: Bool = false) -> [(String, SourceLocation)]? {
        if allowSingle, case .string = node.value { return string(key, node).map { [($0, node.location)] } }
        guard case .array(let elements) = node.value else {
            error("\"\(key)\" must be an array of strings, found \(node.value.typeDescription)", at: node.location)
            return nil
        }
        var out: [(String, SourceLocation)] = []
        for element in elements {
            guard let s = string(key, element) else { return nil }
            out.append((s, element.location))
        }
        return out
    }

    private mutating func object(_ key: String, _ node: JSONCNode) -> JSONCObject? {
        guard case .object(let object) = node.value else {
            error("\"\(key)\" must be an object, found \(node.value.typeDescription)", at: node.location)
            return nil
        }
        return object
    }

    /// A path in devcontainer.json is relative to the file's folder; devenv keeps project paths
    /// relative to the project (or absolute when outside it).
    private func projectPath(_ relative: String) -> String {
        let absolute = ConfigPath.join(ConfigPath.parent(path), relative)
        if absolute == projectDirectory { return "." }
        let prefix = projectDirectory == "/" ? "/" : projectDirectory + "/"
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
    }

    // MARK: The file

    mutating func read(_ root: JSONCNode) -> DevcontainerLayer {
        var layer = DevcontainerLayer()
        guard case .object(let object) = root.value else {
            error("a devcontainer.json holds an object ({ ... }), found \(root.value.typeDescription)", at: root.location)
            return layer
        }
        for duplicate in object.duplicates {
            warning("\"\(duplicate.name)\" is set twice; the last one is used", at: duplicate.at)
        }
        let rootOrigin = ConfigOrigin.file(root.location)
        layer.profile.devcontainerFile = path
        // devenv syncs the container user to the host user: files in the workspace stay yours.
        layer.profile.user = Sourced(.host, rootOrigin)
        layer.profile.mountWorkspace = Sourced(true, rootOrigin)

        // The workspace first: ${containerWorkspaceFolder} depends on it.
        readWorkspace(object, into: &layer, rootOrigin: rootOrigin)
        // containerEnv next: remoteEnv may refer to it.
        if let node = object["containerEnv"] {
            for (name, value, entry) in environmentEntries("containerEnv", node) {
                variables.containerEnvironment[name] = value
                layer.profile.env.append(NamedSetting(name: name, value: value, origin: Self.origin(entry)))
            }
        }

        for (key, node) in object.effectiveMembers {
            let origin = Self.origin(node)
            switch key {
            case "$schema", "containerEnv", "workspaceFolder", "workspaceMount":
                break
            case "name":
                if let s = string(key, node) { layer.profile.description = Sourced("devcontainer: \(s)", origin) }
            case "image":
                if let s = string(key, node) {
                    if object["build"] != nil || object["dockerFile"] != nil {
                        warning("\"image\" is not used: the file also has a build, which devenv builds", at: node.place)
                    } else if s.isEmpty {
                        error("\"image\" must not be empty", at: node.location)
                    } else {
                        layer.profile.image = Sourced(s, origin)
                    }
                }
            case "build":
                readBuild(node, into: &layer)
            case "dockerFile":
                // The spec's older spelling of build.dockerfile, relative to the file.
                if let s = string(key, node) { layer.dockerfile = Sourced(projectPath(s), origin) }
            case "context":
                if let s = string(key, node) { layer.context = Sourced(projectPath(s), origin) }
            case "forwardPorts", "appPort":
                break  // below, together
            case "portsAttributes":
                readPortsAttributes(node, into: &layer)
            case "remoteEnv":
                readRemoteEnv(node, into: &layer)
            case "containerUser", "remoteUser", "updateRemoteUserUID":
                if key == "updateRemoteUserUID" { _ = bool(key, node) } else { _ = string(key, node) }
                warning("\"\(key)\" is not used: devenv runs the container as your own UID:GID (it syncs the user itself, "
                        + "as updateRemoteUserUID would), so files in the workspace stay yours", at: node.place)
            case "mounts":
                readMounts(node, into: &layer)
            case "runArgs":
                if let words = strings(key, node) { addRunArgs(words, key: key, origin: origin, into: &layer) }
            case "overrideCommand":
                if let b = bool(key, node), !b { layer.profile.command = nil }
            case "init":
                if let b = bool(key, node), !b {
                    warning("\"init\": false is not honoured: devenv always runs an init process (docker run --init) so signals reach the command",
                            at: node.place)
                }
            case "privileged":
                if let b = bool(key, node), b { addRunArgs([("--privileged", node.location)], key: key, origin: origin, into: &layer) }
            case "capAdd":
                if let caps = strings(key, node) {
                    layer.profile.capAdd = Sourced(caps.map { $0.0.uppercased() }, origin)
                }
            case "securityOpt":
                if let options = strings(key, node) {
                    addRunArgs(options.flatMap { [("--security-opt", $0.1), $0] }, key: key, origin: origin, into: &layer)
                }
            case "hostRequirements":
                readHostRequirements(node, into: &layer)
            case "waitFor":
                if let s = string(key, node) {
                    if let stage = LifecycleStage.allCases.first(where: { $0.devcontainerProperty == s }), stage != .postAttach {
                        layer.profile.waitFor = Sourced(stage, origin)
                    } else {
                        error("\"waitFor\" must be one of initializeCommand, onCreateCommand, updateContentCommand, postCreateCommand, postStartCommand, found \"\(s)\"",
                              at: node.location)
                    }
                }
            default:
                if let stage = LifecycleStage.allCases.first(where: { $0.devcontainerProperty == key }) {
                    if let command = lifecycleCommand(key, node) { layer.profile.lifecycle[stage] = Sourced(command, origin) }
                } else if let advice = Self.unsupported[key] {
                    warning("\"\(key)\" is not supported: \(advice)\(featureList(key, node))", at: node.place)
                } else {
                    warning("\"\(key)\" is not a devcontainer.json property devenv knows; it is not used", at: node.place)
                }
            }
        }
        if object["overrideCommand"].flatMap({ node -> Bool? in if case .bool(let b) = node.value { return b } else { return nil } }) != false {
            // The spec's default: the container idles and commands run in it.
            layer.profile.command = Sourced(["sleep", "infinity"], object["overrideCommand"].map(Self.origin) ?? rootOrigin)
        }
        readPorts(object, into: &layer)
        if object["image"] == nil && object["build"] == nil && object["dockerFile"] == nil {
            if object["dockerComposeFile"] == nil {
                error("devcontainer.json needs \"image\" or \"build\": { \"dockerfile\": ... } for devenv to know what to run",
                      at: root.location)
            } else {
                error("devcontainer.json uses only Docker Compose, which devenv does not run; add \"image\" or \"build\" for the development container",
                      at: object["dockerComposeFile"]?.place ?? root.location)
            }
        }
        return layer
    }

    /// `features`: name the features, since they are left out.
    private func featureList(_ key: String, _ node: JSONCNode) -> String {
        guard key == "features", case .object(let features) = node.value, !features.isEmpty else { return "" }
        return " (left out: \(features.names.joined(separator: ", ")))"
    }

    private mutating func readWorkspace(_ object: JSONCObject, into layer: inout DevcontainerLayer, rootOrigin: ConfigOrigin) {
        var workspace = Sourced(variables.containerWorkspaceFolder, rootOrigin)
        var mountTarget: String?
        if let node = object["workspaceMount"], let spec = string("workspaceMount", node) {
            let fields = Self.mountFields(spec)
            let source = fields["source"] ?? fields["src"] ?? ""
            let target = fields["target"] ?? fields["destination"] ?? fields["dst"] ?? ""
            if (fields["type"] ?? "bind") != "bind" || ConfigPath.normalize(source) != projectDirectory || !target.hasPrefix("/") {
                warning("\"workspaceMount\" is not used: devenv bind-mounts the project folder itself (at workspaceFolder); "
                        + "only a bind mount of ${localWorkspaceFolder} can be honoured", at: node.place)
            } else {
                mountTarget = ConfigPath.normalize(target)
                workspace = Sourced(ConfigPath.normalize(target), Self.origin(node))
            }
        }
        if let node = object["workspaceFolder"], let folder = string("workspaceFolder", node) {
            if folder.hasPrefix("/") && ConfigPath.normalize(folder) != "/" {
                workspace = Sourced(ConfigPath.normalize(folder), Self.origin(node))
                if let mountTarget, mountTarget != workspace.value {
                    warning("\"workspaceFolder\" differs from workspaceMount's target \(mountTarget): devenv mounts the project at workspaceFolder",
                            at: node.place)
                }
            } else {
                error("\"workspaceFolder\" must be an absolute container path other than /, found \"\(folder)\"", at: node.location)
            }
        }
        variables.containerWorkspaceFolder = workspace.value
        layer.workspace = workspace
    }

    private mutating func readBuild(_ node: JSONCNode, into layer: inout DevcontainerLayer) {
        guard let build = object("build", node) else { return }
        for (key, entry) in build.effectiveMembers {
            let name = "build.\(key)"
            let origin = Self.origin(entry)
            switch key {
            case "dockerfile", "dockerFile":
                if let s = string(name, entry) { layer.dockerfile = Sourced(projectPath(s), origin) }
            case "context":
                if let s = string(name, entry) { layer.context = Sourced(projectPath(s), origin) }
            case "target":
                if let s = string(name, entry), !s.isEmpty { layer.profile.target = Sourced(s, origin) }
            case "args":
                guard let args = object(name, entry) else { break }
                for (arg, value) in args.effectiveMembers {
                    if let s = string("build.args.\(arg)", value) {
                        layer.buildArgs.append(NamedSetting(name: arg, value: s, origin: Self.origin(value)))
                    }
                }
            case "cacheFrom":
                if let images = strings(name, entry, allowSingle: true) { layer.cacheFrom = Sourced(images.map(\.0), origin) }
            default:
                warning("\"\(name)\" is not supported; set build options in the Dockerfile, or build args in build.args",
                        at: entry.place)
            }
        }
        if layer.dockerfile == nil, build["dockerfile"] == nil, build["dockerFile"] == nil {
            error("\"build\" needs \"dockerfile\" (relative to the devcontainer.json)", at: node.place)
        }
        // The spec's default context is the devcontainer.json's own folder.
        if layer.context == nil, layer.dockerfile != nil { layer.context = Sourced(projectPath("."), Self.origin(node)) }
    }

    /// forwardPorts and appPort, both published on 127.0.0.1 only (nothing reaches the
    /// environment from the network), as one list.
    private mutating func readPorts(_ object: JSONCObject, into layer: inout DevcontainerLayer) {
        var mappings: [PortMapping] = []
        var origin: ConfigOrigin?
        func add(_ mapping: PortMapping, _ spec: String, at: SourceLocation, into reader: inout DevcontainerReader) {
            if mappings.contains(mapping) { return }
            if let earlier = mappings.first(where: { $0.hostPort == mapping.hostPort && $0.transport == mapping.transport }) {
                reader.error("port \(spec) publishes host port \(mapping.hostPort) again (already \(earlier))", at: at)
                return
            }
            mappings.append(mapping)
        }
        for key in ["forwardPorts", "appPort"] {
            guard let node = object[key] else { continue }
            origin = origin ?? Self.origin(node)
            let elements: [JSONCNode]
            if case .array(let items) = node.value { elements = items }
            else if key == "appPort" { elements = [node] }
            else {
                error("\"forwardPorts\" must be an array of port numbers, found \(node.value.typeDescription)", at: node.location)
                continue
            }
            for element in elements {
                if let port = element.int {
                    guard (1...65535).contains(port) else {
                        error("\"\(key)\": port \(port) is out of range 1-65535", at: element.location)
                        continue
                    }
                    add(PortMapping(hostIP: "127.0.0.1", hostPort: port, containerPort: port), "\(port)", at: element.location, into: &self)
                } else if case .string(let text) = element.value {
                    if let port = Int(text), text.allSatisfy(\.isNumber), (1...65535).contains(port) {
                        add(PortMapping(hostIP: "127.0.0.1", hostPort: port, containerPort: port), text, at: element.location, into: &self)
                    } else if key == "forwardPorts" {
                        warning("\"forwardPorts\": \"\(text)\" names another service's port (Docker Compose), which devenv does not run; "
                                + "define that service in devenv.toml", at: element.location)
                    } else {
                        switch PortMapping.parse(text) {
                        case .failure(let problem): error("\"appPort\": bad port \"\(text)\": \(problem.reason)", at: element.location)
                        case .success(var mapping):
                            if mapping.hostIP == nil { mapping.hostIP = "127.0.0.1" }
                            add(mapping, text, at: element.location, into: &self)
                        }
                    }
                } else {
                    error("\"\(key)\" entries must be port numbers or strings, found \(element.value.typeDescription)", at: element.location)
                }
            }
        }
        if let origin { layer.profile.ports = Sourced(mappings, origin) }
    }

    private mutating func readPortsAttributes(_ node: JSONCNode, into layer: inout DevcontainerLayer) {
        guard let ports = object("portsAttributes", node) else { return }
        var ignored: [String] = []
        for (port, entry) in ports.effectiveMembers {
            guard let attributes = object("portsAttributes.\(port)", entry) else { continue }
            for (name, value) in attributes.effectiveMembers {
                if name == "label" {
                    if let label = string("portsAttributes.\(port).label", value) {
                        layer.profile.portLabels.append(NamedSetting(name: port, value: label, origin: Self.origin(value)))
                    }
                } else if !ignored.contains(name) {
                    ignored.append(name)
                }
            }
        }
        if !ignored.isEmpty {
            warning("\"portsAttributes\": \(ignored.joined(separator: ", ")) are editor settings devenv does not use; it shows each port's label",
                    at: node.place)
        }
    }

    /// An object of string values (environment variables).
    private mutating func environmentEntries(_ key: String, _ node: JSONCNode, allowNull: Bool = false) -> [(String, String, JSONCNode)] {
        guard let table = object(key, node) else { return [] }
        var out: [(String, String, JSONCNode)] = []
        for (name, entry) in table.effectiveMembers {
            guard Self.isEnvironmentName(name) else {
                error("\"\(key)\": \"\(name)\" is not an environment variable name", at: entry.place)
                continue
            }
            if allowNull, case .null = entry.value { continue }
            if let value = string("\(key).\(name)", entry) { out.append((name, value, entry)) }
        }
        return out
    }

    /// The spec allows any name (`foo.bar` is used); devenv refuses only what no environment
    /// holds or a terminal would obey: empty, `=`, and what `TerminalSafeText` shows escaped
    /// (NUL and the other C0 controls, DEL, C1, the bidi overrides and isolates: a name with
    /// U+202E was passed to the container though every listing of it shows it reordered).
    static func isEnvironmentName(_ name: String) -> Bool {
        !name.isEmpty && !name.contains("=")
            && !name.unicodeScalars.contains { TerminalSafeText.isUnsafe($0, keepingLineBreaks: false) }
    }

    /// remoteEnv applies to what runs in the container: devenv passes it with the container's
    /// environment. A value that refers to `${containerEnv:VAR}` is kept as a template and
    /// resolved by `up` when it creates the container, against the container's real
    /// environment (the image's Config.Env under the profile's env: `DockerPlanner`); the
    /// other variables are replaced now.
    private mutating func readRemoteEnv(_ node: JSONCNode, into layer: inout DevcontainerLayer) {
        guard let table = object("remoteEnv", node) else { return }
        var deferring = variables
        deferring.defersContainerEnvironment = true
        for (name, entry) in table.effectiveMembers {
            if case .null = entry.value { continue }  // the spec's "unset"
            guard case .string(let raw) = entry.value else {
                error("\"remoteEnv.\(name)\" must be a string or null, found \(entry.value.typeDescription)", at: entry.location)
                continue
            }
            guard Self.isEnvironmentName(name) else {
                error("\"remoteEnv\": \"\(name)\" is not an environment variable name", at: entry.place)
                continue
            }
            // remoteEnv NAME over containerEnv NAME: the container's NAME is containerEnv's value,
            // which this entry replaces in the one --env devenv passes; resolve that reference now.
            let own = variables.containerEnvironment[name].map {
                DevcontainerVariables.resolvingContainerEnvironment(name, to: $0, in: raw)
            } ?? raw
            if let problem = ConfigLimits.nulProblem("\"remoteEnv.\(name)\"", raw) {
                error(problem, at: entry.location)
                continue
            }
            if let variable = deferring.undecodableReference(in: own) {
                error("\"remoteEnv.\(name)\": \(HostVariable.notUTF8(variable))", at: entry.location)
                continue
            }
            let (text, unresolved, _) = deferring.substitute(own)
            let unclosed = { (reference: String) in reference.hasSuffix(DevcontainerVariables.unclosedNote) }
            for other in unresolved where !DevcontainerVariables.refersToContainerEnvironment(other) || unclosed(other) {
                warning("\"remoteEnv.\(name)\": devenv cannot resolve \(other) here; it is kept as written", at: entry.location)
            }
            layer.profile.env.append(NamedSetting(name: name, value: text, origin: Self.origin(entry)))
            if unresolved.contains(where: { DevcontainerVariables.refersToContainerEnvironment($0) && !unclosed($0) }) {
                layer.profile.envResolvedAtUp.insert(name)
            }
        }
    }

    /// `source=X,target=Y,type=bind,readonly` (docker's --mount syntax) as a map; keys in
    /// lowercase, as docker reads them (`Type=bind` is `type=bind`).
    static func mountFields(_ spec: String) -> [String: String] {
        var fields: [String: String] = [:]
        for part in spec.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingSpaces }
            fields[pair[0].lowercased()] = pair.count == 2 ? pair[1] : "true"
        }
        return fields
    }

    /// A mount option's boolean as docker reads it (Go's strconv.ParseBool); nil for anything else.
    static func mountBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    /// Mount options devenv reads; `consistency` is a macOS hint Docker on Linux ignores too.
    static let mountKeysRead: Set<String> = ["type", "source", "src", "target", "destination", "dst", "readonly", "ro", "consistency"]

    private mutating func readMounts(_ node: JSONCNode, into layer: inout DevcontainerLayer) {
        guard case .array(let elements) = node.value else {
            error("\"mounts\" must be an array, found \(node.value.typeDescription)", at: node.location)
            return
        }
        var binds: [MountSpec] = []
        var tmpfs: [String] = []
        for element in elements {
            var fields: [String: String] = [:]
            switch element.value {
            case .string:
                guard let spec = string("mounts", element) else { continue }
                fields = Self.mountFields(spec)
            case .object(let object):
                for (key, value) in object.effectiveMembers {
                    switch value.value {
                    case .bool(let b): fields[key.lowercased()] = b ? "true" : "false"
                    default: if let s = string("mounts.\(key)", value) { fields[key.lowercased()] = s }
                    }
                }
            default:
                error("\"mounts\" entries must be strings (source=...,target=...,type=...) or objects, found \(element.value.typeDescription)",
                      at: element.location)
                continue
            }
            let type = fields["type"] ?? "bind"
            let source = fields["source"] ?? fields["src"]
            guard let target = fields["target"] ?? fields["destination"] ?? fields["dst"], target.hasPrefix("/") else {
                error("a mount needs an absolute \"target\" in the container", at: element.location)
                continue
            }
            // As docker reads it: `readonly=True` or `ro=t` is read-only there, and was a
            // writable mount here (only "true" and "1" counted).
            let readOnlyText = fields["readonly"] ?? fields["ro"] ?? "false"
            guard let readOnly = Self.mountBool(readOnlyText) else {
                error("mount option readonly=\(readOnlyText) is neither true nor false (docker reads 1, t, TRUE, true, True "
                      + "and 0, f, FALSE, false, False)", at: element.location)
                continue
            }
            // Silently dropped before: a mount asked to be rshared (bind-propagation) was private.
            for key in fields.keys.sorted() where !Self.mountKeysRead.contains(key) {
                warning("mount option \"\(key)\" is not supported (devenv passes type, source, target and readonly); "
                        + "it is left out of this mount", at: element.location)
            }
            switch type {
            case "bind":
                guard let source, !source.isEmpty else {
                    error("a bind mount needs a \"source\" on the host", at: element.location)
                    continue
                }
                let resolved = ConfigPath.join(projectDirectory, source)
                binds.append(MountSpec(hostPath: source, resolvedHostPath: resolved, containerPath: ConfigPath.normalize(target),
                                       readOnly: readOnly))
            case "volume":
                // devenv's named volumes are labelled and per environment (devenv-PROJECT-PROFILE-ROLE).
                let name = source ?? ConfigPath.lastComponent(target)
                let role = String(name.map { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") ? $0 : "-" })
                layer.profile.volumes.append(NamedSetting(name: role, value: ConfigPath.normalize(target), origin: .file(element.location)))
                if source != nil {
                    warning("volume \"\(name)\" becomes devenv's labelled volume for this environment (role \"\(role)\"), "
                            + "not a volume shared with other containers", at: element.location)
                }
            case "tmpfs":
                tmpfs.append(ConfigPath.normalize(target))
            default:
                warning("mount type \"\(type)\" is not supported (bind, volume and tmpfs are); this mount is left out", at: element.location)
            }
        }
        layer.mounts = Sourced(binds, Self.origin(node))
        if !tmpfs.isEmpty { layer.profile.tmpfs = Sourced(tmpfs, Self.origin(node)) }
    }

    private mutating func addRunArgs(_ words: [(String, SourceLocation)], key: String, origin: ConfigOrigin,
                                     into layer: inout DevcontainerLayer) {
        let checked = RunOptions.check(words.map(\.0))
        for problem in checked.problems {
            // A missing value leaves the rest of the list unreadable: an error, as in devenv.toml.
            if problem.missingValue { error("\"\(key)\": \(problem.reason)", at: words[problem.index].1) }
            else { warning("\"\(key)\": \(problem.reason); left out", at: words[problem.index].1) }
        }
        for caution in checked.cautions { warning("\"\(key)\": \(caution.reason)", at: words[caution.index].1) }
        let earlier = layer.profile.runArgs?.value ?? []
        layer.profile.runArgs = Sourced(earlier + checked.options, layer.profile.runArgs?.origin ?? origin)
    }

    private mutating func readHostRequirements(_ node: JSONCNode, into layer: inout DevcontainerLayer) {
        guard let requirements = object("hostRequirements", node) else { return }
        for (key, entry) in requirements.effectiveMembers {
            switch (key, entry.value) {
            case ("gpu", .bool(true)):
                layer.profile.gpu = Sourced(.required, Self.origin(entry))
            case ("gpu", .bool(false)):
                break
            case ("gpu", .string("optional")):
                layer.profile.gpu = Sourced(.optional, Self.origin(entry))
            case ("gpu", .object(let details)):
                // { "cores": N, "memory": "8gb" }: a GPU is required; its size is not checked.
                layer.profile.gpu = Sourced(.required, Self.origin(entry))
                if !details.names.isEmpty {
                    warning("\"hostRequirements.gpu\": \(details.names.joined(separator: ", ")) \(details.names.count == 1 ? "is" : "are") not checked by devenv; "
                            + "it asks for all GPUs (--gpus all)", at: entry.place)
                }
            case ("gpu", _):
                error("\"hostRequirements.gpu\" must be true, false, \"optional\" or an object ({ \"cores\": ..., \"memory\": ... }), "
                      + "found \(entry.value.typeDescription)", at: entry.location)
            default:
                warning("\"hostRequirements.\(key)\" is not checked by devenv", at: entry.place)
            }
        }
    }

    /// A lifecycle command in the spec's three forms.
    private mutating func lifecycleCommand(_ key: String, _ node: JSONCNode, nested: Bool = false) -> LifecycleCommand? {
        switch node.value {
        case .string:
            // Run with sh -c: the folder variables are quoted for the shell (a folder with spaces).
            guard let text = string(key, node, forShell: true) else { return nil }
            // Templates leave "" for "no command"; the reference CLI runs nothing then.
            if text.allSatisfy(\.isWhitespace) { warning("\"\(key)\" is empty; nothing runs for it", at: node.location); return nil }
            return .shell(text)
        case .array(let elements):
            var words: [String] = []
            for element in elements {
                guard let word = string(key, element) else { return nil }
                words.append(word)
            }
            if words.isEmpty { warning("\"\(key)\" is empty; nothing runs for it", at: node.location); return nil }
            return .argv(words)
        case .object(let object) where !nested:
            var named: [LifecycleCommand.Named] = []
            for (name, entry) in object.effectiveMembers {
                guard let command = lifecycleCommand("\(key).\(name)", entry, nested: true) else { continue }
                named.append(LifecycleCommand.Named(name: name, command: command))
            }
            if named.isEmpty { return nil }
            return .parallel(named.sorted { $0.name < $1.name })
        default:
            error("\"\(key)\" must be a string (run with sh -c), an array (an argv)\(nested ? "" : " or an object of named commands"), found \(node.value.typeDescription)",
                  at: node.location)
            return nil
        }
    }
}

private extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s = s.dropFirst() }
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
