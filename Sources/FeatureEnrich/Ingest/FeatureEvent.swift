public import ServingGraph

/// One event decoded for a feature set: its entity key, event time and the values the aggregator takes,
/// plus the record appended to the event log (from which a ``SQLiteOnlineStore`` rebuilds state).
public struct FeatureEvent: Sendable {
    /// The entity the event updates.
    public let key: EntityKey
    /// Event time, epoch milliseconds.
    public let time: Int64
    /// Value per aggregation, definition order (`nil` = absent: not aggregated).
    public let aggregationValues: [Double?]
    /// Value per plain feature, definition order (`nil` = absent).
    public let featureValues: [Value?]
    /// The event's binary record as stored in `event_log.event` (``LoggedEventEncoder``); empty for an event
    /// read back from the log.
    public let logged: [UInt8]

    /// An event from its parts.
    public init(key: EntityKey, time: Int64, aggregationValues: [Double?], featureValues: [Value?], logged: [UInt8]) {
        self.key = key
        self.time = time
        self.aggregationValues = aggregationValues
        self.featureValues = featureValues
        self.logged = logged
    }
}

/// Why a JSON event cannot be ingested into a feature set; every case names the field.
public enum FeatureEventError: Error, Equatable, CustomStringConvertible {
    /// The event is not a JSON object.
    case notAnObject(got: String)
    /// An entity key field is absent or null.
    case missingEntityKey(field: String)
    /// An entity key field has the wrong type or an invalid value.
    case badEntityKey(field: String, reason: String)
    /// The timestamp field is absent or null.
    case missingTimestamp(field: String)
    /// The timestamp field is not an ISO 8601 string or epoch seconds.
    case badTimestamp(field: String, reason: String)
    /// A value field has the wrong type or an unparsable value.
    case badValue(field: String, reason: String)

    /// `missing entity key field 'key'`, `field 'amount': unparsable number '12.5x'`...
    public var description: String {
        switch self {
        case .notAnObject(let got): "an event must be a JSON object, got \(got)"
        case .missingEntityKey(let field): "missing entity key field '\(field)'"
        case .badEntityKey(let field, let reason): "entity key field '\(field)': \(reason)"
        case .missingTimestamp(let field): "missing timestamp field '\(field)'"
        case .badTimestamp(let field, let reason): "timestamp field '\(field)': \(reason)"
        case .badValue(let field, let reason): "field '\(field)': \(reason)"
        }
    }
}
