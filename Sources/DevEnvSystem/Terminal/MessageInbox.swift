#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Messages sent to the event loop from other threads (background readers). Sending wakes the
/// loop through a pipe; the loop takes everything queued in one go.
public final class MessageInbox<Message>: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    private var queue: [Message] = []
    let readFD: Int32
    private let writeFD: Int32

    init() {
        pthread_mutex_init(&mutex, nil)
        var fds: [Int32] = [-1, -1]
        if pipe(&fds) == 0 {
            for fd in fds {
                _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
                _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            }
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    deinit {
        pthread_mutex_destroy(&mutex)
        if readFD >= 0 { close(readFD) }
        if writeFD >= 0 { close(writeFD) }
    }

    /// Queues a message for the loop; callable from any thread.
    public func send(_ message: Message) {
        pthread_mutex_lock(&mutex)
        let wasEmpty = queue.isEmpty
        queue.append(message)
        pthread_mutex_unlock(&mutex)
        if wasEmpty && writeFD >= 0 {
            var b: UInt8 = 1
            _ = write(writeFD, &b, 1)
        }
    }

    /// Everything queued, in order, emptying the queue (the loop's, or what is left once it ended).
    public func takeAll() -> [Message] {
        var buf = [UInt8](repeating: 0, count: 64)
        while readFD >= 0 && read(readFD, &buf, buf.count) > 0 {}
        pthread_mutex_lock(&mutex)
        let out = queue
        queue.removeAll()
        pthread_mutex_unlock(&mutex)
        return out
    }
}
