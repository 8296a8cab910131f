import ServingGraph

// MARK: - Validating the events of one request

extension SQLiteOnlineStore {
    /// Decodes the events of one request for the feature set at `position` and applies its validators (none
    /// declared: decoding only). Throws before anything is applied for an undecodable event, and under `reject`
    /// for the first event failing a validator (its rejection is counted in `feature_violations` by a write of
    /// its own: nothing of the request is written). Under `drop_feature` a violating feature is null in the
    /// returned event and in its event-log record. The returned tally goes into the request's commit.
    func decodeAndValidate(
        _ events: [Value], position: Int
    ) throws(OnlineStoreError) -> (events: [FeatureEvent], violations: ValidationTally) {
        let set = registered[position]
        let name = set.definition.name
        var decoded: [FeatureEvent] = []
        decoded.reserveCapacity(events.count)
        for (index, event) in events.enumerated() {
            do {
                decoded.append(try set.decoder.decode(event))
            } catch {
                throw .badEvent(featureSet: name, index: index, error)
            }
        }
        let tally = try validate(&decoded, position: position) { events[$0].objectValue }
        return (decoded, tally)
    }

    /// Applies the validators of the feature set at `position` to its decoded `events` (none declared: nothing),
    /// as ``decodeAndValidate(_:position:)`` describes; `object(i)` is event `i` as received (its members the
    /// definition does not read are logged again when a dropped feature re-encodes the record).
    func validate(
        _ events: inout [FeatureEvent], position: Int, object: (Int) -> ValueObject?
    ) throws(OnlineStoreError) -> ValidationTally {
        let set = registered[position]
        guard let validator = set.validator else { return ValidationTally() }
        let name = set.definition.name
        let receivedAt = StoreWriterLoop.nowMilliseconds()
        var tally = ValidationTally()
        for index in events.indices {
            let event = events[index]
            var featureValues = event.featureValues
            var aggregationValues = event.aggregationValues
            let dropped: [String]
            switch validator.apply(
                time: event.time, featureValues: &featureValues, aggregationValues: &aggregationValues,
                receivedAt: receivedAt, tally: &tally)
            {
            case .reject(let violation):
                recordRejection(violation, featureSet: name)
                throw .rejectedEvent(featureSet: name, index: index, violation)
            case .write(let names):
                dropped = names
            }
            guard !dropped.isEmpty else { continue }
            events[index] = set.decoder.event(
                key: event.key, time: event.time, aggregationValues: aggregationValues, featureValues: featureValues,
                object: object(index))
        }
        if validator.policy == .warn { warningLog.record(tally, featureSet: name, now: receivedAt) }
        return tally
    }

    /// Counts one rejected event in `feature_violations` (its own write: the rejected request writes nothing).
    func recordRejection(_ violation: ValidationViolation, featureSet: String) {
        var counted = ValidationTally()
        counted.add(feature: violation.feature, violation.validator, policy: .reject)
        let tally = counted
        writer.submit(
            { connection in try StoreStatements.mergeViolations(connection, featureSet: featureSet, tally) },
            completion: { result in
                if case .failure(let error) = result {
                    FeatureEnrich.logger.warning(
                        "cannot count a rejected event", [("feature_set", featureSet), ("error", "\(error)")])
                }
            })
    }

    /// Blocks until every write submitted before it is committed (tests and the CLI; never on an event loop).
    package func waitForPendingWrites() throws {
        try writer.submitAndWait { _ in }
    }
}
