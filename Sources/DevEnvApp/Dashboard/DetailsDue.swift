import DevEnvCore

/// The states' half of the dashboard's last snapshot, kept by the refresh's thread for the
/// details' half (`.fillDetails`, carried out on the loop's thread after the states are drawn).
final class DetailsDue: @unchecked Sendable {
    private let lock = Lock()
    private var stored: (snapshot: DashboardSnapshot, states: DashboardSnapshot.States)?

    func keep(_ snapshot: DashboardSnapshot, _ states: DashboardSnapshot.States) {
        lock.withLock { stored = (snapshot, states) }
    }

    /// The kept half, once: nil when there is none (already taken).
    func take() -> (snapshot: DashboardSnapshot, states: DashboardSnapshot.States)? {
        lock.withLock {
            defer { stored = nil }
            return stored
        }
    }
}
