import DevEnvCore

/// Making the environment's container, by ID from `docker create` on: never `docker rm NAME`,
/// so a container that takes the name while devenv builds is someone else's and stays (exit 4).
/// A recreate never leaves the user with nothing: the replacement is created under a temporary
/// name first, then the two swap names; when the new one does not start, the previous one gets
/// its name back and runs again.
///
/// Each call that changes the engine (create, rename, stop, start, remove) runs to its end
/// (`ProcessInvocation.runsToItsEnd`): a first Ctrl-C or SIGTERM is acted on once devenv
/// knows what the engine did, then the swap is undone step by step. A call cut short could
/// not say: the engine finished a `docker stop` seconds after devenv had started the previous
/// container "again" (a no-op, it still ran), so it ended stopped while devenv said it ran.
struct ContainerReplacement {
    let session: DockerSession
    let planner: DockerPlanner
    let progress: Progress
    /// The `devenv.inputs` label's value (`EnvironmentInputs.encoded`); empty: no label.
    var inputs = ""

    /// A first container: create under the environment's name, `beforeStart` (the services'
    /// health wait), start. Whatever the create made goes again (by its ID) when `beforeStart`
    /// throws, the start fails or devenv is interrupted. Returns its ID.
    @discardableResult
    func createAndStart(image: String, fingerprint: String, beforeStart: () throws -> Void = {}) throws -> String {
        let name = planner.names.container
        let id: String
        do {
            id = try create(image: image, fingerprint: fingerprint, name: name)
        } catch let error as DevEnvError where error.exitCode == .interrupted {
            throw MadeObjects.incomplete(error, left: removeLeftover(name))
        }
        do {
            try beforeStart()
        } catch {
            if let left = removeMade(id, name: name) { throw MadeObjects.incomplete(error, left: [left]) }
            guard var failure = error as? DevEnvError, failure.exitCode != .interrupted else { throw error }
            failure.message += "; the container \(name) made for the app was removed"
            throw failure
        }
        let start = planner.start(id: id).toItsEnd
        var failure: DevEnvError?
        if session.context.interruption() == nil {
            let result = try session.attempt(start, cleanup: true)
            if result.succeeded && session.context.interruption() == nil {
                // It runs: an interruption from here on keeps it (`StartedInterruption`).
                try StartedInterruption(container: name, spec: planner.spec, session: session).guarding("watching its first seconds") {
                    try StartWatch(session: session, planner: planner, progress: progress).check(container: id, name: name)
                }
                return id
            }
            failure = DockerFailure.error("starting \(name)", invocation: start, result: result)
        }
        if let left = removeMade(id, name: name) {
            let signal = session.context.interruption()
            throw MadeObjects.incomplete(signal.map { DevEnvError.interrupted(by: $0) } ?? failure ?? DevEnvError.failure("starting \(name)"),
                                         left: [left])
        }
        try session.checkInterruption()
        if var failure {
            failure.message += "; the container it created was removed, nothing runs"
            throw failure
        }
        return id
    }

    /// Replaces `old` (ours, looked up) with a container of the current configuration.
    /// Order: create the replacement under a temporary name, `beforeStart` (the services' health
    /// wait; nothing changed if either fails: the replacement goes again), rename `old` aside,
    /// stop it, give the replacement the name, start it, remove `old`.
    /// Every failure after the first step undoes the earlier steps, and the error says what
    /// state the environment is left in. Returns the new container's ID.
    @discardableResult
    func replace(_ old: ContainerSnapshot, image: String, fingerprint: String, beforeStart: () throws -> Void = {}) throws -> String {
        let names = planner.names
        let name = names.container
        let wasRunning = old.hasProcess
        let oldState = wasRunning ? "the previous container \(name) is still running, unchanged"
                                  : "the previous container \(name) is unchanged (\(old.state))"
        let new: String
        do {
            new = try create(image: image, fingerprint: fingerprint, name: names.replacementContainer,
                             failureState: "nothing was changed: " + oldState)
        } catch let error as DevEnvError where error.exitCode == .interrupted {
            throw MadeObjects.incomplete(error, left: removeLeftover(names.replacementContainer))
        }
        do {
            try beforeStart()
        } catch {
            if let left = removeMade(new, name: names.replacementContainer) {
                throw MadeObjects.incomplete(error, left: [left])
            }
            guard var failure = error as? DevEnvError, failure.exitCode != .interrupted else { throw error }
            failure.message += "; nothing was changed: the new container was removed, " + oldState
            throw failure
        }
        // From here on every step runs to its end even after Ctrl-C: half a swap is worse.
        /// The previous container's name back; one that never lost it (the rename aside did not
        /// happen) counts as back.
        func renameBack() -> Bool {
            guard let result = try? session.attempt(planner.rename(id: old.id, to: name), cleanup: true) else { return false }
            return result.succeeded || result.stderrText.contains("same name as its current name")
        }
        func undo(_ renamedOld: Bool, stoppedOld: Bool) -> String {
            var broken: [String] = []
            // Removed by ID, which frees the name whether or not it had it already.
            if !attempt(planner.remove(id: new)) { broken.append("removing the new container \(new.prefix(12))") }
            if renamedOld, !renameBack() { broken.append("renaming it back") }
            if stoppedOld, !(attempt(planner.start(id: old.id))) {
                broken.append("starting it again")
            }
            if broken.isEmpty {
                return "the new container was removed; " + (wasRunning ? "the previous container \(name) is running again, unchanged"
                                                                        : "the previous container \(name) is back, unchanged (\(old.state))")
            }
            if session.engineStoppedAnswering {
                return Self.engineGone(previous: old.id, new: new, names: names, renamedOld: renamedOld, stoppedOld: stoppedOld,
                                       deadline: session.context.queryTimeout, spec: planner.spec)
            }
            let place = renamedOld && broken.contains("renaming it back") ? names.previousContainer : name
            return "the previous container (\(old.id.prefix(12))) could not be restored (\(broken.joined(separator: ", ")) failed): it is \(place), "
                + "stopped; `\(planner.spec.command("up"))` again repairs it"
        }
        func fail(_ what: String, _ invocation: ProcessInvocation, _ result: ProcessResult,
                  renamedOld: Bool, stoppedOld: Bool) -> DevEnvError {
            let error = DockerFailure.error(what, invocation: invocation, result: result)
            let state = undo(renamedOld, stoppedOld: stoppedOld)
            // Ctrl-C or SIGTERM reaches the docker call too: that is why it failed (exit 130,
            // not docker's 143 reported as a failure).
            if let signal = session.context.interruption() {
                return DevEnvError(.interrupted, "interrupted by signal \(signal) while \(what); \(state)")
            }
            return DevEnvError(error.exitCode, "\(error.message); \(state)", hint: error.hint, detail: error.detail)
        }

        /// Interrupted during a step that ran to its end: undone from there.
        func checkpoint(_ what: String, renamedOld: Bool, stoppedOld: Bool) throws {
            guard let signal = session.context.interruption() else { return }
            throw DevEnvError(.interrupted, "interrupted by signal \(signal) while \(what); \(undo(renamedOld, stoppedOld: stoppedOld))")
        }

        /// A step of the swap, run to its end (`DockerSession.stepToItsEnd`), but given up on an
        /// engine that stopped answering once devenv was interrupted: a frozen engine held
        /// `up`'s stop of the previous container for ever after one signal (mend28). Nothing
        /// can be undone then (the engine answers nothing), so the state is said as unknown.
        func step(_ invocation: ProcessInvocation, _ what: String, renamedOld: Bool, stoppedOld: Bool) throws -> ProcessResult {
            do {
                return try session.attempt(session.stepToItsEnd(invocation), cleanup: true)
            } catch let error as DevEnvError where error.exitCode == .interrupted && session.engineStoppedAnswering {
                let signal = session.context.interruption().map { " by signal \($0)" } ?? ""
                throw DevEnvError(.interrupted, "interrupted\(signal) while \(what); " + Self.engineGone(
                    previous: old.id, new: new, names: names, renamedOld: renamedOld, stoppedOld: stoppedOld,
                    deadline: min(DockerSession.interruptedWait, session.context.queryTimeout), spec: planner.spec))
            }
        }

        if let signal = session.context.interruption() {
            if let left = removeMade(new, name: names.replacementContainer) {
                throw MadeObjects.incomplete(DevEnvError.interrupted(by: signal), left: [left])
            }
            try session.checkInterruption()
        }
        let renameOld = planner.rename(id: old.id, to: names.previousContainer).toItsEnd
        let renamedOld = try step(renameOld, "renaming \(name) aside", renamedOld: true, stoppedOld: false)
        guard renamedOld.succeeded else {
            // The engine may have renamed it though the call failed (cut short by a second signal).
            throw fail("renaming \(name) aside", renameOld, renamedOld, renamedOld: true, stoppedOld: false)
        }
        try checkpoint("renaming \(name) aside", renamedOld: true, stoppedOld: false)
        if wasRunning {
            let stop = planner.stop(id: old.id).toItsEnd
            let stopped = try step(stop, "stopping the previous \(name)", renamedOld: true, stoppedOld: true)
            guard stopped.succeeded else {
                // The engine may have stopped it though the call failed (a second signal ends the
                // CLI, not the engine's stop): it is started again, which changes nothing if it runs.
                throw fail("stopping the previous \(name)", stop, stopped, renamedOld: true, stoppedOld: true)
            }
            try checkpoint("stopping the previous \(name)", renamedOld: true, stoppedOld: true)
        }
        let renameNew = planner.rename(id: new, to: name).toItsEnd
        let renamedNew = try step(renameNew, "giving the new container the name \(name)", renamedOld: true, stoppedOld: wasRunning)
        guard renamedNew.succeeded else {
            throw fail("giving the new container the name \(name)", renameNew, renamedNew,
                       renamedOld: true, stoppedOld: wasRunning)
        }
        try checkpoint("giving the new container the name \(name)", renamedOld: true, stoppedOld: wasRunning)
        let start = planner.start(id: new).toItsEnd
        let started = try step(start, "starting the new \(name)", renamedOld: true, stoppedOld: wasRunning)
        guard started.succeeded else {
            throw fail("starting the new \(name)", start, started, renamedOld: true, stoppedOld: wasRunning)
        }
        try checkpoint("starting the new \(name)", renamedOld: true, stoppedOld: wasRunning)
        do {
            // A new command that dies in its first seconds is a failed start too.
            try StartWatch(session: session, planner: planner, progress: progress)
                .check(container: new, name: "the new \(name)", afterwards: "it was removed")
        } catch let error as DevEnvError where error.exitCode == .failure {
            let state = undo(true, stoppedOld: wasRunning)
            throw DevEnvError(error.exitCode, "\(error.message); \(state)", hint: error.hint, detail: error.detail)
        } catch let error as DevEnvError where error.exitCode == .interrupted {
            // Interrupted while watching the new container's first seconds: it runs under the
            // name, so the swap is finished rather than left with the previous one aside.
            let removed = attempt(planner.remove(id: old.id))
            let signal = session.context.interruption().map { " by signal \($0)" } ?? ""
            throw DevEnvError(.interrupted, "interrupted\(signal) while watching the new \(name); it runs, and the previous container "
                + (removed ? "was removed" : "stays as \(names.previousContainer) (the next `\(planner.spec.command("up"))` removes it)"))
        }
        let remove = planner.remove(id: old.id).toItsEnd
        var removed: ProcessResult
        do {
            removed = try session.attempt(session.stepToItsEnd(remove), cleanup: true)
        } catch let error as DevEnvError where error.exitCode == .interrupted && session.engineStoppedAnswering {
            let signal = session.context.interruption().map { " by signal \($0)" } ?? ""
            throw DevEnvError(.interrupted, "interrupted\(signal) while removing the previous container (\(old.id.prefix(12))), \(session.stoppedWaiting); "
                + "the new \(name) runs, and the previous container may stay as \(names.previousContainer) (the next `\(planner.spec.command("up"))` removes it)")
        }
        // A signal ends the CLI, not the engine's removal: asked once more, "no such container"
        // is the answer that it is gone.
        if !removed.succeeded, session.context.interruption() != nil {
            removed = try session.attempt(remove, cleanup: true)
            if removed.stderrText.contains("No such container") { removed.exitCode = 0 }
        }
        if !removed.succeeded {
            progress.step("the new \(name) runs; the previous container could not be removed and stays as \(names.previousContainer) (the next `\(planner.spec.command("up"))` removes it)")
        }
        return new
    }

    /// The state a swap is left in when the engine stopped answering its undo (a frozen or
    /// overloaded engine, and Ctrl-C twice: the second stops the wait for the step under way,
    /// and the undo's calls then get the query deadline): none of the undo steps is known to
    /// have happened, nor is the step that was cut short. So it names each container by ID with
    /// the names it may have, says nothing is lost, and what puts it right once the engine
    /// answers: `up` removes a replacement that never took over, gives a previous container its
    /// name back or removes it once the new one has the name (`Up.repair`), and starts what
    /// should run. It said "could not be restored (removing the new container ..., renaming it
    /// back, starting it again failed): it is NAME.previous, stopped; `devenv up` again repairs
    /// it": the steps had not failed but were never answered, the name and state were guesses,
    /// and `up` on the engine as it was would only wait again (left23).
    static func engineGone(previous: String, new: String, names: ResourceNames, renamedOld: Bool, stoppedOld: Bool,
                           deadline: Double, spec: EnvironmentSpec) -> String {
        let previousNames = renamedOld ? "\(names.container) or \(names.previousContainer)" : names.container
        return "the engine stopped answering (no reply within \(QueryTimeout.display(deadline))), so the swap was not undone and devenv "
            + "cannot tell how far the engine got: the previous container (\(previous.prefix(12))) is named \(previousNames)"
            + (stoppedOld ? ", running or stopped" : "")
            + "; the new one (\(new.prefix(12))) is \(names.replacementContainer) or \(names.container); "
            + "volumes are untouched. Once the engine answers again (`docker info` says), `\(spec.command("up"))` puts it right "
            + "(it removes the container that should not be there and starts the environment's); `\(spec.command("status"))` shows it"
    }

    /// `docker create`; the new container's ID. A name taken meanwhile is exit 4 (DockerFailure).
    private func create(image: String, fingerprint: String, name: String, failureState: String? = nil) throws -> String {
        let invocation = planner.create(image: image, configHash: fingerprint, name: name, inputs: inputs).toItsEnd
        let result = try session.attempt(invocation)
        let id = result.stdoutText.split(whereSeparator: \.isWhitespace).last.map(String.init) ?? ""
        if result.succeeded, session.dryRun || !id.isEmpty {
            return session.dryRun ? name : id
        }
        try session.checkInterruption()
        var error = DockerFailure.error("creating \(name)", invocation: invocation, result: result)
        if result.succeeded { error = DevEnvError(.failure, "creating \(name): docker printed no container ID", detail: error.detail) }
        if let failureState { error.message += "; \(failureState)" }
        throw error
    }

    /// After a `docker create` cut short by Ctrl-C or SIGTERM: the engine may have made the
    /// container all the same. One of ours under `name` that never started goes, by ID.
    /// Returns what could not be removed: the container, or, when the lookup got no answer,
    /// the name that may hold one (its ID not known).
    private func removeLeftover(_ name: String) -> [MadeObjects.Left] {
        guard !session.dryRun else { return [] }
        let listed = try? session.attempt(planner.findContainer(), cleanup: true)
        guard let listed, listed.succeeded, let containers = try? ContainerSnapshot.parseList(listed.stdoutText) else {
            return [MadeObjects.Left(kind: "container", name: name, id: nil,
                                     why: "not looked for: the engine did not answer (a create cut short may have made it)",
                                     removal: planner.remove(id: name))]
        }
        guard let container = ContainerOwnership(name: name, in: containers, names: planner.names).ours,
              container.state == "created" else { return [] }
        return removeMade(container.id, name: name).map { [$0] } ?? []
    }

    /// Removes a container this run created (by ID); nil when it went, else what was left.
    private func removeMade(_ id: String, name: String) -> MadeObjects.Left? {
        if session.dryRun || attempt(planner.remove(id: id)) { return nil }
        return .container(name, id: id, planner: planner,
                          why: session.engineStoppedAnswering ? "the engine did not answer" : "the engine did not remove it")
    }

    /// A clean-up or swap step: runs even after an interruption, to its end; true when it
    /// succeeded. An engine that did not answer is false too: every caller says what the false
    /// leaves (`undo`'s broken steps, `removeMade`, the previous container kept aside).
    private func attempt(_ invocation: ProcessInvocation) -> Bool {
        (try? session.attempt(invocation.toItsEnd, cleanup: true))?.succeeded == true
    }
}
