public import ServingGraph

extension SQLiteOnlineStore {
    /// ``ingest(_:into:eventID:completion:)`` writing only the stores `target` names (Feast's push modes): all
    /// events are validated first (throwing ``OnlineStoreError`` before anything is written), then written as one
    /// writer item, hence one commit; `completion` gets their count after it. `.offline` appends to `event_log`
    /// without touching (or locking) online state.
    public func ingest(
        _ events: [Value], into featureSet: String, target: IngestTarget,
        completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) throws(OnlineStoreError) {
        let position = try self.position(of: featureSet)
        let (decoded, violations) = try decodeAndValidate(events, position: position)
        switch target {
        case .onlineAndOffline:
            ingest(decoded, position: position, eventID: nil, violations: violations, completion: completion)
        case .online:
            ingest(
                decoded, position: position, eventID: nil, appendsToLog: false, violations: violations,
                completion: completion)
        case .offline:
            appendToLog(decoded, position: position, violations: violations, completion: completion)
        }
    }

    /// Appends `events` to `event_log` in one writer item (no online state, no statistics), with the validation
    /// counts of `warn` and `drop_feature`. The online state does not include them, so the stored state of each
    /// of their keys is marked as including them (its state behind the log written first): a disk load must not
    /// replay them.
    private func appendToLog(
        _ events: [FeatureEvent], position: Int, violations: ValidationTally,
        completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) {
        guard !events.isEmpty else { return completion(.success(0)) }
        let featureSet = registered[position].definition.name
        let now = StoreWriterLoop.nowMilliseconds()
        let count = events.count
        writer.submit(
            { [pendingStates, pendingLogIndex] connection in
                for event in events {
                    let key = StoreShard.Key(featureSet: position, entity: event.key.encoded)
                    // Read before the event is logged: a state rebuilt from the log must not include it.
                    let behind =
                        try pendingStates.latestIsBehind(key) ? pendingStates.committedBytes(key, connection) : nil
                    try StoreStatements.appendEvent(
                        connection, featureSet: featureSet, key: event.key.encoded, time: event.time, now: now,
                        logged: event.logged)
                    let seq = connection.lastInsertRowID
                    pendingLogIndex.stage(featureSet: position, key: event.key.encoded, time: event.time, seq: seq)
                    if let behind {
                        try StoreStatements.upsertState(
                            connection, featureSet: featureSet, key: key.entity, state: behind, throughSeq: seq,
                            now: now)
                        pendingStates.markWritten(key)
                    } else {
                        try StoreStatements.raiseThroughSeq(
                            connection, featureSet: featureSet, key: key.entity, to: seq)
                    }
                }
                if !violations.isEmpty {
                    try StoreStatements.mergeViolations(connection, featureSet: featureSet, violations)
                }
            },
            completion: { result in completion(result.map { count }) })
    }
}
