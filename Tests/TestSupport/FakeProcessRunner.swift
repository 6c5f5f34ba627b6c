import DevEnvCore
import Foundation
import Testing

/// A scripted `ProcessRunning` for unit tests (lazygit's ExpectGitArgs): each expected argv is
/// answered in order with its scripted result; anything else is recorded as a failure.
/// Unit tests only: what crosses into Docker is tested against a real engine.
public final class FakeProcessRunner: ProcessRunning, @unchecked Sendable {
    public struct Expectation {
        public var argv: [String]
        public var result: ProcessResult
        /// The chunks handed to `onOutput`, in order, as a read would deliver them.
        public var output: [(OutputChannel, [UInt8])]
        public var sideEffect: (@Sendable () -> Void)?
        /// The engine never answers this call: the runner throws `ProcessDeadlineExceeded` as the
        /// real one would once the invocation's deadline passed (and records an issue when the
        /// invocation has none: the real call would hang for ever).
        public var neverAnswers = false
        /// Part of a group of calls made together (threads): any call of the group that is at
        /// the front of the script may answer it, in any order.
        public var unordered = false
        /// Started ahead: the standard output as it stood each time the child had written whole
        /// lines (`StartedProcess.finish(onOutput:whileEnding:)`'s looks, before the answer);
        /// nil: one look at the whole output after it, as a runner that cannot tell gives.
        public var looks: [String]?
    }

    private let lock = NSLock()
    private var expectations: [Expectation] = []
    private var calls: [ProcessInvocation] = []
    private var unexpected: [String] = []
    private var started: [Started] = []

    public init() {}

    /// Expects the next call to run exactly `argv`, and answers it. `streamed`: chunks of text
    /// handed to `onOutput`; `streamedBytes` after them: chunks as bytes (a read may end inside
    /// a character).
    @discardableResult
    public func expect(_ argv: [String], stdout: String = "", stderr: String = "", exitCode: Int32 = 0,
                       streamed: [(OutputChannel, String)] = [], streamedBytes: [(OutputChannel, [UInt8])] = [],
                       sideEffect: (@Sendable () -> Void)? = nil, neverAnswers: Bool = false,
                       unordered: Bool = false, looks: [String]? = nil) -> FakeProcessRunner {
        lock.withLock {
            expectations.append(Expectation(
                argv: argv,
                result: ProcessResult(exitCode: exitCode, stdout: Array(stdout.utf8), stderr: Array(stderr.utf8)),
                output: streamed.map { ($0.0, Array($0.1.utf8)) } + streamedBytes, sideEffect: sideEffect, neverAnswers: neverAnswers,
                unordered: unordered, looks: looks))
        }
        return self
    }

    public func run(_ invocation: ProcessInvocation,
                    onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?) throws -> ProcessResult {
        try answer(invocation, take(invocation), onOutput: onOutput)
    }

    /// Takes the call's expectation now (the spawn), answers it at `finish`. A handle neither
    /// finished nor cancelled by the end of the test is a child left behind: `verifyAllCalled`
    /// reports it.
    public func start(_ invocation: ProcessInvocation) throws -> any StartedProcess {
        let handle = Started(runner: self, invocation: invocation, expectation: take(invocation))
        lock.withLock { started.append(handle) }
        return handle
    }

    /// The invocations started ahead (`start`), in order, whatever became of them.
    public var startedAhead: [ProcessInvocation] { lock.withLock { started.map(\.invocation) } }

    /// The invocations started ahead and then cancelled (never answered), in order.
    public var cancelled: [ProcessInvocation] { lock.withLock { started.filter { $0.state == .cancelled }.map(\.invocation) } }

    private func take(_ invocation: ProcessInvocation) -> Expectation? {
        lock.withLock {
            calls.append(invocation)
            guard !expectations.isEmpty else {
                unexpected.append("unexpected call: \(invocation.shellQuoted)")
                return nil
            }
            // An unordered group at the front answers whichever of its calls comes first.
            let group = expectations.prefix { $0.unordered }
            let index = group.firstIndex { $0.argv == invocation.argv } ?? 0
            let first = expectations.remove(at: index)
            if first.argv != invocation.argv {
                unexpected.append("expected: \(ProcessInvocation(first.argv).shellQuoted)\n     got: \(invocation.shellQuoted)")
            }
            return first
        }
    }

    private func answer(_ invocation: ProcessInvocation, _ next: Expectation?,
                        onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?) throws -> ProcessResult {
        guard let next else { return ProcessResult(exitCode: 127, stderr: Array("no scripted answer".utf8)) }
        if next.neverAnswers {
            guard let deadline = invocation.deadline else {
                lock.withLock { unexpected.append("no deadline, so this call would hang for ever: \(invocation.shellQuoted)") }
                return ProcessResult(exitCode: 124, stderr: Array("hung".utf8))
            }
            throw ProcessDeadlineExceeded(invocation: invocation, seconds: deadline)
        }
        for (stream, bytes) in next.output { onOutput?(stream, bytes) }
        next.sideEffect?()
        return next.result
    }

    /// A scripted call started ahead: answered at `finish`, never at `cancel`.
    final class Started: StartedProcess, @unchecked Sendable {
        enum State { case running, finished, cancelled }
        let invocation: ProcessInvocation
        private let runner: FakeProcessRunner
        private let expectation: Expectation?
        private(set) var state = State.running

        init(runner: FakeProcessRunner, invocation: ProcessInvocation, expectation: Expectation?) {
            self.runner = runner
            self.invocation = invocation
            self.expectation = expectation
        }

        func finish(onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?) throws -> ProcessResult {
            let first = runner.lock.withLock { () -> Bool in
                defer { state = .finished }
                return state == .running
            }
            if !first { runner.lock.withLock { runner.unexpected.append("finished after it ended: \(invocation.shellQuoted)") } }
            return try runner.answer(invocation, expectation, onOutput: onOutput)
        }

        /// The scripted `looks` first, then the answer (its `sideEffect` after the looks: a
        /// signal while the CLI ends).
        func finish(onOutput: (@Sendable (OutputChannel, [UInt8]) -> Void)?,
                    whileEnding: (([UInt8]) -> Void)?) throws -> ProcessResult {
            guard let looks = expectation?.looks else {
                let result = try finish(onOutput: onOutput)
                whileEnding?(result.stdout)
                return result
            }
            for look in looks { whileEnding?(Array(look.utf8)) }
            return try finish(onOutput: onOutput)
        }

        func cancel() {
            runner.lock.withLock { if state == .running { state = .cancelled } }
        }
    }

    /// Every invocation made, in order.
    public var invocations: [ProcessInvocation] { lock.withLock { calls } }

    /// Records a test failure for each unexpected call and each expected call never made.
    public func verifyAllCalled(sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let (bad, missing, running) = lock.withLock { (unexpected, expectations, started.filter { $0.state == .running }) }
        for message in bad { Issue.record(Comment(rawValue: message), sourceLocation: sourceLocation) }
        for handle in running {
            Issue.record(Comment(rawValue: "started, then neither finished nor cancelled (a child left running): \(handle.invocation.shellQuoted)"),
                         sourceLocation: sourceLocation)
        }
        for e in missing {
            Issue.record(Comment(rawValue: "expected call never made: \(ProcessInvocation(e.argv).shellQuoted)"),
                         sourceLocation: sourceLocation)
        }
    }
}
