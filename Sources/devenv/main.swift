import DevEnvApp
import DevEnvCore
import DevEnvSystem
#if canImport(Glibc)
import Glibc
#endif

// Before anything is opened: a closed 0, 1 or 2 is held by /dev/null, so that no file or pipe
// devenv opens takes its number.
let closedStreams = StandardStreams.reserve()
// `status`'s docker calls, when the constructor of DevEnvPrestart started them (prestart.c).
let prestarted = PrestartedCalls.taken()
// The real environment: posix_spawn for children, the real file system and terminal, and
// interruption handlers installed before anything can be half-done.
ChildProcesses.installInterruptionHandlers(adopting: prestarted)
// `devenv up 2>&1 | head` must not kill devenv mid-operation: a closed pipe is a failed write.
signal(SIGPIPE, SIG_IGN)
let environment = SystemEnvironment.variables()
var runner = PosixProcessRunner(environment: environment)
runner.prestarted = prestarted
var context = AppContext(
    environment: environment,
    currentDirectory: SystemEnvironment.currentDirectory(),
    executablePath: SystemEnvironment.executablePath(),
    runner: runner,
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
// The calls started before the runtime that were not this command's are ended now, unseen; the
// record for the next `status` is written unless every call it started was one of them.
context.earlyCallsStarted = { [runner] started, record, repeatable in
    let adoptedAll = prestarted.map { $0.endRest() == 0 && $0.adopted == started.count } ?? false
    guard repeatable, !adoptedAll else { return }
    guard let key = PrestartRecord.Key.ofThisProcess() else { return }
    let folder = String(record[..<(record.lastIndex(of: "/") ?? record.startIndex)])
    PrestartRecord.keep(started.map(runner.prestartCall), key: key, watched: [record], in: folder)
}
let status = App.run(Array(CommandLine.arguments.dropFirst()), context: context)
// Any left (the command started no early call): ended before devenv ends.
prestarted?.endRest()
// For `make bench`: devenv's own peak memory, without the docker CLI it ran.
if environment["DEVENV_REPORT_MAXRSS"] == "1" {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    SystemConsole().writeError("devenv: max rss \(usage.ru_maxrss) KiB\n")
}
exit(status)
