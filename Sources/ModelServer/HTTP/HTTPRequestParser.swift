/// An incremental HTTP/1.1 request decoder (RFC 9112): bytes go in with `append`, requests come out of
/// `next()` one at a time, or `.needMoreData`. It never calls back and never touches a socket, so it is
/// tested with bytes alone, down to one byte per `append`.
///
/// The head is parsed once the blank line that ends it has arrived (the search resumes where it stopped,
/// so byte-at-a-time input stays linear); a Content-Length body is cut from the buffer in one copy; a
/// chunked body is decoded as chunks arrive. Error offsets count from the first byte of the request.
package struct HTTPRequestParser {
    /// The limits a request is held to; each over-limit case has its own error.
    package struct Limits: Sendable {
        /// Request line plus header lines, in bytes (431 above it).
        package var maxHeaderBytes: Int
        /// Header fields per request (431 above it).
        package var maxHeaderCount: Int
        /// Body bytes after de-chunking (413 above it).
        package var maxBodyBytes: Int

        /// Limits with the server's defaults: 16 KiB of head, 100 fields, 64 MiB of body.
        package init(maxHeaderBytes: Int = 16 * 1024, maxHeaderCount: Int = 100, maxBodyBytes: Int = 64 << 20) {
            self.maxHeaderBytes = maxHeaderBytes
            self.maxHeaderCount = maxHeaderCount
            self.maxBodyBytes = maxBodyBytes
        }
    }

    /// What `next()` found in the buffered bytes.
    package enum Result {
        /// No complete request yet; append more bytes.
        case needMoreData
        /// The head asked for `Expect: 100-continue` and no body byte has arrived: send `100 Continue`, then
        /// append the body. Returned at most once per request.
        case continueExpected
        /// One complete request.
        case request(HTTPRequest)
        /// The bytes are not an acceptable request; the parser stays failed (the connection must close).
        case error(HTTPParseError)
    }

    enum State {
        case head
        case fixedBody(length: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytes: Int)
        case failed(HTTPParseError)
    }

    /// The limits requests are held to.
    package let limits: Limits
    var buffer: [UInt8] = []
    var readIndex = 0
    /// In `.head`: the bytes before this index hold no complete head terminator.
    var scanIndex = 0
    /// Bytes dropped from the front of `buffer` so far, and the absolute position where the request began.
    var droppedBytes = 0
    var requestStart = 0
    var state = State.head
    /// The request whose body is being read.
    var pending: HTTPRequest?
    var chunkedBody: [UInt8] = []
    var expectsContinue = false
    /// The previous request's target and fields, reused when the next request repeats their bytes.
    var memo = HTTPHeadMemo()

    /// A parser with empty buffers.
    package init(limits: Limits = Limits()) {
        self.limits = limits
    }

    // MARK: - Input

    /// Buffers bytes read from the socket.
    package mutating func append(_ bytes: UnsafeRawBufferPointer) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Buffers bytes (tests and small inputs).
    package mutating func append(contentsOf bytes: some Sequence<UInt8>) {
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Bytes held for requests not yet returned (buffered input plus a chunked body being assembled).
    package var bufferedByteCount: Int {
        buffer.count - readIndex + chunkedBody.count
    }

    /// True between requests: nothing of a next request has arrived.
    package var isBetweenRequests: Bool {
        if case .head = state { return readIndex == buffer.count }
        return false
    }

    /// True once a request's head is parsed and its body is still arriving.
    package var isReadingBody: Bool {
        switch state {
        case .head, .failed: false
        default: true
        }
    }

    /// Drops consumed bytes: all of them when the buffer is drained, else the prefix once it is large.
    private mutating func compact() {
        guard readIndex > 0 else { return }
        if readIndex == buffer.count {
            droppedBytes += readIndex
            // A buffer that grew for a large body is given back rather than kept for every later request.
            buffer.removeAll(keepingCapacity: buffer.capacity <= 256 * 1024)
            scanIndex = 0
            readIndex = 0
        } else if readIndex >= 4096 && readIndex * 2 >= buffer.count {
            droppedBytes += readIndex
            buffer.removeSubrange(0..<readIndex)
            scanIndex = max(0, scanIndex - readIndex)
            readIndex = 0
        }
    }

    // MARK: - Output

    /// Decodes the next request from the buffered bytes.
    package mutating func next() -> Result {
        while true {
            switch state {
            case .failed(let error):
                return .error(error)
            case .head:
                switch parseHead() {
                case .needMoreData:
                    // A parsed head moved the state to its body, which may be buffered already.
                    if case .head = state { return .needMoreData }
                case .error(let error): return fail(error)
                case .request(let request): return .request(request)
                case .continueExpected: return .continueExpected
                }
            case .fixedBody(let length):
                guard buffer.count - readIndex >= length else { return .needMoreData }
                var request = pending.take()
                request?.body = Array(buffer[readIndex..<(readIndex + length)])
                readIndex += length
                return finish(request)
            case .chunkSize, .chunkData, .chunkDataEnd, .trailers:
                switch parseChunked() {
                case .needMoreData: return .needMoreData
                case .error(let error): return fail(error)
                case .request, .continueExpected:
                    var request = pending.take()
                    request?.body = chunkedBody
                    chunkedBody = []
                    return finish(request)
                }
            }
        }
    }

    /// Ends the current request and rearms the parser for the next one.
    private mutating func finish(_ request: HTTPRequest?) -> Result {
        state = .head
        scanIndex = readIndex
        requestStart = droppedBytes + readIndex
        guard let request else { return fail(.invalidRequestLine(offset: 0)) }
        return .request(request)
    }

    mutating func fail(_ error: HTTPParseError) -> Result {
        state = .failed(error)
        pending = nil
        chunkedBody = []
        return .error(error)
    }

    /// Offset of buffer index `index` from the first byte of the current request.
    func offset(_ index: Int) -> Int {
        droppedBytes + index - requestStart
    }
}
