import Dispatch
import FeatureEnrich
import ServingGraph
import Synchronization

/// Merges the answers of a ``ParallelRun``'s routes into one object, in route-declaration order, and
/// lists the failed routes under the errors key. A value the deferred path can carry off the loop.
struct ParallelRunMerger: Sendable {
    /// Route names in declaration order (the merge order).
    let routeNames: [String]
    /// Whether merging starts from the request body.
    let extendsEvent: Bool
    /// The member that lists failed routes.
    let errorsKey: String
    /// Where route failures are logged.
    let logger: Logger

    /// The object merging starts from: the request body with `extend_event` (which must be an object), else `{}`.
    func base(of event: Event) throws -> ValueObject {
        guard extendsEvent else { return ValueObject() }
        switch event.body {
        case .object(let body): return body
        case .null: return ValueObject()
        default:
            throw ServingError.invalidInput(
                "extend_event merges into the request body, which must be an object, not \(event.body.typeName)")
        }
    }

    /// `event` answered with the merge of `results` (one per route, in declaration order) over `base`;
    /// throws the first route's error when every route failed. The store commits of the routes that
    /// wrote (their ``CommitTicket``s) travel with the answer, so the server still answers after them.
    func merged(_ event: Event, base: ValueObject, results: [Result<Event, any Error>]) throws -> Event {
        var body = base
        var errors = ValueObject()
        var firstFailure: (any Error)?
        var tickets = event[CommitTicketKey.self].map { [$0] } ?? []
        for (route, result) in zip(routeNames, results) {
            let failure: any Error
            switch result {
            case .success(let answer):
                guard case .object(let object) = answer.body else {
                    failure = ServingError.internalFailure(
                        "route '\(route)' answered \(answer.body.typeName), not an object to merge")
                    break
                }
                for (key, value) in object.members { body[key] = value }
                if let ticket = answer[CommitTicketKey.self], !tickets.contains(where: { $0 === ticket }) {
                    tickets.append(ticket)
                }
                continue
            case .failure(let error):
                failure = error
            }
            let status = ErrorResponse.status(for: failure)
            errors[route] = ["status": .int(Int64(status.code)), "error": .string(ErrorResponse.message(for: failure))]
            firstFailure = firstFailure ?? failure
            let metadata = [
                ("route", route), ("event", event.id), ("status", "\(status.code)"), ("error", "\(failure)"),
            ]
            if status.code >= 500 {
                logger.warning("parallel route failed", metadata)
            } else {
                logger.debug("parallel route refused the event", metadata)
            }
        }
        if errors.count == routeNames.count, let firstFailure { throw firstFailure }
        if !errors.isEmpty { body[errorsKey] = .object(errors) }
        var output = event
        output.body = .object(body)
        output[CommitTicketKey.self] = tickets.count > 1 ? CommitTicket.all(tickets) : tickets.first
        return output
    }

    /// Calls `completion` with the merge of `results`, once the commits it carries are done (the server
    /// does not wait for commit tickets of deferred answers); a failed commit fails the request.
    func complete(
        _ event: Event, base: ValueObject, results: [Result<Event, any Error>],
        _ completion: @escaping @Sendable (Result<Event, any Error>) -> Void
    ) {
        let answer = Result { try merged(event, base: base, results: results) }
        guard case .success(let merged) = answer, let ticket = merged[CommitTicketKey.self] else {
            completion(answer)
            return
        }
        ticket.whenDone { committed in
            completion(committed.map { _ in merged })
        }
    }
}

/// The outcomes of one event's routes on their lanes, filled from the lanes, read once by the loop.
final class ParallelRouteCollector: Sendable {
    /// Entered once per route, left when the route's lane is done with it.
    let group = DispatchGroup()
    private let outcomes: Mutex<(slots: [ParallelRouteOutcome?], isClosed: Bool)>

    init(count: Int) {
        outcomes = Mutex((Array(repeating: nil, count: count), false))
    }

    /// Records route `index`'s outcome, unless the loop stopped waiting.
    func set(_ index: Int, _ outcome: ParallelRouteOutcome) {
        outcomes.withLock { state in
            if !state.isClosed { state.slots[index] = outcome }
        }
    }

    /// The outcomes so far, `missing` for routes that have none; later ``set(_:_:)`` calls are ignored.
    func finish(missing: (Int) -> ParallelRouteOutcome) -> [ParallelRouteOutcome] {
        let slots = outcomes.withLock { state in
            state.isClosed = true
            return state.slots
        }
        return slots.enumerated().map { index, outcome in outcome ?? missing(index) }
    }
}

/// The results of a deferred parallel run: some known up front, the others arriving from their
/// deferred work; calls `completion` once, when the last arrives or at the deadline (``expire(_:)``).
final class ParallelRouteGather: Sendable {
    private let state: Mutex<(results: [Result<Event, any Error>?], isDone: Bool)>
    private let completion: @Sendable ([Result<Event, any Error>]) -> Void

    init(
        results: [Result<Event, any Error>?], completion: @escaping @Sendable ([Result<Event, any Error>]) -> Void
    ) {
        state = Mutex((results, false))
        self.completion = completion
    }

    /// Records route `index`'s result; completes when it was the last one missing.
    func set(_ index: Int, _ result: Result<Event, any Error>) {
        let finished: [Result<Event, any Error>]? = state.withLock { state in
            guard !state.isDone else { return nil }
            state.results[index] = result
            let complete = state.results.compactMap { $0 }
            guard complete.count == state.results.count else { return nil }
            state.isDone = true
            return complete
        }
        if let finished { completion(finished) }
    }

    /// Completes now, giving each route still missing the error `missing` makes; no-op once complete.
    func expire(_ missing: (Int) -> ServingError) {
        let finished: [Result<Event, any Error>]? = state.withLock { state in
            guard !state.isDone else { return nil }
            state.isDone = true
            return state.results.enumerated().map { index, result in result ?? .failure(missing(index)) }
        }
        if let finished { completion(finished) }
    }
}
