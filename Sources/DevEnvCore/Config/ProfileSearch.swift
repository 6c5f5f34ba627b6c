/// A folder of profile files (`NAME.toml`, top-level keys are profile keys).
public struct ProfileDirectory: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable {
        /// Shipped with devenv.
        case shipped
        /// The user's, under $XDG_CONFIG_HOME/devenv/profiles.
        case user
        /// The project's own, under .devenv/profiles.
        case project
    }

    public var kind: Kind
    public var path: String

    public init(kind: Kind, path: String) {
        self.kind = kind
        self.path = path
    }
}

/// Where profiles are looked for. Pure: the executable path and environment come from the app.
public enum ProfileSearch {
    /// How the compiled-in shipped profiles are named in `config` and diagnostics
    /// (`<built-in>/dev.toml`): they have no path on disk.
    public static let embeddedPrefix = "<built-in>/"

    /// The variable that names the folder of the shipped profiles instead (`shippedCandidates`).
    public static let folderVariable = "DEVENV_PROFILES_DIR"

    /// `environment` with a relative `folderVariable` made absolute against `currentDirectory`,
    /// the folder devenv was started in, where the kernel resolves it when devenv reads the
    /// profiles. Done once, as the app's context is made (`AppContext.init`), so that the
    /// reading, the dashboard's watch (which took a relative path for one under the project)
    /// and the configuration cache's key all name the same folder.
    public static func resolvingFolderVariable(_ environment: [String: String], currentDirectory: String) -> [String: String] {
        guard let value = environment[folderVariable], !value.isEmpty, !value.hasPrefix("/") else { return environment }
        var resolved = environment
        resolved[folderVariable] = ConfigPath.join(currentDirectory, value)
        return resolved
    }

    /// Where the shipped profiles may be, best first:
    /// 1. `$DEVENV_PROFILES_DIR` when set (then nothing else: an explicit choice must not
    ///    silently fall back);
    /// 2. `<bin>/../share/devenv/profiles` (an installed devenv);
    /// 3. a source checkout's `Profiles/` found by walking up from the executable's folder to
    ///    one holding both `Profiles/dev.toml` and `Package.swift` (devenv run from `.build`);
    /// 4. none of these (and no `$DEVENV_PROFILES_DIR`): the copies compiled into the binary
    ///    (`ShippedProfiles`), shown as `embeddedPrefix` + file name.
    public static func shippedCandidates(executablePath: String, environment: HostEnvironment,
                                         fileSystem: FileSystem) -> [String] {
        if let explicit = environment[folderVariable], !explicit.isEmpty {
            return [ConfigPath.normalize(explicit)]
        }
        let binDirectory = ConfigPath.parent(executablePath)
        var candidates = [ConfigPath.join(binDirectory, "../share/devenv/profiles")]
        var directory = binDirectory
        while true {
            if fileSystem.fileExists(ConfigPath.join(directory, "Profiles/dev.toml")),
               fileSystem.fileExists(ConfigPath.join(directory, "Package.swift")) {
                candidates.append(ConfigPath.join(directory, "Profiles"))
                break
            }
            let up = ConfigPath.parent(directory)
            if up == directory || directory == "." { break }
            directory = up
        }
        return candidates
    }

    /// The user's profile folder: `$XDG_CONFIG_HOME/devenv/profiles`, `$HOME/.config/...` when
    /// XDG_CONFIG_HOME is unset or not absolute (as the XDG spec says), nil without either.
    public static func userDirectory(environment: HostEnvironment) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return ConfigPath.join(xdg, "devenv/profiles")
        }
        if let home = environment["HOME"], home.hasPrefix("/") {
            return ConfigPath.join(home, ".config/devenv/profiles")
        }
        return nil
    }

    /// The profile folders in layering order, lowest first: the first shipped candidate that is
    /// a folder, the user's, the project's. Folders that do not exist are left out.
    public static func directories(executablePath: String, projectDirectory: String, environment: HostEnvironment,
                                   fileSystem: FileSystem) -> [ProfileDirectory] {
        var out: [ProfileDirectory] = []
        if let shipped = shippedCandidates(executablePath: executablePath, environment: environment, fileSystem: fileSystem)
            .first(where: fileSystem.isDirectory) {
            out.append(ProfileDirectory(kind: .shipped, path: shipped))
        }
        if let user = userDirectory(environment: environment), fileSystem.isDirectory(user) {
            out.append(ProfileDirectory(kind: .user, path: user))
        }
        let project = ConfigPath.join(projectDirectory, ".devenv/profiles")
        if fileSystem.isDirectory(project) {
            out.append(ProfileDirectory(kind: .project, path: project))
        }
        return out
    }
}
