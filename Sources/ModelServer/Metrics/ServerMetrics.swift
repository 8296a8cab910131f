import ServingGraph
import Synchronization

/// Everything `GET /metrics` reports, gathered from every event loop at scrape time: requests by
/// route and status and in flight (``RequestCounters``, one per loop), open and accepted connections
/// (the HTTP server's counters), per-step latencies and failures (each loop's graph's
/// ``GraphMetrics``) and the per-model counts of the ``ModelCatalog``.
///
/// Loops register their counters once, when their responder is built; the hot path never takes a
/// lock shared between loops. Thread-safe.
package final class ServerMetrics: Sendable {
    private let loops = Mutex<[RequestCounters]>([])
    private let graphs = Mutex<[GraphMetrics]>([])
    private let connections = Mutex<HTTPServerCounters?>(nil)

    /// Empty metrics.
    package init() {}

    /// New request counters for one loop, summed into every scrape from now on.
    func makeLoopCounters() -> RequestCounters {
        let counters = RequestCounters()
        loops.withLock { $0.append(counters) }
        return counters
    }

    /// Adds one loop's graph to the step metrics.
    func register(_ graph: GraphMetrics) {
        graphs.withLock { $0.append(graph) }
    }

    /// Reports the connection counts of `counters` (the server's).
    func attach(_ counters: HTTPServerCounters) {
        connections.withLock { $0 = counters }
    }

    /// Requests started, answers by route and status, summed over loops.
    func requests() -> (inFlight: UInt64, answers: [(key: RequestCounters.Key, count: UInt64)]) {
        var started: UInt64 = 0
        var finishedTotal: UInt64 = 0
        var answers: [RequestCounters.Key: UInt64] = [:]
        for loop in loops.withLock({ $0 }) {
            let snapshot = loop.snapshot()
            started &+= snapshot.started
            for (key, count) in snapshot.finished {
                answers[key, default: 0] &+= count
                finishedTotal &+= count
            }
        }
        let sorted = answers.sorted { ($0.key.route, $0.key.status) < ($1.key.route, $1.key.status) }
        return (started >= finishedTotal ? started - finishedTotal : 0, sorted.map { ($0.key, $0.value) })
    }

    /// The step metrics of every loop's graph, summed step by step; `nil` without a graph.
    func steps() -> GraphMetrics.Snapshot? {
        let all = graphs.withLock { $0 }
        guard var total = all.first?.snapshot() else { return nil }
        for graph in all.dropFirst() { total.merge(graph.snapshot()) }
        return total
    }

    /// Open connections now and connections accepted by each loop, when a server is attached.
    func connectionCounts() -> (open: Int, acceptedPerLoop: [Int])? {
        guard let counters = connections.withLock({ $0 }) else { return nil }
        return (counters.openConnections.load(ordering: .relaxed), counters.acceptedConnectionsPerLoop)
    }

    /// The whole exposition text (Prometheus text format 0.0.4).
    func text(catalog: ModelCatalog?) -> String {
        var out = PrometheusWriter.serverText(self)
        if let catalog { out += PrometheusWriter.text(catalog) }
        return out
    }
}
