import Dispatch
public import ServingGraph

/// Work a step hands to the server instead of answering on the event loop (a blocking model's
/// hooks): the server starts it with a deadline and answers through a pending response when it
/// completes, or 504 at the deadline, whichever comes first.
public struct DeferredResponse: Sendable {
    /// Time the work may take from when the server starts it.
    public let timeout: Duration
    /// Starts the work; `completion` may be called from any thread, once.
    let start:
        @Sendable (_ deadline: DispatchTime, _ completion: @escaping @Sendable (Result<Event, any Error>) -> Void) ->
            Void

    init(
        timeout: Duration,
        start: @escaping @Sendable (DispatchTime, @escaping @Sendable (Result<Event, any Error>) -> Void) -> Void
    ) {
        self.timeout = timeout
        self.start = start
    }
}

/// The event storage key of a ``DeferredResponse``.
public enum DeferredResponseKey: EventStorageKey {
    /// The stored value.
    public typealias Value = DeferredResponse
}

/// The clock deferred work checks its deadline against.
enum DispatchTimeCheck {
    static func now() -> DispatchTime { DispatchTime.now() }
}

/// A serial queue per blocking model instance: its hooks run there one at a time, off the loop.
struct BlockingHookQueue: Sendable {
    private let queue: DispatchQueue

    init(label: String) {
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func async(_ work: @escaping @Sendable () -> Void) {
        queue.async(execute: work)
    }
}
