import Dispatch
import Synchronization

/// The bounded hand-off of a pipelined batch ingestion: the calling thread parses and aggregates rows and
/// puts chunks; the store-writer thread, inside the batch's one transaction, takes and inserts them. So
/// parsing and SQLite run on two cores while the batch stays one transaction.
final class BatchChannel: Sendable {
    /// Event-log rows of one chunk.
    struct Rows: Sendable {
        var keys: [String] = []
        var times: [Int64] = []
        /// Every row's event-log record (``LoggedEventEncoder``), back to back: row `i` ends at `eventEnds[i]` (no String per row).
        var eventBytes: [UInt8] = []
        var eventEnds: [Int] = []

        var count: Int { keys.count }
    }

    /// What the writer does next.
    enum Message: Sendable {
        /// Append these rows to the event log.
        case rows(Rows)
        /// Upsert these entity states (in key order, after every row).
        case states([(key: String, state: [UInt8])])
        /// Merge these statistics and violations, then commit.
        case finish(statistics: [(feature: String, FeatureStatistics)], violations: ValidationTally)
        /// Roll back with this error.
        case abort(any Error)
    }

    private struct State {
        var messages: [Message] = []
        var head = 0
        var consumerFailed = false
    }

    private let state = Mutex(State())
    private let freeSlots: DispatchSemaphore
    private let queued = DispatchSemaphore(value: 0)

    /// A channel holding at most `capacity` messages.
    init(capacity: Int) {
        freeSlots = DispatchSemaphore(value: max(1, capacity))
    }

    /// Producer: queues `message`, blocking while the channel is full; false once the writer has failed.
    func put(_ message: Message) -> Bool {
        // The writer must be consuming before this thread blocks on a full channel.
        WriterWakeUpDeferral.deliver()
        freeSlots.wait()
        let accepted = state.withLock { state -> Bool in
            guard !state.consumerFailed else { return false }
            state.messages.append(message)
            return true
        }
        if accepted { queued.signal() }
        return accepted
    }

    /// Writer: the next message, blocking until there is one.
    func take() -> Message {
        queued.wait()
        let message = state.withLock { state -> Message in
            let message = state.messages[state.head]
            state.head += 1
            if state.head == state.messages.count {
                state.messages.removeAll(keepingCapacity: true)
                state.head = 0
            }
            return message
        }
        freeSlots.signal()
        return message
    }

    /// Writer: stops accepting messages (the producer's next `put` returns false instead of blocking forever).
    func fail() {
        state.withLock { $0.consumerFailed = true }
        freeSlots.signal()
    }
}
