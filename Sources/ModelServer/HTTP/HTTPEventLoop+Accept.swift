import CLinuxShim
import Glibc
import ServingGraph

extension HTTPEventLoop {
    // MARK: - Accepting and closing connections

    /// Connections accepted per wake-up from the loop's own listener; level-triggered epoll reports it again
    /// for the rest. A shared listener is accepted from until EAGAIN: with `EPOLLEXCLUSIVE` only one loop was
    /// woken, and the others may not be woken again for the connections left in the queue.
    static let maxAcceptsPerWakeup = 64

    /// What the loop watches `listener` for: readable, and exclusively when the loops share it.
    static func interest(in listener: HTTPListenerSocket) -> PollInterest {
        listener.isShared ? [.read, .exclusive] : .read
    }

    /// Accepts waiting connections. Over `maxConnections` a connection is accepted and closed at once, and
    /// under EMFILE the spare descriptor makes room to accept and drop one, so the listener never stays
    /// readable with nothing done (the loop never spins).
    func acceptConnections() {
        guard let socket = listener else { return }
        let listener = socket.fd
        var accepts = 0
        while socket.isShared || accepts < Self.maxAcceptsPerWakeup {
            accepts += 1
            let fd: Int32
            do {
                guard case .processed(let accepted) = try Syscall.accept(listener) else { return }
                fd = accepted
            } catch {
                switch error.code {
                case EMFILE, ENFILE:
                    // accept4 reports EMFILE before looking at the queue, so an empty queue shows up here.
                    switch dropConnectionUsingSpareDescriptor(listener) {
                    case .dropped: break
                    case .queueEmpty: return
                    case .noSpare:
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
        counters.connectionAccepted(byLoop: index)
        if let deadline = connection.machine.deadline { arm(connection, at: deadline) }
    }

    /// What giving up the spare descriptor under EMFILE achieved.
    private enum SpareDescriptorOutcome {
        /// A waiting connection was accepted and closed.
        case dropped
        /// Nothing was waiting (or another loop took it): stop accepting until epoll reports the listener.
        case queueEmpty
        /// There was no spare to give up (another thread took the freed slot).
        case noSpare
    }

    /// EMFILE: give up the spare descriptor, accept the waiting connection and close it, take the spare back.
    private func dropConnectionUsingSpareDescriptor(_ listener: Int32) -> SpareDescriptorOutcome {
        guard spareFD >= 0 else {
            spareFD = Syscall.openSpareDescriptor()
            return .noSpare
        }
        Syscall.close(spareFD)
        let outcome: SpareDescriptorOutcome
        switch try? Syscall.accept(listener) {
        case .processed(let fd)?:
            Syscall.close(fd)
            outcome = .dropped
            logger.warning("out of file descriptors: dropping a new connection", [("loop", String(index))])
        case .wouldBlock?: outcome = .queueEmpty
        case nil: outcome = .dropped
        }
        spareFD = Syscall.openSpareDescriptor()
        return outcome
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
            try poller.register(listener.fd, interest: Self.interest(in: listener))
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
