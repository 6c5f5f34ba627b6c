import DevEnvCore

/// Carries out docker invocations for one command: with `--dry-run` it prints each one
/// (shell-quoted, one a line) and runs none, answering as if nothing existed yet, so the
/// printed plan is the whole from-scratch plan. A failed call becomes a DevEnvError with the
/// argv and docker's stderr.
final class DockerSession: @unchecked Sendable {
    let context: AppContext
    let dryRun: Bool
    /// Docker calls made so far (lifecycle commands of an object run on several threads).
    var callCount: Int { lock.withLock { calls } }
    private var calls = 0
    private let lock = Lock()

    /// --verbose: each docker command line on stderr before it runs.
    let echo: Bool
    /// Answers to questions about the CLI and engine (version, buildx, info) by argv: asked
    /// once per command however often the command needs them.
    private var probes: [[String]: ProcessResult] = [:]
    /// Whether `--dry-run` already said which engine it planned for (`EngineProbe.apply`): once
    /// a command, however many parts of it ask for the mapping.
    var plannedEngineNoted = false
    /// The container lookup started before the configuration was read (`LookupSpeculation`):
    /// `lookup` uses it when it is the same call, and remembers the lookup made for next time.
    /// Nil: every lookup runs when asked, and none is remembered.
    var speculation: LookupSpeculation?

    init(context: AppContext, dryRun: Bool, echo: Bool = false) {
        self.context = context
        self.dryRun = dryRun
        self.echo = echo
    }

    /// Runs and returns the result whatever the exit code (the caller decides). Once devenv was
    /// interrupted no new call starts, except clean-up (`cleanup: true`).
    /// A query (`DockerPlanner.isQuery`) gets the query deadline; when it passes, the call is
    /// ended and this throws exit 3 naming the call and the engine.
    /// `evenInDryRun`: a question that changes nothing (the engine probe) runs under
    /// `--dry-run` too, unprinted, so the plan is the one this engine would get.
    /// Clean-up after an interruption (`cleanup: true` once devenv was interrupted) waits for
    /// the engine at most the query deadline plus the call's `grace` (a stop's timeout: the
    /// seconds devenv let the container take; said as a note, with what the call waits for,
    /// when the call has a `waitsFor`), and once one such call got no answer in time the
    /// rest are not started (`cleanupAbandoned`): an engine that stopped answering (paused,
    /// overloaded) cannot keep an interrupted devenv for ever; what was left undone is said by
    /// the caller, and the next `up` or `down` puts it right.
    func attempt(_ invocation: ProcessInvocation, cleanup: Bool = false, evenInDryRun: Bool = false,
                 onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)? = nil) throws -> ProcessResult {
        try attempt(invocation, cleanup: cleanup, evenInDryRun: evenInDryRun, ahead: { $0.takeIfSame($1) }, onOutput: onOutput)
    }

    /// `attempt`, with the rule that decides whether the call started ahead (`speculation`)
    /// answers it: any call takes it only when it is the very same one (`takeIfSame`); the
    /// lookup (`lookup`) also ends an early lookup that differs (`take(matching:)`).
    private func attempt(_ invocation: ProcessInvocation, cleanup: Bool, evenInDryRun: Bool,
                         ahead: (LookupSpeculation, ProcessInvocation) -> LookupSpeculation.Taken,
                         onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?,
                         whileEnding: (([UInt8]) -> Void)? = nil) throws -> ProcessResult {
        if !cleanup { try checkInterruption() }
        var invocation = Self.prepared(invocation, context: context)
        let bounded = cleanup && context.interruption() != nil
        if bounded {
            if lock.withLock({ cleanupAbandoned }) {
                throw DevEnvError(.noEngine, "the Docker engine did not answer an earlier clean-up call; `\(invocation.shellQuoted)` was not run")
            }
            if invocation.deadline == nil {
                // The engine's answer (DEVENV_TIMEOUT) on top of the time devenv itself gave the
                // call: a stop waits up to the container's stop timeout (`grace`, run_args'
                // --stop-timeout) before the engine answers, so a `--stop-timeout 60` under
                // DEVENV_TIMEOUT=30 is not given up on while the container takes what it was given.
                invocation.deadline = context.queryTimeout + invocation.grace
                if let waitsFor = invocation.waitsFor, !dryRun {
                    context.console.writeError(ErrorReport.note("cleaning up: waiting at most \(QueryTimeout.display(context.queryTimeout + invocation.grace)) "
                        + "for `\(invocation.summary)` (\(waitsFor))"))
                }
            }
        }
        // A long call with no deadline and no question of its own (a build, a pull): the signal
        // reaches its CLI, but on an engine that stopped answering the CLI waits for the
        // engine's reply to its cancel for ever, however often it is signalled (break29:
        // `devenv test` and `build` stayed silent for 13 minutes after two Ctrl-Cs, until the
        // paused engine went on). So it is given up on as a step is (`givenUpOnASilentEngine`).
        // A call that runs to its end waits on purpose, with its notice (`waitNotices`).
        if invocation.deadline == nil, invocation.answerCheck == nil, !invocation.runsToItsEnd {
            invocation = givenUpOnASilentEngine(invocation)
        }
        switch announce(invocation, evenInDryRun: evenInDryRun, ahead: ahead) {
        case .planned(let answer):
            return answer
        case .startedAhead(let early):
            return try answered(invocation, bounded: bounded) { try early.finish(onOutput: onOutput, whileEnding: whileEnding) }
        case .runNow:
            return try answered(invocation, bounded: bounded) {
                try context.runner.run(invocation, onOutput: waitNotices(invocation, onOutput))
            }
        }
    }

    /// How a prepared call is answered: what `announce` decided.
    private enum Route {
        /// `--dry-run`: printed, not run; this is its answer.
        case planned(ProcessResult)
        /// The very call was started ahead (`speculation`): its child, now the caller's.
        case startedAhead(any StartedProcess)
        /// The caller starts it now.
        case runNow
    }

    /// The one path every docker call of the session takes before it runs (`attempt`, `begin`,
    /// `lookup`): a call that may change what an early lookup shows ends that lookup; the call
    /// is counted; `--dry-run` prints it and answers as if nothing existed yet ("not found" for
    /// an image inspection, success with no output otherwise) unless it is `evenInDryRun`; a
    /// call started ahead is taken when `ahead` says it is this one; `--verbose` echoes it.
    private func announce(_ invocation: ProcessInvocation, evenInDryRun: Bool,
                          ahead: (LookupSpeculation, ProcessInvocation) -> LookupSpeculation.Taken) -> Route {
        // A lookup started ahead shows the engine before this call: once this may change what
        // it shows, it is no longer worth anything.
        if !DockerPlanner.isQuery(invocation.argv) { speculation?.dropPending().forEach(echoEnded) }
        // From here on the command may change something: a signal takes the path that cleans up.
        if !DockerPlanner.isQuery(invocation.argv) && !(dryRun && !evenInDryRun) { context.planning?.end() }
        lock.withLock { calls += 1 }
        if dryRun && !evenInDryRun {
            context.console.write(invocation.shellQuoted + "\n")
            let isInspection = invocation.argv.dropFirst().starts(with: ["image", "inspect"])
            return .planned(ProcessResult(exitCode: isInspection ? 1 : 0))
        }
        var early: (any StartedProcess)?
        if !dryRun, let speculation {
            switch ahead(speculation, invocation) {
            case .used(let started): early = started
            case .ended(let other): echoEnded(other)
            case .none: break
            }
        }
        if echo { context.console.writeError("+ \(invocation.shellQuoted)\(early == nil ? "" : "  (started before the configuration was read)")\n") }
        if let early { return .startedAhead(early) }
        return .runNow
    }

    /// Runs `body` (starting or waiting for `invocation`) and turns what the runner throws into
    /// the user's terms, the same for every call: a CLI that is not there is exit 3 with how to
    /// get one; a passed deadline is "interrupted" when devenv was, else exit 3 naming the call
    /// and the engine (`notAnswering`). `bounded`: a clean-up call after an interruption, whose
    /// missed deadline stops the rest of the clean-up (`cleanupAbandoned`).
    private func answered<T>(_ invocation: ProcessInvocation, bounded: Bool = false, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DevEnvError where error.message.hasSuffix("command not found") {
            // A file of that name passed over (not executable: `ProgramSearch`) is said, with
            // the runner's way to mend it, rather than "install Docker" over a CLI that is there.
            throw DevEnvError(.noEngine, "the docker CLI \"\(invocation.argv[0])\" was not found",
                              hint: error.detail == nil ? "install Docker (Debian: apt-get install docker.io), or set DEVENV_DOCKER to a docker-compatible CLI" : error.hint,
                              detail: error.detail)
        } catch let expired as ProcessDeadlineExceeded {
            // An interrupted step given up on a silent engine (`interruptedAnswerWait`) is one too.
            if bounded || expired.invocation.interruptedAnswerWait != nil { lock.withLock { cleanupAbandoned = true } }
            // A long call given up on once interrupted (`givenUpOnASilentEngine`): said as such,
            // not as "stopped cleanly": the engine may still finish it. (A step's caller says
            // what its steps did: `DoneSteps`, `ContainerReplacement`.)
            if let signal = context.interruption(), expired.invocation.interruptedAnswerWait != nil, !expired.invocation.runsToItsEnd {
                throw DevEnvError(.interrupted, "interrupted by signal \(signal) while `\(expired.invocation.summary)` ran, \(stoppedWaiting)")
            }
            // Interrupted while waiting: that is the reason, not the engine.
            try checkInterruption()
            throw Self.notAnswering(expired, environment: context.environment)
        }
    }

    /// A clean-up call after an interruption got no answer within its deadline: later ones are
    /// not started (`attempt`).
    private var cleanupAbandoned = false

    /// Whether a clean-up call after an interruption got no answer within the query deadline
    /// (so the rest were not started): what the clean-up left is then not known, and a caller
    /// says so instead of naming steps that "failed" (`ContainerReplacement`'s undo).
    var engineStoppedAnswering: Bool { lock.withLock { cleanupAbandoned } }

    /// A call `begin` started: the caller does other work meanwhile, then takes its answer
    /// with `finish` (what `attempt` would have returned) or ends it with `cancel`; `cancel`
    /// after `finish` does nothing, so a `defer { call.cancel() }` leaves no child running on
    /// any way out.
    final class StartedCall: @unchecked Sendable {
        private let session: DockerSession
        private let invocation: ProcessInvocation
        private let process: (any StartedProcess)?
        private let dryRunAnswer: ProcessResult
        private let lock = Lock()
        private var done = false

        fileprivate init(session: DockerSession, invocation: ProcessInvocation, process: (any StartedProcess)?,
                         dryRunAnswer: ProcessResult = ProcessResult(exitCode: 0)) {
            self.session = session
            self.invocation = invocation
            self.process = process
            self.dryRunAnswer = dryRunAnswer
        }

        private func take() -> Bool {
            lock.withLock { defer { done = true }; return !done }
        }

        /// Waits for the call; throws as `attempt` does (exit 3 past its deadline, interrupted).
        func finish() throws -> ProcessResult {
            guard take() else { throw DevEnvError.failure("internal error: a started docker call was finished twice") }
            guard let process else { return dryRunAnswer }
            return try session.answered(invocation) { try process.finish() }
        }

        func cancel() {
            if take() { process?.cancel() }
        }
    }

    /// `attempt`, started: returns at once while the call runs (two calls that do not depend
    /// on each other then take the time of the longer, not of both). The same path as
    /// `attempt` (`announce`): not after an interruption, echoed under --verbose, counted,
    /// printed and not run under --dry-run. Only a `.capture` call that changes nothing
    /// another running call depends on.
    func begin(_ invocation: ProcessInvocation) throws -> StartedCall {
        try checkInterruption()
        let invocation = Self.prepared(invocation, context: context)
        switch announce(invocation, evenInDryRun: false, ahead: { $0.takeIfSame($1) }) {
        case .planned(let answer):
            return StartedCall(session: self, invocation: invocation, process: nil, dryRunAnswer: answer)
        case .startedAhead(let early):
            return StartedCall(session: self, invocation: invocation, process: early)
        case .runNow:
            return StartedCall(session: self, invocation: invocation,
                               process: try answered(invocation) { try context.runner.start(invocation) })
        }
    }

    /// For a call that runs to its end (`ProcessInvocation.runsToItsEnd`, `patience`): hears
    /// its empty chunks (quiet seconds, and the runner's beat once devenv is interrupted) besides
    /// passing every chunk to `onOutput`, and says once each on the command's console (stderr,
    /// or the dashboard's action pane): a note when devenv was interrupted and waits for the
    /// call (`waitNotice`), a warning once `patience` seconds have passed without an end.
    /// `onOutput` itself for any other call.
    private func waitNotices(_ invocation: ProcessInvocation,
                             _ onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?) -> (@Sendable (OutputChannel, [UInt8]) -> Void)? {
        guard invocation.runsToItsEnd else { return onOutput }
        let context = self.context
        let startedAt = context.clock()
        let (waitSaid, patienceSaid) = (Flag(), Flag())
        return { channel, bytes in
            onOutput?(channel, bytes)
            guard bytes.isEmpty else { return }
            if context.interruption() != nil, waitSaid.setOnce() {
                context.console.writeError(ErrorReport.note(Self.waitNotice(invocation)))
            }
            if let patience = invocation.patience, context.clock() - startedAt >= patience, patienceSaid.setOnce() {
                context.console.writeError(ErrorReport.warning(Self.stillWaiting(invocation, after: patience)))
            }
        }
    }

    /// The warning of a call that runs to its end and has not ended after `patience` seconds,
    /// said as DEVENV_TIMEOUT gave them (`QueryTimeout.display`: whole seconds said "after 0 s"
    /// of DEVENV_TIMEOUT=0.5, and "after 30 s" of 30.5).
    static func stillWaiting(_ invocation: ProcessInvocation, after patience: Double) -> String {
        "still waiting for `\(invocation.summary)` after \(QueryTimeout.display(patience)): the engine "
            + "has not finished it (paused or wedged?); it changes the environment, so devenv lets it finish and then knows what "
            + "it did (DEVENV_TIMEOUT sets when this is said)"
    }

    /// What devenv says when interrupted during a call that runs to its end: which call it waits
    /// for (in a few words, `ProcessInvocation.summary`: its whole line would show every `--env`
    /// value), why, and what Ctrl-C again leaves. Such a call has no deadline (an engine that
    /// does not answer keeps it waiting), unless it is clean-up started after the interruption
    /// (`attempt` gives that the query deadline, said here): the next signal is the way out,
    /// and the next `up` or `down` repairs what it leaves (a recreate's containers under their
    /// temporary names, a created container, a volume or network made meanwhile: `Up.repair`,
    /// `MadeObjects`, `down`).
    static func waitNotice(_ invocation: ProcessInvocation) -> String {
        let most = invocation.deadline.map { " (at most \(QueryTimeout.display($0)))" } ?? ""
        let what = invocation.waitsFor.map { "; \($0)" } ?? ""
        return "interrupted; waiting\(most) for `\(invocation.summary)` to finish (the engine finishes it even if devenv stops waiting\(what)), "
            + "so that devenv knows what it changed before it cleans up; Ctrl-C again stops waiting: "
            + "what the call changed is then not known, and the next `devenv up` or `devenv down` puts it right"
    }

    /// The invocation as it runs: a query (`DockerPlanner.isQuery`) gets the query deadline
    /// (`QueryTimeout`) unless it has its own, and the CLI runtime settings of a query
    /// (`DockerPlanner.queryRuntimeDefaults`); a `docker exec` or `docker run`, interactive or
    /// piped (`devenv exec`, clean-cache's, a lifecycle command's, `test`'s one-off container),
    /// gets the deadline too, with the question that decides whether it may run on past it
    /// (`DockerPlanner.answerCheck`): one on a paused engine otherwise waited for ever, saying
    /// nothing (`clean-cache`, break24; `test`, leftovers25).
    static func prepared(_ invocation: ProcessInvocation, context: AppContext) -> ProcessInvocation {
        var invocation = invocation
        if DockerPlanner.isQuery(invocation.argv) {
            if invocation.deadline == nil { invocation.deadline = DockerPlanner.deadline(for: invocation.argv, queryTimeout: context.queryTimeout) }
            invocation.runtimeDefaults.merge(DockerPlanner.queryRuntimeDefaults) { own, _ in own }
        }
        if invocation.runsToItsEnd, invocation.patience == nil { invocation.patience = context.queryTimeout + invocation.grace }
        if invocation.deadline == nil, !invocation.runsToItsEnd, let check = DockerPlanner.answerCheck(for: invocation.argv) {
            invocation.deadline = context.queryTimeout
            invocation.answerCheck = check
        }
        return invocation
    }

    /// The one container lookup of a command (`docker ps` by exact names; `ContainerLookup`,
    /// `Status`), as `run`: from the call `speculation` started ahead when it is this very call,
    /// else run now (an early one that differs is ended first, unseen). The lookup is
    /// remembered for the next command's early start when it succeeded.
    func lookup(_ query: LookupSpeculation.Query, _ what: String) throws -> ProcessResult {
        try lookup(query, what, interpreting: { _ in () }).result
    }

    /// `lookup`, with its answer (standard output) worked on by `interpret`: while the docker
    /// CLI ends, when the call was started ahead (`StartedProcess.finish(onOutput:whileEnding:)`:
    /// the CLI's exit takes about as long as devenv's work on the answer, issue 14), else once
    /// it ended. Kept only for the very output of a successful call; otherwise worked out again
    /// from the whole output, or not at all (a failed call throws as `lookup` does). `interpret`
    /// only reads and computes: it may run for an answer that is then not the answer.
    func lookup<Answer>(_ query: LookupSpeculation.Query, _ what: String,
                        interpreting interpret: @escaping ([UInt8]) -> Answer) throws -> (result: ProcessResult, answer: Answer) {
        var early: (bytes: Int, answer: Answer)?
        let result = try attempt(query.invocation, cleanup: false, evenInDryRun: false,
                                 ahead: { $0.take(matching: $1) }, onOutput: nil,
                                 whileEnding: { stdout in early = (stdout.count, interpret(stdout)) })
        try checkInterruption()
        guard result.succeeded else { throw DockerFailure.error(what, invocation: Self.prepared(query.invocation, context: context), result: result) }
        if !dryRun { speculation?.remember(query) }
        if let early, early.bytes == result.stdout.count { return (result, early.answer) }
        return (result, interpret(result.stdout))
    }

    /// --verbose: a lookup started ahead ran too, though unused (no error of it is shown).
    private func echoEnded(_ early: ProcessInvocation) {
        if echo { context.console.writeError("+ \(early.shellQuoted)  (started before the configuration was read; not the call needed: ended unused)\n") }
    }

    /// `attempt`, remembered: the same probe is answered from memory for the rest of the command.
    func probe(_ invocation: ProcessInvocation, evenInDryRun: Bool = false) throws -> ProcessResult {
        if let known = probes[invocation.argv] { return known }
        let result = try attempt(invocation, evenInDryRun: evenInDryRun)
        probes[invocation.argv] = result
        return result
    }

    private static let notAnsweringPrefix = "the Docker engine "

    /// Whether `error` is `notAnswering`'s (doctor reports it as a check, not as a missing CLI).
    static func isNotAnswering(_ error: DevEnvError) -> Bool {
        error.exitCode == .noEngine && error.message.hasPrefix(notAnsweringPrefix)
    }

    /// "the Docker engine (unix:///x.sock) did not answer `docker ps ...` within 30 s": exit 3,
    /// the call shortened in the message (its --format templates are long) and whole in the
    /// detail. A call that is a step of devenv's own (`ProcessInvocation.step`: a script the
    /// user needs not read) is named by its CLI, subcommand and step, and not quoted whole.
    static func notAnswering(_ expired: ProcessDeadlineExceeded, environment: [String: String]) -> DevEnvError {
        let engine = EngineEndpoint.resolve(environment: environment, configFile: nil).label
        let which = engine == "default" ? "the default context" : engine
        let invocation = expired.invocation
        let within = QueryTimeout.display(expired.seconds)
        let call: String
        let detail: String
        if let step = invocation.step {
            call = "`\(invocation.argv.prefix(2).map(ShellQuoting.quote).joined(separator: " "))` (\(step))"
            detail = "(no answer within \(within); the call was ended; --verbose prints it whole)"
        } else {
            var words: [String] = []
            var skipNext = false
            for word in invocation.argv {
                if skipNext { words.append("…"); skipNext = false; continue }
                words.append(ShellQuoting.quote(word))
                skipNext = word == "--format"
            }
            call = "`\(words.joined(separator: " "))`"
            detail = "$ \(invocation.shellQuoted)\n(no answer within \(within); the call was ended)"
        }
        // Stopped across the deadline, devenv read on and gave up on a call that kept writing:
        // said, for it is not what the hint below suspects.
        return DevEnvError(.noEngine,
                           "\(notAnsweringPrefix)(\(which)) did not answer \(call) within \(within)"
                               + (expired.stillWriting.map { " (\($0))" } ?? ""),
                           hint: "is dockerd paused, stopped or overloaded? `docker info` shows whether it answers; "
                               + "\(QueryTimeout.variable)=SECONDS waits longer",
                           detail: detail)
    }

    /// Runs and throws unless it succeeded. `cleanup`: as `attempt`'s (it runs after an
    /// interruption too, and an interruption is not what it throws).
    @discardableResult
    func run(_ invocation: ProcessInvocation, _ what: String, cleanup: Bool = false,
             onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)? = nil) throws -> ProcessResult {
        let result = try attempt(invocation, cleanup: cleanup, onOutput: onOutput)
        // A call cut short by Ctrl-C failed because of it: say "interrupted", not its exit code.
        if !cleanup { try checkInterruption() }
        guard result.succeeded else { throw DockerFailure.error(what, invocation: invocation, result: result) }
        return result
    }

    /// Seconds a step under way is given after an interruption before devenv asks whether the
    /// engine answers at all, and the question as long (`ProcessInvocation.interruptedAnswerWait`;
    /// at most DEVENV_TIMEOUT): a frozen engine ends devenv within about twice this.
    static let interruptedWait = 3.0

    /// `invocation` as a step that runs to its end (`ProcessInvocation.toItsEnd`: a signal ends
    /// the docker CLI, not the engine's work, so what it did must be known), but not on an
    /// engine that has stopped answering: once devenv is interrupted it is given
    /// `interruptedWait` (at most DEVENV_TIMEOUT), then the engine is asked whether it answers
    /// (`DockerPlanner.engineAnswers`, as long); no answer ends it (`engineStoppedAnswering`,
    /// said with `stoppedWaiting`). A user who pressed Ctrl-C or sent SIGTERM is not kept
    /// waiting on a paused dockerd (mend27b: `down`, `restart`; mend28: `up`'s swap).
    func stepToItsEnd(_ invocation: ProcessInvocation) -> ProcessInvocation {
        givenUpOnASilentEngine(invocation.toItsEnd)
    }

    /// `invocation`, given `interruptedWait` (at most DEVENV_TIMEOUT) once devenv is
    /// interrupted, then ended when the engine does not answer the question as long
    /// (`DockerPlanner.engineAnswers`); it runs on when the engine answers. Nothing changes
    /// while devenv is not interrupted. Steps (`stepToItsEnd`) and the long calls that have no
    /// deadline (`attempt`) take it.
    private func givenUpOnASilentEngine(_ invocation: ProcessInvocation) -> ProcessInvocation {
        var call = invocation
        if let cli = invocation.argv.first {
            call.answerCheck = DockerPlanner.engineAnswers(cli: cli)
            call.interruptedAnswerWait = min(Self.interruptedWait, context.queryTimeout)
        }
        return call
    }

    /// What an interrupted step given up on a silent engine (`stepToItsEnd`) is said as, after
    /// "while WHAT": "which devenv stopped waiting for: the engine did not answer ...".
    var stoppedWaiting: String {
        "which devenv stopped waiting for: the engine did not answer (no reply within "
            + "\(QueryTimeout.display(min(Self.interruptedWait, context.queryTimeout))); paused or wedged?), and may still finish it once it answers"
    }

    /// After Ctrl-C (or SIGTERM) the running docker call has ended; stop before the next one.
    func checkInterruption() throws {
        if let signal = context.interruption() {
            throw DevEnvError.interrupted(by: signal)
        }
    }
}

extension DevEnvError {
    static func interrupted(by signal: Int32) -> DevEnvError {
        DevEnvError(.interrupted, "interrupted by signal \(signal); stopped cleanly")
    }
}

/// True the first time it is asked, false after: a notice said once, whichever thread asks.
private final class Flag: @unchecked Sendable {
    private let lock = Lock()
    private var set = false

    func setOnce() -> Bool {
        lock.withLock { () -> Bool in
            if set { return false }
            set = true
            return true
        }
    }
}
