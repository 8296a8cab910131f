import Dispatch
import Synchronization

/// The hand-off between submitting threads and the store-writer thread: a Mutex-protected FIFO of
/// work items plus a semaphore the idle writer sleeps on.
///
/// The writer marks itself idle under the lock before sleeping; a submitter that finds it idle
/// clears the flag and signals once. So every sleep is matched by exactly one signal, no wake-up is
/// lost, and a busy writer costs submitters no system call.
final class StoreWriterQueue: Sendable {
    /// One unit of work and the callback that receives its outcome after the commit.
    struct Item: Sendable {
        let work: @Sendable (SQLiteConnection) throws -> Void
        let completion: @Sendable (Result<Void, any Error>) -> Void
    }

    private struct State {
        var items: [Item] = []
        /// Index of the oldest item not yet taken; the prefix before it is garbage.
        var head = 0
        var isClosing = false
        var writerIsIdle = false
        /// Room promised by ``reserve()`` to items not enqueued yet: counted against the bound, and a closing
        /// writer waits for them.
        var reserved = 0

        var count: Int { items.count - head }
    }

    private let state = Mutex(State())
    private let wakeUp = DispatchSemaphore(value: 0)
    /// Most items waiting; see ``StoreWriterConfiguration/maxQueuedItems``.
    let maxQueuedItems: Int
    /// Counters the writer updates once per batch.
    let statistics = Mutex(StoreWriterStatistics())

    init(maxQueuedItems: Int) {
        self.maxQueuedItems = maxQueuedItems
    }

    /// Appends `item`, or returns why it was refused (closed, full).
    func enqueue(_ item: Item) -> StoreWriterError? {
        var refusal: StoreWriterError?
        let wake = state.withLock { state -> Bool in
            if state.isClosing {
                refusal = .closed
                return false
            }
            if state.count + state.reserved >= maxQueuedItems {
                refusal = .queueFull(limit: maxQueuedItems)
                return false
            }
            return Self.append(item, to: &state)
        }
        if wake && !WriterWakeUpDeferral.hold(wakeUp) { wakeUp.signal() }
        return refusal
    }

    /// Promises room for one item, or returns why there is none (closed, full): a caller that must not fail once
    /// it has changed memory reserves first, then enqueues with ``enqueue(reserved:)``, which cannot fail.
    func reserve() -> StoreWriterError? {
        state.withLock { state in
            if state.isClosing { return .closed }
            if state.count + state.reserved >= maxQueuedItems { return .queueFull(limit: maxQueuedItems) }
            state.reserved += 1
            return nil
        }
    }

    /// Appends `item` in the room ``reserve()`` promised (also while closing: the writer waits for it).
    func enqueue(reserved item: Item) {
        let wake = state.withLock { state -> Bool in
            state.reserved -= 1
            return Self.append(item, to: &state)
        }
        if wake && !WriterWakeUpDeferral.hold(wakeUp) { wakeUp.signal() }
    }

    /// Appends `item`; whether the idle writer must be woken.
    private static func append(_ item: Item, to state: inout State) -> Bool {
        state.items.append(item)
        guard state.writerIsIdle else { return false }
        state.writerIsIdle = false
        return true
    }

    /// Whether the writer is asleep waiting for an item (no submitter has woken it since).
    var isWriterIdle: Bool { state.withLock { $0.writerIsIdle } }

    /// Refuses new items and wakes the writer so it drains what is queued and stops.
    func close() {
        let wake = state.withLock { state -> Bool in
            state.isClosing = true
            guard state.writerIsIdle else { return false }
            state.writerIsIdle = false
            return true
        }
        if wake { wakeUp.signal() }
    }

    /// What ``waitForBatch(limit:into:timeoutMicroseconds:)`` ended with.
    enum WaitOutcome {
        /// Items were moved into the batch.
        case took
        /// The timeout passed with the queue empty.
        case timedOut
        /// The queue is closed and empty.
        case finished
    }

    /// Writer thread only: moves up to `limit` items into `batch`, sleeping while the queue is empty (at most
    /// `timeoutMicroseconds` when given).
    func waitForBatch(limit: Int, into batch: inout [Item], timeoutMicroseconds: Int? = nil) -> WaitOutcome {
        while true {
            enum Step { case took, finished, sleep }
            let step = state.withLock { state -> Step in
                if state.count > 0 {
                    Self.move(from: &state, limit: limit, into: &batch)
                    return .took
                }
                if state.isClosing && state.reserved == 0 { return .finished }
                state.writerIsIdle = true
                return .sleep
            }
            switch step {
            case .took: return .took
            case .finished: return .finished
            case .sleep:
                guard let timeoutMicroseconds else {
                    wakeUp.wait()
                    continue
                }
                guard wakeUp.wait(timeout: .now() + .microseconds(timeoutMicroseconds)) == .timedOut else { continue }
                // Still idle: nobody will signal. Otherwise a submitter cleared the flag and signals: take it.
                let stillIdle = state.withLock { state -> Bool in
                    defer { state.writerIsIdle = false }
                    return state.writerIsIdle
                }
                if stillIdle { return .timedOut }
                wakeUp.wait()
            }
        }
    }

    /// Writer thread only: moves up to `limit` more items into `batch` without waiting.
    func takeMore(limit: Int, into batch: inout [Item]) {
        guard limit > 0 else { return }
        state.withLock { state in Self.move(from: &state, limit: limit, into: &batch) }
    }

    private static func move(from state: inout State, limit: Int, into batch: inout [Item]) {
        let end = state.head + min(limit, state.count)
        batch.append(contentsOf: state.items[state.head..<end])
        state.head = end
        if state.head == state.items.count {
            state.items.removeAll(keepingCapacity: true)
            state.head = 0
        } else if state.head >= 4096 && state.head * 2 >= state.items.count {
            // Compact rarely (amortized O(1) per item) so the garbage prefix stays bounded.
            state.items.removeFirst(state.head)
            state.head = 0
        }
    }
}
