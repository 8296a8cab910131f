import Synchronization

/// Exactly-once bookkeeping of event ids (DESIGN.md, "Exactly once"): an id committed within the horizon is
/// answered again from `processed_events` without ingesting twice; an id whose first request is still in
/// flight is refused (``OnlineStoreError/eventInFlight(id:)``) so two copies never both count.
///
/// The id is recorded in the same commit as its events (``StoreStatements/recordProcessedEvent``), and the
/// in-flight mark is dropped only after that commit, so a retry sees either the mark or the committed row.
final class ProcessedEvents: Sendable {
    /// Whether a request with an id must be ingested.
    enum Outcome {
        /// Not seen within the horizon: ingest it (the id is now marked in flight; call ``end(_:)``).
        case new
        /// Committed before with this many events: answer again.
        case seen(count: Int)
    }

    private let inFlight = Mutex<Set<String>>([])
    private let horizonMilliseconds: Int64

    /// Ids older than `horizonMilliseconds` count as new again.
    init(horizonMilliseconds: Int64) {
        self.horizonMilliseconds = horizonMilliseconds
    }

    /// Marks `id` in flight and says whether it was already committed (read through a read-only connection).
    func begin(_ id: String, readers: StoreReaderPool) throws -> Outcome {
        guard inFlight.withLock({ $0.insert(id).inserted }) else { throw OnlineStoreError.eventInFlight(id: id) }
        do {
            let since = StoreWriterLoop.nowMilliseconds() - horizonMilliseconds
            let count = try readers.withConnection {
                try StoreStatements.processedEventCount($0, eventID: id, since: since)
            }
            guard let count else { return .new }
            end(id)
            return .seen(count: count)
        } catch {
            end(id)
            throw error
        }
    }

    /// Drops the in-flight mark of `id` (after its commit or failure).
    func end(_ id: String) {
        inFlight.withLock { _ = $0.remove(id) }
    }
}
