/// The variables of the Development Containers specification ("Variables in
/// devcontainer.json"), replaced in every string devenv reads from the file.
struct DevcontainerVariables {
    /// The project folder on the host.
    var localWorkspaceFolder: String
    /// Where the project is in the container (devenv's `workspace`).
    var containerWorkspaceFolder: String
    var localEnvironment: HostEnvironment
    /// The names in `localEnvironment` whose values were not UTF-8 on the host (held with
    /// U+FFFD): `undecodableReference` finds a reference to one, which the reader refuses.
    var undecodableLocalEnvironment: Set<String> = []
    /// The file's own `containerEnv` (the only container variables known before it runs).
    var containerEnvironment: [String: String] = [:]
    /// Stable for one project folder and profile, as the spec asks.
    var devcontainerID: String
    /// When set, `${containerEnv:...}` is never resolved here (kept as written, and returned as
    /// unresolved): remoteEnv's references are resolved by `up` against the container's real
    /// environment (`resolveContainerEnvironment`).
    var defersContainerEnvironment = false

    /// The text with every `${...}` it knows replaced; the ones it cannot resolve are kept as
    /// written and returned, for a warning.
    ///
    /// `forShell`: the text is a lifecycle command's string form, run with `sh -c`. Every value
    /// it substitutes (the folder variables, `${localEnv:VAR}` and `${env:VAR}` with their
    /// defaults, the file's `${containerEnv:VAR}`, `${devcontainerId}`) is then inserted quoted
    /// for the place it stands in (`ShellWordQuoting`), so that it stays one word of data and
    /// runs nothing: a folder with spaces (`cd ${containerWorkspaceFolder}` in `/workspaces/my
    /// project`), a host variable holding `;`, `$(...)`, quotes or a newline. The specification
    /// ("Variables in devcontainer.json") only says the value replaces the reference; a value
    /// that needs no quoting is inserted as it is, so ordinary commands run exactly as the
    /// reference CLI runs them. The one difference: a host variable meant to be split into
    /// several words (`pip install ${localEnv:PACKAGES}`) stays one word; use the array form,
    /// or read the variable in the command itself (`remoteEnv`, then `$PACKAGES`).
    ///
    /// `refused`: why a value could not be put where it stands as data (a here-document it
    /// would end, see `ShellWordQuoting`); the command must then not run.
    func substitute(_ text: String, forShell: Bool = false) -> (text: String, unresolved: [String], refused: [String]) {
        guard text.contains("${") else { return (text, [], []) }
        var out = ""
        var unresolved: [String] = []
        var rest = Substring(text)
        var quoting = ShellWordQuoting()
        while let open = rest.firstRange(of: "${") {
            let literal = rest[..<open.lowerBound]
            out += literal
            quoting.scan(literal)
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                // `${containerEnv:PATH` with no `}`: kept as written, and said.
                unresolved.append(String(rest[open.lowerBound...]) + Self.unclosedNote)
                out += rest[open.lowerBound...]
                rest = ""
                break
            }
            let name = String(rest[open.upperBound..<close])
            if let value = resolve(name) {
                out += forShell ? quoting.quote(value) : value
            } else {
                unresolved.append("${\(name)}")
                out += "${\(name)}"
                quoting.scan("${\(name)}")
            }
            rest = rest[rest.index(after: close)...]
        }
        guard forShell else { return (out + rest, unresolved, []) }
        quoting.scan(rest)
        quoting.finish()
        return (out + rest, unresolved, quoting.refusals)
    }

    /// Follows an unresolved reference that has no closing `}` (`${containerEnv:PATH`).
    static let unclosedNote = " (no closing })"

    private func resolve(_ name: String) -> String? {
        switch name {
        case "localWorkspaceFolder": return localWorkspaceFolder
        case "localWorkspaceFolderBasename": return ConfigPath.lastComponent(localWorkspaceFolder)
        case "containerWorkspaceFolder": return containerWorkspaceFolder
        case "containerWorkspaceFolderBasename": return ConfigPath.lastComponent(containerWorkspaceFolder)
        case "devcontainerId": return devcontainerID
        default: break
        }
        let parts = name.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2 else { return nil }
        let fallback = parts.count == 3 ? parts[2] : nil
        switch parts[0] {
        // `env:` is the older spelling of `localEnv:`.
        case "localEnv", "env": return localEnvironment[parts[1]] ?? fallback ?? ""
        case "containerEnv": return defersContainerEnvironment ? nil : containerEnvironment[parts[1]] ?? fallback
        default: return nil
        }
    }

    /// The first host variable `text` refers to (`${localEnv:VAR}`, `${env:VAR}`, with or
    /// without a default) whose value was not UTF-8; nil when none (`HostVariable.notUTF8`).
    func undecodableReference(in text: String) -> String? {
        guard !undecodableLocalEnvironment.isEmpty, text.contains("${") else { return nil }
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${"), let close = rest[open.upperBound...].firstIndex(of: "}") {
            let parts = rest[open.upperBound..<close].split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false)
            if parts.count >= 2, parts[0] == "localEnv" || parts[0] == "env", undecodableLocalEnvironment.contains(String(parts[1])) {
                return String(parts[1])
            }
            rest = rest[rest.index(after: close)...]
        }
        return nil
    }

    /// Whether `text` refers to the container's environment (`${containerEnv:VAR}`).
    static func refersToContainerEnvironment(_ text: String) -> Bool {
        text.contains("${containerEnv:")
    }

    /// `text` with the references to the one variable `name` (`${containerEnv:NAME}`, with or
    /// without a default) replaced by `value`, the others left as they are.
    static func resolvingContainerEnvironment(_ name: String, to value: String, in text: String) -> String {
        guard text.contains("${containerEnv:\(name)") else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${containerEnv:") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else { break }
            let reference = rest[open.upperBound..<close]
            let referenced = reference.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)[0]
            out += referenced == name ? value : String(rest[open.lowerBound...close])
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }

    /// `text` with every `${containerEnv:VAR}` / `${containerEnv:VAR:default}` replaced from
    /// `environment` (the container's: the image's Config.Env under the profile's env, as
    /// `DockerPlanner` builds it when it creates the container). An unset VAR is its default,
    /// else empty, as the reference CLI does. Other `${...}` are left as they are (the reader
    /// replaced the ones it knows).
    static func resolveContainerEnvironment(_ text: String, environment: [String: String]) -> String {
        guard refersToContainerEnvironment(text) else { return text }
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${containerEnv:") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                rest = ""
                break
            }
            let parts = rest[open.upperBound..<close].split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            out += environment[name] ?? (parts.count == 2 ? String(parts[1]) : "")
            rest = rest[rest.index(after: close)...]
        }
        return out + rest
    }
}
