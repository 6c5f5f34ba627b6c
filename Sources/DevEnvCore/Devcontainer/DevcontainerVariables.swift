/// The variables of the Development Containers specification ("Variables in
/// devcontainer.json"), replaced in every string devenv reads from the file.
struct DevcontainerVariables {
    /// The project folder on the host.
    var localWorkspaceFolder: String
    /// Where the project is in the container (devenv's `workspace`).
    var containerWorkspaceFolder: String
    var localEnvironment: [String: String]
    /// The file's own `containerEnv` (the only container variables known before it runs).
    var containerEnvironment: [String: String] = [:]
    /// Stable for one project folder and profile, as the spec asks.
    var devcontainerID: String

    /// The text with every `${...}` it knows replaced; the ones it cannot resolve are kept as
    /// written and returned, for a warning.
    func substitute(_ text: String) -> (text: String, unresolved: [String]) {
        guard text.contains("${") else { return (text, []) }
        var out = ""
        var unresolved: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "${") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstIndex(of: "}") else {
                out += rest[open.lowerBound...]
                rest = ""
                break
            }
            let name = String(rest[open.upperBound..<close])
            if let value = resolve(name) { out += value } else {
                unresolved.append("${\(name)}")
                out += "${\(name)}"
            }
            rest = rest[rest.index(after: close)...]
        }
        return (out + rest, unresolved)
    }

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
        case "containerEnv": return containerEnvironment[parts[1]] ?? fallback
        default: return nil
        }
    }
}
