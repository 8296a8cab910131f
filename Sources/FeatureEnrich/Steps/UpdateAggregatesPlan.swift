import ServingGraph

/// `UpdateAggregates`' request rows decoded straight into ``FeatureEvent``s through body paths resolved once, when
/// the step is built: no intermediate event object per row, no second decode of it, and the receive time kept as
/// epoch milliseconds instead of RFC 3339 text parsed back.
///
/// Decodes what the general path (an event object per row, then ``FeatureEventDecoder``) decodes, with the same
/// errors in the same order: every row's entity keys are checked first (a 400 naming the row's body path), then
/// the first undecodable row fails as ``OnlineStoreError/badEvent(featureSet:index:_:)``; the event-log records
/// are byte for byte those of the general path (whose event objects hold only columns the definition reads).
/// Immutable, and a class so a request retains it once. Only built when the step's definition is the store's and no column shares the timestamp's name (the general
/// path gives such a column the event time).
final class UpdateAggregatesPlan: Sendable {
    /// The feature set's position in the store.
    let position: Int
    private let set: RegisteredFeatureSet
    private let entities: [(column: EntityColumn, path: BodyPath)]
    private let timestamp: BodyPath?
    private let aggregations: [(column: String, path: BodyPath)]
    private let features: [(column: FeatureColumn, path: BodyPath)]
    /// Bytes of an event-log record besides its string values: a capacity reserved once per record.
    private let recordBytes: Int

    /// The plan of `featureSet` in `store` with body paths `paths` (column → path; unmapped columns are read at
    /// their own name) and the event time at `timestamp`; nil when the general path must decode.
    init?(store: SQLiteOnlineStore, featureSet: FeatureSetDefinition, paths: [String: String], timestamp: String?) {
        guard let position = try? store.position(of: featureSet.name) else { return nil }
        let set = store.registered[position]
        let definition = set.definition
        guard definition == featureSet,
            !definition.features.contains(where: { $0.name == definition.timestampKey }),
            !definition.aggregations.contains(where: { $0.column == definition.timestampKey })
        else { return nil }
        func path(_ column: String) -> BodyPath { BodyPath(paths[column] ?? column) }
        self.position = position
        self.set = set
        entities = definition.entities.map { ($0, path($0.name)) }
        self.timestamp = timestamp.map(BodyPath.init)
        aggregations = definition.aggregations.map { ($0.column, path($0.column)) }
        features = definition.features.map { ($0, path($0.name)) }
        // Per field at most: name, its length varint, a tag and 8 bytes or a string's length varint.
        let names =
            definition.entities.map(\.name) + [definition.timestampKey]
            + definition.aggregations.map(\.column) + definition.features.map(\.name)
        recordBytes = 1 + names.reduce(0) { $0 + $1.utf8.count + 20 }
    }

    /// The events of `rows`, the array at `rowsPath` (nil: the body is the one row), received at `receivedAt`
    /// (epoch ms).
    func events(
        _ rows: some Collection<Value>, rowsPath: BodyPath?, receivedAt: Int64
    ) throws(ServingError) -> [FeatureEvent] {
        var events: [FeatureEvent] = []
        events.reserveCapacity(rows.count)
        var firstBadEvent: OnlineStoreError?
        for (index, row) in rows.enumerated() {
            let parts = try entityParts(in: row, index: index, rowsPath: rowsPath)
            guard firstBadEvent == nil else { continue }
            do {
                events.append(try event(row, parts: parts, receivedAt: receivedAt))
            } catch {
                firstBadEvent = .badEvent(featureSet: set.definition.name, index: index, error)
            }
        }
        if let firstBadEvent { throw .invalidInput(firstBadEvent.description) }
        return events
    }

    /// The canonical entity parts of row `index`, or a 400 naming the body path of a key it lacks or holds with
    /// the wrong type. A part accepted here is one ``FeatureEventDecoder`` accepts, with the same text.
    private func entityParts(in row: Value, index: Int, rowsPath: BodyPath?) throws(ServingError) -> [String] {
        var parts: [String] = []
        parts.reserveCapacity(entities.count)
        for (column, path) in entities {
            guard let value = path.value(in: row), !value.isNull else {
                throw .invalidInput(
                    "\(Self.rowPath(index, rowsPath)).\(path): missing entity key '\(column.name)'")
            }
            do {
                parts.append(
                    try EntityKeyReader.part(value, column.type, path: "\(Self.rowPath(index, rowsPath)).\(path)"))
            } catch {
                throw .invalidInput(error.description)
            }
        }
        return parts
    }

    /// How errors name row `index`: `inputs[2]`, or `body` for a body that is the row.
    private static func rowPath(_ index: Int, _ rowsPath: BodyPath?) -> String {
        rowsPath.map { "\($0)[\(index)]" } ?? "body"
    }

    /// The event of `row` with entity `parts`: time, aggregation inputs and features decoded as
    /// ``FeatureEventDecoder`` decodes them, with its event-log record.
    private func event(_ row: Value, parts: [String], receivedAt: Int64) throws(FeatureEventError) -> FeatureEvent {
        let timestampKey = set.definition.timestampKey
        let time: Int64
        if let timestamp, let value = timestamp.value(in: row) {
            time = try FeatureEventDecoder.epochMilliseconds(value, field: timestampKey)
        } else {
            time = try Self.receiveTime(receivedAt, field: timestampKey)
        }
        var aggregationValues: [Double?] = []
        aggregationValues.reserveCapacity(aggregations.count)
        for (column, path) in aggregations {
            aggregationValues.append(try FeatureEventDecoder.number(path.value(in: row), field: column))
        }
        var featureValues: [Value?] = []
        featureValues.reserveCapacity(features.count)
        var stringBytes = 0
        for (column, path) in features {
            let value = try FeatureEventDecoder.feature(path.value(in: row), column)
            if case .string(let text)? = value { stringBytes += text.utf8.count }
            featureValues.append(value)
        }
        for part in parts { stringBytes += part.utf8.count }
        var logged: [UInt8] = []
        logged.reserveCapacity(recordBytes + stringBytes)
        set.decoder.encoder.encode(
            part: { $0 < parts.count ? parts[$0] : "" }, time: time, aggregationValues: aggregationValues,
            featureValues: featureValues, appendingTo: &logged)
        let key = parts.count == 1 ? EntityKey(part: parts[0]) : EntityKey(parts: parts)
        return FeatureEvent(
            key: key, time: time, aggregationValues: aggregationValues, featureValues: featureValues, logged: logged)
    }

    /// The event time of a row without one: the receive time. The general path wrote it as RFC 3339 text and
    /// parsed it back, which is the identity for years 1970-9999; outside them that round trip is kept.
    static func receiveTime(_ receivedAt: Int64, field: String) throws(FeatureEventError) -> Int64 {
        guard !(0...maxFourDigitYearMilliseconds).contains(receivedAt) else { return receivedAt }
        return try FeatureEventDecoder.epochMilliseconds(
            .string(RFC3339.string(epochMilliseconds: receivedAt)), field: field)
    }

    /// 9999-12-31T23:59:59.999Z in epoch milliseconds.
    static let maxFourDigitYearMilliseconds: Int64 = 253_402_300_799_999
}
