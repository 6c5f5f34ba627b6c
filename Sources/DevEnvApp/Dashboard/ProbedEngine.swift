import DevEnvCore

/// The engine description the dashboard probed, shared between the probe's thread and the loop.
final class ProbedEngine: @unchecked Sendable {
    private let lock = Lock()
    private var stored: EngineFacts?

    var facts: EngineFacts? {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
