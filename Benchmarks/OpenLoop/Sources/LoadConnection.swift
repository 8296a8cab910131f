import Glibc

/// One keep-alive connection of the generator: bytes waiting to be sent, the scheduled send times
/// of requests still waiting for their response (oldest first), and the response parser.
///
/// Loop-confined: owned and used only by the thread running ``OpenLoopGenerator/run()``.
final class LoadConnection {
    /// The socket; replaced when the connection is re-opened after the server closed it.
    private(set) var fd: Int32
    /// Bytes of requests not yet accepted by the kernel.
    private var pending: [UInt8] = []
    private var pendingIndex = 0
    /// Scheduled send times of in-flight requests, a FIFO as `scheduledTimes[inFlightStart...]`.
    private var scheduledTimes: [UInt64] = []
    private var inFlightStart = 0
    /// Parser of this connection's response stream.
    var parser = HTTPResponseParser()

    /// Wraps an open, non-blocking socket.
    init(fd: Int32) {
        self.fd = fd
    }

    deinit {
        close(fd)
    }

    /// Requests sent (or queued) whose response has not arrived.
    var inFlightCount: Int { scheduledTimes.count - inFlightStart }

    /// True while request bytes wait for the socket to become writable.
    var hasPendingBytes: Bool { pendingIndex < pending.count }

    /// Queues one request scheduled at `scheduledTime`; call ``flush()`` to send it.
    func enqueue(_ request: [UInt8], scheduledAt scheduledTime: UInt64) {
        if pendingIndex == pending.count {
            pending.removeAll(keepingCapacity: true)
            pendingIndex = 0
        } else if pendingIndex > 64 * 1024 {
            // Under sustained backpressure the buffer never empties: drop the sent prefix.
            pending.removeFirst(pendingIndex)
            pendingIndex = 0
        }
        pending += request
        scheduledTimes.append(scheduledTime)
    }

    /// Writes as much pending data as the socket takes.
    func flush() throws(OpenLoopError) {
        while pendingIndex < pending.count {
            let attempt = pending.withUnsafeBytes { bytes in
                Result { () throws(OpenLoopError) -> IOResult in
                    try SocketCalls.send(fd, UnsafeRawBufferPointer(rebasing: bytes[pendingIndex...]))
                }
            }
            switch try attempt.get() {
            case .processed(let count): pendingIndex += count
            case .wouldBlock: return
            }
        }
    }

    /// Removes and returns the scheduled time of the oldest in-flight request.
    func completeOldest() -> UInt64? {
        guard inFlightStart < scheduledTimes.count else { return nil }
        let time = scheduledTimes[inFlightStart]
        inFlightStart += 1
        if inFlightStart == scheduledTimes.count {
            scheduledTimes.removeAll(keepingCapacity: true)
            inFlightStart = 0
        } else if inFlightStart > 4096 {
            scheduledTimes.removeFirst(inFlightStart)
            inFlightStart = 0
        }
        return time
    }

    /// Drops the broken socket and everything in flight on it, and connects again.
    /// Returns how many in-flight requests were lost.
    func reopen(with newFD: Int32) -> Int {
        let lost = inFlightCount
        close(fd)
        fd = newFD
        pending.removeAll(keepingCapacity: true)
        pendingIndex = 0
        scheduledTimes.removeAll(keepingCapacity: true)
        inFlightStart = 0
        parser = HTTPResponseParser()
        return lost
    }
}

@available(*, unavailable)
extension LoadConnection: Sendable {}
