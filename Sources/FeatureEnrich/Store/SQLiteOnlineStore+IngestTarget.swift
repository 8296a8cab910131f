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
            appendToLog(
                decoded, featureSet: registered[position].definition.name, violations: violations,
                completion: completion)
        }
    }

    /// Appends `events` to `event_log` in one writer item (no online state, no statistics), with the validation
    /// counts of `warn` and `drop_feature`.
    private func appendToLog(
        _ events: [FeatureEvent], featureSet: String, violations: ValidationTally,
        completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) {
        guard !events.isEmpty else { return completion(.success(0)) }
        let now = StoreWriterLoop.nowMilliseconds()
        let count = events.count
        writer.submit(
            { connection in
                for event in events {
                    try StoreStatements.appendEvent(
                        connection, featureSet: featureSet, key: event.key.encoded, time: event.time, now: now,
                        logged: event.logged)
                }
                if !violations.isEmpty {
                    try StoreStatements.mergeViolations(connection, featureSet: featureSet, violations)
                }
            },
            completion: { result in completion(result.map { count }) })
    }
}
