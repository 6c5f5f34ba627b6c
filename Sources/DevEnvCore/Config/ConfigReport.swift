/// What `devenv config` prints: the effective configuration and where every value came from.
/// Pure renderers; the app chooses one and writes it to stdout.
public enum ConfigReport {
    /// One effective setting, as both renderers see it.
    struct Row {
        var key: String
        var json: ConfigReportValue
        var origin: ConfigOrigin
        /// Said after the value (JSON: a `note` member), e.g. that it is resolved at up.
        var note: String?
        /// The text report's value when it is not `json` written plainly (a lifecycle command).
        var writtenAs: String?

        init(key: String, text writtenAs: String? = nil, json: ConfigReportValue, origin: ConfigOrigin) {
            (self.key, self.json, self.origin, self.writtenAs) = (key, json, origin, writtenAs)
        }

        /// TOML-like text for the text report, written when asked: `ConfigLimits.checkArgumentTotal`
        /// reads every row of a profile as `up` starts and needs only `json` (issue 14).
        var text: String {
            let value = writtenAs ?? Self.written(json)
            return note.map { "\(value) (\($0))" } ?? value
        }

        /// `"text"`, `["a", "b"]`, `{ src = "path" }`, `true`, `(not set)`.
        private static func written(_ value: ConfigReportValue) -> String {
            switch value {
            case .string(let text): JSONText.quote(text)
            case .int(let number): String(number)
            case .bool(let flag): flag ? "true" : "false"
            case .null: ConfigReport.notSet
            case .array(let items): "[" + items.map(written).joined(separator: ", ") + "]"
            case .object(let members):
                members.isEmpty ? "{}" : "{ " + members.map { "\($0.0) = \(written($0.1))" }.joined(separator: ", ") + " }"
            }
        }
    }

    // MARK: Rows

    static func projectRows(_ p: ProjectSettings) -> [Row] {
        var rows: [Row] = [
            string("name", p.name), string("dockerfile", p.dockerfile), string("context", p.context),
            string("workspace", p.workspace), string("default_profile", p.defaultProfile),
            optionalString("base_image", p.baseImage), optionalArray("clean_cache", p.cleanCache),
        ]
        rows += mapRows("build_args", p.buildArgs)
        if p.buildSecrets.isEmpty { rows += mapRows("build_secrets", []) }
        for secret in p.buildSecrets {
            let json: ConfigReportValue
            switch secret.source {
            case .file(let path, _): json = .object([("src", .string(path))])
            case .environment(let variable): json = .object([("env", .string(variable))])
            }
            rows.append(Row(key: "build_secrets.\(secret.id)", json: json, origin: secret.origin))
        }
        rows.append(array("mounts", Sourced(p.mounts.value.map(\.description), p.mounts.origin)))
        rows.append(array("cache_from", p.cacheFrom))
        rows.append(optionalString("ca_bundle", p.caBundle))
        return rows
    }

    static func profileRows(_ p: Profile) -> [Row] {
        var rows: [Row] = [
            optionalString("extends", p.extends), optionalString("description", p.description),
            optionalString("target", p.target), string("user", Sourced(p.user.value.description, p.user.origin)),
            optionalString("home", p.home), optionalString("network", p.network),
            optionalString("host", p.host),
            array("ports", Sourced(p.ports.value.map(\.description), p.ports.origin)),
        ]
        rows += mapRows("env", p.env).map { row in
            // A remoteEnv template: its value is known only once up has inspected the image.
            guard p.envResolvedAtUp.contains(String(row.key.dropFirst("env.".count))) else { return row }
            var row = row
            row.note = "resolved at up from the image"
            return row
        }
        rows.append(optionalString("env_file", p.envFile))
        rows += mapRows("volumes", p.volumes)
        rows += [
            bool("ssh", p.ssh), optionalString("ca_bundle", p.caBundle), optionalArray("command", p.command), bool("read_only", p.readOnly), array("tmpfs", p.tmpfs),
            array("cap_drop", p.capDrop), array("cap_add", p.capAdd), bool("no_new_privileges", p.noNewPrivileges),
            optionalString("restart", p.restart), bool("mount_workspace", p.mountWorkspace),
            array("sync_command", p.syncCommand), array("test_command", p.testCommand),
            optionalString("image", p.image), array("run_args", p.runArgs),
        ]
        rows += mapRows("port_labels", p.portLabels)
        // Only when the profile runs services, so reports of profiles without them stay as they were.
        if !p.services.value.isEmpty { rows.append(array("services", Sourced(p.services.value.map(\.name), p.services.origin))) }
        if let gpu = p.gpu.value {
            // Only devcontainer.json asks (hostRequirements.gpu); up adds --gpus all when the engine has a GPU runtime.
            rows.append(string("gpu", Sourced(gpu.rawValue, p.gpu.origin)))
        }
        for stage in LifecycleStage.allCases {
            let key = stage.profileKey ?? stage.reportKey
            if let command = p.lifecycle[stage] {
                rows.append(Row(key: key, text: command.value.description, json: lifecycleJSON(command.value), origin: command.origin))
            } else if stage.profileKey != nil {
                rows.append(Row(key: key, json: .null, origin: .builtIn))
            }
        }
        if !p.lifecycle.isEmpty {
            rows.append(string("wait_for", Sourced(p.waitFor.value.devcontainerProperty, p.waitFor.origin)))
        }
        return rows
    }

    fileprivate static let notSet = "(not set)"
    private static let mapKeys: Set<String> = ["env", "volumes", "build_args", "build_secrets", "port_labels"]

    private static func lifecycleJSON(_ command: LifecycleCommand) -> ConfigReportValue {
        switch command {
        case .shell(let text): return .string(text)
        case .argv(let words): return .array(words.map { .string($0) })
        case .parallel(let named): return .object(named.map { ($0.name, lifecycleJSON($0.command)) })
        }
    }

    /// The rows of a map setting, or one `{}` marker row when it is empty.
    private static func mapRows(_ key: String, _ entries: [NamedSetting]) -> [Row] {
        if entries.isEmpty { return [Row(key: key, json: .object([]), origin: .builtIn)] }
        return entries.map { Row(key: "\(key).\($0.name)", json: .string($0.value), origin: $0.origin) }
    }

    private static func string(_ key: String, _ v: Sourced<String>) -> Row {
        Row(key: key, json: .string(v.value), origin: v.origin)
    }

    private static func optionalString(_ key: String, _ v: Sourced<String?>) -> Row {
        Row(key: key, json: v.value.map { .string($0) } ?? .null, origin: v.origin)
    }

    private static func bool(_ key: String, _ v: Sourced<Bool>) -> Row {
        Row(key: key, json: .bool(v.value), origin: v.origin)
    }

    private static func array(_ key: String, _ v: Sourced<[String]>) -> Row {
        Row(key: key, json: .array(v.value.map { .string($0) }), origin: v.origin)
    }

    private static func optionalArray(_ key: String, _ v: Sourced<[String]?>) -> Row {
        guard let words = v.value else { return Row(key: key, json: .null, origin: v.origin) }
        return array(key, Sourced(words, v.origin))
    }

    // MARK: Text

    /// A TOML-like listing, one setting a line, its origin after `#`:
    /// ```
    /// [profiles.dev]
    ///   target          = "dev"        # /usr/local/share/devenv/profiles/dev.toml:4:1
    /// ```
    /// `width`: the columns a string takes on a terminal (TerminalUI's `DisplayWidth.of`: a CJK
    /// character or an emoji takes two, a combining mark none), so the `#` of every row lines up
    /// whatever script a value is written in. Given by the caller: the pure core does not depend on
    /// the terminal toolkit, and counting characters would be a second, wrong width rule.
    public static func text(_ config: LoadedConfig, width: (String) -> Int) -> String {
        var out = "# devenv configuration for \(config.project.directory)\n"
        out += "# profile: \(config.profile.name) (available: \(config.profileNames.joined(separator: ", ")))\n"
        out += "# files read, lowest layer first: \(config.files.isEmpty ? "none" : config.files.joined(separator: ", "))\n"
        out += "\n[project]\n" + section(projectRows(config.project), width: width)
        out += "\n[profiles.\(config.profile.name)]\n" + section(profileRows(config.profile), width: width)
        if !config.diagnostics.isEmpty {
            out += "\n# findings:\n" + config.diagnostics.map { "#   \($0)\n" }.joined()
        }
        return out
    }

    private static func section(_ rows: [Row], width: (String) -> Int) -> String {
        let widths = rows.map { (key: width($0.key), text: width($0.text)) }
        let keyWidth = widths.map(\.key).max() ?? 0
        let valueWidth = min(40, widths.map(\.text).max() ?? 0)
        return zip(rows, widths).map { row, columns in
            let key = row.key + String(repeating: " ", count: keyWidth - columns.key)
            let value = row.text + String(repeating: " ", count: max(0, valueWidth - columns.text))
            return "  \(key) = \(value)  # \(row.origin)\n"
        }.joined()
    }

    // MARK: JSON

    /// The same as JSON, keys always in this order (documented in README, "devenv config"):
    /// `profile`, `profiles`, `projectDirectory`, `files`, `project`, `settings`,
    /// `diagnostics`. Each setting is `{"value": V, "origin": O}`, O being
    /// `{"file": F, "line": L, "column": C}` or null for a built-in default; map settings
    /// (`env`, `volumes`, `build_args`, `build_secrets`) are objects of such entries by name.
    public static func json(_ config: LoadedConfig) -> String {
        let root: ConfigReportValue = .object([
            ("profile", .string(config.profile.name)),
            ("profiles", .array(config.profileNames.map { .string($0) })),
            ("projectDirectory", .string(config.project.directory)),
            ("files", .array(config.files.map { .string($0) })),
            ("project", object(projectRows(config.project))),
            ("settings", object(profileRows(config.profile))),
            ("diagnostics", .array(config.diagnostics.map(diagnostic))),
        ])
        return root.rendered() + "\n"
    }

    /// Rows to an object; `a.b` rows are grouped under `a` (rows of one map are adjacent).
    private static func object(_ rows: [Row]) -> ConfigReportValue {
        var members: [(String, ConfigReportValue)] = []
        var groups: [String: [(String, ConfigReportValue)]] = [:]
        var order: [String] = []
        for row in rows {
            let setting = ConfigReportValue.object([("value", row.json), ("origin", origin(row.origin))]
                                                   + (row.note.map { [("note", .string($0))] } ?? []))
            if mapKeys.contains(row.key) {
                // The marker of an empty map: still present, as {}, so consumers can rely on it.
                members.append((row.key, .object([])))
            } else if let dot = row.key.firstIndex(of: ".") {
                let group = String(row.key[..<dot]), name = String(row.key[row.key.index(after: dot)...])
                if groups[group] == nil { order.append(group); members.append((group, .null)) }
                groups[group, default: []].append((name, setting))
            } else {
                members.append((row.key, setting))
            }
        }
        return .object(members.map { name, value in
            if let entries = groups[name], case .null = value { return (name, .object(entries)) }
            return (name, value)
        })
    }

    private static func origin(_ origin: ConfigOrigin) -> ConfigReportValue {
        switch origin {
        case .builtIn: return .null
        case .file(let l): return .object([("file", .string(l.file)), ("line", .int(l.line)), ("column", .int(l.column))])
        }
    }

    private static func diagnostic(_ d: Diagnostic) -> ConfigReportValue {
        .object([
            ("severity", .string(d.severity.rawValue)),
            ("file", d.location.map { .string($0.file) } ?? .null),
            ("line", d.location.map { .int($0.line) } ?? .null),
            ("column", d.location.map { .int($0.column) } ?? .null),
            ("message", .string(d.message)),
        ])
    }
}
