import DevEnvCore

/// The one-off containers devenv runs with `docker run --rm` (`devenv test`'s, the volumes'
/// chown), each labelled with a token of its call (`DockerPlanner.runLabel`): `docker run`
/// creates, then starts, and `--rm` removes only a container that ran, so one that a signal or
/// the deadline cut off between the two stays as created for good, holding what it mounts (a
/// new volume then cannot be removed: "volume is in use"). It is found by the call's label and
/// removed by ID; only what carries that label is ever removed.
struct OneOffContainers {
    let session: DockerSession
    let planner: DockerPlanner

    /// What a cut-short call is said as when its container cannot be found or removed.
    struct Wording {
        /// "the test run was cut short; its docker run may have made a container it never started".
        var cutShort: String
        /// "the test container", "the chown container".
        var container: String
        /// "that the cut-short test run made and never started".
        var made: String
    }

    /// Runs the one-off `invocation` (a `docker run --rm` labelled with the token `run`) as
    /// `session.run` does (`what`: its step); when it throws (a signal, the deadline, a
    /// failure), what it made and never started goes first (`removeUnseen`), said as `said`.
    func run(_ invocation: ProcessInvocation, _ what: String, run: String?, said: Wording) throws {
        do {
            try session.run(invocation, what)
        } catch {
            removeUnseen(run, neverStarted: true, said: said)
            throw error
        }
    }

    /// The container(s) the call `run` made, found by labels (`DockerPlanner.findByRun`) and
    /// removed by ID (clean-up calls: bounded once devenv was interrupted); `neverStarted`: only
    /// those not started. Returns the IDs found; nil when there is no token, or when the look-up
    /// got no answer (said, with the commands that find and remove it).
    @discardableResult
    func removeUnseen(_ run: String?, neverStarted: Bool, said: Wording) -> [String]? {
        guard let run else { return nil }
        let listing = planner.findByRun(run, neverStarted: neverStarted)
        guard let found = try? session.attempt(listing, cleanup: true), found.succeeded else {
            session.context.console.writeError(ErrorReport.warning("\(said.cutShort): `\(listing.shellQuoted)` shows it, "
                + "`\(planner.cli) rm --force ID` removes it"))
            return nil
        }
        let ids = found.stdoutText.split(whereSeparator: \.isWhitespace).map(String.init)
        for id in ids {
            let removal = planner.remove(id: id)
            if (try? session.attempt(removal, cleanup: true))?.succeeded != true {
                session.context.console.writeError(ErrorReport.warning("\(said.container) (ID \(id.prefix(12))) \(said.made) "
                    + "could not be removed; `\(removal.shellQuoted)` removes it"))
            }
        }
        return ids
    }
}

extension OneOffContainers.Wording {
    /// For a chown container (`DockerPlanner.chownVolumes`, `ServicePlanner.chownVolumes`) of the volumes `given`.
    static func chown(of given: String) -> Self {
        Self(cutShort: "the chown of \(given) was cut short; its docker run may have made a container it never started",
             container: "the chown container", made: "that the cut-short chown made and never started")
    }
}
