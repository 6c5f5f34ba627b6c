#if canImport(Glibc)
import Glibc
#endif
import DevEnvCore
import DevEnvPrestart

/// The docker calls started before the Swift runtime initialised, from the record the last
/// `status` with the same arguments, folder and environment wrote (`DevEnvPrestart`, whose
/// prestart.c says why and the rules; `PrestartRecord` writes the record). Each is either
/// adopted, when it is exactly the call devenv starts now (`adopt`), or ended and reaped unseen
/// (`endRest`): a stale record costs a call started for nothing, never a wrong answer.
public final class PrestartedCalls: @unchecked Sendable {
    struct Call {
        var pid: pid_t
        var stdout: Int32
        var stderr: Int32
        /// When it was spawned, on `MonotonicClock` (its deadline counts from then).
        var started: Double
        var executable: [UInt8]
        var argv: [[UInt8]]
        /// Its environment entries (NAME=value), sorted: the order carries no meaning.
        var environment: [[UInt8]]
    }

    private let lock = Lock()
    private var calls: [Call]
    /// How many were adopted (`PrestartRecord` is written again unless every one was).
    public private(set) var adopted = 0
    /// The signal mask devenv had before the first one was started (the interrupting signals
    /// are blocked until the handlers are installed: `ChildProcesses.installInterruptionHandlers`).
    public let savedMask: sigset_t?

    init(calls: [Call], savedMask: sigset_t?) {
        self.calls = calls
        self.savedMask = savedMask
    }

    /// What the constructor started, now owned here (nil: nothing). Call once, before the
    /// interruption handlers are installed (they track the children and restore the mask).
    public static func taken() -> PrestartedCalls? {
        let count = devenv_prestarted_count()
        guard count > 0 else { return nil }
        var calls: [Call] = []
        for index in 0..<count {
            guard let call = devenv_prestarted_call(index)?.pointee, let executable = call.executable else { continue }
            calls.append(Call(pid: call.pid, stdout: call.stdout_fd, stderr: call.stderr_fd, started: call.started,
                              executable: bytes(executable), argv: words(call.argv), environment: words(call.envp).sorted(by: Self.ordered)))
        }
        let mask = devenv_prestart_saved_mask()?.pointee
        devenv_prestart_forget()
        return PrestartedCalls(calls: calls, savedMask: mask)
    }

    /// The children, for signal forwarding from the moment the handlers are installed.
    var pids: [pid_t] { lock.withLock { calls.map(\.pid) } }

    /// The started call that is exactly `invocation` as the runner would spawn it now (the program
    /// at `executable`, `invocation.argv`, `environment`'s entries as `ProcessSpawn` passes them),
    /// piped, with no input and no working folder, as a started process with the deadline counted
    /// from its spawn; nil when none is.
    func adopt(_ invocation: ProcessInvocation, executable: String, environment: [[UInt8]],
               stillAnswering: (() -> Bool)?) -> PosixStartedProcess? {
        guard invocation.io == .capture, invocation.input == nil, invocation.workingDirectory == nil,
              !invocation.runsToItsEnd else { return nil }
        let executable = Array(executable.utf8)
        let argv = invocation.argv.map { Array($0.utf8) }
        let call = lock.withLock { () -> Call? in
            guard let index = calls.firstIndex(where: { $0.executable == executable && $0.argv == argv }) else { return nil }
            // Compared only once the program and argv are the same (most often none are).
            guard calls[index].environment == environment.sorted(by: Self.ordered) else { return nil }
            adopted += 1
            return calls.remove(at: index)
        }
        guard let call else { return nil }
        return PosixStartedProcess(invocation: invocation, pid: call.pid, stdout: call.stdout, stderr: call.stderr, stdin: nil,
                                   deadline: invocation.deadline.map { call.started + $0 }, stillAnswering: stillAnswering)
    }

    /// Ends and reaps every call not adopted, unseen (its output is never read); returns how many.
    @discardableResult
    public func endRest() -> Int {
        let rest = lock.withLock { () -> [Call] in
            defer { calls = [] }
            return calls
        }
        for call in rest {
            let invocation = ProcessInvocation(call.argv.map { String(decoding: $0, as: UTF8.self) })
            PosixStartedProcess(invocation: invocation, pid: call.pid, stdout: call.stdout, stderr: call.stderr, stdin: nil,
                                deadline: nil).cancel()
        }
        return rest.count
    }

    private static func ordered(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

    private static func bytes(_ text: UnsafePointer<CChar>) -> [UInt8] {
        Array(UnsafeRawBufferPointer(start: text, count: strlen(text)))
    }

    private static func words(_ list: UnsafePointer<UnsafeMutablePointer<CChar>?>?) -> [[UInt8]] {
        guard let list else { return [] }
        var words: [[UInt8]] = []
        var index = 0
        while let word = list[index] {
            words.append(bytes(word))
            index += 1
        }
        return words
    }
}
