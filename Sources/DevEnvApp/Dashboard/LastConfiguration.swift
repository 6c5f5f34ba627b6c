import DevEnvCore

/// The dashboard's last configuration that read: written by a refresh's background thread.
final class LastConfiguration: @unchecked Sendable {
    private let lock = Lock()
    private var stored: [Environment]

    init(_ environments: [Environment]) { stored = environments }

    var environments: [Environment] {
        get { lock.withLock { stored } }
        set { lock.withLock { stored = newValue } }
    }
}
