import CLinuxShim
import Glibc

/// The open-loop load generator: one thread, one level-triggered epoll set, `connections` sockets.
///
/// Request `i` is scheduled at `start + i / rate` and handed to connection `i mod connections`,
/// pipelined behind earlier requests if that connection is still busy, so a slow response never
/// delays the schedule. Latency runs from the scheduled time (not the actual send) to the read that
/// completes the response, which makes the numbers free of coordinated omission, as in wrk2.
/// To hit microsecond send times, the loop sleeps in `epoll_pwait2` (nanosecond timeout) until
/// ``spinWindowNanoseconds`` before the next send and polls with a zero timeout inside that window:
/// above ~10 000 req/s the generator keeps its own CPU busy, which is why the scripts pin it apart.
final class OpenLoopGenerator {
    /// Below this distance to the next scheduled send the loop polls instead of sleeping; larger than
    /// the kernel's default 50 µs timer slack, so a sleep never overshoots a scheduled send.
    static let spinWindowNanoseconds: UInt64 = 100_000
    /// Bytes read per `read` call.
    static let readChunkBytes = 64 * 1024

    private let configuration: OpenLoopConfiguration
    private let request: [UInt8]
    private var connections: [LoadConnection] = []
    private var epollFD: Int32 = -1
    private var report = OpenLoopReport()
    /// Requests sent and not yet answered or lost, over all connections.
    private var inFlight = 0
    private var readBuffer: UnsafeMutableRawBufferPointer

    /// Prepares a run; nothing is connected until ``run()``.
    init(configuration: OpenLoopConfiguration) {
        self.configuration = configuration
        self.request = configuration.requestBytes()
        self.readBuffer = .allocate(byteCount: Self.readChunkBytes, alignment: 16)
    }

    deinit {
        readBuffer.deallocate()
        if epollFD >= 0 { close(epollFD) }
    }

    /// Connects every connection, runs the schedule, waits for stragglers up to the drain timeout,
    /// and returns the counts. Throws if a connection cannot be (re)opened.
    func run() throws(OpenLoopError) -> OpenLoopReport {
        signal(SIGPIPE, SIG_IGN)
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw .systemCallFailed(name: "epoll_create1", errno: errno) }
        for index in 0..<configuration.connections {
            let connection = LoadConnection(fd: try openSocket())
            connections.append(connection)
            try watch(connection, index: index, operation: EPOLL_CTL_ADD)
        }
        let schedule = Schedule(configuration: configuration, start: SocketCalls.monotonicNanoseconds())
        var events = [epoll_event](repeating: epoll_event(), count: 64)
        var next = 0
        var lastCompletion = schedule.start
        while true {
            let now = SocketCalls.monotonicNanoseconds()
            while next < schedule.total, schedule.due(next) <= now {
                try send(requestNumber: next, scheduledAt: schedule.due(next), now: now)
                next += 1
            }
            if next == schedule.total && inFlight == 0 { break }
            if now >= schedule.drainDeadline {
                report.unfinished = inFlight
                break
            }
            let wake = next < schedule.total ? schedule.due(next) : schedule.drainDeadline
            var timeout = Self.sleepTimeout(until: wake, now: now)
            let count = events.withUnsafeMutableBufferPointer {
                epoll_pwait2(epollFD, $0.baseAddress, Int32($0.count), &timeout, nil)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw .systemCallFailed(name: "epoll_pwait2", errno: errno)
            }
            if try handle(events[0..<Int(count)]) { lastCompletion = SocketCalls.monotonicNanoseconds() }
        }
        report.elapsedNanoseconds = max(lastCompletion, schedule.end) - schedule.start
        return report
    }

    /// When each request is due and when the run ends, in `CLOCK_MONOTONIC` nanoseconds.
    struct Schedule {
        /// Time request 0 is due.
        let start: UInt64
        /// Number of requests, `rate × duration`.
        let total: Int
        /// Nanoseconds between consecutive requests.
        let interval: Double
        /// End of the sending window.
        let end: UInt64
        /// Time after which unanswered requests are given up as unfinished.
        let drainDeadline: UInt64

        init(configuration: OpenLoopConfiguration, start: UInt64) {
            self.start = start
            total = configuration.totalRequests
            interval = 1e9 / configuration.rate
            end = start + UInt64(configuration.duration * 1e9)
            drainDeadline = end + UInt64(configuration.drainTimeout * 1e9)
        }

        /// Scheduled send time of request `number`: `start + number / rate`.
        func due(_ number: Int) -> UInt64 { start + UInt64(Double(number) * interval) }
    }

    /// How long `epoll_pwait2` may sleep: zero (poll) within the spin window before `wake`, else
    /// until the window starts, at most one second.
    static func sleepTimeout(until wake: UInt64, now: UInt64) -> timespec {
        guard wake > now, wake - now > spinWindowNanoseconds else { return timespec(tv_sec: 0, tv_nsec: 0) }
        let nanoseconds = min(wake - now - spinWindowNanoseconds, 999_999_999)
        return timespec(tv_sec: 0, tv_nsec: Int(nanoseconds))
    }

    // MARK: - Connection events

    /// Reads and flushes the connections epoll reported; true if any response completed.
    private func handle(_ events: ArraySlice<epoll_event>) throws(OpenLoopError) -> Bool {
        var completed = false
        for event in events {
            let index = Int(event.data.u32)
            // EPOLLERR/EPOLLHUP go through read, which finds the error or EOF (one error path).
            if event.events & (EPOLLIN.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
                if try readResponses(index) { completed = true }
            }
            if event.events & EPOLLOUT.rawValue != 0 { try flush(index) }
        }
        return completed
    }

    private func send(requestNumber: Int, scheduledAt due: UInt64, now: UInt64) throws(OpenLoopError) {
        let index = requestNumber % connections.count
        let connection = connections[index]
        let wasBlocked = connection.hasPendingBytes
        connection.enqueue(request, scheduledAt: due)
        report.sent += 1
        inFlight += 1
        report.sendLag.record(now - due)
        if !wasBlocked { try flush(index) }
    }

    private func flush(_ index: Int) throws(OpenLoopError) {
        let connection = connections[index]
        do {
            try connection.flush()
        } catch {
            try reopen(index, reason: error)
            return
        }
        try watch(connection, index: index, operation: EPOLL_CTL_MOD)
    }

    /// Reads once and records every response completed by the bytes read; true if any completed.
    private func readResponses(_ index: Int) throws(OpenLoopError) -> Bool {
        let connection = connections[index]
        let result: IOResult
        do {
            result = try SocketCalls.read(connection.fd, into: readBuffer)
        } catch {
            try reopen(index, reason: error)
            return false
        }
        guard case .processed(let count) = result else { return false }
        guard count > 0 else {
            try reopen(index, reason: nil)
            return false
        }
        connection.parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
        let now = SocketCalls.monotonicNanoseconds()
        var any = false
        do {
            while let status = try connection.parser.nextResponse() {
                guard let scheduled = connection.completeOldest() else {
                    try reopen(index, reason: nil)
                    return any
                }
                report.completed += 1
                inFlight -= 1
                if !(200..<300).contains(status) { report.non2xx += 1 }
                report.latency.record(now - scheduled)
                any = true
            }
        } catch {
            try reopen(index, reason: error)
        }
        return any
    }

    /// Replaces a connection the server closed or broke; its in-flight requests count as errors.
    private func reopen(_ index: Int, reason: (any Error)?) throws(OpenLoopError) {
        let connection = connections[index]
        epoll_ctl(epollFD, EPOLL_CTL_DEL, connection.fd, nil)
        let lost = connection.reopen(with: try openSocket())
        report.connectionErrors += lost
        inFlight -= lost
        report.reconnects += 1
        report.lastConnectionError = reason.map { "\($0)" } ?? "server closed the connection"
        try watch(connection, index: index, operation: EPOLL_CTL_ADD)
    }

    private func openSocket() throws(OpenLoopError) -> Int32 {
        let url = configuration.url
        return try SocketCalls.connectNonBlocking(address: url.address, port: url.port, host: url.host)
    }

    /// Level-triggered interest: always readable, writable only while bytes are pending.
    private func watch(_ connection: LoadConnection, index: Int, operation: Int32) throws(OpenLoopError) {
        var event = epoll_event()
        event.events = EPOLLIN.rawValue | (connection.hasPendingBytes ? EPOLLOUT.rawValue : 0)
        event.data.u32 = UInt32(index)
        guard epoll_ctl(epollFD, operation, connection.fd, &event) == 0 else {
            throw .systemCallFailed(name: "epoll_ctl", errno: errno)
        }
    }
}

@available(*, unavailable)
extension OpenLoopGenerator: Sendable {}
