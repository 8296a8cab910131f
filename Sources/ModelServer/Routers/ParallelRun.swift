import Dispatch
import FeatureEnrich
public import ServingGraph

/// Sends a copy of each event to every route and merges the answers, objects, key by key into one
/// object (MLRun's `ParallelRun`, reference/mlrun.md §2.2). BETTER than MLRun: answers merge in
/// **route-declaration order** (a later route's key wins), not completion order, and a failing route
/// is reported in the answer instead of being logged and dropped.
///
/// The answer is the merged object, starting from the request body with `extend_event` (else
/// empty). Failed routes are listed under `errors` (``errorsKey``), by route name, each with the
/// status the failure alone would have had and its message:
/// ```json
/// {"ratio": 0.5, "total": 3, "errors": {"score": {"status": 500, "error": "model 'score' failed in predict: ..."}}}
/// ```
/// A route answering something other than an object is reported there as a 500. When **every**
/// route fails, the request fails with the first route's error (and its status). Store writes of the
/// routes (their commit tickets) travel with the merged answer: it is sent after they commit.
///
/// Executors (`executor_type`): `thread` (default, as MLRun) runs the routes concurrently, each on
/// its own serial lane so a route's step never runs on two threads at once; the loop waits for them
/// at most ``timeout``, and a route that misses it is reported as a 504 in `errors` (its late answer
/// is dropped). `array` (or `sequential`) runs them one after another on the event loop. A route
/// that answers later (a blocking model) makes the whole answer deferred, like a blocking model: the
/// router then answers the request itself (it must be the responding step) once every route is done.
///
/// Paths: `GET /v2/models` lists the routes; under `/v2/models`, `[<name>/]<operation>` gives each
/// route the operation as its path (`POST /v2/models/<name>/infer` runs `infer` on every model);
/// other paths (`POST /`) reach the routes unchanged.
///
/// ```json
/// {"kind": "router", "name": "features", "class_name": "ParallelRun",
///  "class_args": {"executor_type": "thread", "extend_event": true, "timeout": 2},
///  "routes": {"ratio": {"class_name": "Compute", "class_args": {"expressions": {"ratio": "a / b"}}},
///             "total": {"class_name": "Compute", "class_args": {"expressions": {"total": "a + b"}}}}}
/// ```
/// In Swift: `graph.to(try ParallelRun(name: "features", routes: [("ratio", ratio), ("total", total)]))`.
public struct ParallelRun: Step {
    /// How the routes of one event run.
    public enum Executor: String, Sendable {
        /// One after another on the event loop (MLRun's `array`).
        case sequential
        /// Concurrently, one serial lane per route, the loop waiting at most ``ParallelRun/timeout``.
        case thread
    }

    /// The step name.
    public let name: String
    /// The routes in declaration order: the order their answers merge in.
    public let routes: [(name: String, step: any Step)]
    /// How the routes run.
    public let executor: Executor
    /// Whether merging starts from the request body (MLRun's `extend_event`); else from `{}`.
    public let extendsEvent: Bool
    /// How long the routes of one event may take; a route past it is reported as a 504.
    public let timeout: Duration
    /// The member of the answer that lists failed routes.
    public let errorsKey: String
    /// The URL prefix whose operation part is handed to the routes.
    public let prefix: String
    private let merger: ParallelRunMerger
    /// One serial queue per route (thread executor): a route's step only ever runs on its lane.
    private let lanes: [DispatchQueue]

    /// A parallel run over `routes` (at least one, names unique).
    public init(
        name: String, routes: [(name: String, step: any Step)], executor: Executor = .thread,
        extendsEvent: Bool = false, timeout: Duration = .seconds(5), errorsKey: String = "errors",
        prefix: String = "/v2/models"
    ) throws(GraphError) {
        guard !routes.isEmpty else { throw .noRoutes(path: name) }
        var seen = Set<String>()
        for route in routes where !seen.insert(route.name).inserted {
            throw .invalidArgument(path: "\(name).routes.\(route.name)", reason: "route name used twice")
        }
        guard timeout > .zero, timeout <= Self.maximumTimeout else {
            throw .invalidArgument(
                path: "\(name).class_args.timeout", reason: "must be positive and at most an hour, got \(timeout)")
        }
        self.name = name
        self.routes = routes
        self.executor = executor
        self.extendsEvent = extendsEvent
        self.timeout = timeout
        self.errorsKey = errorsKey
        self.prefix = prefix
        merger = ParallelRunMerger(
            routeNames: routes.map(\.name), extendsEvent: extendsEvent, errorsKey: errorsKey,
            logger: Logger(label: "router.\(name)"))
        lanes =
            executor == .thread
            ? routes.map { DispatchQueue(label: "router.\(name).\($0.name)", qos: .userInitiated) } : []
    }

    /// Lists the routes, or runs every route on a copy of the event and merges their answers.
    public func run(_ event: Event) throws -> Event {
        var child = event
        if event.path.hasPrefix(prefix) {
            var rest = event.path.dropFirst(prefix.count).split(separator: "/")
            if rest.isEmpty, event.method == "GET" {
                var list = event
                list.body = ["models": .array(routes.map { .string($0.name) })]
                return list
            }
            if rest.first.map(String.init) == name { rest.removeFirst() }
            child.path = rest.joined(separator: "/")
        }
        let base = try merger.base(of: event)
        let outcomes =
            executor == .thread ? runOnLanes(child) : routes.map { ParallelRouteOutcome(running: $0.step, child) }
        var results: [Result<Event, any Error>?] = []
        var pending: [(index: Int, work: DeferredResponse)] = []
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .answered(let result): results.append(result)
            case .deferred(let work):
                results.append(nil)
                pending.append((index, work))
            }
        }
        guard pending.isEmpty else { return deferred(event, base: base, results: results, pending: pending) }
        return try merger.merged(event, base: base, results: results.compactMap { $0 })  // none pending: all there
    }

    /// Runs every route on its lane and waits for all of them, at most ``timeout``.
    private func runOnLanes(_ child: Event) -> [ParallelRouteOutcome] {
        let collector = ParallelRouteCollector(count: routes.count)
        let deadline = DispatchTime.now() + .nanoseconds(Self.nanoseconds(timeout))
        for (index, route) in routes.enumerated() {
            let step = UncheckedRouteStep(step: route.step)
            collector.group.enter()
            lanes[index].async {
                defer { collector.group.leave() }
                guard DispatchTime.now() < deadline else { return }  // reported as a timeout below
                collector.set(index, ParallelRouteOutcome(running: step.step, child))
            }
        }
        // Routes on other threads may queue store writes behind ones this thread still holds the wake-up of.
        WriterWakeUpDeferral.deliver()
        _ = collector.group.wait(timeout: deadline)
        return collector.finish { index in .answered(.failure(timedOut(routes[index].name))) }
    }

    private func timedOut(_ route: String) -> ServingError {
        .timeout("route '\(route)' of '\(name)' did not answer within \(timeout)")
    }

    /// The event carrying the work that waits for the routes that answer later, then merges.
    private func deferred(
        _ event: Event, base: ValueObject, results: [Result<Event, any Error>?],
        pending: [(index: Int, work: DeferredResponse)]
    ) -> Event {
        let merger = self.merger
        let timeout = self.timeout
        let names = routes.map(\.name)
        let routerName = name
        var output = event
        // The server's own 504 comes a second after this router's deadline, which reports late routes instead.
        output[DeferredResponseKey.self] = DeferredResponse(timeout: timeout + .seconds(1)) { _, completion in
            let deadline = DispatchTime.now() + .nanoseconds(Self.nanoseconds(timeout))
            let gather = ParallelRouteGather(results: results) { finished in
                merger.complete(event, base: base, results: finished, completion)
            }
            for (index, work) in pending {
                let own = DispatchTime.now() + .nanoseconds(Self.nanoseconds(min(work.timeout, timeout)))
                work.start(own) { result in gather.set(index, result) }
            }
            DispatchQueue.global().asyncAfter(deadline: deadline) {
                gather.expire { index in
                    .timeout("route '\(names[index])' of '\(routerName)' did not answer within \(timeout)")
                }
            }
        }
        output.isTerminated = true
        return output
    }

    /// `duration` in nanoseconds (durations are checked at init to be at most ``maximumTimeout``).
    static func nanoseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }

    /// The longest ``timeout`` accepted.
    public static let maximumTimeout = Duration.seconds(3600)
}

/// What one route did with its copy of the event.
enum ParallelRouteOutcome: Sendable {
    /// It answered now (or failed).
    case answered(Result<Event, any Error>)
    /// It answers later (a blocking model): the work to start.
    case deferred(DeferredResponse)

    /// Runs `step` on `event`.
    init(running step: any Step, _ event: Event) {
        do {
            let answer = try step.run(event)
            if let work = answer[DeferredResponseKey.self] {
                self = .deferred(work)
            } else {
                self = .answered(.success(answer))
            }
        } catch {
            self = .answered(.failure(error))
        }
    }
}

/// A route's step handed to that route's lane. `@unchecked Sendable`: with the thread executor a
/// route's step runs only on its own serial lane, one event at a time; the loop never runs it.
struct UncheckedRouteStep: @unchecked Sendable {
    let step: any Step
}
