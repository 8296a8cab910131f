import Foundation
import ServingGraph
import Synchronization
import Testing

@testable import FeatureEnrich

/// `UpdateAggregates` decoding rows straight into events (``UpdateAggregatesPlan``) against the general path (an
/// event object per row decoded by the store): two real stores get the same requests, one through each path, and
/// must hold the same bytes and answer the same errors.
struct UpdateAggregatesPlanTests {
    /// A compound key (string and int64), every feature type, two aggregations, validators dropping bad values.
    static let featureSetJSON = """
        {"name": "orders", "entities": [{"name": "user", "type": "string"}, {"name": "shop", "type": "int64"}],
         "timestamp_key": "ts",
         "features": [{"name": "amount", "type": "double", "validators": {"min": 0}},
                      {"name": "qty", "type": "int64"}, {"name": "note", "type": "string"},
                      {"name": "gift", "type": "bool"}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["count", "sum", "max"],
                           "windows": ["1h"], "period": "10m"},
                          {"name": "qty", "column": "qty", "operations": ["sum"], "windows": ["24h"], "period": "1h"}],
         "validation_policy": "drop_feature"}
        """

    static let fieldPaths = [("user", "customer.id"), ("amount", "price")]

    /// 2026-01-01T00:10:00.250Z: the receive time of every request here.
    static let receivedAt: Int64 = 1_767_226_200_250

    /// One store per path, each behind a step of that path.
    private struct Pair {
        let direct: (store: SQLiteOnlineStore, step: UpdateAggregatesStep)
        let general: (store: SQLiteOnlineStore, step: UpdateAggregatesStep)
    }

    private func withPair(rows: String? = "inputs", timestamp: String? = "when", _ body: (Pair) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("uap-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func side(_ name: String, direct: Bool) throws -> (SQLiteOnlineStore, UpdateAggregatesStep) {
            let store = try SQLiteOnlineStore(
                path: directory.appendingPathComponent("\(name).db").path,
                featureSets: [try FeatureSetDefinition(jsonText: Self.featureSetJSON)])
            let step = UpdateAggregatesStep(
                name: "update", store: store, featureSet: store.featureSets[0], fieldPaths: Self.fieldPaths,
                timestamp: timestamp, rows: rows, order: .beforeFetch, decodesRowsDirectly: direct)
            return (store, step)
        }
        let direct = try side("direct", direct: true)
        let general = try side("general", direct: false)
        defer {
            direct.0.close()
            general.0.close()
        }
        try body(Pair(direct: direct, general: general))
    }

    private func event(_ json: String, eventID: String? = nil) throws -> Event {
        Event(
            body: try JSONParser.parse(json), headers: eventID.map { [("X-Event-Id", $0)] } ?? [],
            receivedAt: Self.receivedAt)
    }

    /// Runs `event` through `step`; the snapshot states in order, after waiting for the commit.
    private func run(_ step: UpdateAggregatesStep, _ event: Event) throws -> [(key: String, value: EntityState?)] {
        let output = try step.run(event)
        let done = DispatchSemaphore(value: 0)
        let committed = Mutex<Result<Int, any Error>?>(nil)
        output[CommitTicketKey.self]?.whenDone { result in
            committed.withLock { $0 = result }
            done.signal()
        }
        done.wait()
        _ = try committed.withLock { $0 }?.get()
        return output[EntityStateSnapshotKey.self]?.last?.states.pairs ?? []
    }

    /// Everything a request leaves on disk, minus wall-clock columns.
    private func disk(_ store: SQLiteOnlineStore) throws -> [[[SQLiteValue]]] {
        let connection = try store.inspect()
        return try [
            "SELECT entity_key, event_ts_ms, event FROM event_log ORDER BY seq",
            "SELECT entity_key, state FROM entity_state ORDER BY entity_key",
            "SELECT feature, count, mean, m2, min, max FROM feature_stats ORDER BY feature",
            "SELECT feature, validator, rejected, warned, dropped FROM feature_violations ORDER BY feature, validator",
            "SELECT event_id FROM processed_events ORDER BY event_id",
        ].map { try connection.query($0) }
    }

    @Test func nRowRequestWritesTheSameBytesAndSnapshotAsTheGeneralPath() throws {
        let body = """
            {"id": "request-1", "inputs": [
              {"customer": {"id": "u1"}, "shop": 7, "price": 12.5, "qty": 2, "note": "first", "gift": true,
               "when": "2026-01-01T00:00:00.250Z", "extra": "not a column"},
              {"customer": {"id": "u2"}, "shop": "8", "price": "3.25", "qty": 1.0, "when": 1767225660},
              {"customer": {"id": 42}, "shop": 7.0, "price": null, "note": "no time, receive time"},
              {"customer": {"id": "u1"}, "shop": 7, "price": -4, "gift": false, "when": 1767225720.5},
              {"customer": {"id": "ü-ß"}, "shop": -1, "price": 1e300, "qty": "9"}]}
            """
        try withPair { pair in
            let direct = try run(pair.direct.step, try event(body))
            let general = try run(pair.general.step, try event(body))
            #expect(direct.map(\.key) == general.map(\.key))
            #expect(direct.map(\.value) == general.map(\.value))
            #expect(direct.count == 4)
            let onDisk = try disk(pair.direct.store)
            #expect(onDisk == (try disk(pair.general.store)))
            #expect(onDisk[0].count == 5)
            #expect(onDisk[3].isEmpty == false)
        }
    }

    @Test func retriedEventIDIsCountedOnceOnBothPaths() throws {
        let body = #"{"inputs": [{"customer": {"id": "u1"}, "shop": 7, "price": 1}]}"#
        try withPair { pair in
            for _ in 0..<2 {
                _ = try run(pair.direct.step, try event(body, eventID: "retry-1"))
                _ = try run(pair.general.step, try event(body, eventID: "retry-1"))
            }
            let onDisk = try disk(pair.direct.store)
            #expect(onDisk == (try disk(pair.general.store)))
            #expect(onDisk[0].count == 1)
        }
    }

    @Test func rowWithoutTimestampIsStampedWithTheReceiveTimeToTheMillisecond() throws {
        try withPair(rows: nil, timestamp: nil) { pair in
            _ = try run(pair.direct.step, try event(#"{"customer": {"id": "u1"}, "shop": 7, "price": 1}"#))
            let times = try pair.direct.store.inspect().query("SELECT event_ts_ms FROM event_log")
            #expect(times == [[.integer(Self.receivedAt)]])
        }
    }

    static let badRequests = [
        // The entity key of a later row fails before the bad amount of an earlier one.
        #"{"inputs": [{"customer": {"id": "u1"}, "shop": 7, "price": "12x"}, {"customer": {}, "shop": 7}]}"#,
        #"{"inputs": [{"customer": {"id": "u1"}, "shop": 7, "price": "12x"}, {"customer": {"id": "u"}, "shop": 1.5}]}"#,
        #"{"inputs": [{"customer": {"id": true}, "shop": 7}]}"#,
        #"{"inputs": [{"customer": {"id": "u1"}, "shop": "seven"}]}"#,
        #"{"inputs": [{"customer": {"id": "u1"}, "shop": 7, "price": "12x"}, {"customer": {"id": "u"}, "shop": 1, "qty": 1.5}]}"#,
        #"{"inputs": [{"customer": {"id": "u1"}, "shop": 7, "when": null}]}"#,
        #"{"inputs": [{"customer": {"id": "u1"}, "shop": 7, "when": "yesterday"}]}"#,
        #"{"inputs": [{"customer": {"id": "u1"}, "shop": 7, "when": 1e300}]}"#,
        #"{"inputs": [{"customer": {"id": "u1"}, "shop": 7, "note": 5}]}"#,
        #"{"inputs": [{"customer": {"id": "u1"}, "shop": 7, "gift": "yes"}]}"#,
        #"{"inputs": {"customer": {"id": "u1"}, "shop": 7}}"#,
        #"{"inputs": [{"customer": {"id": "u1"}, "shop": 7}, 5]}"#,
        #"{"inputs": [{"customer": "u1", "shop": 7}]}"#,
    ]

    @Test(arguments: badRequests)
    func badRequestFailsWithTheGeneralPathsErrorAndWritesNothing(_ body: String) throws {
        try withPair { pair in
            func failure(_ step: UpdateAggregatesStep) throws -> String {
                do {
                    _ = try step.run(try event(body))
                    return "no error"
                } catch let error as ServingError {
                    return error.description
                }
            }
            let direct = try failure(pair.direct.step)
            #expect(direct == (try failure(pair.general.step)))
            #expect(direct.hasPrefix("invalid input: "))
            try pair.direct.store.waitForPendingWrites()
            #expect(try pair.direct.store.inspect().count("SELECT COUNT(*) FROM event_log") == 0)
        }
    }

    @Test(
        arguments: [
            0, 1, 999, 1_000, 86_399_999, receivedAt, 1_767_225_600_000, 4_102_444_799_999,
            UpdateAggregatesPlan.maxFourDigitYearMilliseconds,
        ] as [Int64])
    func receiveTimeInFourDigitYearsEqualsItsRFC3339RoundTrip(_ milliseconds: Int64) throws {
        let roundTrip = try FeatureEventDecoder.epochMilliseconds(
            .string(RFC3339.string(epochMilliseconds: milliseconds)), field: "ts")
        #expect(try UpdateAggregatesPlan.receiveTime(milliseconds, field: "ts") == roundTrip)
    }

    @Test func receiveTimeEqualsItsRFC3339RoundTripAcrossTheFourDigitYears() throws {
        var generator = SplitMix(seed: 8)
        for _ in 0..<5_000 {
            let milliseconds = Int64(generator.next() % UInt64(UpdateAggregatesPlan.maxFourDigitYearMilliseconds + 1))
            let roundTrip = try FeatureEventDecoder.epochMilliseconds(
                .string(RFC3339.string(epochMilliseconds: milliseconds)), field: "ts")
            #expect(try UpdateAggregatesPlan.receiveTime(milliseconds, field: "ts") == roundTrip)
        }
    }

    @Test func stepWithAnotherDefinitionOfTheSetTakesTheGeneralPath() throws {
        try withPair { pair in
            let other = try FeatureSetDefinition(
                jsonText: Self.featureSetJSON.replacingOccurrences(of: "drop_feature", with: "warn"))
            let plan = UpdateAggregatesPlan(store: pair.direct.store, featureSet: other, paths: [:], timestamp: nil)
            #expect(plan == nil)
            let same = UpdateAggregatesPlan(
                store: pair.direct.store, featureSet: pair.direct.store.featureSets[0], paths: [:], timestamp: nil)
            #expect(same != nil)
        }
    }
}
