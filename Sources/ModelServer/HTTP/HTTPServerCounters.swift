import Synchronization

/// Totals shared by all loops of a server, for the limits that span connections.
final class HTTPServerCounters: Sendable {
    /// Open client connections across loops (`maxConnections`).
    let openConnections = Atomic<Int>(0)
    /// Request bytes held across connections (`maxBufferedBytes`).
    let bufferedBytes = Atomic<Int>(0)
    /// Wake-ups of all loops (one per `epoll_wait` return): lets tests check that an idle loop sleeps.
    let loopIterations = Atomic<Int>(0)

    init() {}

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
