import ServingGraph

extension HTTPEventLoop {
    // MARK: - Reading, parsing, dispatching

    /// Reads once (level-triggered: epoll reports the socket again while bytes remain) and parses.
    func handleReadable(_ connection: HTTPConnection) {
        // Readable without read interest means EPOLLERR/EPOLLHUP: the peer is gone for good.
        if !connection.registeredInterest.contains(.read) && connection.readClosed {
            close(connection)
            return
        }
        let result: IOResult<Int>
        do {
            result = try Syscall.receive(connection.fd, into: readBuffer)
        } catch {
            logger.debug("connection reset: \(error)")
            close(connection)
            return
        }
        switch result {
        case .wouldBlock:
            return
        case .processed(0):
            connection.readClosed = true
            perform(connection.machine.peerClosed(), on: connection)
            updateInterest(connection)
        case .processed(let count):
            guard connection.machine.phase != .closing else { return }  // input after a final request is dropped
            connection.parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
            let total = counters.addBuffered(count)
            connection.accountedBytes += count
            if total > configuration.maxBufferedBytes {
                rejectOverBufferLimit(connection)
                return
            }
            processRequests(connection)
        }
    }

    /// Parses and dispatches buffered requests, at most `maxPipelinedRequests` per call; the rest wait
    /// on the ready-list. Then flushes what is ready.
    func processRequests(_ connection: HTTPConnection) {
        var parsed = 0
        parsing: while connection.mayParse(maxResponsesInFlight: configuration.maxResponsesInFlight) {
            if parsed == configuration.maxPipelinedRequests {
                markReady(connection)
                break
            }
            switch connection.parser.next() {
            case .needMoreData:
                if !connection.parser.isBetweenRequests {
                    let headComplete = connection.parser.isReadingBody
                    perform(
                        connection.machine.receivedPartialRequest(headComplete: headComplete, now: now), on: connection)
                }
                break parsing
            case .continueExpected:
                // A 100 may only go out when no earlier response is owed (it would overtake them); a client
                // that gets none sends its body after its own short wait (curl: 1 s).
                if connection.queue.isEmpty {
                    connection.output.append(contentsOf: HTTPResponseWriter.continueResponse)
                }
            case .request(let request):
                parsed += 1
                dispatch(request, on: connection)
            case .error(let error):
                logger.debug("bad request: \(error)", [("status", String(error.status.code))])
                perform(connection.machine.framingFailed(), on: connection)
                let response = HTTPResponse.error(error.status, message: error.description)
                connection.queue.append(
                    HTTPConnection.Slot(content: .ready(response), headOnly: false, echoKeepAlive: false))
                break parsing
            }
        }
        if !connection.parser.isBetweenRequests
            && !connection.mayParse(maxResponsesInFlight: configuration.maxResponsesInFlight)
        {
            connection.parseDeferred = true
        }
        syncBufferedBytes(connection)
        if !connection.isClosed { flushResponses(connection) }
    }

    /// Hands one request to the responder and queues its answer in request order.
    private func dispatch(_ request: HTTPRequest, on connection: HTTPConnection) {
        let keepAlive = request.keepAlive
        let slotHeadOnly = request.method == .head
        let echoKeepAlive = request.version == .http1_0 && keepAlive
        perform(connection.machine.requestReceived(keepAlive: keepAlive), on: connection)
        let content: HTTPConnection.Slot.Content
        switch responder.respond(to: request) {
        case .response(let response):
            content = .ready(response)
        case .pending(let pending):
            _ = pending.bind(HTTPPendingResponse.Binding(waker: waker, token: connection.token))
            content = .pending(pending)
        }
        connection.queue.append(
            HTTPConnection.Slot(content: content, headOnly: slotHeadOnly, echoKeepAlive: echoKeepAlive))
    }

    /// Brings the connection's share of the server-wide buffered total up to date with its parser.
    private func syncBufferedBytes(_ connection: HTTPConnection) {
        guard !connection.isClosed else { return }
        let held = connection.parser.bufferedByteCount
        counters.addBuffered(held - connection.accountedBytes)
        connection.accountedBytes = held
    }

    /// The server holds too many request bytes: this connection gets 503 and is closed.
    private func rejectOverBufferLimit(_ connection: HTTPConnection) {
        logger.warning(
            "request buffering over maxBufferedBytes: refusing a connection",
            [("limit", String(configuration.maxBufferedBytes))])
        perform(connection.machine.framingFailed(), on: connection)
        let response = HTTPResponse.error(.serviceUnavailable, message: "server is holding too much request data")
        connection.queue.append(HTTPConnection.Slot(content: .ready(response), headOnly: false, echoKeepAlive: false))
        flushResponses(connection)
    }
}
