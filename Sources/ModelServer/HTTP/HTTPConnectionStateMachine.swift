/// The life of one connection as a value: which timeout applies, when to close, and whether the last
/// response says `Connection: close`. It holds no socket and reads no clock: every event carries `now`
/// (monotonic milliseconds) and the machine returns an action for the connection to perform, so it is
/// tested with a manual clock (hummingbird's `HTTPConnectionStateHandler` pattern).
///
/// Timeouts: the header read timeout runs from the first byte of a request's head and is not extended by
/// later bytes (a slow client cannot trickle past it) → 408 and close. While a body arrives, or while a
/// response waits for a slow reader, each byte of progress re-arms the idle timeout → close. A connection
/// with nothing in flight is closed quietly after the idle timeout. No timeout runs while the application
/// is working on a request.
struct HTTPConnectionStateMachine {
    /// The two timeouts, in milliseconds.
    struct Timeouts: Equatable {
        var headerRead: Int64
        var idle: Int64
    }

    /// Where the connection is.
    enum Phase: Equatable {
        /// Nothing of a next request has arrived.
        case idle
        /// Part of a request head has arrived.
        case readingHead
        /// The head is parsed; its body is arriving.
        case readingBody
        /// Closed, or closing once queued output is written.
        case closing
    }

    /// What the connection must do after an event.
    enum Action: Equatable {
        case doNothing
        /// Arm the connection's timer for `at` (any earlier deadline is replaced).
        case scheduleTimeout(at: Int64)
        /// Queue a 408 response, then close once it is written.
        case respondTimeoutAndClose
        /// Close now, without a response.
        case close
    }

    let timeouts: Timeouts
    private(set) var phase = Phase.idle
    /// Requests handed to the application whose responses are not fully written.
    private(set) var inFlight = 0
    /// Close after the in-flight responses: the client or the server said so, or a framing error.
    private(set) var closeAfterInFlight = false
    /// The connection is stalled on a client that does not read its responses.
    private(set) var writeBlocked = false
    /// When the current timeout fires, or nil when none runs.
    private(set) var deadline: Int64?

    /// A machine for a connection accepted at `now`; the caller arms `deadline` (the idle timeout).
    init(timeouts: Timeouts, now: Int64) {
        self.timeouts = timeouts
        deadline = now + timeouts.idle
    }

    /// Bytes arrived and the parser wants more: `headComplete` tells whether it is inside a body.
    mutating func receivedPartialRequest(headComplete: Bool, now: Int64) -> Action {
        switch phase {
        case .closing:
            return .doNothing
        case .idle, .readingHead:
            if headComplete { return arm(.readingBody, at: now + timeouts.idle) }
            if phase == .readingHead { return .doNothing }
            return arm(.readingHead, at: now + timeouts.headerRead)
        case .readingBody:
            return arm(.readingBody, at: now + timeouts.idle)
        }
    }

    /// A complete request was handed to the application; `keepAlive` is false when it or its response closes.
    mutating func requestReceived(keepAlive: Bool) -> Action {
        inFlight += 1
        if !keepAlive { closeAfterInFlight = true }
        guard phase != .closing else { return .doNothing }
        phase = closeAfterInFlight ? .closing : .idle
        deadline = nil
        return .doNothing
    }

    /// The parser failed: one error response is queued, then the connection closes.
    mutating func framingFailed() -> Action {
        inFlight += 1
        closeAfterInFlight = true
        phase = .closing
        deadline = nil
        return .doNothing
    }

    /// Whether the response being written now is the last one: it then carries `Connection: close`.
    var isLastResponse: Bool {
        closeAfterInFlight && inFlight == 1
    }

    /// One response was written completely; `partialRequestBuffered` tells whether a next request has begun.
    mutating func responseWritten(partialRequestBuffered: Bool, now: Int64) -> Action {
        inFlight -= 1
        writeBlocked = false
        if inFlight == 0 && closeAfterInFlight { return close() }
        guard inFlight == 0, phase != .closing else { return .doNothing }
        switch phase {
        case .idle:
            if partialRequestBuffered { return arm(.readingHead, at: now + timeouts.headerRead) }
            return arm(.idle, at: now + timeouts.idle)
        case .readingHead:
            // The head's timer was suspended while responses were owed; it restarts now.
            return deadline == nil ? arm(.readingHead, at: now + timeouts.headerRead) : .doNothing
        case .readingBody:
            return deadline == nil ? arm(.readingBody, at: now + timeouts.idle) : .doNothing
        case .closing:
            return .doNothing
        }
    }

    /// A write could not finish (the client does not read): a stalled reader is closed after the idle timeout.
    mutating func writeStalled(now: Int64) -> Action {
        guard !writeBlocked || deadline == nil else { return .doNothing }
        writeBlocked = true
        deadline = now + timeouts.idle
        return .scheduleTimeout(at: now + timeouts.idle)
    }

    /// Part of a stalled write went out: progress re-arms the idle timeout.
    mutating func writeProgressed(now: Int64) -> Action {
        guard writeBlocked else { return .doNothing }
        deadline = now + timeouts.idle
        return .scheduleTimeout(at: now + timeouts.idle)
    }

    /// All queued output went out: the connection is no longer stalled on its reader.
    mutating func writeCompleted() {
        writeBlocked = false
    }

    /// The timer fired at `now`; a deadline moved later in the meantime is re-armed instead.
    mutating func timeoutFired(now: Int64) -> Action {
        guard let deadline else { return .doNothing }
        guard now >= deadline else { return .scheduleTimeout(at: deadline) }
        self.deadline = nil
        if writeBlocked { return close() }
        switch phase {
        case .idle:
            return inFlight == 0 ? close() : .doNothing
        case .readingHead, .readingBody:
            // Earlier responses are still owed: the client may be waiting for them; resume once they are out.
            if inFlight > 0 { return .doNothing }
            // The 408 is the one response left: it carries Connection: close.
            inFlight = 1
            closeAfterInFlight = true
            phase = .closing
            return .respondTimeoutAndClose
        case .closing:
            return close()
        }
    }

    /// The server is shutting down: idle connections close now, the others after their in-flight responses.
    mutating func shutdownRequested() -> Action {
        closeAfterInFlight = true
        if inFlight == 0 && phase != .readingBody { return close() }
        if phase != .readingBody { phase = .closing }
        return .doNothing
    }

    /// The peer closed its side (EOF): responses already owed are still written, then the connection closes.
    mutating func peerClosed() -> Action {
        closeAfterInFlight = true
        if inFlight == 0 { return close() }
        phase = .closing
        return .doNothing
    }

    private mutating func arm(_ phase: Phase, at deadline: Int64) -> Action {
        self.phase = phase
        self.deadline = deadline
        return .scheduleTimeout(at: deadline)
    }

    private mutating func close() -> Action {
        phase = .closing
        deadline = nil
        return .close
    }
}
