/// How a child process meets the terminal.
public enum ProcessIO: Sendable, Hashable {
    /// stdout and stderr are collected and returned; stdin is /dev/null unless `input` is given.
    case capture
    /// Output is passed to the caller chunk by chunk as it arrives (build progress, `logs -f`);
    /// stderr is also kept for the error message.
    case stream
    /// The child inherits stdin, stdout and stderr and runs in the foreground (`shell`, `exec`).
    case interactive
}

/// One process to run, as a value: argv, never a shell string. Planners build these; only a
/// `ProcessRunning` carries them out, and `--dry-run` prints `shellQuoted`.
public struct ProcessInvocation: Sendable, Hashable, CustomStringConvertible {
    /// argv[0] is the program: a path, or a name looked up in PATH.
    public var argv: [String]
    /// Set on top of the inherited environment.
    public var environment: [String: String]
    public var workingDirectory: String?
    public var io: ProcessIO
    /// Bytes written to stdin (for `.capture` and `.stream`).
    public var input: [UInt8]?
    /// Seconds the child may run; nil: as long as it takes (a build, `logs -f`, a shell). When
    /// they pass, the runner ends the child (SIGTERM, then SIGKILL after a short grace) and
    /// throws `ProcessDeadlineExceeded`. Docker queries get one (`DockerPlanner.isQuery`,
    /// `QueryTimeout`).
    public var deadline: Double?
    /// For `.capture` and `.stream`: the deadline ends with the child's first output byte. Its
    /// output shows the engine answered; after that the child may take as long as its reader
    /// does (`devenv logs | less` blocks docker on the pipe for as long as the user reads).
    public var deadlineEndsWithOutput = false
    /// For `.capture`: the child is ended (SIGTERM, then SIGKILL after a grace) as soon as its
    /// stdout holds one whole line, and the result is what was read by then (its exit code is
    /// the child's: 143 after SIGTERM). For a stream where any line is the answer, such as
    /// `docker events --until` filtered to the one event a caller waits for: it need not wait
    /// out the rest of the window (issue 14, services up).
    public var endsAtFirstLine = false
    /// For `.stream`: the child is ended (SIGTERM, then SIGKILL after a grace) when devenv's own
    /// stdout stops taking output (a pipe whose reader left: `devenv logs -f | head -1`, a
    /// terminal that hung up, or a write that failed: a full disk), and the call's exit code is then 141 (128+SIGPIPE, what a shell
    /// reports of a writer whose pipe was closed). devenv ignores SIGPIPE, so that `devenv up |
    /// head` does not die mid-step (main.swift): a follow writing into a closed pipe would
    /// otherwise run for as long as the container does, printing nowhere.
    public var endsWhenOutputCloses = false
    /// With a `deadline`: when the child still runs as the deadline passes (piped: with
    /// nothing to read then), this command (argv; the invocation's environment and folder) is
    /// run once with the same deadline. Ended in time, it shows the engine answers: the child
    /// then runs on with no deadline. Not ended in time: the child is ended too, and
    /// `ProcessDeadlineExceeded` is thrown. Why: a command in a container may be quiet for
    /// long (and an interactive one shows nothing devenv can see: `docker exec` hands the
    /// terminal over), so a long command and a frozen engine look alike until the engine is
    /// asked (`DockerPlanner.answerCheck`).
    public var answerCheck: [String]?
    /// Environment variables that tune how the child runs without changing what it does: set
    /// only where neither devenv's own environment nor `environment` sets them (the user's
    /// setting wins), and not printed by `shellQuoted` (the printed call does the same thing
    /// without them). Docker queries get `DockerPlanner.queryRuntimeDefaults`.
    public var runtimeDefaults: [String: String] = [:]
    /// A step whose outcome devenv must know before it goes on (the calls of a recreate's
    /// swap: create, rename, stop, start, remove): a signal ends the CLI, not the engine's
    /// work, so a `docker stop` cut short by Ctrl-C still stopped the container seconds later,
    /// after devenv had undone the swap and said the previous container ran again. Such a
    /// child is not sent the first SIGINT, SIGTERM, SIGHUP or SIGQUIT devenv gets and runs in a process
    /// group of its own (the terminal's Ctrl-C does not reach it): devenv says it waits for
    /// it, and acts on the interruption once it has ended. A second signal reaches it (an
    /// engine that does not answer). For `.capture` and `.stream`.
    public var runsToItsEnd = false
    /// For a call that runs to its end: seconds after which, while it still runs, devenv says
    /// once what it waits for (`DockerSession` sets the query timeout, DEVENV_TIMEOUT). Such a
    /// call has no deadline, so a paused or wedged engine would otherwise hold `up` silent for
    /// ever; it is not ended either (what it changed must be known).
    public var patience: Double?
    /// For a call that runs to its end and has no deadline, with an `answerCheck`: seconds it is
    /// given once devenv is interrupted before the engine is asked whether it answers at all
    /// (the question gets as long). No answer: the call is ended and `ProcessDeadlineExceeded`
    /// thrown, so a frozen engine does not keep a user who asked devenv to stop (`down`'s and
    /// `restart`'s steps: `DoneSteps`); an answer: it runs on to its end. Nil: no limit.
    public var interruptedAnswerWait: Double?
    /// What the call itself waits for, in the user's words, when that is more than the engine's
    /// answer (`docker stop`: the container's process, up to its stop timeout); said in the
    /// notice of a wait after an interruption. Nil: nothing more than the answer.
    public var waitsFor: String?
    /// The step the call is, in the user's words, said in an error about it in place of its
    /// whole line (`clean-cache in NAME`): set where that line holds a script of devenv's own,
    /// which tells the user nothing they can act on, or every `--env` value of the profile
    /// (`test`'s one-off container) (`--verbose` and `--dry-run` still print it). Nil: errors
    /// quote the line.
    public var step: String?
    /// Seconds the engine may rightly spend on this call beyond an answer's usual time, added
    /// to `patience` when `DockerSession` sets it: a stop waits up to the container's stop
    /// timeout for its process to end (`DockerPlanner.stop`). 0 for every other call.
    public var grace: Double = 0

    /// This invocation marked to run to its end (`runsToItsEnd`): a recreate's swap steps,
    /// `down`'s and `restart`'s steps, an `up`'s creates.
    public var toItsEnd: ProcessInvocation {
        var marked = self
        marked.runsToItsEnd = true
        return marked
    }

    public init(_ argv: [String], environment: [String: String] = [:], workingDirectory: String? = nil,
                io: ProcessIO = .capture, input: [UInt8]? = nil, deadline: Double? = nil) {
        self.argv = argv
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.io = io
        self.input = input
        self.deadline = deadline
    }

    /// The child's environment: `inherited` (devenv's own), `runtimeDefaults` where it has no
    /// value, then `environment` on top.
    public func childEnvironment(inheriting inherited: [String: String]) -> [String: String] {
        var child = inherited
        for (key, value) in runtimeDefaults where child[key] == nil { child[key] = value }
        for (key, value) in environment { child[key] = value }
        return child
    }

    /// The command as a POSIX shell would need it typed: environment assignments first, each
    /// word quoted only when it must be.
    public var shellQuoted: String {
        let env = environment.keys.sorted().map { "\($0)=\(ShellQuoting.quote(environment[$0] ?? ""))" }
        return (env + argv.map(ShellQuoting.quote)).joined(separator: " ")
    }

    public var description: String { shellQuoted }

    /// The call in a few words, for a notice about it: the program's name, its subcommand and
    /// what it acts on (`docker create --name NAME`, `docker rename 0123456789ab NAME`,
    /// `docker stop 0123456789ab`: the name after `--name`, else the last argument, the last
    /// two for a rename; a 64-hex ID cut to 12), shell-quoted. Never its options' values: a
    /// `docker create` line holds every `--env` value of the profile, secrets included.
    public var summary: String {
        guard let program = argv.first else { return "" }
        var words = [String(program.split(separator: "/").last ?? Substring(program))]
        guard argv.count > 1 else { return ShellQuoting.quote(words[0]) }
        words.append(argv[1])
        if let at = argv.firstIndex(of: "--name"), at + 1 < argv.count {
            words += ["--name", argv[at + 1]]
        } else if argv.count > 2 {
            words += argv.suffix(argv[1] == "rename" && argv.count > 3 ? 2 : 1).map { word in
                word.count == 64 && word.allSatisfy(\.isHexDigit) ? String(word.prefix(12)) : word
            }
        }
        return words.map(ShellQuoting.quote).joined(separator: " ")
    }
}
