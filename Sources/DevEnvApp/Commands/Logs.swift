import DevEnvCore

/// `devenv logs [-f] [--tail N] [--since T]`: docker's own log output, straight to the
/// terminal; with -f until interrupted.
struct Logs {
    let environment: Environment
    let session: DockerSession

    func run(follow: Bool, tail: String?, since: String?) throws -> Int32 {
        let exists = try session.dryRun || ContainerLookup(session: session, planner: environment.planner).find() != nil
        guard exists else {
            throw DevEnvError(.failure, "there is no \(environment.spec.profile) container (\(environment.names.container))",
                              hint: "start it with `devenv up`")
        }
        let status = try session.attempt(environment.planner.logs(follow: follow, tail: tail, since: since)).exitCode
        // Ctrl-C (or SIGTERM) ends `logs -f`: that is how it is meant to stop, not a failure.
        return follow && (status == 130 || status == 143) ? 0 : status
    }
}
