#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import TerminalUI

/// One loop over terminal input, resizes, timers, watched file descriptors and messages from
/// other threads, driving a `Program` (bubbletea's `tea.go`). It sleeps in poll(2) until
/// something happens: idle means no wakeups beyond pending timers. Frames are capped at one per
/// `frameIntervalMilliseconds`, each written with a single write(). The effects an update asks
/// for are carried out after the frame that shows that update is written (see `settle`).
public final class TerminalEventLoop<P: Program> {
    public typealias EffectHandler = (P.Effect, TerminalEventLoop<P>) throws -> Void

    public private(set) var program: P
    public let session: TerminalSession
    public let inbox = MessageInbox<P.Message>()
    public var frameIntervalMilliseconds = 16
    /// How long an unfinished sequence (a lone ESC) waits for the rest of it.
    public var escapeTimeoutMilliseconds = 40
    /// ^Z suspends the program (restore, stop, on `fg` redraw) instead of reaching `update`.
    public var suspendOnCtrlZ = true
    /// The signal that ended the loop (a session with `signalsQuit`, `requestQuit`, or SIGHUP
    /// for a terminal that hung up); the caller finishes its quit path and exits 128+N.
    public private(set) var terminationSignal: Int32?

    private var renderer: FrameRenderer
    private var size = Size(width: 80, height: 24)
    private var watchers: [Int32: (Int32) -> [P.Message]] = [:]
    private var timers: [(deadline: Int, order: Int, message: P.Message)] = []
    private var timerOrder = 0
    private var local: [P.Message] = []
    private var quitting = false
    private var dirty = true
    private var lastFrame = Int.min / 2
    private var pending: [UInt8] = []
    private var pendingIsPaste = false
    private var pendingSince = 0
    private var effects: EffectHandler?
    /// An input event reached the program on this turn: draw before the watched descriptors.
    private var inputApplied = false
    /// Effects the updates of this turn asked for, carried out by `settle` after their frame.
    private var deferred: [P.Effect] = []

    public init(program: P, session: TerminalSession, colorMode: ColorMode) {
        self.program = program
        self.session = session
        self.renderer = FrameRenderer(colorMode: colorMode)
    }

    /// Calls `onReadable` when `fd` can be read (a child's pipe); the messages it returns go to
    /// the program. Call `unwatch` when the fd reaches EOF.
    public func watch(fd: Int32, onReadable: @escaping (Int32) -> [P.Message]) {
        watchers[fd] = onReadable
    }

    public func unwatch(fd: Int32) { watchers[fd] = nil }

    /// Ends the loop as a quit signal would (one that arrived while a child had the terminal).
    public func requestQuit(signal: Int32) {
        terminationSignal = signal
        quitting = true
    }

    /// Delivers a message on the loop's next turn (from an effect handler, on the loop thread).
    public func deliver(_ message: P.Message) { local.append(message) }

    /// Hands the terminal over (see `TerminalSession.runOutside`), then redraws in full.
    public func runOutside<T>(_ body: () throws -> T) throws -> T {
        defer {
            renderer.invalidate()
            dirty = true
            let newSize = session.size()
            if newSize != size { size = newSize; apply(program.update(.resize(size))) }
            _ = session.takeWakeups()
            apply(program.update(.resumed))
        }
        return try session.runOutside(body)
    }

    /// Runs until the program quits or the input ends (a terminal's end is a hangup:
    /// `terminationSignal` SIGHUP); the terminal is restored on return and
    /// on every error. Returns the program's final state.
    @discardableResult
    public func run(effects: EffectHandler? = nil) throws -> P {
        self.effects = effects
        if !session.isActive { try session.enter() }
        defer { session.restore() }
        size = session.size()
        apply(program.update(.start(size)))
        settle(now: TerminalEventLoop.milliseconds())
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !quitting {
            if let signal = session.quitSignal {
                terminationSignal = signal
                break
            }
            var now = TerminalEventLoop.milliseconds()
            fireTimers(now: now)
            for m in inbox.takeAll() + takeLocal() { apply(program.update(.message(m))) }
            settle(now: now)
            if quitting { break }
            if dirty && now - lastFrame >= frameIntervalMilliseconds {
                draw()
                lastFrame = now
            }

            var timeout = -1
            func limit(_ t: Int) { timeout = timeout < 0 ? max(0, t) : min(timeout, max(0, t)) }
            if dirty { limit(lastFrame + frameIntervalMilliseconds - now) }
            if let next = timers.map(\.deadline).min() { limit(next - now) }
            if !pending.isEmpty { limit(pendingSince + pendingTimeout - now) }
            if !local.isEmpty { limit(0) }

            var fds = [pollfd(fd: session.inputFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: session.wakeFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inbox.readFD, events: Int16(POLLIN), revents: 0)]
            let watched = Array(watchers.keys)
            for fd in watched { fds.append(pollfd(fd: fd, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&fds, nfds_t(fds.count), Int32(clamping: timeout))
            if ready < 0 {
                if errno == EINTR { continue }
                throw TerminalSessionError(description: "poll failed: \(String(cString: strerror(errno)))")
            }
            now = TerminalEventLoop.milliseconds()
            if fds[1].revents != 0 { handleWakeups() }
            settle(now: now)
            inputApplied = false
            if fds[0].revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 {
                let n = read(session.inputFD, &buffer, buffer.count)
                if n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN) {
                    // The terminal is gone (its window closed, the tmux pane killed, ssh
                    // dropped): a hangup, whether or not its SIGHUP has come yet. It came after
                    // the end of input (from the shell, passing it on), and the dashboard
                    // quit with 0 as if `q` had been pressed (dash30).
                    // A terminal that hung up answers a read with 0 or EIO, and tcgetattr with EIO.
                    let readError = n < 0 ? errno : 0
                    if terminationSignal == nil, readError == EIO || isatty(session.inputFD) != 0 || errno == EIO {
                        terminationSignal = SIGHUP
                    }
                    break
                }
                if n > 0 {
                    pending.append(contentsOf: buffer[0..<n])
                    pendingSince = now
                    decodePending(atEnd: false)
                }
            } else if !pending.isEmpty && now - pendingSince >= pendingTimeout {
                decodePending(atEnd: true)
            }
            settle(now: now)
            if quitting { break }
            // A key is answered in the very next frame, drawn before anything else that is
            // ready (a log pouring 10,000 lines a second, a backlog of messages) is taken in:
            // key to frame costs one update and one render, whatever the load (issue 14 item 7).
            // The frame cap is for output-driven frames only.
            if inputApplied && dirty {
                draw()
                lastFrame = now
            }
            for (k, fd) in watched.enumerated() where fds[3 + k].revents != 0 {
                // A descriptor closed without `unwatch` would make poll return at once forever.
                if fds[3 + k].revents & Int16(POLLNVAL) != 0 { watchers[fd] = nil; continue }
                guard let callback = watchers[fd] else { continue }
                for m in callback(fd) { apply(program.update(.message(m))) }
            }
            settle(now: TerminalEventLoop.milliseconds())
        }
        if let failure { throw failure }
        return program
    }

    /// Carries out the effects the updates so far asked for, after writing the frame that shows
    /// those updates (cap or not: an effect starts a process or a thread, which costs far more
    /// than a frame). Why: the dashboard's first real frame waited for the streams its first
    /// snapshot asks for (`docker events`, `logs`, `stats`) to be spawned, each spawn blocking
    /// this thread until the child ran, while their Go CLIs started on the same two cores
    /// (`strace -f`: the frame was written 170-190 ms after `docker ps` answered on a loaded
    /// machine, after three spawns; issue 14). Effects keep their order; one that updates the
    /// program (a hand-over's `.resumed`) adds its own to the queue, carried out in turn.
    private func settle(now: Int) {
        guard !deferred.isEmpty else { return }
        if dirty && !quitting {
            draw()
            lastFrame = now
        }
        while !deferred.isEmpty {
            let effect = deferred.removeFirst()
            do { try effects?(effect, self) } catch {
                // An effect handler that throws ends the loop; run() restores and rethrows.
                failure = error
                quitting = true
            }
        }
    }

    private var pendingTimeout: Int { pendingIsPaste ? 1000 : escapeTimeoutMilliseconds }

    private func takeLocal() -> [P.Message] {
        let out = local
        local.removeAll()
        return out
    }

    private func decodePending(atEnd: Bool) {
        let result = KeyDecoder.decode(pending, atEnd: atEnd)
        pending = result.leftover
        pendingIsPaste = result.leftoverIsPaste
        for event in result.events {
            if quitting { return }
            if suspendOnCtrlZ, case .key(let k) = event, k == KeyEvent.char("z", .ctrl) {
                suspend()
                continue
            }
            apply(program.update(.input(event)))
            inputApplied = true
        }
    }

    private func suspend() {
        session.suspend()
        _ = session.takeWakeups()
        renderer.invalidate()
        dirty = true
        let newSize = session.size()
        if newSize != size { size = newSize; apply(program.update(.resize(size))) }
        apply(program.update(.resumed))
    }

    private func handleWakeups() {
        let w = session.takeWakeups()
        if w.continued {
            renderer.invalidate()
            dirty = true
        }
        if w.resized || w.continued {
            let newSize = session.size()
            if newSize != size {
                size = newSize
                renderer.invalidate()
                apply(program.update(.resize(size)))
            }
        }
        if w.continued { apply(program.update(.resumed)) }
    }

    private func fireTimers(now: Int) {
        guard timers.contains(where: { $0.deadline <= now }) else { return }
        let due = timers.filter { $0.deadline <= now }.sorted { ($0.deadline, $0.order) < ($1.deadline, $1.order) }
        timers.removeAll { $0.deadline <= now }
        for t in due { apply(program.update(.message(t.message))) }
    }

    private func apply(_ commands: [ProgramCommand<P.Message, P.Effect>]) {
        dirty = true
        for command in commands {
            switch command {
            case .quit: quitting = true
            case .redraw: renderer.invalidate()
            case .after(let ms, let message):
                timerOrder += 1
                timers.append((TerminalEventLoop.milliseconds() + max(0, ms), timerOrder, message))
            case .effect(let effect):
                deferred.append(effect)
            }
        }
    }

    private var failure: Error?

    private func draw() {
        let screen = program.render(size: size)
        let bytes = renderer.render(screen)
        if !bytes.isEmpty { session.write(bytes) }
        dirty = false
    }

    static func milliseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int(ts.tv_sec) * 1000 + Int(ts.tv_nsec) / 1_000_000
    }
}
