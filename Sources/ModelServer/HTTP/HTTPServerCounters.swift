import Synchronization

/// Totals shared by all loops of a server, for the limits that span connections.
final class HTTPServerCounters: Sendable {
    /// Open client connections across loops (`maxConnections`).
    let openConnections = Atomic<Int>(0)
    /// Request bytes held across connections (`maxBufferedBytes`).
    let bufferedBytes = Atomic<Int>(0)
    /// Wake-ups of all loops (one per `epoll_wait` return): lets tests check that an idle loop sleeps.
    let loopIterations = Atomic<Int>(0)
    /// Connections each loop accepted and kept, by loop index: how evenly the listener mode spreads them.
    private let acceptedByLoop: [LoopCount]

    /// Counters for a server of `loops` loops.
    init(loops: Int) {
        acceptedByLoop = (0..<max(1, loops)).map { _ in LoopCount() }
    }

    /// One loop's count, in its own object so loops do not share a cache line.
    private final class LoopCount: Sendable {
        let value = Atomic<Int>(0)
    }

    /// Counts a connection accepted (and not refused) by loop `index`.
    func connectionAccepted(byLoop index: Int) {
        guard acceptedByLoop.indices.contains(index) else { return }
        acceptedByLoop[index].value.wrappingAdd(1, ordering: .relaxed)
    }

    /// Connections accepted and kept so far by each loop, by loop index.
    var acceptedConnectionsPerLoop: [Int] {
        acceptedByLoop.map { $0.value.load(ordering: .relaxed) }
    }

    /// Counts a new connection unless `limit` connections are open; false means refuse it.
    func openConnection(limit: Int) -> Bool {
        if openConnections.wrappingAdd(1, ordering: .relaxed).newValue <= limit { return true }
        openConnections.wrappingSubtract(1, ordering: .relaxed)
        return false
    }

    /// Uncounts a closed connection.
    func closeConnection() {
        openConnections.wrappingSubtract(1, ordering: .relaxed)
    }

    /// Adds `delta` to the buffered total and returns the new total.
    @discardableResult
    func addBuffered(_ delta: Int) -> Int {
        guard delta != 0 else { return bufferedBytes.load(ordering: .relaxed) }
        return bufferedBytes.wrappingAdd(delta, ordering: .relaxed).newValue
    }
}
