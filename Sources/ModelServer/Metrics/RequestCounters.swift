import Synchronization

/// Requests answered by one event loop, by route and status, and the requests it has started.
///
/// One instance per loop, so loops never touch each other's counters: starting a request is a
/// relaxed atomic add and finishing one takes this loop's own lock, which only a scrape (summing
/// every loop) ever contends. Finishing may happen on another thread (a deferred model answer).
final class RequestCounters: Sendable {
    /// A route label and an HTTP status code.
    struct Key: Hashable, Sendable {
        let route: String
        let status: Int
    }

    private let started = Atomic<UInt64>(0)
    private let finished = Mutex<[Key: UInt64]>([:])

    /// Zeroed counters.
    init() {}

    /// Counts a request the loop has begun to answer.
    func requestStarted() {
        started.wrappingAdd(1, ordering: .relaxed)
    }

    /// Counts a request answered with `status` on `route`.
    func requestFinished(route: String, status: Int) {
        finished.withLock { $0[Key(route: route, status: status), default: 0] &+= 1 }
    }

    /// Requests started so far and answers by route and status.
    func snapshot() -> (started: UInt64, finished: [Key: UInt64]) {
        let answers = finished.withLock { $0 }
        return (started.load(ordering: .relaxed), answers)
    }
}
