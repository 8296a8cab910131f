import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// The binary event-log record (schema migration 5) decodes to exactly the event the JSON log decoded to.
struct LoggedEventEncoderTests {
    static let definitionJSON = """
        {"name": "accounts", "entities": [{"name": "region", "type": "string"}, {"name": "id", "type": "int64"}],
         "timestamp_key": "ts",
         "features": [{"name": "amount", "type": "double"}, {"name": "visits", "type": "int64"},
                      {"name": "note", "type": "string"}, {"name": "vip", "type": "bool"}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["sum"], "windows": ["1h"],
                           "period": "10m"},
                          {"name": "fee", "column": "fee", "operations": ["max"], "windows": ["1h"], "period": "10m"}]}
        """

    static func definition(_ json: String = definitionJSON) throws -> FeatureSetDefinition {
        try FeatureSetDefinition(jsonText: json)
    }

    /// Events covering every feature type, absent and null values, int64 extremes and awkward doubles/strings.
    static let events: [Value] = [
        [
            "region": "eu", "id": .int(.max), "ts": "2026-01-01T00:00:00.123Z", "amount": .double(-0.0),
            "visits": .int(.min), "note": "", "vip": true, "fee": .double(.leastNonzeroMagnitude),
        ],
        [
            "region": "na \"quoted\" ✓", "id": .int(.min), "ts": .int(1_767_225_600), "amount": .double(1e308),
            "visits": .int(.max), "note": "line\nbreak \u{0}nul", "vip": false, "fee": "2.5",
        ],
        ["region": "", "id": "42", "ts": .double(1_767_225_600.5), "amount": "0.1", "visits": .double(7)],
        ["region": "x", "id": .int(0), "ts": "1767225601", "amount": .null, "note": .null, "fee": .int(3)],
    ]

    static func decodeRecord(_ event: FeatureEvent, _ definition: FeatureSetDefinition) throws -> FeatureEvent {
        try event.logged.withUnsafeBytes { try LoggedEventDecoder(featureSet: definition).decode($0) }
    }

    static func expectSame(_ binary: FeatureEvent, _ json: FeatureEvent) {
        #expect(binary.key == json.key)
        #expect(binary.time == json.time)
        #expect(binary.aggregationValues.map { $0?.bitPattern } == json.aggregationValues.map { $0?.bitPattern })
        #expect(binary.featureValues == json.featureValues)
    }

    @Test(arguments: events.indices)
    func roundTripsEveryFeatureTypeAsTheJSONLogDid(index: Int) throws {
        let definition = try Self.definition()
        let decoder = FeatureEventDecoder(featureSet: definition)
        let event = try decoder.decode(Self.events[index])
        #expect(event.logged.first == 0xFE)
        let fromJSON = try decoder.decode(try JSONParser.parse(JSONWriter.string(Self.events[index])))
        Self.expectSame(try Self.decodeRecord(event, definition), fromJSON)
        Self.expectSame(try Self.decodeRecord(event, definition), event)
    }

    @Test func aNonFiniteDoubleIsLoggedAsNoValueAsJSONWroteItAsNull() throws {
        let definition = try Self.definition()
        let decoder = FeatureEventDecoder(featureSet: definition)
        for number in [Double.nan, .infinity, -.infinity] {
            let object: Value = ["region": "eu", "id": .int(1), "ts": .int(1), "amount": .double(number)]
            let event = try decoder.decode(object)
            let logged = try Self.decodeRecord(event, definition)
            let fromJSON = try decoder.decode(try JSONParser.parse(JSONWriter.string(object)))
            #expect(logged.featureValues[0] == nil)
            #expect(logged.aggregationValues[0] == nil)
            Self.expectSame(logged, fromJSON)
        }
    }

    @Test func membersTheDefinitionDoesNotReadAreKeptForALaterDefinition() throws {
        let definition = try Self.definition()
        var object = try #require(Self.events[0].objectValue)
        object["channel"] = "web"
        object["meta"] = ["tags": [1, "a"], "ok": true]
        let event = try FeatureEventDecoder(featureSet: definition).decode(.object(object))
        let later = try Self.definition(
            Self.definitionJSON.replacingOccurrences(
                of: #"{"name": "vip", "type": "bool"}"#,
                with: #"{"name": "vip", "type": "bool"}, {"name": "channel", "type": "string"}"#))
        let decoded = try Self.decodeRecord(event, later)
        #expect(decoded.featureValues.last == .string("web"))
        let stored = try #require(FeatureEventDecoder.loggedObject(.blob(event.logged)))
        #expect(stored["meta"] == ["tags": [1, "a"], "ok": true])
        #expect(stored["ts"] == "2026-01-01T00:00:00.123Z")
    }

    @Test func aRecordReadUnderAChangedDefinitionConvertsAsItsJSONWould() throws {
        let definition = try Self.definition()
        let changed = try Self.definition(
            Self.definitionJSON
                .replacingOccurrences(of: #""name": "id", "type": "int64""#, with: #""name": "id", "type": "string""#)
                .replacingOccurrences(
                    of: #""name": "visits", "type": "int64""#, with: #""name": "visits", "type": "double""#))
        for value in Self.events {
            let event = try FeatureEventDecoder(featureSet: definition).decode(value)
            let fromJSON = try FeatureEventDecoder(featureSet: changed).decode(
                try JSONParser.parse(JSONWriter.string(value)))
            Self.expectSame(try Self.decodeRecord(event, changed), fromJSON)
        }
        let stringFeature = try Self.definition(
            Self.definitionJSON.replacingOccurrences(
                of: #""name": "vip", "type": "bool""#, with: #""name": "vip", "type": "string""#))
        let event = try FeatureEventDecoder(featureSet: definition).decode(Self.events[0])
        #expect(throws: FeatureEventError.badValue(field: "vip", reason: "expected string, got boolean")) {
            try Self.decodeRecord(event, stringFeature)
        }
    }

    @Test func aTruncatedRecordIsAnErrorNamingTheByte() throws {
        let definition = try Self.definition()
        let event = try FeatureEventDecoder(featureSet: definition).decode(Self.events[0])
        let truncated = Array(event.logged.dropLast(3))
        #expect(throws: FeatureEventError.self) {
            try truncated.withUnsafeBytes { try LoggedEventDecoder(featureSet: definition).decode($0) }
        }
        let error = #expect(throws: FeatureEventError.self) {
            try [0x7B, 0x7D].withUnsafeBytes { try LoggedEventDecoder(featureSet: definition).decode($0) }
        }
        #expect(error?.description == "field 'event_log.event': binary record: unknown record format at byte 1")
    }
}
