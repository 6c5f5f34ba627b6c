import DevEnvCore

/// `devenv clean-cache`: removes __pycache__, *.pyc/*.pyo and the pytest/mypy/ruff caches in
/// the workspace, inside the container, and reports how much it removed.
struct CleanCache {
    struct Result: Sendable {
        var files: Int
        var bytes: Int
    }

    let environment: Environment
    let session: DockerSession

    func run() throws -> Result {
        let container = try RunningContainer(session: session, environment: environment).require()
        let output = try session.run(environment.planner.cleanCache(runningAs: container?.labels[DockerPlanner.userLabel]),
                                     "clean-cache").stdoutText
        let numbers = output.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        return Result(files: numbers.first ?? 0, bytes: numbers.dropFirst().first ?? 0)
    }
}
