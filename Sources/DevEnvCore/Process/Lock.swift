#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutual-exclusion lock (a pthread mutex on the heap, so its address never moves) for state
/// shared between the threads of one command: the runner's reading loop, the dashboard's
/// concurrent snapshot calls. Here instead of Foundation's NSLock so that no target imports
/// all of Foundation: linking it (with FoundationInternationalization and ICU's data) made
/// the shipped binary 84 MB, with some 76,000 relocations the loader applies at every start
/// (issue 14, start-up cost).
public final class Lock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` holding the lock; not reentrant (a nested call from `body` deadlocks).
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
