import DevEnvApp
import DevEnvCore
import DevEnvSystem
#if canImport(Glibc)
import Glibc
#endif

// Before anything is opened: a closed 0, 1 or 2 is held by /dev/null, so that no file or pipe
// devenv opens takes its number.
let closedStreams = StandardStreams.reserve()
// The real environment: posix_spawn for children, the real file system and terminal, and
// interruption handlers installed before anything can be half-done.
ChildProcesses.installInterruptionHandlers()
// `devenv up 2>&1 | head` must not kill devenv mid-operation: a closed pipe is a failed write.
signal(SIGPIPE, SIG_IGN)
let environment = SystemEnvironment.variables()
var context = AppContext(
    environment: environment,
    currentDirectory: SystemEnvironment.currentDirectory(),
    executablePath: SystemEnvironment.executablePath(),
    runner: PosixProcessRunner(environment: environment),
    fileSystem: LocalFileSystem(),
    console: SystemConsole(outputWasClosed: closedStreams.output),
    hostFacts: { HostFactsReader.read(projectDirectory: $0, environment: environment) },
    clock: MonotonicClock.seconds,
    lockProject: { try ProjectLock.acquire(projectRoot: $0, environment: environment, onWait: $1) },
    interruption: { ChildProcesses.interruption },
    dashboard: { try DashboardLoop.run(context: $0, options: $1) },
    portHolder: { HostPortProbe.holder(of: $0) },
    stateFolder: { try ProjectLock.directory(environment) })
context.continuations = { ChildProcesses.continuations }
context.interruptionCount = { ChildProcesses.interruptions }
context.pause = { MonotonicClock.sleep(seconds: $0) }
// A configuration that refers to a host variable that is not UTF-8 is refused (exit 2).
context.undecodableEnvironment = Set(SystemEnvironment.verbatim.keys)
context.argumentLimit = SystemEnvironment.argumentLimit()
context.credentials = SystemEnvironment.credentials()
context.readingConfiguration = { ChildProcesses.readingConfiguration($0) }
context.commandOnlyReads = { ChildProcesses.commandOnlyReads($0) }
context.randomToken = { SystemEnvironment.randomToken() }
context.processStart = { ProcessStart.of($0) }
context.wallClock = { WallClock.nanoseconds() }
let status = App.run(Array(CommandLine.arguments.dropFirst()), context: context)
// For `make bench`: devenv's own peak memory, without the docker CLI it ran.
if environment["DEVENV_REPORT_MAXRSS"] == "1" {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    SystemConsole().writeError("devenv: max rss \(usage.ru_maxrss) KiB\n")
}
exit(status)
