#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process-wide state the signal handlers need. A handler cannot capture context, so this
/// lives in static storage, written while no handler can run (before they are installed) and
/// read by handlers with async-signal-safe calls only: tcsetattr, write, sigaction, raise,
/// sigprocmask.
///
/// What a handler reads or writes lives in memory allocated once (`record`), not in Swift
/// static `var`s: those are checked for exclusive access at run time, and a handler's access
/// landing inside the main thread's access of the same variable traps the process (found in
/// `ChildProcesses`' handler by a full CI run: "Simultaneous accesses", SIGABRT). A pointer's
/// `pointee` is not checked. `installAll` touches `record` first, so no lazy initialisation
/// runs in a handler.
enum TerminalSignalState {
    /// What the handlers read and write (`SignalHandlerRecord`: one record for them and
    /// `ChildProcesses`' handler).
    nonisolated(unsafe) static let record = SignalHandlerRecord.shared
    nonisolated(unsafe) static let restoreBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: byteCapacity)
    nonisolated(unsafe) static let enterBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: byteCapacity)
    /// Signal numbers run 1...64 on Linux; index 0 is unused.
    static let signalSlots = 65
    /// The actions that were in place before ours, by signal number. Initialised when
    /// allocated: a handler may read them, and uninitialised memory is not "not installed".
    nonisolated(unsafe) static let previousActions: UnsafeMutablePointer<sigaction> = {
        let actions = UnsafeMutablePointer<sigaction>.allocate(capacity: signalSlots)
        actions.initialize(repeating: sigaction(), count: signalSlots)
        return actions
    }()
    /// Whether `previousActions[sig]` holds what was there before ours (ours is installed).
    nonisolated(unsafe) static let installed: UnsafeMutablePointer<Bool> = {
        let flags = UnsafeMutablePointer<Bool>.allocate(capacity: signalSlots)
        flags.initialize(repeating: false, count: signalSlots)
        return flags
    }()

    static let byteCapacity = 512
    static func setBytes(_ bytes: [UInt8], _ target: UnsafeMutablePointer<UInt8>) -> Int {
        let n = min(bytes.count, byteCapacity)
        for k in 0..<n { target[k] = bytes[k] }
        return n
    }

    /// Leaves raw mode, then the screen modes (ratatui's order). Idempotent.
    static func restoreNow() {
        guard record.pointee.active == 1 else { return }
        record.pointee.active = 0
        _ = tcsetattr(record.pointee.terminalFD, TCSANOW, &record.pointee.saved)
        writeAll(restoreBytes, record.pointee.restoreCount)
    }

    /// Raw mode and screen modes back on, after a stop or a child.
    static func reenterNow() {
        guard record.pointee.active == 0, record.pointee.terminalFD >= 0 else { return }
        _ = tcsetattr(record.pointee.terminalFD, TCSANOW, &record.pointee.raw)
        writeAll(enterBytes, record.pointee.enterCount)
        record.pointee.active = 1
    }

    static func writeAll(_ p: UnsafeMutablePointer<UInt8>, _ count: Int) {
        var done = 0
        var attempts = 0
        while done < count && attempts < 100 {
            let n = write(record.pointee.outputFD, p + done, count - done)
            if n > 0 { done += n } else if n < 0 && errno != EINTR && errno != EAGAIN { return }
            attempts += 1
        }
    }

    static func wake(_ byte: UInt8) {
        guard record.pointee.wakeWriteFD >= 0 else { return }
        var b = byte
        _ = write(record.pointee.wakeWriteFD, &b, 1)
    }

    /// Whether `sig` was ignored before we came (nohup, a job started with SIGINT ignored).
    static func wasIgnored(_ sig: Int32) -> Bool {
        guard installed[Int(sig)] else { return false }
        #if canImport(Glibc)
        let handler = previousActions[Int(sig)].__sigaction_handler.sa_handler
        #else
        let handler = previousActions[Int(sig)].__sigaction_u.__sa_handler
        #endif
        return unsafeBitCast(handler, to: Int.self) == 1 // SIG_IGN
    }

    /// An alternate stack, so the crash handler still runs after a stack overflow.
    static func installAlternateStack() {
        let size = 64 * 1024
        var stack = stack_t()
        stack.ss_sp = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
        stack.ss_size = size
        stack.ss_flags = 0
        _ = sigaltstack(&stack, nil)
    }

    nonisolated(unsafe) static var alternateStackInstalled = false

    static func setAction(_ sig: Int32, _ handler: (@convention(c) (Int32) -> Void)?, onAlternateStack: Bool = false) {
        var action = sigaction()
        if let handler {
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = handler
            #else
            action.__sigaction_u.__sa_handler = handler
            #endif
        } else {
            #if canImport(Glibc)
            action.__sigaction_handler.sa_handler = SIG_DFL
            #else
            action.__sigaction_u.__sa_handler = SIG_DFL
            #endif
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = SA_RESTART | (onAlternateStack ? SA_ONSTACK : 0)
        _ = sigaction(sig, &action, nil)
    }

    /// Installs `handler` for `sig`, remembering what was there the first time.
    static func install(_ sig: Int32, _ handler: @convention(c) (Int32) -> Void, onAlternateStack: Bool = false) {
        if !installed[Int(sig)] {
            _ = sigaction(sig, nil, previousActions + Int(sig))
            installed[Int(sig)] = true
        }
        setAction(sig, handler, onAlternateStack: onAlternateStack)
    }

    static func uninstall(_ sig: Int32) {
        guard installed[Int(sig)] else { return }
        _ = sigaction(sig, previousActions + Int(sig), nil)
        installed[Int(sig)] = false
    }

    static let terminating: [Int32] = ChildProcesses.forwarded
    /// A crash (runtime trap, abort, bad access) or a fault of devenv's own (`ChildProcesses.ownFaults`).
    static let fatal: [Int32] = [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE] + ChildProcesses.ownFaults
    /// The other signals whose default action ends the process (signal(7)): nobody asks the
    /// dashboard to quit with them, but `kill -USR1` or a stray alarm ended it with the
    /// terminal raw, on the alternate screen, its docker streams running on (regress26). They
    /// restore, end the children and die of the same signal, as the quit signals do when
    /// `signalsQuit` is off. Outside the dashboard they interrupt devenv as SIGTERM does (`ChildProcesses.otherEnding`).
    static let otherEnding: [Int32] = ChildProcesses.otherEnding

    /// Raw mode back on (the terminal's modes only), from a handler.
    static func reenterModes() { _ = tcsetattr(record.pointee.terminalFD, TCSANOW, &record.pointee.raw) }

    static func installAll(signalsQuit: Bool = false) {
        _ = (record, restoreBytes, enterBytes, previousActions, installed) // allocated now, not first in a handler
        if !alternateStackInstalled {
            // Per thread; this covers the loop's thread, where a crash is most likely.
            installAlternateStack()
            alternateStackInstalled = true
        }
        for sig in terminating {
            install(sig, signalsQuit ? onQuitSignal : onTerminatingSignal)
            if wasIgnored(sig) { uninstall(sig) } // keep what nohup and friends asked for
        }
        for sig in fatal {
            install(sig, onFatalSignal, onAlternateStack: true)
            // An ignored SIGXFSZ makes a write past the limit fail (EFBIG) instead: kept.
            if ChildProcesses.ownFaults.contains(sig) && wasIgnored(sig) { uninstall(sig) }
        }
        // Only where devenv took them at start (`ChildProcesses.endingHandled`): not ignored (nohup), nor someone's handler (a profiler's SIGPROF).
        for sig in otherEnding where ChildProcesses.endingHandled.contains(sig) { install(sig, onTerminatingSignal) }
        install(SIGTSTP, onStopSignal)
        install(SIGCONT, onContinueSignal)
        install(SIGWINCH, onResizeSignal)
    }

    static func uninstallAll() {
        for sig in terminating + fatal + otherEnding + [SIGTSTP, SIGCONT, SIGWINCH] { uninstall(sig) }
    }
}

// The handlers. Each saves and restores errno, as a handler must.

/// SIGINT, SIGTERM, SIGHUP, SIGQUIT: restore, end the children devenv tracks (docker streams
/// and calls, which would otherwise run on under PID 1), then die of the same signal with its
/// default action (the parent sees the real cause).
private func onTerminatingSignal(_ sig: Int32) {
    TerminalSignalState.restoreNow()
    ChildProcesses.signalTrackedFromHandler(SIGTERM)
    TerminalSignalState.setAction(sig, nil)
    _ = raise(sig) // pending until the handler returns, then the default action
}

/// A crash (Swift runtime trap, abort, bad access): restore, give the signal back to whoever
/// had it before (the Swift backtracer, or the default action) and raise it again.
private func onFatalSignal(_ sig: Int32) {
    let savedErrno = errno
    TerminalSignalState.restoreNow()
    ChildProcesses.signalTrackedFromHandler(SIGTERM)
    if TerminalSignalState.installed[Int(sig)] {
        _ = sigaction(sig, TerminalSignalState.previousActions + Int(sig), nil)
        TerminalSignalState.installed[Int(sig)] = false
    } else {
        TerminalSignalState.setAction(sig, nil)
    }
    _ = raise(sig)
    errno = savedErrno
}

/// SIGINT, SIGTERM, SIGHUP, SIGQUIT with `signalsQuit`: ask the loop to quit its normal way (it
/// interrupts running work, waits for its clean-up, restores, exits 128+N). A second one while
/// that runs means "now": restore and die.
private func onQuitSignal(_ sig: Int32) {
    let savedErrno = errno
    if TerminalSignalState.record.pointee.quitRequested != 0 {
        onTerminatingSignal(sig)
    } else {
        TerminalSignalState.record.pointee.quitRequested = sig
        TerminalSignalState.wake(0x51)
    }
    errno = savedErrno
}

/// SIGTSTP (from ^Z via `TerminalSession.suspend()`, or `kill -TSTP`): restore, stop for real,
/// and when continued put raw mode and the screen modes back and ask for a full redraw.
private func onStopSignal(_ sig: Int32) {
    let savedErrno = errno
    let wasActive = TerminalSignalState.record.pointee.active == 1 || TerminalSignalState.record.pointee.reenterAfterStop == 1
    TerminalSignalState.record.pointee.reenterAfterStop = 0
    TerminalSignalState.restoreNow()
    TerminalSignalState.setAction(SIGTSTP, nil)
    var set = sigset_t()
    sigemptyset(&set)
    sigaddset(&set, SIGTSTP)
    _ = sigprocmask(SIG_UNBLOCK, &set, nil)
    _ = raise(SIGTSTP) // stops here until SIGCONT
    TerminalSignalState.setAction(SIGTSTP, onStopSignal)
    if wasActive { TerminalSignalState.reenterNow() }
    TerminalSignalState.wake(0x43)
    errno = savedErrno
}

/// SIGCONT: a stop we did not see coming (SIGSTOP, a debugger) may have left the terminal in
/// the shell's modes: put ours back when we are active, and ask for a full redraw.
private func onContinueSignal(_ sig: Int32) {
    let savedErrno = errno
    TerminalSignalState.record.pointee.continuations &+= 1
    TerminalSignalState.record.pointee.lastContinuedAt = MonotonicClock.seconds()
    if TerminalSignalState.record.pointee.active == 1 {
        TerminalSignalState.reenterModes()
        TerminalSignalState.writeAll(TerminalSignalState.enterBytes, TerminalSignalState.record.pointee.enterCount)
    }
    TerminalSignalState.wake(0x43)
    errno = savedErrno
}

private func onResizeSignal(_ sig: Int32) {
    let savedErrno = errno
    TerminalSignalState.wake(0x57)
    errno = savedErrno
}

/// SIGINT and SIGQUIT while a child has the terminal: the child gets them too and decides;
/// we must survive. A handler (unlike SIG_IGN) is reset to default in the child by exec.
func onSignalWhileAway(_ sig: Int32) {}
