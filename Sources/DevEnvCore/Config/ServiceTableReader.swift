/// Reads `[services.NAME]` tables (README, "Services") with the same file:line:col findings
/// as the rest of the configuration.
extension ConfigTableReader {
    /// Every service of a `services` table, and every name declared there: a broken service is
    /// reported and left out, but its name stays declared (a profile naming it is not wrong too).
    mutating func services(_ node: TOMLNode, context: String) -> (services: [ServiceSpec], declared: [String]) {
        guard case .table(let table) = node.value else {
            error("\"\(context)\" must be a table of services ([services.NAME]), found \(node.value.typeDescription)", at: node.location)
            return ([], [])
        }
        var out: [ServiceSpec] = []
        for (name, entry) in table.entries {
            let at = entry.keyLocation ?? entry.location
            guard ServiceSpec.isValidName(name) else {
                error("service name \"\(name)\" must start with a lowercase letter and use only lowercase letters, digits and '-' "
                      + "(at most 32): it is a host name on the project network", at: at)
                continue
            }
            guard case .table(let fields) = entry.value else {
                error("\"\(context).\(name)\" must be a table, found \(entry.value.typeDescription)", at: entry.location)
                continue
            }
            if let service = service(name, fields, context: "[\(context).\(name)]", at: at) { out.append(service) }
        }
        return (out, table.keys)
    }

    private mutating func service(_ name: String, _ table: TOMLTable, context: String, at: SourceLocation) -> ServiceSpec? {
        checkKeys(table, known: ConfigKeys.service, in: context)
        let errorsBefore = diagnostics.filter { $0.severity == .error }.count
        var service = ServiceSpec(name: name, origin: .file(at))
        for (key, node) in table.entries {
            switch key {
            case "image":
                service.image = nonEmptyString(key, node)
            case "build":
                service.build = build(node, context: context)
            case "env":
                for (variable, value, entry) in stringTable(key, node) {
                    let place = entry.keyLocation ?? entry.location
                    guard Self.isEnvName(variable) else {
                        error("\"env.\(variable)\" is not a valid environment variable name", at: place)
                        continue
                    }
                    service.env.append(NamedSetting(name: variable, value: value, origin: .file(place)))
                }
                service.env.sort { $0.name < $1.name }
            case "env_file":
                if let s = nonEmptyString(key, node), checkInsideProject(key, s, at: node.location) { service.envFile = s }
            case "ports":
                if let specs = stringArray(key, node) { service.ports = ports(specs) }
            case "volumes":
                for (volume, path, entry) in stringTable(key, node) {
                    let place = entry.keyLocation ?? entry.location
                    guard Self.isToken(volume, extra: "_-") else {
                        error("volume name \"\(volume)\" may only use letters, digits, '_' and '-'", at: place)
                        continue
                    }
                    guard path.hasPrefix("/") else {
                        error("\"volumes.\(volume)\" must be an absolute container path, found \"\(path)\"", at: entry.location)
                        continue
                    }
                    service.volumes.append(NamedSetting(name: volume, value: ConfigPath.normalize(path), origin: .file(place)))
                }
                service.volumes.sort { $0.name < $1.name }
            case "command":
                if let words = stringArray(key, node, nonEmpty: true) { service.command = words.map(\.0) }
            case "healthcheck":
                service.healthcheck = healthcheck(node, context: context)
            case "user":
                if let s = string(key, node) {
                    if let spec = UserSpec(parsing: s) { service.user = spec }
                    else { error("\"user\" must be \"host\", \"image\" or \"UID:GID\" (numbers), found \"\(s)\"", at: node.location) }
                }
            default:
                break  // reported by checkKeys
            }
        }
        switch (service.image, service.build) {
        case (nil, nil):
            error("service \"\(name)\" needs `image = \"NAME\"` or a `build` table", at: at)
        case (.some, .some):
            error("service \"\(name)\" has both `image` and `build`: keep one", at: at)
        default:
            break
        }
        let errorsAfter = diagnostics.filter { $0.severity == .error }.count
        return errorsAfter == errorsBefore ? service : nil
    }

    /// `build = { dockerfile = "...", context = "...", target = "...", args = { K = "V" } }`.
    private mutating func build(_ node: TOMLNode, context: String) -> ServiceSpec.Build? {
        guard case .table(let table) = node.value else {
            error("\"build\" must be a table ({ context = \".\", dockerfile = \"...\", target = \"...\", args = { ... } }), "
                  + "found \(node.value.typeDescription)", at: node.location)
            return nil
        }
        checkKeys(table, known: ConfigKeys.serviceBuild, in: "\(context) build")
        var build = ServiceSpec.Build(dockerfile: nil, context: ".", target: nil, args: [])
        for (key, entry) in table.entries {
            switch key {
            case "dockerfile", "context":
                if let s = nonEmptyString("build.\(key)", entry), checkInsideProject("build.\(key)", s, at: entry.location) {
                    if key == "dockerfile" { build.dockerfile = s } else { build.context = s }
                }
            case "target":
                if let s = nonEmptyString("build.target", entry) {
                    if Self.isToken(s, extra: "_.-") { build.target = s }
                    else { error("\"build.target\" \"\(s)\" is not a Dockerfile stage name", at: entry.location) }
                }
            case "args":
                for (name, value, arg) in stringTable("build.args", entry) {
                    let place = arg.keyLocation ?? arg.location
                    guard Self.isEnvName(name) else {
                        error("\"build.args.\(name)\" is not a valid build argument name", at: place)
                        continue
                    }
                    build.args.append(NamedSetting(name: name, value: value, origin: .file(place)))
                }
                build.args.sort { $0.name < $1.name }
            default:
                break
            }
        }
        return build
    }

    /// `healthcheck = { test = ["redis-cli", "ping"], interval = 1, retries = 30 }`; `test` is
    /// an argv or one string run with `sh -c`; `interval` is whole seconds.
    private mutating func healthcheck(_ node: TOMLNode, context: String) -> ServiceSpec.Healthcheck? {
        guard case .table(let table) = node.value else {
            error("\"healthcheck\" must be a table ({ test = [...], interval = 1, retries = 30 }), found \(node.value.typeDescription)",
                  at: node.location)
            return nil
        }
        checkKeys(table, known: ConfigKeys.serviceHealthcheck, in: "\(context) healthcheck")
        var test: LifecycleCommand?
        var interval = ServiceSpec.Healthcheck.defaultIntervalSeconds
        var retries = ServiceSpec.Healthcheck.defaultRetries
        for (key, entry) in table.entries {
            switch key {
            case "test":
                if case .string(let text) = entry.value {
                    if text.isEmpty { error("\"healthcheck.test\" must not be empty", at: entry.location) } else { test = .shell(text) }
                } else if case .array = entry.value {
                    if let words = stringArray("healthcheck.test", entry, nonEmpty: true) { test = .argv(words.map(\.0)) }
                } else {
                    error("\"healthcheck.test\" must be a string (run with sh -c) or an array of strings (an argv), "
                          + "found \(entry.value.typeDescription)", at: entry.location)
                }
            case "interval", "retries":
                guard case .integer(let n) = entry.value, n >= 1, n <= 3600 else {
                    var found = entry.value.typeDescription
                    if case .integer(let n) = entry.value { found = "\(n)" }
                    error("\"healthcheck.\(key)\" must be a whole number from 1 to 3600\(key == "interval" ? " (seconds)" : ""), "
                          + "found \(found)", at: entry.location)
                    continue
                }
                if key == "interval" { interval = Int(n) } else { retries = Int(n) }
            default:
                break
            }
        }
        guard let test else {
            if table["test"] == nil { error("\"healthcheck\" needs `test` (an argv, or a string run with sh -c)", at: node.location) }
            return nil
        }
        return ServiceSpec.Healthcheck(test: test, intervalSeconds: interval, retries: retries)
    }
}
