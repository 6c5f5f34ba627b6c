import Foundation

/// posix_spawn file actions for a test's own spawns. Tests run on threads of one process, and a
/// child spawned with no more than its 0, 1 and 2 set up inherits every descriptor another test
/// holds open without close-on-exec at that moment (Foundation's Pipe, a HostPorts listener, a
/// pty): a tmux server or a private dockerd keeps them for its whole life, so a test reading a
/// pipe to its end waits for that server, and a port a test closed stays held.
public enum SpawnActions {
    /// Adds "close every descriptor from 3 up" (glibc 2.34+, hidden from Swift like the other
    /// spawn extensions, so looked up; without it nothing is added, as before).
    public static func closeInherited(_ actions: inout posix_spawn_file_actions_t) {
        if let closeFrom { _ = closeFrom(&actions, 3) }
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()
}
