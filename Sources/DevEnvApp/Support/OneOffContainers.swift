import Dashboard
import DevEnvCore

/// The one-off containers devenv runs with `docker run --rm` (`devenv test`'s, the volumes'
/// chown and owner repair, clean-cache's root pass), each marked as its call
/// (`DockerPlanner.oneOffArguments`: a label and a name of the call's token): `docker run`
/// creates, then starts, and `--rm` removes only a container that ran, so one that a signal or
/// the deadline cut off between the two stays as created for good, holding what it mounts (a
/// new volume then cannot be removed: "volume is in use"). It is found by the call's label and
/// removed by ID; a create still under way at the engine when devenv looks is waited out by
/// the call's name (`waitOutTheCreate`). Only what carries that label is ever removed. Every
/// one-off goes through here, so every one gets the same look-up, claim and wait, and the same
/// answer to whether `--rm` leaves the command's exit status (`EngineFacts.runRemovalKeepsStatus`,
/// the engine probe's): where it does not (the docker CLI on Podman's API, podman#18889: 0
/// whatever the command did), the run goes without `--rm` (`DockerPlanner.keptToItsEnd`) and is
/// removed here by its label and ID once it ended.
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

    /// Runs the one-off `invocation` (a `docker run`, `DockerPlanner.oneOffArguments` with the
    /// token `run`, of `image`) and returns its result whatever its exit code, as
    /// `session.attempt` does, with `onOutput`. When the call is cut short (a signal, the
    /// deadline), what it made is found and removed (`removeUnseen`; `neverStarted`: only what
    /// it never started, for a `--rm` run that waits for its end), and when nothing is found a
    /// create still under way is waited out (`waitOutTheCreate`); said as `said`. Then it throws.
    func attempt(_ invocation: ProcessInvocation, run: String?, image: String, said: Wording, neverStarted: Bool = true,
                 onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)? = nil) throws -> ProcessResult {
        // Only a `run --rm` has a `--rm` to leave out (a detached start's status is its create's).
        let withoutRemoval = DockerPlanner.keptToItsEnd(invocation)
        let kept = run != nil && withoutRemoval.argv != invocation.argv && !Self.removalKeepsStatus(session, planner: planner)
        let planned = kept ? withoutRemoval : invocation
        // Kept to its end: whatever it made goes here, started or not.
        let onlyNeverStarted = neverStarted && !kept
        let result: ProcessResult
        do {
            result = try session.attempt(planned, onOutput: onOutput)
            try session.checkInterruption()
        } catch {
            if let run, removeUnseen(run, neverStarted: onlyNeverStarted, said: said) == [] {
                waitOutTheCreate(run, image: image, neverStarted: onlyNeverStarted, said: said)
            }
            throw error
        }
        if kept { removeUnseen(run, neverStarted: false, said: said.kept) }
        return result
    }

    /// Whether this engine's `docker run --rm` reports the command's exit status: Podman's CLI's
    /// does; a docker CLI's is the engine probe's answer (asked once a command; with no answer,
    /// under a dry run with no engine, Docker's).
    static func removalKeepsStatus(_ session: DockerSession, planner: DockerPlanner) -> Bool {
        guard planner.engine == .docker else { return true }
        return (try? EngineProbe(session: session, context: session.context).facts())?.runRemovalKeepsStatus ?? true
    }

    /// `attempt`, failing as `session.run` does when the run fails (`what`: its step); what a
    /// failed run made and never started goes first (`removeUnseen`).
    @discardableResult
    func run(_ invocation: ProcessInvocation, _ what: String, run: String?, image: String, said: Wording) throws -> ProcessResult {
        let result = try attempt(invocation, run: run, image: image, said: said)
        guard result.succeeded else {
            removeUnseen(run, neverStarted: true, said: said)
            throw DockerFailure.error(what, invocation: invocation, result: result)
        }
        return result
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

    /// The first pause between two rounds of `waitOutTheCreate`, and the longest (milliseconds):
    /// a create the engine finishes late is seen within about a second, and an engine busy
    /// with it gets a few calls a second at most, not a busy loop of them.
    static let waitPause = (first: 50, ceiling: 1000)

    /// After a cut-short run whose look-up found nothing: its create may still be under way at
    /// the engine (the CLI ended with the request in flight; the engine finishes it). devenv
    /// takes the run's name itself (`DockerPlanner.claimRunName`): once that succeeds, no create
    /// of the run can follow, and devenv's own container goes by ID. While the name is in use,
    /// the run's container is there or on its way: one never started is removed by ID; one
    /// started goes by `--rm` (with `neverStarted` false, a detached run's, it is removed too).
    /// Looked at again, after a pause that doubles each round (`waitPause`, `AppContext.pause`),
    /// until the query deadline (DEVENV_TIMEOUT), saying what it waits for; what is left then
    /// is said with the commands that find and remove it.
    private func waitOutTheCreate(_ run: String, image: String, neverStarted: Bool, said: Wording) {
        let context = session.context
        var claim = planner.claimRunName(image: image, run: run)
        // Not a query, yet never waited on longer than one: an engine that stopped answering
        // (the run ended at its deadline) is not waited for here.
        claim.deadline = context.queryTimeout
        let giveUpAt = context.clock() + context.queryTimeout
        var pause = RetryBackoff(first: Self.waitPause.first, ceiling: Self.waitPause.ceiling)
        var announced = false
        func leave(_ why: String) {
            context.console.writeError(ErrorReport.warning("\(said.cutShort), and \(why): "
                + "`\(planner.findByRun(run).shellQuoted)` shows its container, if any, `\(planner.cli) rm --force ID` removes it"))
        }
        while true {
            guard let claimed = try? session.attempt(claim, cleanup: true) else { return leave("the engine did not answer devenv's check for its container") }
            if claimed.succeeded {
                if let id = claimed.stdoutText.split(whereSeparator: \.isWhitespace).last.map(String.init) {
                    let removal = planner.remove(id: id)
                    if (try? session.attempt(removal, cleanup: true))?.succeeded != true {
                        context.console.writeError(ErrorReport.warning("devenv's placeholder container (ID \(id.prefix(12))) could not be removed; "
                            + "`\(removal.shellQuoted)` removes it"))
                    }
                }
                return
            }
            guard DockerFailure.nameTaken(claimed.stderrText) else { return leave("devenv could not check for its container") }
            if neverStarted {
                // Every container of the run first, then the never-started ones: a container does not
                // go back from started to created, so one the first shows and the second does not has
                // started (--rm's). The other order missed a create that ended between the two: seen
                // by the second as there, it was taken for started and stayed "Created".
                let all = try? session.attempt(planner.findByRun(run), cleanup: true)
                if let removed = removeUnseen(run, neverStarted: true, said: said), !removed.isEmpty { return }
                if let all, all.succeeded, !all.stdoutText.allSatisfy(\.isWhitespace) { return }
            } else if let removed = removeUnseen(run, neverStarted: false, said: said), !removed.isEmpty {
                return
            }
            // Still on its way.
            let left = giveUpAt - context.clock()
            if left <= 0 { return leave("its container's name is still taken") }
            if !announced {
                announced = true
                context.console.writeError(ErrorReport.note("waiting for the engine to finish creating \(said.container) \(planner.runName(run)) "
                    + "(at most \(QueryTimeout.display(context.queryTimeout)))"))
            }
            context.pause(min(Double(pause.take()) / 1000, left))
        }
    }
}

extension OneOffContainers.Wording {
    /// For a run kept to its end (no `--rm`, `DockerPlanner.keptToItsEnd`), removed once it ended.
    var kept: Self {
        Self(cutShort: "\(container) (kept to its end: `docker run --rm` through Podman's API says 0 whatever the command did) was not found to be removed",
             container: container, made: "that the run left")
    }

    /// For a one-off `docker run --rm`: `what` it is ("test run", "chown"), `of` what it acts
    /// on (the volumes), its `container` ("the chown container").
    static func run(_ what: String, of object: String? = nil, container: String) -> Self {
        Self(cutShort: "the \(what)\(object.map { " of \($0)" } ?? "") was cut short; its docker run may have made a container it never started",
             container: container, made: "that the cut-short \(what) made and never started")
    }

    /// For a chown container (`DockerPlanner.chownVolumes`, `ServicePlanner.chownVolumes`) of the volumes `given`.
    static func chown(of given: String) -> Self { run("chown", of: given, container: "the chown container") }

    /// For the owner check of existing volumes (`DockerPlanner.repairVolumeOwners`) of the volumes `checked`.
    static func ownerCheck(of checked: String) -> Self { run("owner check", of: checked, container: "the owner-check container") }

    /// For clean-cache's root pass (`DockerPlanner.cleanCacheAsRoot`).
    static let cleanCacheAsRoot = run("clean-cache root pass", container: "clean-cache's root container")
}
