import DevEnvCore

/// `devenv restart`: restart the running container; when there is none, or its configuration
/// changed, what `up` does.
struct Restart {
    let environment: Environment
    let session: DockerSession
    let context: AppContext
    let progress: Progress

    func run() throws -> Up.Result {
        let planner = environment.planner
        if let existing = try ContainerLookup(session: session, planner: planner).find(), existing.state == "running" {
            // What `up` and `status` compare a container with, asked where they ask it: kept with
            // the configuration when nothing it reads changed (`Environment.expected`).
            let expected = try environment.expectation(fileSystem: context.fileSystem)
            let image = expected.image
            if existing.labels[ResourceNames.configHashLabel] == expected.fingerprint {
                progress.step("restarting \(existing.name) (\(planner.stopWait))")
                // Let finish (the engine restarts it whether or not the CLI waits), then the
                // interruption says so.
                try DoneSteps(session: session, finish: nil)
                    .run(planner.restart(id: existing.id), "restarting \(existing.name)", done: "restarted \(existing.name) (it runs)")
                return Up.Result(outcome: .restarted, container: existing.name, image: image, built: false,
                                 createdVolumes: [], staleReason: nil)
            }
        }
        return try Up(environment: environment, session: session, context: context, progress: progress).run()
    }
}
