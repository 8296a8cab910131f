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
        let decoded = try decode(events, position: position)
        switch target {
        case .onlineAndOffline:
            ingest(decoded, position: position, eventID: nil, completion: completion)
        case .online:
            ingest(decoded, position: position, eventID: nil, appendsToLog: false, completion: completion)
        case .offline:
            appendToLog(decoded, featureSet: registered[position].definition.name, completion: completion)
        }
    }

    /// Every event of `events` decoded for the feature set at `position`; the first bad one throws naming its
    /// index.
    func decode(_ events: [Value], position: Int) throws(OnlineStoreError) -> [FeatureEvent] {
        let decoder = registered[position].decoder
        var decoded: [FeatureEvent] = []
        decoded.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            do {
                decoded.append(try decoder.decode(event))
            } catch {
                throw .badEvent(featureSet: registered[position].definition.name, index: index, error)
            }
        }
        return decoded
    }

    /// Appends `events` to `event_log` in one writer item (no online state, no statistics).
    private func appendToLog(
        _ events: [FeatureEvent], featureSet: String, completion: @escaping @Sendable (Result<Int, any Error>) -> Void
    ) {
        guard !events.isEmpty else { return completion(.success(0)) }
        let now = StoreWriterLoop.nowMilliseconds()
        let count = events.count
        writer.submit(
            { connection in
                for event in events {
                    try StoreStatements.appendEvent(
                        connection, featureSet: featureSet, key: event.key.encoded, time: event.time, now: now,
                        json: event.json)
                }
            },
            completion: { result in completion(result.map { count }) })
    }
}
