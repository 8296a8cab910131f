public import ServingGraph

/// The states of the entities one request updated, taken under their shard locks in the same critical section
/// as the update: a read from it is atomic with the update (no other request's event in between), whether it
/// reads the states before the request's events or after them.
public struct EntityStateSnapshot: Sendable {
    /// Which states a snapshot holds.
    public enum Moment: Sendable, Equatable {
        /// The states as they were just before the request's events ("read, then update").
        case beforeUpdate
        /// The states with the request's events applied ("update, then read").
        case afterUpdate
    }

    /// The feature set updated.
    public let featureSet: String
    /// Whether the states are those before or after the update.
    public let moment: Moment
    /// State per encoded entity key, in first-update order; `.none` for an entity that had no state yet (read as
    /// never ingested).
    let states: SmallOrderedMap<String, EntityState?>
}

/// The event storage key of the snapshots taken by `UpdateAggregates` steps, for `EnrichWithFeatures` to read.
public enum EntityStateSnapshotKey: EventStorageKey {
    /// The stored value.
    public typealias Value = [EntityStateSnapshot]
}

/// Whether a snapshot answers for an entity.
enum SnapshotLookup {
    /// No snapshot holds the entity: read the store.
    case notCovered
    /// A snapshot holds the entity: true when it had a state at that moment (its cells were appended).
    case covered(Bool)
}

extension SQLiteOnlineStore {
    /// ``ingest(_:into:eventID:completion:)`` that also returns the touched entities' states taken under the same
    /// shard locks as the update: with `.afterUpdate` those including the request ("update then read"), with
    /// `.beforeUpdate` those just before it ("read then update"), either way atomic with the update. Nil when
    /// nothing was applied (an event id already processed, or a refusal reported through `completion`).
    public func ingestAndSnapshot(
        _ events: [Value], into featureSet: String, eventID: String?, moment: EntityStateSnapshot.Moment = .afterUpdate,
        completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) throws(OnlineStoreError) -> EntityStateSnapshot? {
        let position = try self.position(of: featureSet)
        let (decoded, violations) = try decodeAndValidate(events, position: position)
        return ingestAndSnapshot(
            validated: decoded, violations: violations, position: position, eventID: eventID, moment: moment,
            completion: completion)
    }

    /// ``ingestAndSnapshot(_:into:eventID:moment:completion:)`` for events already decoded for the feature set at
    /// `position` (``UpdateAggregatesPlan``): validates them as ``decodeAndValidate(_:position:)`` does (`events`
    /// must not carry members the definition does not read: a dropped feature's record is re-encoded without
    /// them), then ingests.
    func ingestAndSnapshot(
        decoded events: [FeatureEvent], position: Int, eventID: String?, moment: EntityStateSnapshot.Moment,
        completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) throws(OnlineStoreError) -> EntityStateSnapshot? {
        var validated = events
        let violations = try validate(&validated, position: position) { _ in nil }
        return ingestAndSnapshot(
            validated: validated, violations: violations, position: position, eventID: eventID, moment: moment,
            completion: completion)
    }

    private func ingestAndSnapshot(
        validated decoded: [FeatureEvent], violations: ValidationTally, position: Int, eventID: String?,
        moment: EntityStateSnapshot.Moment, completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) -> EntityStateSnapshot? {
        let featureSet = registered[position].definition.name
        // Closure literals below (not one stored closure): non-escaping, they capture `states` without a heap box.
        var states: SmallOrderedMap<String, EntityState?>?
        guard let eventID else {
            ingest(
                decoded, position: position, eventID: nil, violations: violations, snapshot: moment,
                underLock: { states = $0 }, completion: completion)
            return states.map { EntityStateSnapshot(featureSet: featureSet, moment: moment, states: $0) }
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
            ingest(
                decoded, position: position, eventID: eventID, violations: violations, snapshot: moment,
                underLock: { states = $0 }
            ) {
                [processedEvents] result in
                processedEvents.end(eventID)
                completion(result)
            }
            return states.map { EntityStateSnapshot(featureSet: featureSet, moment: moment, states: $0) }
        case .seen(let count):
            completion(.success(count))
            return nil
        }
    }

    /// Appends to `cells` the cells of `plan` (of feature set `featureSet`) for `key` from the latest of
    /// `snapshots` holding that entity.
    func appendCells(
        from snapshots: [EntityStateSnapshot], _ plan: FeatureCellPlan, featureSet: String, key: EntityKey,
        at time: Int64?, to cells: inout [FeatureCell]
    ) -> SnapshotLookup {
        for snapshot in snapshots.reversed() where snapshot.featureSet == featureSet {
            guard let entry = snapshot.states[key.encoded] else { continue }
            guard let state = entry else { return .covered(false) }
            appendCells(plan, of: state, at: time, to: &cells)
            return .covered(true)
        }
        return .notCovered
    }
}
