public import ServingGraph

/// The states of the entities one request updated, taken under their shard locks right after the update: a
/// read from it is atomic with the update (no other request's event in between).
public struct EntityStateSnapshot: Sendable {
    /// The feature set updated.
    public let featureSet: String
    /// New state per encoded entity key.
    let states: [String: EntityState]
}

/// The event storage key of the snapshots taken by `UpdateAggregates` steps, for `EnrichWithFeatures` to read.
public enum EntityStateSnapshotKey: EventStorageKey {
    /// The stored value.
    public typealias Value = [EntityStateSnapshot]
}

extension SQLiteOnlineStore {
    /// ``ingest(_:into:eventID:completion:)`` that also returns the updated entities' states taken under the
    /// same shard locks as the update ("update then read" atomically). Nil when nothing was applied (an event
    /// id already processed, or a refusal reported through `completion`).
    public func ingestAndSnapshot(
        _ events: [Value], into featureSet: String, eventID: String?,
        completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) throws(OnlineStoreError) -> EntityStateSnapshot? {
        let position = try self.position(of: featureSet)
        let (decoded, violations) = try decodeAndValidate(events, position: position)
        var snapshot: EntityStateSnapshot?
        let capture: ([String: EntityState]) -> Void = {
            snapshot = EntityStateSnapshot(featureSet: featureSet, states: $0)
        }
        guard let eventID else {
            ingest(
                decoded, position: position, eventID: nil, violations: violations, underLock: capture,
                completion: completion)
            return snapshot
        }
        let outcome: ProcessedEvents.Outcome
        do {
            outcome = try processedEvents.begin(eventID, readers: readers)
        } catch {
            completion(.failure(error))
            return nil
        }
        switch outcome {
        case .new:
            ingest(decoded, position: position, eventID: eventID, violations: violations, underLock: capture) {
                [processedEvents] result in
                processedEvents.end(eventID)
                completion(result)
            }
            return snapshot
        case .seen(let count):
            completion(.success(count))
            return nil
        }
    }

    /// The cells of `columns` for `key` from `snapshot` when it holds that entity of `featureSet`, else nil.
    func cells(
        from snapshots: [EntityStateSnapshot], featureSet: String, key: EntityKey,
        columns: [ResolvedFeatureVector.Column], at time: Int64?
    ) throws -> [FeatureCell]? {
        for snapshot in snapshots.reversed() where snapshot.featureSet == featureSet {
            guard let state = snapshot.states[key.encoded] else { continue }
            return cells(of: state, featureSet: registered[try position(of: featureSet)], columns: columns, at: time)
        }
        return nil
    }
}
