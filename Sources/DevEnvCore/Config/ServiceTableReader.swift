/// Reads `[services.NAME]` tables (README, "Services") with the same file:line:col findings
/// as the rest of the configuration; what a service shares with a profile (env, volumes,
/// user, ports, commands, build args, stage names) is read by `ConfigTableReader`'s shared
/// rules, so the two cannot drift apart.
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
                service.env += variables(key, node, what: "environment variable")
                service.env.sort { $0.name < $1.name }
            case "env_file":
                if let s = nonEmptyString(key, node), checkInsideProject(key, s, at: node.location) { service.envFile = s }
            case "ports":
                if let specs = stringArray(key, node) { service.ports = ports(specs) }
            case "volumes":
                service.volumes += volumes(key, node, what: "volume name")
                service.volumes.sort { $0.name < $1.name }
            case "command":
                if let words = stringArray(key, node, nonEmpty: true) { service.command = words.map(\.0) }
            case "healthcheck":
                service.healthcheck = healthcheck(node, context: context)
            case "user":
                if let spec = user(key, node) { service.user = spec }
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
                if let s = stageName("build.target", entry) { build.target = s }
            case "args":
                build.args = variables("build.args", entry, what: "build argument").sorted { $0.name < $1.name }
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
                test = command("healthcheck.test", entry)
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
