import DevEnvCore
import TerminalUI

/// Progress of long steps on stderr. On a terminal: the step with its elapsed time and the
/// step's own output folded to its last lines, redrawn in place. Elsewhere (CI logs, pipes):
/// plain lines, every line of output kept. Nothing with --quiet.
final class Progress: @unchecked Sendable {
    private let console: any Console
    private let clock: @Sendable () -> Double
    private let enabled: Bool
    private let folding: Bool
    private let plain: Bool
    private let foldedLines = 6
    private var title = ""
    private var waitingFor = ""
    private var started = 0.0
    private var lastOutput = 0.0
    /// Seconds without output after which the header says what the step waits for.
    static let quietAfter = 10.0
    private var tail: [String] = []
    /// The last `DockerFailure.detailLines` lines, kept on screen when the step fails.
    private var failureTail: [String] = []
    private var partial: [UInt8] = []
    private var drawnLines = 0
    /// `AppContext.continuations` when the block on screen was drawn. A stop (Ctrl-Z) since
    /// then let the shell print below it ("Stopped", what was typed, `fg`): moving up would
    /// draw over those lines, so the block stays as it was and a new one starts below.
    private let continuations: @Sendable () -> Int
    private var drawnAfter = 0

    /// Hears the phase a step enters (`begin`/`step`'s `phase`) and `.other` at a long step's
    /// end, also under --quiet: data, not text (`AppContext.progressPhase`).
    private let phase: (@Sendable (ActionPhase) -> Void)?

    init(console: any Console, clock: @escaping @Sendable () -> Double, quiet: Bool, plain: Bool,
         continuations: @escaping @Sendable () -> Int = { 0 }, phase: (@Sendable (ActionPhase) -> Void)? = nil) {
        self.phase = phase
        self.console = console
        self.clock = clock
        self.continuations = continuations
        self.enabled = !quiet
        self.folding = console.stderrIsTerminal && !plain
        self.plain = plain
    }

    /// Whether a step's output reaches the user as it runs, its end kept on failure: a
    /// failed call's error then names the command without printing that output again
    /// (`DockerFailure.error(outputShown:)`). Not with --json, whose error object carries it.
    var showsOutput: Bool { enabled && !plain }

    /// A one-line step ("creating volume ..."); `phase`: the phase it enters (nil: unchanged).
    func step(_ text: String, phase entered: ActionPhase? = nil) {
        if let entered { phase?(entered) }
        guard enabled else { return }
        console.writeError("devenv: \(text)\n")
    }

    /// Starts a long step; `waitingFor` names what runs (`docker build`), for the header to say
    /// when the step has been quiet for a while; `phase`: the phase it enters (nil: unchanged),
    /// left at its `end`.
    func begin(_ text: String, waitingFor: String = "Docker", phase entered: ActionPhase? = nil) {
        if let entered { phase?(entered) }
        title = text
        self.waitingFor = waitingFor
        started = clock()
        lastOutput = started
        tail = []
        failureTail = []
        partial = []
        drawnLines = 0
        guard enabled else { return }
        if folding { redraw() } else { console.writeError("devenv: \(text)\n") }
    }

    /// A chunk of the step's output; an empty one (the runner's heartbeat while the child is
    /// quiet) only updates the elapsed time on a terminal.
    func output(_ bytes: [UInt8]) {
        guard enabled else { return }
        if !bytes.isEmpty { lastOutput = clock() }
        // Only the new bytes are searched, and the lines taken off once per chunk: a command
        // printing 10 MB on one line (or in many short ones) costs linear time, not quadratic.
        var from = partial.count
        var start = 0
        partial += bytes
        while true {
            let newline = partial[from...].firstIndex(of: 0x0A)
            // A line longer than `longestLine` is shown in pieces, so an endless one neither
            // grows without bound nor waits for its end to be seen.
            // The cut is where a character starts (`UTF8StreamDecoder`): not through one.
            guard let end = newline ?? (partial.count - start >= Self.longestLine
                ? start + UTF8StreamDecoder.completeLength(partial[start..<(start + Self.longestLine)]) : nil) else { break }
            let line = TerminalSafeText.plainLine(Array(partial[start..<end]))
            start = newline == nil ? end : end + 1
            from = start
            if folding {
                tail.append(line)
                if tail.count > foldedLines { tail.removeFirst(tail.count - foldedLines) }
                failureTail.append(line)
                if failureTail.count > DockerFailure.detailLines { failureTail.removeFirst(failureTail.count - DockerFailure.detailLines) }
            } else {
                console.writeError("  \(line)\n")
            }
        }
        if start > 0 { partial.removeSubrange(..<start) }
        if folding { redraw() }
    }

    /// Bytes of one output line shown at most as one line (64 KiB); longer ones are cut in pieces.
    static let longestLine = 65_536

    func end(succeeded: Bool) {
        phase?(.other)
        guard enabled else { return }
        if !partial.isEmpty { output([0x0A]) }
        let elapsed = Self.seconds(clock() - started)
        if folding {
            erase()
            // On failure the output's end stays (the reason is usually there), as many lines
            // as an error's detail would show: the error itself does not repeat them.
            let keep = succeeded ? "" : failureTail.map { "  \($0)\n" }.joined()
            console.writeError("devenv: \(title): \(succeeded ? "done" : "failed") in \(elapsed)\n" + keep)
        } else {
            console.writeError("devenv: \(title): \(succeeded ? "done" : "failed") in \(elapsed)\n")
        }
    }

    private func redraw() {
        erase()
        let now = clock()
        let quiet = now - lastOutput >= Self.quietAfter
            ? ", no output for \(Int(now - lastOutput))s: waiting for \(waitingFor)" : ""
        let header = "devenv: \(title) (\(Self.seconds(now - started))\(quiet))"
        let lines = [header] + tail.map { "  \($0)" }
        // Auto-wrap off while drawing: a line wider than the terminal is cut by the terminal
        // instead of taking two rows, so erase() moves up exactly as many rows as were drawn, at
        // any width (no stale "building ... (Ns)" lines at 80 columns). Back on right after.
        console.writeVerbatim("\u{1B}[?7l", to: .error)
        console.writeError(lines.map { String($0.prefix(500)) + "\n" }.joined())
        console.writeVerbatim("\u{1B}[?7h", to: .error)
        drawnLines = lines.count
        drawnAfter = continuations()
    }

    private func erase() {
        guard drawnLines > 0 else { return }
        defer { drawnLines = 0 }
        guard continuations() == drawnAfter else { return }
        // Up to the first drawn line, then clear to the end of the screen.
        console.writeVerbatim("\u{1B}[\(drawnLines)F\u{1B}[J", to: .error)
    }

    static func seconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)s"
    }
}
