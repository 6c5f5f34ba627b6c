import DevEnvCore

/// The engine-changing steps of a command that does not undo them (`down`, `restart`): each runs
/// to its end (`ProcessInvocation.runsToItsEnd`), and an interruption is acted on between steps
/// with a message that says which steps were done. Why: a signal ends the docker CLI, not the
/// engine's work; a `docker stop` cut short by Ctrl-C still stopped the container seconds later,
/// while devenv said "stopped cleanly" and had removed nothing (left22).
final class DoneSteps {
    let session: DockerSession
    /// How to finish after an interruption (the error's hint), e.g. "run `devenv down` again to
    /// remove the rest"; nil: nothing is left to finish.
    let finish: String?
    /// What the steps so far did, in order ("stopped devenv-p-dev").
    private(set) var done: [String] = []

    init(session: DockerSession, finish: String?) {
        self.session = session
        self.finish = finish
    }

    /// Runs `invocation` to its end unless devenv was interrupted before it (then nothing more
    /// starts). `what`: the step ("stopping devenv-p-dev"); `done`: what it did when it
    /// succeeded ("stopped devenv-p-dev"). Throws exit 130 naming what was done when a signal
    /// came before or during it, else the docker failure.
    @discardableResult
    func run(_ invocation: ProcessInvocation, _ what: String, done text: String) throws -> ProcessResult {
        try checkpoint()
        // Not clean-up: a signal that lands between the checkpoint and the start stops the step
        // before it runs (the session's own check), and is then said with what was done.
        // Interrupted while it runs, the step is let finish, but not on an engine that has
        // stopped answering (`stepToItsEnd`). It is then ended, and what is undone is said.
        let result: ProcessResult
        do {
            result = try session.attempt(session.stepToItsEnd(invocation))
        } catch let error as DevEnvError where error.exitCode == .interrupted {
            if session.engineStoppedAnswering { try checkpoint(during: what, finished: false, engineSilent: true) }
            try checkpoint()
            throw error
        }
        if result.succeeded { done.append(text) }
        try checkpoint(during: what, finished: result.succeeded)
        guard result.succeeded else { throw DockerFailure.error(what, invocation: invocation, result: result) }
        return result
    }

    /// Runs `body`, a part made of several calls that are not steps of their own (`down
    /// --images`' listing and removals, each said as it goes); an interruption in it is thrown
    /// with what the steps before it did and that `what` was cut short (some of it may be done),
    /// not as "stopped cleanly": the container and volumes were gone by then (break27).
    func part<T>(_ what: String, _ body: () throws -> T) throws -> T {
        try checkpoint()
        do {
            return try body()
        } catch let error as DevEnvError where error.exitCode == .interrupted {
            guard let signal = session.context.interruption() else { throw error }
            let before = done.isEmpty ? "" : "; done before it: " + done.joined(separator: ", ")
            throw DevEnvError(.interrupted, "interrupted by signal \(signal) while \(what), which was cut short (the image it was removing may be gone)\(before)",
                              hint: finish)
        }
    }

    /// Throws the interruption, if there was one, with what was done (and `during`: the step
    /// under way when it came, which was let finish, or cut short by a second signal, or given
    /// up on an engine that did not answer: `engineSilent`).
    func checkpoint(during what: String? = nil, finished: Bool = true, engineSilent: Bool = false) throws {
        guard let signal = session.context.interruption() else { return }
        var message = "interrupted by signal \(signal)"
        if let what, engineSilent {
            message += " while \(what), \(session.stoppedWaiting)"
        } else if let what {
            message += finished ? " while \(what), which was let finish"
                : " while \(what), which did not succeed (cut short by a second signal, the engine may still finish it)"
        }
        message += done.isEmpty ? (engineSilent ? "; nothing else was done" : "; nothing was changed") : "; done: " + done.joined(separator: ", ")
        throw DevEnvError(.interrupted, message, hint: done.isEmpty && finished ? nil : finish)
    }
}
