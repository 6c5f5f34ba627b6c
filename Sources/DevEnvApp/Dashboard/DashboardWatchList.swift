import DevEnvCore

/// What the dashboard watches for edits (issue 15): every input of the environments'
/// fingerprints and configuration, so a changed Dockerfile, lock file, env file or
/// devenv.toml marks the row stale without a key press.
enum DashboardWatchList {
    /// The project's configuration files (devenv.toml, pyproject.toml, devcontainer.json),
    /// every profile folder, and per environment its Dockerfile, the dependency files its
    /// image fingerprint reads (Environment.image) and its env file.
    static func files(environments: [Environment], context: AppContext) -> WatchedFiles {
        var watched = WatchedFiles()
        guard let root = environments.first?.spec.projectRoot else { return watched }
        watched.add(file: root + "/devenv.toml")
        watched.add(file: root + "/pyproject.toml")
        for found in DevcontainerSearch.files(projectDirectory: root, fileSystem: context.fileSystem).found {
            watched.add(file: found.path)
        }
        for folder in ProfileSearch.directories(executablePath: context.executablePath, projectDirectory: root,
                                                environment: context.environment, fileSystem: context.fileSystem) {
            watched.add(profileFolder: folder.path)
        }
        for environment in environments {
            let spec = environment.spec
            if spec.image == nil {
                watched.add(file: spec.dockerfile)
                for name in ["pyproject.toml", "uv.lock"] { watched.add(file: spec.context + "/" + name) }
            }
            if let envFile = spec.envFile { watched.add(file: envFile) }
        }
        return watched
    }
}
