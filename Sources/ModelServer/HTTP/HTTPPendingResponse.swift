import Synchronization

/// A response that another thread completes later, for a request whose answer waits on something
/// (a durable commit, a worker pool).
///
/// Completed exactly once, from any thread; later calls are ignored. Completing wakes the owning
/// event loop (an eventfd write), which writes the response when every earlier response on the same
/// connection is out, so pipelined responses keep request order. If the client is gone by then the
/// response is dropped.
package final class HTTPPendingResponse: Sendable {
    private enum State: Sendable {
        case waiting(Binding?)
        case completed(HTTPResponse)
        case taken
    }

    /// Where a completion is announced: the loop that owns the connection, and the connection.
    struct Binding: Sendable {
        let waker: HTTPLoopWaker
        let token: HTTPConnectionToken
    }

    private let state = Mutex<State>(.waiting(nil))
    /// Called once with the response when it completes (metrics count its status there).
    private let observer = Mutex<(@Sendable (HTTPResponse) -> Void)?>(nil)

    /// A response not completed yet.
    package init() {}

    /// Hands the response to the owning loop. Thread-safe; only the first call has an effect.
    package func complete(_ response: HTTPResponse) {
        let first: Binding?? = state.withLock { state in
            guard case .waiting(let binding) = state else { return nil }
            state = .completed(response)
            return .some(binding)
        }
        guard let binding = first else { return }
        observer.withLock { $0.take() }?(response)
        if let binding { binding.waker.post(binding.token) }
    }

    /// Calls `body` once with the response when it completes (at once if it already has). Call it
    /// before handing the pending response to the loop; one observer at a time.
    package func observeCompletion(_ body: @escaping @Sendable (HTTPResponse) -> Void) {
        observer.withLock { $0 = body }
        let completed: HTTPResponse? = state.withLock { state in
            if case .completed(let response) = state { return response }
            return nil
        }
        // `complete` may have run before the observer was set; whichever side takes it calls it.
        if let completed { observer.withLock { $0.take() }?(completed) }
    }

    /// Whether `complete` has been called.
    package var isCompleted: Bool {
        state.withLock { state in
            if case .waiting = state { return false }
            return true
        }
    }

    /// Loop side: records where to announce the completion. Returns true when it is already complete.
    func bind(_ binding: Binding) -> Bool {
        state.withLock { state in
            guard case .waiting = state else { return true }
            state = .waiting(binding)
            return false
        }
    }

    /// Loop side: moves the response out once completed; nil while waiting (or when already taken).
    func takeResponse() -> HTTPResponse? {
        state.withLock { state in
            guard case .completed(let response) = state else { return nil }
            state = .taken
            return response
        }
    }
}
