public import ServingGraph

/// Decodes JSON events (the body of `POST /v2/feature-sets/{name}/ingest`, rows of `event_log`) for one
/// feature set.
///
/// Entity fields: a string column takes a string (or an integer, written in decimal); an int64 column takes an
/// integer (or a string holding one). The timestamp field takes an ISO 8601 string or epoch seconds (a number,
/// or a string of digits), as in events CSV files. Aggregation inputs take a number or a numeric string; plain
/// features take their type (numbers also as numeric strings). Absent or null value fields are "no value".
public struct FeatureEventDecoder: Sendable {
    /// The feature set events are decoded for.
    public let featureSet: FeatureSetDefinition
    /// Writes a decoded event's event-log record.
    let encoder: LoggedEventEncoder
    /// Reads binary event-log records.
    let loggedDecoder: LoggedEventDecoder

    /// A decoder for `featureSet`.
    public init(featureSet: FeatureSetDefinition) {
        self.featureSet = featureSet
        encoder = LoggedEventEncoder(featureSet)
        loggedDecoder = LoggedEventDecoder(featureSet: featureSet)
    }

    /// Decodes one event object, with its binary event-log record.
    public func decode(_ value: Value) throws(FeatureEventError) -> FeatureEvent {
        try decode(value, logging: true)
    }

    /// The event of these decoded parts, with its binary event-log record (after validation changed values);
    /// `object` is the event as received (its members the definition does not read are logged too).
    func event(
        key: EntityKey, time: Int64, aggregationValues: [Double?], featureValues: [Value?], object: ValueObject?
    ) -> FeatureEvent {
        var logged: [UInt8] = []
        encoder.encode(
            parts: key.parts ?? [], time: time, aggregationValues: aggregationValues, featureValues: featureValues,
            object: object, appendingTo: &logged)
        return FeatureEvent(
            key: key, time: time, aggregationValues: aggregationValues, featureValues: featureValues, logged: logged)
    }

    /// Decodes one event object; with `logging` false its record is left empty (an event read from the log).
    func decode(_ value: Value, logging: Bool) throws(FeatureEventError) -> FeatureEvent {
        guard case .object(let object) = value else { throw .notAnObject(got: value.typeName) }
        var parts: [String] = []
        parts.reserveCapacity(featureSet.entities.count)
        for entity in featureSet.entities {
            parts.append(try Self.entityPart(object[entity.name], entity))
        }
        let time = try Self.epochMilliseconds(object[featureSet.timestampKey], field: featureSet.timestampKey)
        var aggregationValues: [Double?] = []
        aggregationValues.reserveCapacity(featureSet.aggregations.count)
        for aggregation in featureSet.aggregations {
            aggregationValues.append(try Self.number(object[aggregation.column], field: aggregation.column))
        }
        var featureValues: [Value?] = []
        featureValues.reserveCapacity(featureSet.features.count)
        for feature in featureSet.features {
            featureValues.append(try Self.feature(object[feature.name], feature))
        }
        var logged: [UInt8] = []
        if logging {
            encoder.encode(
                parts: parts, time: time, aggregationValues: aggregationValues, featureValues: featureValues,
                object: object, appendingTo: &logged)
        }
        return FeatureEvent(
            key: EntityKey(parts: parts), time: time, aggregationValues: aggregationValues,
            featureValues: featureValues, logged: logged)
    }

    /// Epoch milliseconds of a JSON time as events carry it: an ISO 8601 / RFC 3339 string (or a string of epoch
    /// seconds) or a number of epoch seconds. `field` names the value in errors. Also used for the `timestamp` of
    /// `EnrichWithFeatures` and the `as_of` of online vectors, so a request time means the same as an event time.
    package static func epochMilliseconds(_ value: Value?, field: String) throws(FeatureEventError) -> Int64 {
        switch value {
        case nil, .null?:
            throw .missingTimestamp(field: field)
        case .string(let text)?:
            do {
                return try TimestampParser.epochMilliseconds(text)
            } catch {
                throw .badTimestamp(field: field, reason: error.description)
            }
        case .int(let seconds)?:
            let (milliseconds, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            guard !overflow else { throw .badTimestamp(field: field, reason: "epoch seconds \(seconds) out of range") }
            return milliseconds
        case .double(let seconds)?:
            let milliseconds = (seconds * 1000).rounded(.down)
            guard milliseconds.isFinite, abs(milliseconds) < 9.0e18 else {
                throw .badTimestamp(field: field, reason: "epoch seconds \(seconds) out of range")
            }
            return Int64(milliseconds)
        case let other?:
            throw .badTimestamp(
                field: field, reason: "expected an ISO 8601 string or epoch seconds, got \(other.typeName)")
        }
    }

    static func entityPart(_ value: Value?, _ entity: EntityColumn) throws(FeatureEventError) -> String {
        switch (entity.type, value) {
        case (_, nil), (_, .null?):
            throw .missingEntityKey(field: entity.name)
        case (.string, .string(let text)?):
            return text
        case (.string, .int(let number)?), (.int64, .int(let number)?):
            return String(number)
        case (.int64, .string(let text)?):
            guard let number = Int64(text) else {
                throw .badEntityKey(field: entity.name, reason: "'\(text)' is not a 64-bit integer")
            }
            return String(number)
        case (.int64, .double(let number)?):
            guard let integer = Value.double(number).intValue else {
                throw .badEntityKey(field: entity.name, reason: "\(number) is not a 64-bit integer")
            }
            return String(integer)
        case (_, let other?):
            throw .badEntityKey(field: entity.name, reason: "expected \(entity.type.rawValue), got \(other.typeName)")
        }
    }

    static func number(_ value: Value?, field: String) throws(FeatureEventError) -> Double? {
        switch value {
        case nil, .null?:
            return nil
        case .int(let number)?:
            return Double(number)
        case .double(let number)?:
            return number
        case .string(let text)?:
            do {
                return try NumberParser.double(text)
            } catch {
                throw .badValue(field: field, reason: error.description)
            }
        case let other?:
            throw .badValue(field: field, reason: "expected a number, got \(other.typeName)")
        }
    }

    static func feature(_ value: Value?, _ feature: FeatureColumn) throws(FeatureEventError) -> Value? {
        guard let value, !value.isNull else { return nil }
        switch (feature.type, value) {
        case (.double, _):
            return try number(value, field: feature.name).map(Value.double)
        case (.int64, .int), (.string, .string), (.bool, .bool):
            return value
        case (.int64, .double(let number)):
            guard let integer = value.intValue else {
                throw .badValue(field: feature.name, reason: "\(number) is not a 64-bit integer")
            }
            return .int(integer)
        case (.int64, .string(let text)):
            do {
                return try NumberParser.int64(text).map(Value.int)
            } catch {
                throw .badValue(field: feature.name, reason: error.description)
            }
        default:
            throw .badValue(field: feature.name, reason: "expected \(feature.type.rawValue), got \(value.typeName)")
        }
    }
}
