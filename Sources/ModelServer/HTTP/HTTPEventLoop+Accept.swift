import CLinuxShim
import Glibc
import ServingGraph

extension HTTPEventLoop {
    // MARK: - Accepting and closing connections

    /// Connections accepted per wake-up; level-triggered epoll reports the listener again for the rest.
    static let maxAcceptsPerWakeup = 64

    /// Accepts waiting connections. Over `maxConnections` a connection is accepted and closed at once, and
    /// under EMFILE the spare descriptor makes room to accept and drop one, so the listener never stays
    /// readable with nothing done (the loop never spins).
    func acceptConnections() {
        guard let listener else { return }
        for _ in 0..<Self.maxAcceptsPerWakeup {
            let fd: Int32
            do {
                guard case .processed(let accepted) = try Syscall.accept(listener) else { return }
                fd = accepted
            } catch {
                switch error.code {
                case EMFILE, ENFILE:
                    guard dropConnectionUsingSpareDescriptor(listener) else {
                        pauseAccepting(listener)
                        return
                    }
                case ECONNABORTED, EPROTO, EPERM:
                    continue
                default:
                    logger.error("accept failed: \(error)", [("loop", String(index))])
                    return
                }
                continue
            }
            guard counters.openConnection(limit: configuration.maxConnections) else {
                Syscall.close(fd)
                logger.debug("connection refused: at maxConnections", [("limit", String(configuration.maxConnections))])
                continue
            }
            register(fd)
        }
    }

    private func register(_ fd: Int32) {
        var one: Int32 = 1
        // Responses are written whole; Nagle would only delay the last segment of each.
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        do {
            try poller.register(fd, interest: .read)
        } catch {
            logger.error("cannot watch connection: \(error)")
            counters.closeConnection()
            Syscall.close(fd)
            return
        }
        nextConnectionID &+= 1
        let connection = HTTPConnection(
            fd: fd, id: nextConnectionID, limits: configuration.parserLimits, timeouts: configuration.timeouts, now: now
        )
        if Int(fd) >= connections.count {
            connections.append(contentsOf: repeatElement(nil, count: Int(fd) + 1 - connections.count))
        }
        connections[Int(fd)] = connection
        openConnections += 1
        if let deadline = connection.machine.deadline { arm(connection, at: deadline) }
    }

    /// EMFILE: give up the spare descriptor, accept the waiting connection and close it, take the spare back.
    /// Returns false when there was no spare to give up (another thread took the freed slot).
    private func dropConnectionUsingSpareDescriptor(_ listener: Int32) -> Bool {
        logger.warning("out of file descriptors: dropping a new connection", [("loop", String(index))])
        guard spareFD >= 0 else {
            spareFD = Syscall.openSpareDescriptor()
            return false
        }
        Syscall.close(spareFD)
        if case .processed(let fd)? = try? Syscall.accept(listener) { Syscall.close(fd) }
        spareFD = Syscall.openSpareDescriptor()
        return true
    }

    /// Without a spare descriptor the listener would stay readable and the loop would spin: stop watching it
    /// for `acceptPauseMilliseconds`; `resumeAcceptingIfDue` watches it again.
    private func pauseAccepting(_ listener: Int32) {
        guard acceptPausedUntil == nil else { return }
        poller.deregister(listener)
        acceptPausedUntil = now + Self.acceptPauseMilliseconds
    }

    /// How long accepting pauses when descriptors run out and no spare is left.
    static let acceptPauseMilliseconds: Int64 = 100

    /// Watches the listener again once an accept pause is over.
    func resumeAcceptingIfDue() {
        guard let until = acceptPausedUntil, now >= until else { return }
        acceptPausedUntil = nil
        guard let listener else { return }
        do {
            try poller.register(listener, interest: .read)
        } catch {
            logger.error("cannot watch the listener again: \(error)", [("loop", String(index))])
        }
    }

    /// Closes `connection` and releases what it counted in the server totals.
    func close(_ connection: HTTPConnection) {
        guard self.connection(for: connection.token) != nil else { return }
        poller.deregister(connection.fd)
        Syscall.close(connection.fd)
        connections[Int(connection.fd)] = nil
        openConnections -= 1
        counters.closeConnection()
        counters.addBuffered(-connection.accountedBytes)
        connection.accountedBytes = 0
        connection.queue.removeAll()
        connection.isClosed = true
    }

    /// Watches `connection` for reading while it may read, and for writing while output waits.
    func updateInterest(_ connection: HTTPConnection) {
        guard self.connection(for: connection.token) != nil else { return }
        var interest: PollInterest = []
        if connection.wantsRead(maxResponsesInFlight: configuration.maxResponsesInFlight) { interest.insert(.read) }
        if connection.hasPendingOutput { interest.insert(.write) }
        guard interest != connection.registeredInterest else { return }
        do {
            try poller.modify(connection.fd, interest: interest)
            connection.registeredInterest = interest
        } catch {
            logger.error("cannot change connection interest: \(error)")
            close(connection)
        }
    }
}
