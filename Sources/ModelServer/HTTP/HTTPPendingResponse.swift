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

    /// A response not completed yet.
    package init() {}

    /// Hands the response to the owning loop. Thread-safe; only the first call has an effect.
    package func complete(_ response: HTTPResponse) {
        let binding: Binding? = state.withLock { state in
            guard case .waiting(let binding) = state else { return nil }
            state = .completed(response)
            return binding
        }
        if let binding { binding.waker.post(binding.token) }
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
