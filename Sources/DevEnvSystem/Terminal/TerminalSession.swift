#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TerminalUI

/// The terminal while a full-screen program owns it: raw mode as cfmakeraw does, the alternate
/// screen, a hidden cursor, bracketed paste and optionally SGR mouse reporting. Everything it
/// switches on is switched off again on every way out: `restore()` (idempotent), exit(),
/// SIGINT/SIGTERM/SIGHUP/SIGQUIT, a crash (runtime trap, abort, bad access), and around a
/// suspend. Only one session is active in a process at a time.
///
/// With `signalsQuit`, SIGINT, SIGTERM, SIGHUP and SIGQUIT do not kill the process: they wake
/// the event loop, which ends through the program's normal quit path (see `takeWakeups`); a
/// second one while that runs restores and kills as without. Crash signals always restore and
/// die.
public final class TerminalSession {
    public struct Modes: Sendable {
        public var mouse: Bool
        public var bracketedPaste: Bool
        public init(mouse: Bool = false, bracketedPaste: Bool = true) {
            self.mouse = mouse
            self.bracketedPaste = bracketedPaste
        }
    }

    public let inputFD: Int32
    public let outputFD: Int32
    public let modes: Modes
    public let signalsQuit: Bool
    private var wakeReadFD: Int32 = -1

    public init(inputFD: Int32 = 0, outputFD: Int32 = 1, modes: Modes = Modes(), signalsQuit: Bool = false) {
        self.inputFD = inputFD
        self.outputFD = outputFD
        self.modes = modes
        self.signalsQuit = signalsQuit
    }

    public static func isTerminal(_ fd: Int32) -> Bool { isatty(fd) == 1 }

    /// The colour mode for this process's terminal, or `TerminalRefusal` when stdin/stdout is
    /// not a terminal or TERM is dumb.
    public static func colorMode(environment: [String: String], inputFD: Int32 = 0, outputFD: Int32 = 1) throws -> ColorMode {
        try TerminalCapabilities.colorMode(environment: environment, isTerminal: isTerminal(inputFD) && isTerminal(outputFD))
    }

    /// Every mode a program on the terminal may have left changed, back to the terminal's
    /// power-on default (xterm's ctlseqs): pen (SGR 0), insert mode off (IRM), auto-wrap on
    /// (DECAWM), origin mode off (DECOM), no scroll region (DECSTBM), numeric keypad (DECKPNM),
    /// normal cursor keys (DECCKM), ASCII in G0 and G0 shifted in (SCS, SI), no mouse
    /// reporting of any kind, no focus events, no bracketed paste. Sent on the alternate
    /// screen, where the cursor moves it makes (DECSTBM, DECOM home the cursor) do no harm;
    /// these modes are not per screen, so the normal screen gets them too.
    public static let modeReset = "\u{1B}[0m\u{1B}[4l\u{1B}[?7h\u{1B}[?6l\u{1B}[r\u{1B}>\u{1B}[?1l\u{1B}(B\u{0F}"
        + "\u{1B}[?1000l\u{1B}[?1002l\u{1B}[?1003l\u{1B}[?1005l\u{1B}[?1006l\u{1B}[?1015l\u{1B}[?1004l\u{1B}[?2004l"

    /// After a child that had the terminal on the normal screen (`devenv shell`, `exec -it`
    /// outside the dashboard): `modeReset` between a save and a restore of the cursor (DECSC,
    /// DECRC: the scroll region and origin resets home the cursor, and the shell's next prompt
    /// belongs where the child left it), then again the resets that do not move the cursor
    /// (DECRC brings back the pen and character set it saved), and the cursor shown. DECRC
    /// also brings back the child's origin mode (DECOM): with the scroll region gone it changes
    /// nothing until a program sets a region of its own (which sets its own origin mode too).
    public static let childModeReset = "\u{1B}7" + modeReset + "\u{1B}8"
        + modeReset.replacing("\u{1B}[?6l", with: "").replacing("\u{1B}[r", with: "")
        + "\u{1B}[?25h"

    /// The bytes that switch the screen modes on, in order: first whatever a child (the
    /// dashboard's shell, a command, the shell devenv was suspended to) left changed is reset.
    public var enterSequence: [UInt8] {
        var s = "\u{1B}[?1049h" + Self.modeReset + "\u{1B}[?25l"
        if modes.bracketedPaste { s += "\u{1B}[?2004h" }
        if modes.mouse { s += "\u{1B}[?1002h\u{1B}[?1006h" }
        return Array(s.utf8)
    }

    /// The bytes that switch them off: they also end a synchronized update, reset every mode
    /// a child may have changed (and the pen, in case a signal cut a frame short), then leave
    /// the alternate screen, which puts the cursor back where it was.
    public var restoreSequence: [UInt8] {
        Array(("\u{1B}[?2026l" + Self.modeReset + "\u{1B}[?25h\u{1B}[?1049l").utf8)
    }

    public var isActive: Bool { TerminalSignalState.record.pointee.active == 1 }

    /// With `signalsQuit`: the SIGINT, SIGTERM, SIGHUP or SIGQUIT that asked the program to quit.
    public var quitSignal: Int32? {
        let sig = TerminalSignalState.record.pointee.quitRequested
        return sig == 0 ? nil : sig
    }

    /// Readable when a resize or a continue happened; see `takeWakeups()`.
    public var wakeFD: Int32 { wakeReadFD }

    /// Saves the terminal's settings, installs the restoring handlers (before anything else can
    /// fail), then switches to raw mode and the screen modes.
    public func enter() throws {
        guard !isActive else { return }
        var saved = termios()
        guard tcgetattr(inputFD, &saved) == 0 else {
            throw TerminalSessionError(description: "cannot read the terminal settings: \(String(cString: strerror(errno)))")
        }
        if wakeReadFD < 0 {
            var fds: [Int32] = [-1, -1]
            guard pipe(&fds) == 0 else {
                throw TerminalSessionError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
            }
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
            wakeReadFD = fds[0]
            TerminalSignalState.record.pointee.wakeWriteFD = fds[1]
        }
        var raw = saved
        cfmakeraw(&raw)
        TerminalSignalState.record.pointee.terminalFD = inputFD
        TerminalSignalState.record.pointee.outputFD = outputFD
        TerminalSignalState.record.pointee.saved = saved
        TerminalSignalState.record.pointee.raw = raw
        TerminalSignalState.record.pointee.restoreCount = TerminalSignalState.setBytes(restoreSequence, TerminalSignalState.restoreBytes)
        TerminalSignalState.record.pointee.enterCount = TerminalSignalState.setBytes(enterSequence, TerminalSignalState.enterBytes)
        TerminalSignalState.installAll(signalsQuit: signalsQuit)
        TerminalSession.registerExitHook()
        guard tcsetattr(inputFD, TCSANOW, &raw) == 0 else {
            TerminalSignalState.uninstallAll()
            throw TerminalSessionError(description: "cannot switch the terminal to raw mode: \(String(cString: strerror(errno)))")
        }
        TerminalSignalState.record.pointee.active = 1
        TerminalSignalState.writeAll(TerminalSignalState.enterBytes, TerminalSignalState.record.pointee.enterCount)
    }

    /// Leaves raw mode, then the screen modes, and gives the signals back. Safe to call twice.
    public func restore() {
        TerminalSignalState.restoreNow()
        TerminalSignalState.uninstallAll()
    }

    nonisolated(unsafe) private static var exitHookRegistered = false
    private static func registerExitHook() {
        guard !exitHookRegistered else { return }
        exitHookRegistered = true
        atexit { TerminalSignalState.restoreNow() }
    }

    /// Rows and columns from TIOCGWINSZ; 80x24 when the terminal does not say.
    public func size() -> Size {
        var ws = winsize()
        if ioctl(outputFD, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 {
            return Size(width: Int(ws.ws_col), height: Int(ws.ws_row))
        }
        if ioctl(inputFD, UInt(TIOCGWINSZ), &ws) == 0, ws.ws_col > 0, ws.ws_row > 0 {
            return Size(width: Int(ws.ws_col), height: Int(ws.ws_row))
        }
        return Size(width: 80, height: 24)
    }

    /// Writes all of `bytes` (one frame is one call).
    public func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            var done = 0
            while done < buf.count {
                let n = Glibc.write(outputFD, base + done, buf.count - done)
                if n > 0 { done += n; continue }
                if n < 0 && (errno == EINTR || errno == EAGAIN) {
                    var p = pollfd(fd: outputFD, events: Int16(POLLOUT), revents: 0)
                    _ = poll(&p, 1, 100)
                    continue
                }
                return // the terminal is gone; the input side will see EOF
            }
        }
    }

    /// ^Z: restore, stop with the default SIGTSTP action, and on `fg` come back in raw mode.
    /// The SIGTSTP handler does the work, so `kill -TSTP` behaves the same. In raw mode the
    /// terminal sends no SIGTSTP itself, so this does what it would have done: stop the whole
    /// foreground process group, so that a parent (`bash -c 'devenv; echo after'`, make) stops
    /// too and the job-control shell gets the terminal back. Returns after the process is
    /// continued; the caller redraws in full.
    public func suspend() {
        guard isActive else { return }
        // Restored first, while still in the foreground: once the parent has stopped, its
        // shell takes the terminal, and a tcsetattr from the stop handler would then stop
        // devenv with SIGTTOU before it restored anything.
        TerminalSignalState.restoreNow()
        TerminalSignalState.record.pointee.reenterAfterStop = 1
        _ = kill(0, SIGTSTP)
    }

    /// Hands the terminal to something else (a child such as `docker exec -it`): leaves raw
    /// mode and the alternate screen, runs `body`, then re-enters whatever `body` did to the
    /// terminal. SIGINT and SIGQUIT do not kill us meanwhile; the child gets them. The caller
    /// redraws in full afterwards.
    public func runOutside<T>(_ body: () throws -> T) throws -> T {
        let wasActive = isActive
        if wasActive {
            restore()
            TerminalSignalState.install(SIGINT, onSignalWhileAway)
            TerminalSignalState.install(SIGQUIT, onSignalWhileAway)
        }
        let result: Result<T, Error> = Result { try body() }
        if wasActive {
            TerminalSignalState.uninstallAll()
            try enter()
        }
        return try result.get()
    }

    /// Which signals arrived since the last call: a resize, and/or a continue after a stop.
    /// (A quit request wakes the loop too; it reads `quitSignal`.)
    public func takeWakeups() -> (resized: Bool, continued: Bool) {
        var resized = false, continued = false
        var buf = [UInt8](repeating: 0, count: 64)
        while wakeReadFD >= 0 {
            let n = read(wakeReadFD, &buf, buf.count)
            if n <= 0 { break }
            for b in buf[0..<n] {
                if b == 0x57 { resized = true }
                if b == 0x43 { continued = true }
            }
        }
        return (resized, continued)
    }
}
