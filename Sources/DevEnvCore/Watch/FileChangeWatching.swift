/// Tells, without polling, that files in some folders changed: the port the dashboard watches
/// its configuration through (DevEnvSystem's `InotifyWatcher` on Linux). The core only says
/// what to watch (`WatchedFiles`) and what a change means. Not safe to share between threads
/// unguarded: the dashboard calls it under one lock (`DashboardFileWatch`).
public protocol FileChangeWatching: AnyObject {
    /// Readable (for poll(2)) while changes wait to be taken with `changes()`.
    var descriptor: Int32 { get }
    /// Starts watching `folder` (its entries, not below): a file written and closed, created,
    /// renamed in or out, or removed. A folder that is not there is skipped: returns false.
    /// Watching a folder already watched changes nothing and returns true.
    @discardableResult
    func watch(folder: String) -> Bool
    /// Stops watching `folder` (nothing when it was not watched).
    func unwatch(folder: String)
    /// The folders watched now: a watched folder that was removed or renamed away is no
    /// longer among them once `changes()` has taken the news.
    var watchedFolders: Set<String> { get }
    /// The paths (folder + "/" + name) changed since the last call, without blocking; a watched
    /// folder's own path when it was removed or renamed away; the watched folders themselves
    /// when the kernel's queue overflowed (something changed).
    func changes() -> [String]
    /// Stops watching; the descriptor is closed.
    func close()
}
