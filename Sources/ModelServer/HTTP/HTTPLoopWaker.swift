import CLinuxShim
import Glibc
import Synchronization

/// Names one connection of one loop: its descriptor plus a serial number, so a completion that arrives
/// after the connection closed (and the descriptor was reused) is recognised and dropped.
struct HTTPConnectionToken: Sendable, Equatable {
    let fd: Int32
    let id: UInt64
}

/// How other threads reach an event loop: a `Mutex`-protected inbox of completed connections, a shutdown
/// flag, and an eventfd whose write wakes the loop from `epoll_wait` (FlyingFox's "canary").
///
/// Thread-safe. It owns the eventfd and closes it in `deinit`, which happens only once no pending response
/// can still post to it, so a late completion never writes into a reused descriptor.
final class HTTPLoopWaker: Sendable {
    /// The eventfd the loop watches for reading.
    let fd: Int32
    private let inbox = Mutex<[HTTPConnectionToken]>([])
    private let shutdownFlag = Atomic<Bool>(false)

    /// A waker with a fresh non-blocking eventfd.
    init() throws(SyscallError) {
        fd = Int32(try Syscall.call("eventfd") { Int(eventfd(0, EFD_NONBLOCKING)) })
    }

    deinit {
        Syscall.close(fd)
    }

    /// Queues `token` (its connection has a completed response) and wakes the loop. Any thread.
    ///
    /// Only the post that finds the inbox empty writes the eventfd: the tokens queued after it are taken by the
    /// same ``drain()`` (which reads the eventfd before it takes the inbox), so a writer completing a batch of
    /// requests makes one `write(2)` and one wake-up instead of one per request.
    func post(_ token: HTTPConnectionToken) {
        let wasEmpty = inbox.withLock { tokens in
            tokens.append(token)
            return tokens.count == 1
        }
        if wasEmpty { signal() }
    }

    /// Asks the loop to shut down gracefully and wakes it. Any thread.
    func requestShutdown() {
        shutdownFlag.store(true, ordering: .releasing)
        signal()
    }

    /// Whether shutdown was requested.
    var isShutdownRequested: Bool {
        shutdownFlag.load(ordering: .acquiring)
    }

    /// Loop side: resets the eventfd and takes the queued tokens.
    func drain() -> [HTTPConnectionToken] {
        var counter: UInt64 = 0
        _ = read(fd, &counter, MemoryLayout<UInt64>.size)
        return inbox.withLock { tokens in
            let taken = tokens
            tokens.removeAll(keepingCapacity: true)
            return taken
        }
    }

    private func signal() {
        var one: UInt64 = 1
        // EAGAIN means the counter is already non-zero: the loop will wake anyway.
        while write(fd, &one, MemoryLayout<UInt64>.size) < 0 && errno == EINTR {}
    }
}
