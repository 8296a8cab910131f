public import ServingGraph
import Synchronization

/// The seam between a graph step that writes to the store and the HTTP layer: the step puts a ticket in the
/// event (``CommitTicketKey``) and completes it from the store's commit; the server answers the request only
/// once the ticket is done (through a pending response, never blocking its loop), with the error if the
/// commit failed.
public final class CommitTicket: Sendable {
    private enum State {
        case pending([@Sendable (Result<Int, any Error>) -> Void])
        case done(Result<Int, any Error>)
    }

    private let state = Mutex<State>(.pending([]))

    /// A ticket not yet done.
    public init() {}

    /// Marks the ticket done (the first call wins) and runs the waiting callbacks.
    public func complete(_ result: Result<Int, any Error>) {
        let waiting: [@Sendable (Result<Int, any Error>) -> Void] = state.withLock { state in
            guard case .pending(let callbacks) = state else { return [] }
            state = .done(result)
            return callbacks
        }
        for callback in waiting { callback(result) }
    }

    /// Runs `callback` once the ticket is done (at once, on this thread, when it already is).
    public func whenDone(_ callback: @escaping @Sendable (Result<Int, any Error>) -> Void) {
        let done: Result<Int, any Error>? = state.withLock { state in
            switch state {
            case .pending(var callbacks):
                callbacks.append(callback)
                state = .pending(callbacks)
                return nil
            case .done(let result):
                return result
            }
        }
        if let done { callback(done) }
    }

    /// A ticket done when all of `tickets` are (with the first failure, else the sum of the counts).
    public static func all(_ tickets: [CommitTicket]) -> CommitTicket {
        let combined = CommitTicket()
        let remaining = Mutex<(count: Int, total: Int, failure: (any Error)?)>((tickets.count, 0, nil))
        guard !tickets.isEmpty else {
            combined.complete(.success(0))
            return combined
        }
        for ticket in tickets {
            ticket.whenDone { result in
                let finished: Result<Int, any Error>? = remaining.withLock { state in
                    switch result {
                    case .success(let count): state.total += count
                    case .failure(let error): if state.failure == nil { state.failure = error }
                    }
                    state.count -= 1
                    guard state.count == 0 else { return nil }
                    if let failure = state.failure { return .failure(failure) }
                    return .success(state.total)
                }
                if let finished { combined.complete(finished) }
            }
        }
        return combined
    }
}

/// The event storage key of the ``CommitTicket`` of the store writes a request made.
public enum CommitTicketKey: EventStorageKey {
    /// The stored value.
    public typealias Value = CommitTicket
}
