import ServingGraph

extension HTTPEventLoop {
    // MARK: - Writing responses

    /// Serialises the owed responses that are ready, oldest first, stopping at the first pending one, and
    /// sends them; a response that ends the connection discards anything queued after it.
    func flushResponses(_ connection: HTTPConnection) {
        writing: while let slot = connection.queue.first {
            let response: HTTPResponse
            switch slot.content {
            case .ready(let ready):
                response = ready
            case .pending(let pending):
                guard let completed = pending.takeResponse() else { break writing }
                response = completed
            }
            // The usual single owed response: emptied in place, no shifting of the array.
            if connection.queue.count == 1 {
                connection.queue.removeAll(keepingCapacity: true)
            } else {
                connection.queue.removeFirst()
            }
            let last = connection.machine.isLastResponse || response.closesConnection
            let field: HTTPResponseWriter.ConnectionField = last ? .close : (slot.echoKeepAlive ? .keepAlive : .none)
            HTTPResponseWriter.write(
                response, headOnly: slot.headOnly, connection: field, date: dateCache.field, into: &connection.output)
            if last {
                connection.queue.removeAll()
                connection.closeAfterFlush = true
                break
            }
            perform(
                connection.machine.responseWritten(
                    partialRequestBuffered: !connection.parser.isBetweenRequests, now: now),
                on: connection)
        }
        send(connection)
        guard self.connection(for: connection.token) != nil else { return }
        // Requests left unparsed because too many responses were owed can be parsed now. (Only then: a
        // partial request waits for epoll, else the loop would spin on it.)
        if connection.parseDeferred && connection.mayParse(maxResponsesInFlight: configuration.maxResponsesInFlight) {
            connection.parseDeferred = false
            markReady(connection)
        }
        updateInterest(connection)
    }

    /// Epoll says the socket has room: continue a partial write.
    func handleWritable(_ connection: HTTPConnection) {
        send(connection)
        if self.connection(for: connection.token) != nil { updateInterest(connection) }
    }

    /// Sends buffered output until done or EAGAIN; closes the connection once done if it must close.
    private func send(_ connection: HTTPConnection) {
        while connection.hasPendingOutput {
            let result: IOResult<Int>
            do {
                result = try connection.output.withUnsafeBytes { bytes throws(SyscallError) in
                    try Syscall.send(connection.fd, UnsafeRawBufferPointer(rebasing: bytes[connection.outputOffset...]))
                }
            } catch {
                logger.debug("client gone mid-response: \(error)")
                close(connection)
                return
            }
            switch result {
            case .processed(let count):
                connection.outputOffset += count
                perform(connection.machine.writeProgressed(now: now), on: connection)
            case .wouldBlock:
                perform(connection.machine.writeStalled(now: now), on: connection)
                return
            }
        }
        connection.resetOutput()
        connection.machine.writeCompleted()
        if connection.closeAfterFlush { close(connection) }
    }
}
