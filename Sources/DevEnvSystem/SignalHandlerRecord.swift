#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything devenv's signal handlers read or write, for both of them: the interruption
/// handler (`ChildProcesses`) and the terminal's handlers (`TerminalSignalState`). One record of
/// plain stored fields in memory allocated once (`shared`), read and written as
/// `shared.pointee.FIELD` (each file names `shared` once), with no accessor layer in between.
///
/// Why this form, and not Swift global or static `var`s: those are checked for exclusive
/// access at run time, and a handler's write landing inside the main thread's read of the
/// same variable trapped devenv ("Simultaneous accesses ... requires exclusive access",
/// SIGABRT; a full CI run, Ctrl-C during a first up). A pointer's `pointee` is not checked.
/// Why no generics, key paths or closures anywhere on a handler's path (a generic accessor
/// over a key path would have spared the per-field accessors both files had): in a build
/// without specialisation they instantiate type metadata under the Swift runtime's lock,
/// which is not async-signal-safe, and a signal landing while that lock was held deadlocked
/// devenv for good (45b6a46: gdb showed the handler waiting for the lock it interrupted).
/// `ChildProcesses.installInterruptionHandlers` and `TerminalSignalState.installAll` touch
/// `shared` before installing, so no lazy initialisation runs in a handler.
struct SignalHandlerRecord {
    // The interruption handler's (`ChildProcesses`).

    /// The interrupting signal received last (SIGINT, SIGTERM, SIGHUP, SIGQUIT); 0: none.
    var receivedSignal: Int32 = 0
    /// Interruptions so far (signals, `interruptAll`): from the second on, children that run
    /// to their end are sent them too.
    var interruptions: Int32 = 0
    /// Counts the signals the handler passed on, and the last one: a child registered while
    /// one was under way may have been missed (`ChildProcesses.spawnTracked`).
    var forwardGeneration: Int = 0
    var lastForwarded: Int32 = 0
    /// SIGCONTs so far: devenv was stopped (Ctrl-Z, `kill -STOP`) and went on. Both SIGCONT
    /// handlers count them (`ChildProcesses.continuations`).
    var continuations: Int = 0
    /// When devenv last went on after a stop (the last SIGCONT), in `MonotonicClock` seconds; 0:
    /// never. A call's deadline that passed before it was stopped across (`PosixProcessRunner.collect`).
    var lastContinuedAt: Double = 0
    /// Readings of the configuration under way (`ChildProcesses.readingConfiguration`), and
    /// spawns under way on any thread (`ChildProcesses.spawnTracked`, before the child is in
    /// its slot): while the first is above 0 and nothing else runs, an interrupting signal
    /// ends devenv at once.
    var readingConfiguration: Int32 = 0
    /// 1: the command only reads (`ChildProcesses.commandOnlyReads`): what the handler says then.
    var commandOnlyReads: Int32 = 0
    var spawnsUnderWay: Int32 = 0

    // The terminal's handlers (`TerminalSignalState`).

    /// The terminal devenv reads (raw mode is set on it) and the one it draws on.
    var terminalFD: Int32 = -1
    var outputFD: Int32 = -1
    /// The terminal's modes before raw mode, and raw mode's.
    var saved = termios()
    var raw = termios()
    /// 1 while raw mode and the screen modes are on.
    var active: Int32 = 0
    /// Bytes in `TerminalSignalState.restoreBytes` and `enterBytes`.
    var restoreCount = 0
    var enterCount = 0
    /// Write end of the wake pipe: 'W' after SIGWINCH, 'C' after SIGCONT.
    var wakeWriteFD: Int32 = -1
    /// 1 when ^Z restored the terminal before stopping the process group: the stop handler
    /// re-enters on continue although the session was no longer active when it ran.
    var reenterAfterStop: Int32 = 0
    /// The signal (SIGINT, SIGTERM, SIGHUP, SIGQUIT) that asked the loop to quit; 0 while none did.
    var quitRequested: Int32 = 0

    /// The one record, allocated and initialised once.
    nonisolated(unsafe) static let shared: UnsafeMutablePointer<SignalHandlerRecord> = {
        let record = UnsafeMutablePointer<SignalHandlerRecord>.allocate(capacity: 1)
        record.initialize(to: SignalHandlerRecord())
        return record
    }()
}
