import FeatureEnrich
import Glibc
import ServingGraph
import Synchronization

/// One event loop: a thread blocked in `epoll_wait`, a listening socket (its own, or one shared by all loops),
/// and the connections it accepted, indexed by descriptor. Requests are parsed and handed to the loop's responder on this thread.
///
/// Each wake-up: handle the ready descriptors (accept, read-parse-respond, write), then the ready-list of
/// connections with requests still buffered (epoll will not report them again), then expired timers.
/// Output is flushed before the loop sleeps again. Loop-confined: built and run on its own thread.
/// Its mutable state is `@exclusivity(unchecked)` for the reason given on ``HTTPConnection``.
final class HTTPEventLoop {
    let index: Int
    let configuration: HTTPServerConfiguration
    let logger: Logger
    let counters: HTTPServerCounters
    let responder: any HTTPResponder
    let poller: EpollPoller
    let waker: HTTPLoopWaker
    /// The listening socket; nil once shutdown began.
    @exclusivity(unchecked) var listener: HTTPListenerSocket?
    /// Called once the listener is closed (shutdown or exit), so `HTTPServer.shutdown` knows accepting stopped.
    let onListenerClosed: () -> Void
    /// Connections by descriptor.
    @exclusivity(unchecked) var connections: [HTTPConnection?] = []
    @exclusivity(unchecked) var openConnections = 0
    @exclusivity(unchecked) var timers = HTTPTimerHeap()
    @exclusivity(unchecked) var readyList: [Int32] = []
    var nextConnectionID: UInt64 = 0
    /// `/dev/null`, closed to make room for one accept under EMFILE, then reopened.
    var spareFD: Int32
    /// While descriptors are exhausted and no spare is left, the listener is unwatched until then.
    @exclusivity(unchecked) var acceptPausedUntil: Int64?
    /// One read buffer for every connection of the loop.
    let readBuffer: UnsafeMutableRawBufferPointer
    /// Monotonic milliseconds, refreshed after every wake-up.
    @exclusivity(unchecked) var now: Int64
    /// The `Date` field, refreshed once per wake-up.
    @exclusivity(unchecked) var dateCache = HTTPDateCache()
    /// When the grace period ends, once shutdown began.
    @exclusivity(unchecked) var shutdownDeadline: Int64?

    /// A loop over `descriptors` (made by `HTTPLoopDescriptors.make`: the listener already listening, the
    /// epoll instance already watching it and the waker); it owns and closes them from now on.
    init(
        index: Int, descriptors: HTTPLoopDescriptors, configuration: HTTPServerConfiguration, logger: Logger,
        counters: HTTPServerCounters, responder: any HTTPResponder, onListenerClosed: @escaping () -> Void
    ) {
        self.index = index
        self.configuration = configuration
        self.logger = logger
        self.counters = counters
        self.responder = responder
        self.waker = descriptors.waker
        self.onListenerClosed = onListenerClosed
        self.poller = EpollPoller(adopting: descriptors.epollFD)
        self.listener = descriptors.listener
        self.spareFD = descriptors.spareFD
        self.readBuffer = UnsafeMutableRawBufferPointer.allocate(
            byteCount: max(1024, configuration.readChunkBytes), alignment: 16)
        self.now = Self.monotonicMilliseconds()
    }

    deinit {
        readBuffer.deallocate()
    }

    /// Runs until shutdown completes (or epoll fails), then closes everything it owns.
    func run() {
        logger.debug("event loop started", [("loop", String(index))])
        // Store writes queued while handling one poll's sockets wake the writer once, before the next poll.
        WriterWakeUpDeferral.enableOnCurrentThread()
        while true {
            WriterWakeUpDeferral.deliver()
            do {
                var refreshed = false
                try poller.poll(timeoutMilliseconds: pollTimeout()) { event in
                    now = Self.monotonicMilliseconds()
                    if !refreshed {
                        dateCache.refresh()
                        refreshed = true
                    }
                    handle(event)
                }
            } catch {
                logger.error("event loop stopped: \(error)", [("loop", String(index))])
                break
            }
            now = Self.monotonicMilliseconds()
            counters.loopIterations.wrappingAdd(1, ordering: .relaxed)
            drainReadyList()
            fireTimers()
            resumeAcceptingIfDue()
            if shutdownDeadline == nil && waker.isShutdownRequested { beginShutdown() }
            if let deadline = shutdownDeadline, openConnections == 0 || now >= deadline {
                if openConnections > 0 {
                    logger.warning(
                        "grace period over: closing connections still open",
                        [("loop", String(index)), ("connections", String(openConnections))])
                }
                break
            }
        }
        WriterWakeUpDeferral.deliver()
        tearDown()
        logger.debug("event loop stopped", [("loop", String(index))])
    }

    private func handle(_ event: PollEvent) {
        if event.fd == waker.fd {
            drainWaker()
        } else if event.fd == listener?.fd {
            acceptConnections()
        } else if let connection = connection(for: event.fd) {
            if event.readable { handleReadable(connection) }
            if event.writable, self.connection(for: event.fd) === connection { handleWritable(connection) }
        }
    }

    /// The open connection on `fd`, if any.
    func connection(for fd: Int32) -> HTTPConnection? {
        fd >= 0 && Int(fd) < connections.count ? connections[Int(fd)] : nil
    }

    /// The open connection `token` names, if it is still open.
    func connection(for token: HTTPConnectionToken) -> HTTPConnection? {
        guard let connection = connection(for: token.fd), connection.token == token else { return nil }
        return connection
    }

    /// 0 when requests are waiting on the ready-list, else until the next deadline (at most 1 s).
    private func pollTimeout() -> Int32 {
        guard readyList.isEmpty else { return 0 }
        var wait: Int64 = 1000
        if let next = timers.nextDeadline { wait = min(wait, next - now) }
        if let deadline = shutdownDeadline { wait = min(wait, deadline - now) }
        if let until = acceptPausedUntil { wait = min(wait, until - now) }
        return Int32(max(0, wait))
    }

    // MARK: - Wake-ups, ready-list and timers

    private func drainWaker() {
        for token in waker.drain() {
            guard let connection = connection(for: token) else { continue }
            flushResponses(connection)
        }
    }

    /// Remembers that `connection` has buffered requests to parse without waiting for epoll.
    func markReady(_ connection: HTTPConnection) {
        guard !connection.onReadyList else { return }
        connection.onReadyList = true
        readyList.append(connection.fd)
    }

    private func drainReadyList() {
        guard !readyList.isEmpty else { return }
        let ready = readyList
        readyList.removeAll(keepingCapacity: true)
        for fd in ready {
            guard let connection = connection(for: fd) else { continue }
            connection.onReadyList = false
            processRequests(connection)
        }
    }

    /// Arms `connection`'s timer for `deadline` unless an earlier entry is already in the heap.
    func arm(_ connection: HTTPConnection, at deadline: Int64) {
        if let armed = connection.timerDeadline, armed <= deadline { return }
        connection.timerDeadline = deadline
        timers.schedule(connection.token, at: deadline)
    }

    private func fireTimers() {
        while let entry = timers.popExpired(now: now) {
            guard let connection = connection(for: entry.token) else { continue }
            if connection.timerDeadline == entry.deadline { connection.timerDeadline = nil }
            perform(connection.machine.timeoutFired(now: now), on: connection)
        }
    }

    /// Carries out what the state machine decided.
    func perform(_ action: HTTPConnectionStateMachine.Action, on connection: HTTPConnection) {
        switch action {
        case .doNothing:
            break
        case .scheduleTimeout(let deadline):
            arm(connection, at: deadline)
        case .respondTimeoutAndClose:
            let error = HTTPResponse.error(.requestTimeout, message: "request not received within the timeout")
            connection.queue.append(HTTPConnection.Slot(content: .ready(error), headOnly: false, echoKeepAlive: false))
            flushResponses(connection)
        case .close:
            if connection.hasPendingOutput {
                connection.closeAfterFlush = true
                updateInterest(connection)
            } else {
                close(connection)
            }
        }
    }

    // MARK: - Shutdown

    private func beginShutdown() {
        shutdownDeadline = now + HTTPServerConfiguration.milliseconds(configuration.shutdownGracePeriod)
        closeListener()
        for case let connection? in connections {
            perform(connection.machine.shutdownRequested(), on: connection)
            if self.connection(for: connection.token) != nil { updateInterest(connection) }
        }
    }

    private func closeListener() {
        guard let listener else { return }
        if acceptPausedUntil == nil { poller.deregister(listener.fd) }
        acceptPausedUntil = nil
        listener.release()
        self.listener = nil
        onListenerClosed()
    }

    private func tearDown() {
        for case let connection? in connections { close(connection) }
        closeListener()
        poller.deregister(waker.fd)
        poller.close()
        if spareFD >= 0 { Syscall.close(spareFD) }
    }

    /// `CLOCK_MONOTONIC` in milliseconds.
    static func monotonicMilliseconds() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}

@available(*, unavailable)
extension HTTPEventLoop: Sendable {}
