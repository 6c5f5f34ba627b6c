/// Where a project's devcontainer.json files are, as the Development Containers specification
/// looks for them: `.devcontainer/devcontainer.json`, else `.devcontainer.json` (both the
/// profile `dev`), and `.devcontainer/NAME/devcontainer.json` (the profile NAME).
public enum DevcontainerSearch {
    public struct Found: Sendable, Hashable {
        public var profile: String
        /// Absolute.
        public var path: String
    }

    /// The files found, `dev` first, then by name; and files passed over (with why).
    public static func files(projectDirectory: String, fileSystem: FileSystem) -> (found: [Found], passedOver: [(path: String, reason: String)]) {
        var found: [Found] = []
        var passedOver: [(String, String)] = []
        let folder = ConfigPath.join(projectDirectory, ".devcontainer")
        let inFolder = ConfigPath.join(folder, "devcontainer.json")
        let atRoot = ConfigPath.join(projectDirectory, ".devcontainer.json")
        if fileSystem.fileExists(inFolder) {
            found.append(Found(profile: "dev", path: inFolder))
            if fileSystem.fileExists(atRoot) { passedOver.append((atRoot, "not used: .devcontainer/devcontainer.json comes first")) }
        } else if fileSystem.fileExists(atRoot) {
            found.append(Found(profile: "dev", path: atRoot))
        }
        if fileSystem.isDirectory(folder) {
            for name in fileSystem.listDirectory(folder).sorted() {
                let path = ConfigPath.join(folder, name + "/devcontainer.json")
                guard fileSystem.fileExists(path) else { continue }
                if let problem = ConfigLoader.profileNameProblem(name) {
                    passedOver.append((path, "not used: profile names \(problem)"))
                } else if found.contains(where: { $0.profile == name }) {
                    passedOver.append((path, "not used: the profile \(name) is .devcontainer/devcontainer.json"))
                } else {
                    found.append(Found(profile: name, path: path))
                }
            }
        }
        return (found, passedOver)
    }

    /// The profile a file named by `devcontainer = "PATH"` defines: NAME for
    /// `.devcontainer/NAME/devcontainer.json`, else `dev`.
    public static func profile(forPath path: String) -> String {
        let folder = ConfigPath.parent(path)
        if ConfigPath.lastComponent(ConfigPath.parent(folder)) == ".devcontainer" {
            let name = ConfigPath.lastComponent(folder)
            if ConfigLoader.isProfileName(name) { return name }
        }
        return "dev"
    }

    /// True when the folder holds a devcontainer.json devenv would read (for finding the
    /// project folder from a subfolder).
    public static func hasFile(projectDirectory: String, fileSystem: FileSystem) -> Bool {
        fileSystem.fileExists(ConfigPath.join(projectDirectory, ".devcontainer/devcontainer.json"))
            || fileSystem.fileExists(ConfigPath.join(projectDirectory, ".devcontainer.json"))
    }
}
