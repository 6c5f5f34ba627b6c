/// A short hash of each input of an environment's image and container, stored on the container
/// (label `devenv.inputs`) so that `status` can say which one changed without asking docker
/// again. Keys: `dockerfile`, `uv.lock`, `pyproject.dependencies` (the decoded dependency
/// tables, so a comment or formatting edit is no change), `target`, `arg.NAME` (each build
/// arg), `build.secrets` (secret ids and ssh), `env_file` (its contents), `devenv.toml.KEY`
/// (the container settings, one per docker option they become, `ports` as configured) and
/// `up.port` (the host ports `devenv up --port` chose, only on a container it made). The
/// config-hash label stays the judge of staleness; these only name what changed.
public struct EnvironmentInputs: Sendable, Equatable {
    public static let label = "devenv.inputs"
    /// The key of `devenv up --port`'s overrides (`8000=8001,5678=5679`).
    public static let portOverrideKey = "up.port"
    /// Keys whose change needs a new image (`up` rebuilds); the others only recreate.
    static let imagePrefixes = ["dockerfile", "uv.lock", "pyproject.dependencies", "target", "arg.", "build."]

    /// key -> 8 hex digits, in the order they were added.
    public private(set) var entries: [(key: String, hash: String)] = []

    public init() {}

    public static func == (a: EnvironmentInputs, b: EnvironmentInputs) -> Bool {
        a.entries.map { "\($0.key):\($0.hash)" } == b.entries.map { "\($0.key):\($0.hash)" }
    }

    public mutating func add(_ key: String, _ bytes: [UInt8]?) {
        var print = Fingerprint()
        if let bytes { print.add(bytes) } else { print.add("<none>") }
        let hash = String(print.hex.prefix(8))
        if let index = entries.firstIndex(where: { $0.key == key }) {
            // One key for several words (e.g. every --env): hash them together.
            var joined = Fingerprint()
            joined.add(entries[index].hash)
            joined.add(hash)
            entries[index].hash = String(joined.hex.prefix(8))
        } else {
            entries.append((key, hash))
        }
    }

    public mutating func add(_ key: String, _ text: String) { add(key, Array(text.utf8)) }

    /// The label's value: `key:hash,key:hash`.
    public var encoded: String { entries.map { "\($0.key):\($0.hash)" }.joined(separator: ",") }

    /// Reads a label written by `encoded`; nil for a missing or empty label (a container made
    /// before devenv stored it: then only "something changed" can be said).
    public static func parse(_ label: String?) -> EnvironmentInputs? {
        guard let label, !label.isEmpty else { return nil }
        var inputs = EnvironmentInputs()
        for piece in label.split(separator: ",") {
            guard let colon = piece.lastIndex(of: ":") else { return nil }
            inputs.entries.append((String(piece[..<colon]), String(piece[piece.index(after: colon)...])))
        }
        return inputs
    }

    /// The keys whose hash differs, or that only one side has, in this (the current) order,
    /// then those the stored side alone had.
    public func changed(since stored: EnvironmentInputs) -> [String] {
        let old = Dictionary(stored.entries.map { ($0.key, $0.hash) }, uniquingKeysWith: { a, _ in a })
        let new = Dictionary(entries.map { ($0.key, $0.hash) }, uniquingKeysWith: { a, _ in a })
        return entries.filter { old[$0.key] != $0.hash }.map(\.key)
            + stored.entries.filter { new[$0.key] == nil }.map(\.key)
    }

    /// True when a change of `key` needs a new image.
    public static func needsBuild(_ key: String) -> Bool { imagePrefixes.contains { key == $0 || ($0.hasSuffix(".") && key.hasPrefix($0)) } }

    /// How a key is said to a person: "the Dockerfile", "uv.lock", "build arg NAME" ...
    public static func describe(_ key: String, envFile: String? = nil) -> String {
        switch key {
        case "dockerfile": return "the Dockerfile"
        case "uv.lock": return "uv.lock"
        case "pyproject.dependencies": return "pyproject.toml's dependencies"
        case "target": return "the build target"
        case "build.secrets": return "the build secrets or ssh"
        case "env_file": return envFile.map { "the env file \($0)" } ?? "the env file"
        case portOverrideKey: return "the host ports given with `devenv up --port`"
        default:
            if key.hasPrefix("arg.") { return "build arg \(key.dropFirst(4))" }
            if key.hasPrefix("devenv.toml.") { return "devenv.toml key \(key.dropFirst(12))" }
            return key
        }
    }

    /// The container settings as devenv.toml keys, from the `docker create` words after the
    /// name (options, the image, the command): each option's values hashed under the key it
    /// comes from. Labels are devenv's own and left out.
    public mutating func addContainer(arguments: [String], image: String) {
        let keys = ["--publish": "ports", "--env": "env", "--env-file": "env_file", "--mount": "mounts",
                    "--user": "user", "--userns": "user", "--network": "network", "--cap-add": "cap_add",
                    "--cap-drop": "cap_drop", "--read-only": "read_only", "--tmpfs": "tmpfs", "--restart": "restart",
                    "--security-opt": "no_new_privileges", "--gpus": "gpu", "--workdir": "workspace"]
        let flagsWithoutValue: Set<String> = ["--init", "--read-only", "--rm", "--privileged", "--interactive", "--tty"]
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            if word == image {
                add("devenv.toml.command", arguments[(index + 1)...].joined(separator: "\u{0}"))
                return
            }
            guard word.hasPrefix("--") else { index += 1; continue }
            var flag = word
            var value = ""
            if let equals = word.firstIndex(of: "=") {
                flag = String(word[..<equals])
                value = String(word[word.index(after: equals)...])
            } else if !flagsWithoutValue.contains(word), index + 1 < arguments.count {
                index += 1
                value = arguments[index]
            }
            index += 1
            if flag == "--label" { continue }
            var key = keys[flag] ?? String(flag.dropFirst(2)).replacingAll("-", with: "_")
            if flag == "--mount" && value.hasPrefix("type=volume") { key = "volumes" }
            add("devenv.toml." + key, value)
        }
    }
}

extension EnvironmentInputs {
    /// What of pyproject.toml decides the installed packages, decoded and written out in one
    /// canonical form: `[project]` dependencies, optional-dependencies and requires-python,
    /// `[dependency-groups]`, `[build-system]` and `[tool.uv]`. A comment, a reformatting or an
    /// edit elsewhere (description, version) gives the same bytes. Nil without the file; the
    /// raw bytes when it does not decode (then any edit counts).
    public static func pyprojectDependencies(_ bytes: [UInt8]?) -> [UInt8]? {
        guard let bytes else { return nil }
        guard let document = try? TOMLDecoder.decode(bytes, file: "pyproject.toml") else { return bytes }
        var out = ""
        func write(_ value: TOMLValue?) {
            switch value {
            case nil: out += "~"
            case .string(let text): out += "s\(text.utf8.count):\(text)"
            case .integer(let number): out += "i\(number)"
            case .float(let number): out += "f\(number)"
            case .boolean(let flag): out += flag ? "T" : "F"
            case .array(let nodes):
                out += "["
                for node in nodes { write(node.value); out += "," }
                out += "]"
            case .table(let table):
                out += "{"
                for key in table.keys.sorted() { out += "k\(key.utf8.count):\(key)="; write(table[key]?.value); out += "," }
                out += "}"
            case .some(let other): out += "\(other)"
            }
        }
        func table(_ node: TOMLNode?) -> TOMLTable? { if case .table(let t) = node?.value { return t } else { return nil } }
        let project = table(document["project"])
        for key in ["dependencies", "optional-dependencies", "requires-python"] { write(project?[key]?.value); out += ";" }
        write(document["dependency-groups"]?.value); out += ";"
        write(document["build-system"]?.value); out += ";"
        write(table(document["tool"])?["uv"]?.value)
        return Array(out.utf8)
    }
}
