import Dispatch
import Synchronization

/// A result that one thread reports and another waits for (blocking helpers of the store).
final class BlockingOutcome<Success: Sendable>: Sendable {
    private let result = Mutex<Result<Success, any Error>?>(nil)
    private let ready = DispatchSemaphore(value: 0)

    /// Hands over `outcome`; only the first report counts.
    func report(_ outcome: Result<Success, any Error>) {
        let first = result.withLock { result in
            guard result == nil else { return false }
            result = outcome
            return true
        }
        if first { ready.signal() }
    }

    /// Blocks until ``report(_:)`` was called and returns its outcome.
    func wait() -> Result<Success, any Error> {
        WriterWakeUpDeferral.deliver()
        ready.wait()
        return result.withLock { $0 } ?? .failure(StoreWriterError.closed)
    }
}

/// Counts the completions of the events of one request down to a single callback: success with the count once
/// all succeeded, or the first failure (reported once every event has finished).
final class IngestCountdown: Sendable {
    private struct State {
        var remaining: Int
        var firstFailure: (any Error)?
    }

    private let total: Int
    private let state: Mutex<State>
    private let completion: @Sendable (Result<Int, any Error>) -> Void

    init(total: Int, completion: @escaping @Sendable (Result<Int, any Error>) -> Void) {
        self.total = total
        self.state = Mutex(State(remaining: total))
        self.completion = completion
    }

    /// Records one event's outcome; the last one fires the completion.
    func report(_ outcome: Result<Void, any Error>) {
        let finished: Result<Int, any Error>? = state.withLock { state in
            if case .failure(let error) = outcome, state.firstFailure == nil { state.firstFailure = error }
            state.remaining -= 1
            guard state.remaining == 0 else { return nil }
            if let failure = state.firstFailure { return .failure(failure) }
            return .success(total)
        }
        if let finished { completion(finished) }
    }
}
