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

    /// Answers by key, kept as two parallel arrays searched linearly: a loop sees a handful of route and
    /// status pairs, and comparing an `Int` and an identical route literal costs less than hashing a `String`.
    private struct Tally {
        var keys: [Key] = []
        var counts: [UInt64] = []

        mutating func add(route: String, status: Int) {
            for index in keys.indices where keys[index].status == status && keys[index].route == route {
                counts[index] &+= 1
                return
            }
            keys.append(Key(route: route, status: status))
            counts.append(1)
        }
    }

    private let started = Atomic<UInt64>(0)
    private let finished = Mutex(Tally())

    /// Zeroed counters.
    init() {}

    /// Counts a request the loop has begun to answer.
    func requestStarted() {
        started.wrappingAdd(1, ordering: .relaxed)
    }

    /// Counts a request answered with `status` on `route`.
    func requestFinished(route: String, status: Int) {
        finished.withLock { $0.add(route: route, status: status) }
    }

    /// Requests started so far and answers by route and status.
    func snapshot() -> (started: UInt64, finished: [Key: UInt64]) {
        let answers = finished.withLock { Dictionary(uniqueKeysWithValues: zip($0.keys, $0.counts)) }
        return (started.load(ordering: .relaxed), answers)
    }
}
