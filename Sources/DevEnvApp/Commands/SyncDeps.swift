import DevEnvCore

/// `devenv sync-deps`: the configured sync command (default `uv sync --frozen`) in the
/// container, filling the virtualenv volume.
struct SyncDeps {
    let environment: Environment
    let session: DockerSession
    let progress: Progress

    func run() throws {
        let container = try RunningContainer(session: session, environment: environment).require()
        let command = environment.spec.syncCommand
        // The container found: under an earlier devenv's name until `up` replaces it.
        let name = container.map { ContainerSnapshot.plainName($0.name) }
        let user = container?.labels[DockerPlanner.userLabel]
        // Its processes carry a marker: a signal that ends devenv reaches them too (`MarkedExec`),
        // or `uv sync` would go on writing the venv beside the next run.
        let exec = MarkedExec(session: session, cli: environment.planner.cli)
        let invocation = environment.planner.exec(command, interactive: false, terminal: false, io: .stream,
                                                  runningAs: user, container: name, marker: exec.marker)
        progress.begin(command.joined(separator: " "), waitingFor: "`\(command.joined(separator: " "))` in the container")
        // An interruption meanwhile is thrown by `run`, after the pass-on.
        let result = try exec.run(invocation, in: container?.id ?? environment.names.container,
                                  as: environment.planner.execUser(runningAs: user), onOutput: { _, bytes in progress.output(bytes) })
        progress.end(succeeded: result.succeeded)
        guard result.succeeded else {
            throw DockerFailure.error("sync-deps (\(command.joined(separator: " ")))", invocation: invocation, result: result, outputShown: progress.showsOutput)
        }
        // The venv now matches this uv.lock: `up` syncs again only when it changes.
        if environment.planner.tracksLock && !session.dryRun {
            let stamp = try session.attempt(environment.planner.writeLockStamp(runningAs: container?.labels[DockerPlanner.userLabel], container: name))
            let memory = ContainerMemory(context: session.context, names: environment.names)
            if stamp.succeeded, let container, let lock = memory.currentLock(environment.spec) {
                memory.remember(container)
                memory.rememberSynced(id: container.id, lock: lock)
            }
            if !stamp.succeeded {
                session.context.console.writeError(ErrorReport.warning("could not record uv.lock in the venv (\(stamp.stderrText.split(whereSeparator: \.isNewline).first ?? "")); up cannot tell when it changes"))
            }
        }
    }
}

extension SyncDeps {
    /// What `sync-deps` prints: "sync-deps: uv sync --frozen finished"; `--json` adds no field.
    static func text(command: [String]) -> String { "sync-deps: \(command.joined(separator: " ")) finished\n" }
}
