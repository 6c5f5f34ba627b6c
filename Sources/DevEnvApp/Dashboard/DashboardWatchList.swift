import DevEnvCore

/// What the dashboard watches for edits (issue 15): every input of the environments'
/// fingerprints and configuration, so a changed Dockerfile, lock file, env file or
/// devenv.toml marks the row stale without a key press, and a new one (a devcontainer.json or
/// devenv.toml made after the dashboard opened) is read at once. Derived again after each
/// reload of the configuration (`DashboardFileWatch.follow`).
enum DashboardWatchList {
    /// Every file the configuration reading would consider, present or not: devenv.toml and
    /// pyproject.toml; `.devcontainer.json`, `.devcontainer/devcontainer.json` and
    /// `.devcontainer/NAME/devcontainer.json` (DevcontainerSearch); the profile folders, the
    /// user's and the project's also before they exist (ProfileSearch); the files the last
    /// reading read (a devcontainer.json named by `devcontainer = PATH`); and per environment
    /// its Dockerfile, the dependency files its image fingerprint reads (Environment.image), its
    /// env file (and template), and its services' Dockerfiles and env files.
    static func files(environments: [Environment], context: AppContext) -> WatchedFiles {
        var watched = WatchedFiles()
        guard let root = environments.first?.spec.projectRoot else { return watched }
        for name in ["devenv.toml", "pyproject.toml", ".devcontainer.json", ".devcontainer/devcontainer.json"] {
            watched.add(file: root + "/" + name)
        }
        watched.add("devcontainer.json", inSubfoldersOf: root + "/.devcontainer")
        for folder in ProfileSearch.directories(executablePath: context.executablePath, projectDirectory: root,
                                                environment: HostEnvironment(context.environment), fileSystem: context.fileSystem) {
            watched.add(profileFolder: folder.path)
        }
        if let user = ProfileSearch.userDirectory(environment: HostEnvironment(context.environment)) { watched.add(profileFolder: user) }
        watched.add(profileFolder: root + "/.devenv/profiles")
        for environment in environments {
            let spec = environment.spec
            for file in environment.consideredFiles { watched.add(file: file) }
            if spec.image == nil {
                watched.add(file: spec.dockerfile)
                for name in ["pyproject.toml", "uv.lock"] { watched.add(file: spec.context + "/" + name) }
            }
            if let envFile = spec.envFile { watched.add(file: envFile) }
            // The lock a venv that follows it is compared with (`Environment.Expectation.lock`,
            // kept until a reload): the workspace's, which is not the build context's when the
            // context is a subfolder.
            if environment.planner.tracksLock { watched.add(file: spec.projectRoot + "/uv.lock") }
            for service in spec.services {
                if let dockerfile = service.build?.dockerfile { watched.add(file: dockerfile) }
                if let envFile = service.envFile { watched.add(file: envFile) }
            }
        }
        return watched
    }
}
