/// One client connection of an event loop: its parser, state machine, queue of owed responses and output
/// buffer. The loop performs all I/O; this type only holds state.
///
/// Loop-confined: created, used and closed on its loop's thread; the loop indexes it by descriptor.
/// Its mutable state is `@exclusivity(unchecked)`: only the loop's thread touches it, every access is
/// one statement (none is held across a call that reaches the same property), and the runtime check
/// cost ~80 instructions per access, ~35 accesses per request between this type and the loop.
final class HTTPConnection {
    /// A response owed to the client, in request order.
    struct Slot {
        enum Content {
            case ready(HTTPResponse)
            case pending(HTTPPendingResponse)
        }
        var content: Content
        /// The request was HEAD: send the head only.
        var headOnly: Bool
        /// The request was HTTP/1.0 with `Connection: keep-alive`: echo it.
        var echoKeepAlive: Bool
    }

    /// The socket.
    let fd: Int32
    /// Names this connection in timers and completions (the fd alone may be reused).
    let token: HTTPConnectionToken
    /// Decodes requests from the bytes read.
    @exclusivity(unchecked) var parser: HTTPRequestParser
    /// Decides timeouts and closing.
    @exclusivity(unchecked) var machine: HTTPConnectionStateMachine
    /// Responses owed, oldest first; only the first may be written.
    @exclusivity(unchecked) var queue: [Slot] = []
    /// Serialised responses not yet sent, from `outputOffset`.
    @exclusivity(unchecked) var output: [UInt8] = []
    @exclusivity(unchecked) var outputOffset = 0
    /// What epoll watches this descriptor for.
    @exclusivity(unchecked) var registeredInterest: PollInterest = .read
    /// The earliest deadline this connection has in the loop's timer heap, if any.
    @exclusivity(unchecked) var timerDeadline: Int64?
    /// Bytes this connection counts in the server-wide buffered total.
    @exclusivity(unchecked) var accountedBytes = 0
    /// The peer sent EOF.
    @exclusivity(unchecked) var readClosed = false
    /// Close once `output` is sent.
    @exclusivity(unchecked) var closeAfterFlush = false
    /// The loop closed the socket; the object may still be referenced by the code that closed it.
    @exclusivity(unchecked) var isClosed = false
    /// Parsing stopped with bytes buffered because `maxResponsesInFlight` responses were owed.
    @exclusivity(unchecked) var parseDeferred = false
    /// On the loop's ready-list (requests buffered beyond the per-wake-up cap).
    @exclusivity(unchecked) var onReadyList = false

    init(
        fd: Int32, id: UInt64, limits: HTTPRequestParser.Limits, timeouts: HTTPConnectionStateMachine.Timeouts,
        now: Int64
    ) {
        self.fd = fd
        self.token = HTTPConnectionToken(fd: fd, id: id)
        self.parser = HTTPRequestParser(limits: limits)
        self.machine = HTTPConnectionStateMachine(timeouts: timeouts, now: now)
    }

    /// Output is waiting to be sent.
    var hasPendingOutput: Bool { outputOffset < output.count }

    /// Whether the loop should read more from the socket now.
    func wantsRead(maxResponsesInFlight: Int) -> Bool {
        !readClosed && !closeAfterFlush && machine.phase != .closing && queue.count < maxResponsesInFlight
    }

    /// Whether buffered bytes may hold another request the loop should parse.
    func mayParse(maxResponsesInFlight: Int) -> Bool {
        !closeAfterFlush && machine.phase != .closing && queue.count < maxResponsesInFlight
    }

    /// Drops sent output; a buffer that grew for a large response is released rather than kept.
    func resetOutput() {
        output.removeAll(keepingCapacity: output.capacity <= 256 * 1024)
        outputOffset = 0
    }
}

@available(*, unavailable)
extension HTTPConnection: Sendable {}
