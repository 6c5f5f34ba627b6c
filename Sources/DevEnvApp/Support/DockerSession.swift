import DevEnvCore

/// Carries out docker invocations for one command: with `--dry-run` it prints each one
/// (shell-quoted, one a line) and runs none, answering as if nothing existed yet, so the
/// printed plan is the whole from-scratch plan. A failed call becomes a DevEnvError with the
/// argv and docker's stderr.
final class DockerSession: @unchecked Sendable {
    let context: AppContext
    let dryRun: Bool
    private(set) var callCount = 0

    /// --verbose: each docker command line on stderr before it runs.
    let echo: Bool
    /// Answers to questions about the CLI and engine (version, buildx, info) by argv: asked
    /// once per command however often the command needs them.
    private var probes: [[String]: ProcessResult] = [:]

    init(context: AppContext, dryRun: Bool, echo: Bool = false) {
        self.context = context
        self.dryRun = dryRun
        self.echo = echo
    }

    /// Runs and returns the result whatever the exit code (the caller decides). Once devenv was
    /// interrupted no new call starts, except clean-up (`cleanup: true`).
    func attempt(_ invocation: ProcessInvocation, cleanup: Bool = false,
                 onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)? = nil) throws -> ProcessResult {
        if !cleanup { try checkInterruption() }
        callCount += 1
        if dryRun {
            context.console.write(invocation.shellQuoted + "\n")
            // "Not found" for inspections; success with no output for everything else.
            let isInspection = invocation.argv.dropFirst().starts(with: ["image", "inspect"])
            return ProcessResult(exitCode: isInspection ? 1 : 0)
        }
        if echo { context.console.writeError("+ \(invocation.shellQuoted)\n") }
        do {
            return try context.runner.run(invocation, onOutput: onOutput)
        } catch let error as DevEnvError where error.message.hasSuffix("command not found") {
            throw DevEnvError(.noEngine, "the docker CLI \"\(invocation.argv[0])\" was not found",
                              hint: "install Docker (Debian: apt-get install docker.io), or set DEVENV_DOCKER to a docker-compatible CLI")
        }
    }

    /// `attempt`, remembered: the same probe is answered from memory for the rest of the command.
    func probe(_ invocation: ProcessInvocation) throws -> ProcessResult {
        if let known = probes[invocation.argv] { return known }
        let result = try attempt(invocation)
        probes[invocation.argv] = result
        return result
    }

    /// Runs and throws unless it succeeded.
    @discardableResult
    func run(_ invocation: ProcessInvocation, _ what: String,
             onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)? = nil) throws -> ProcessResult {
        let result = try attempt(invocation, onOutput: onOutput)
        // A call cut short by Ctrl-C failed because of it: say "interrupted", not its exit code.
        try checkInterruption()
        guard result.succeeded else { throw DockerFailure.error(what, invocation: invocation, result: result) }
        return result
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
