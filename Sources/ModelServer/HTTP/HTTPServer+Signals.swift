import CLinuxShim
import Foundation
import Glibc
import ServingGraph
import Synchronization

/// The eventfd the signal handler writes to; an atomic so the handler reads it without a lock
/// (a lock-free load is async-signal-safe). -1 until `installSignalHandlers` runs.
private let signalEventFD = Atomic<Int32>(-1)

extension HTTPServer {
    /// SIGTERM and SIGINT start a graceful `shutdown`; SIGPIPE is ignored. Call once, from `main`.
    ///
    /// The handler only writes to an eventfd (async-signal-safe); a watcher thread blocked on it calls
    /// `shutdown`. (A dispatch signal source does not work here: on Linux an ignored signal is discarded
    /// before libdispatch sees it, and an unignored one kills the process first.)
    package func installSignalHandlers() {
        signal(SIGPIPE, SIG_IGN)
        let fd = eventfd(0, Int32(EFD_CLOEXEC))
        guard fd >= 0 else {
            logger.error("cannot watch for SIGTERM/SIGINT: eventfd failed", [("errno", String(errno))])
            return
        }
        guard signalEventFD.compareExchange(expected: -1, desired: fd, ordering: .sequentiallyConsistent).exchanged
        else {
            Syscall.close(fd)
            logger.warning("signal handlers are already installed")
            return
        }
        let handler: @convention(c) (Int32) -> Void = { _ in
            var one: UInt64 = 1
            _ = write(signalEventFD.load(ordering: .relaxed), &one, MemoryLayout<UInt64>.size)
        }
        signal(SIGTERM, handler)
        signal(SIGINT, handler)
        // A parent may have spawned us with these signals blocked (Foundation's Process does, from a dispatch
        // thread); blocked, they would stay pending forever. Loop threads started later inherit this mask.
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        let logger = logger
        let thread = Thread { [weak self] in
            var count: UInt64 = 0
            while read(fd, &count, MemoryLayout<UInt64>.size) < 0 && errno == EINTR {}
            logger.info("SIGTERM/SIGINT received: graceful shutdown")
            self?.shutdown()
        }
        thread.name = "http-signals"
        thread.start()
    }
}
