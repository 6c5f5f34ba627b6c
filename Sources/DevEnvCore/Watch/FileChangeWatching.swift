/// Tells, without polling, that files in some folders changed: the port the dashboard watches
/// its configuration through (DevEnvSystem's `InotifyWatcher` on Linux). The core only says
/// what to watch (`WatchedFiles`) and what a change means.
public protocol FileChangeWatching: AnyObject {
    /// Readable (for poll(2)) while changes wait to be taken with `changes()`.
    var descriptor: Int32 { get }
    /// Starts watching `folder` (its entries, not below): a file written and closed, created,
    /// renamed in or out, or removed. A folder that is not there is skipped: returns false.
    @discardableResult
    func watch(folder: String) -> Bool
    /// The paths (folder + "/" + name) changed since the last call, without blocking; the
    /// watched folders themselves when the kernel's queue overflowed (something changed).
    func changes() -> [String]
    /// Stops watching; the descriptor is closed.
    func close()
}
