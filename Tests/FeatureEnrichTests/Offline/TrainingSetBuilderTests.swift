import FeatureEnrich
import ServingGraph
import Testing

/// Point-in-time training sets against the online store that ingested the same events (real SQLite files).
struct TrainingSetBuilderTests {
    static let featureSetJSON = """
        {"name": "tx", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "timestamp",
         "features": [{"name": "amount", "type": "double"}, {"name": "note", "type": "string"}], "ttl": "30m",
         "aggregations": [{"name": "amount", "column": "amount",
           "operations": ["count", "sum", "min", "max", "avg", "stddev"], "windows": ["1h", "24h"], "period": "10m"}]}
        """
    static let base = StoreFixture.base
    static let minute: Int64 = 60_000

    static func event(_ key: String, _ time: Int64, _ amount: Double, note: String? = nil) -> Value {
        var object: ValueObject = ["key": .string(key), "timestamp": .string(iso(time)), "amount": .double(amount)]
        if let note { object["note"] = .string(note) }
        return .object(object)
    }

    /// Epoch seconds with milliseconds, as the event decoder and entity tables accept.
    static func iso(_ milliseconds: Int64) -> String {
        "\(milliseconds / 1000).\(String(milliseconds % 1000 + 1000).dropFirst())"
    }

    static func table(_ rows: [(key: String, time: Int64)]) -> EntityTable {
        EntityTable(
            source: "entities.csv", columns: ["key", "timestamp"],
            rows: rows.enumerated().map { index, row in
                EntityTable.Row(fields: [row.key, iso(row.time)], line: index + 2, time: row.time)
            })
    }

    static func builder(_ path: String, _ features: [String] = ["tx.*"]) throws -> TrainingSetBuilder {
        let vector = FeatureVectorDefinition(
            name: "v", features: try features.map { try FeatureReference(parsing: $0, path: "features") })
        return try TrainingSetBuilder(vector: vector, store: try OfflineStoreReader(path: path))
    }

    /// The equality test: events arrive through the online ingest path in several batches, in serving-time
    /// order but with late events (timestamps before earlier arrivals) and equal timestamps; at several
    /// serving times T the online row is read, and later the training row for (key, T) must be identical.
    @Test func trainingRowEqualsOnlineVectorReadAtTheSameTime() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try FeatureSetDefinition(jsonText: Self.featureSetJSON)])
        var random = SeededRandom(seed: 42)
        let keys = ["a", "b", "c", "d"]
        var serveTime = Self.base
        var lastProbe = Self.base
        var latest: [String: Int64] = [:]
        var expected: [(key: String, time: Int64, row: ValueObject?)] = []
        var lastTimes: [Int64] = []
        var lateEvents = 0
        var tiedEvents = 0
        for batch in 0..<80 {
            serveTime += Int64(random.next(upTo: 16) + 4) * Self.minute + Int64(random.next(upTo: 1000))
            var events: [Value] = []
            for _ in 0..<(random.next(upTo: 4) + 1) {
                let key = keys[random.next(upTo: keys.count - 1)]
                var time = serveTime
                if random.next(upTo: 3) == 0 {
                    // Late, but after every probe so far: a probe at T must have seen every event <= T.
                    time = lastProbe + 1 + Int64(random.next(upTo: Int(serveTime - lastProbe - 1)))
                } else if let tied = lastTimes.last, tied > lastProbe, random.next(upTo: 3) == 0 {
                    time = tied
                    tiedEvents += 1
                }
                if let previous = latest[key], time < previous { lateEvents += 1 }
                latest[key] = max(latest[key] ?? time, time)
                lastTimes.append(time)
                let note: String? = random.next(upTo: 2) == 0 ? nil : "n\(batch)"
                events.append(Self.event(key, time, Double(random.next(upTo: 10_000)) / 7, note: note))
            }
            _ = try store.ingestAndWait(events, into: "tx")
            guard random.next(upTo: 2) > 0 else { continue }
            for key in keys {
                for time in [serveTime, serveTime + 3 * Self.minute] {
                    let row = try store.read(featureSet: "tx", key: EntityKey(parts: [key]), features: nil, at: time)
                    expected.append((key, time, row))
                }
            }
            lastProbe = serveTime + 3 * Self.minute
            serveTime = lastProbe
        }
        store.close()
        #expect(lateEvents > 5 && tiedEvents > 5)
        // Input order is not time order: reversed, so grouping and sorting must restore it.
        expected.reverse()
        let builder = try Self.builder(path)
        let set = try builder.build(Self.table(expected.map { ($0.key, $0.time) }))
        #expect(set.featureColumns.count == 2 + 12)
        var compared = 0
        for (index, probe) in expected.enumerated() {
            #expect(set.table.rows[index].fields == [probe.key, Self.iso(probe.time)])
            let values = Array(set.featureValues(ofRow: index))
            guard let online = probe.row else {
                #expect(values.allSatisfy { $0.isNull }, "\(probe.key) at \(probe.time)")
                continue
            }
            for (column, value) in zip(set.featureColumns, values) {
                #expect(value == (online[column] ?? .null), "\(probe.key) at \(probe.time): \(column)")
                compared += 1
            }
        }
        #expect(compared > 1000)
    }

    @Test func eventLaterThanTInTheSameBucketIsNeverCounted() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try FeatureSetDefinition(jsonText: Self.featureSetJSON)])
        _ = try store.ingestAndWait(
            [Self.event("a", Self.base, 10), Self.event("a", Self.base + 5 * Self.minute, 30)], into: "tx")
        store.close()
        let builder = try Self.builder(path, ["tx.amount", "tx.amount_count_1h", "tx.amount_sum_1h as total"])
        let set = try builder.build(
            Self.table([("a", Self.base + 2 * Self.minute), ("a", Self.base + 5 * Self.minute), ("a", Self.base - 1)]))
        #expect(set.featureColumns == ["amount", "amount_count_1h", "total"])
        #expect(Array(set.featureValues(ofRow: 0)) == [.double(10), .double(1), .double(10)])
        #expect(Array(set.featureValues(ofRow: 1)) == [.double(30), .double(2), .double(40)])
        #expect(Array(set.featureValues(ofRow: 2)) == [.null, .null, .null])
    }

    @Test func exclusiveCutoffLeavesOutEventsAtExactlyTButReadsTheWindowsAtT() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try FeatureSetDefinition(jsonText: Self.featureSetJSON)])
        _ = try store.ingestAndWait(
            [
                Self.event("a", Self.base, 10), Self.event("a", Self.base + 50 * Self.minute, 30),
                Self.event("a", Self.base + 70 * Self.minute, 5),
            ], into: "tx")
        store.close()
        let vector = FeatureVectorDefinition(
            name: "v",
            features: try ["tx.amount", "tx.amount_sum_1h"].map { try FeatureReference(parsing: $0, path: "f") })
        let rows = Self.table([("a", Self.base), ("a", Self.base + 70 * Self.minute)])
        let exclusive = try TrainingSetBuilder(
            vector: vector, store: try OfflineStoreReader(path: path), cutoff: .exclusive
        ).build(rows)
        let inclusive = try TrainingSetBuilder(vector: vector, store: try OfflineStoreReader(path: path)).build(rows)
        // At 00:00 nothing came before the first event; at 01:10 the 00:00 event has slid out of the 1h window
        // and the 01:10 event is left out: only 00:50 remains (and it is the latest amount, within the ttl).
        #expect(Array(exclusive.featureValues(ofRow: 0)) == [.null, .null])
        #expect(Array(exclusive.featureValues(ofRow: 1)) == [.double(30), .double(30)])
        #expect(Array(inclusive.featureValues(ofRow: 0)) == [.double(10), .double(10)])
        #expect(Array(inclusive.featureValues(ofRow: 1)) == [.double(5), .double(35)])
    }

    @Test func timeTravelReaderReadsEveryEntityAsItsTrainingRowAtTheSameTime() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try FeatureSetDefinition(jsonText: Self.featureSetJSON)])
        _ = try store.ingestAndWait(
            [
                Self.event("b", Self.base, 1, note: "b1"), Self.event("a", Self.base + 5 * Self.minute, 2),
                Self.event("c", Self.base + 90 * Self.minute, 3), Self.event("a", Self.base + 2 * Self.minute, 4),
            ], into: "tx")
        store.close()
        let time = Self.base + 10 * Self.minute
        let reader = try TimeTravelReader(store: try OfflineStoreReader(path: path))
        var seen: [(String, ValueObject)] = []
        try reader.forEachEntity(featureSet: "tx", at: time) { key, row in seen.append((key.encoded, row)) }
        #expect(seen.map(\.0) == ["1:a", "1:b"])
        let set = try Self.builder(path).build(Self.table([("a", time), ("b", time)]))
        for (index, (_, row)) in seen.enumerated() {
            let trained = Dictionary(
                uniqueKeysWithValues: zip(set.featureColumns, set.featureValues(ofRow: index)).filter { !$0.1.isNull })
            let read = Dictionary(uniqueKeysWithValues: row.members.filter { !$0.1.isNull })
            #expect(read == trained)
        }
        #expect(seen.first?.1["amount_sum_1h"] == .double(6))
        #expect(try reader.row(featureSet: "tx", key: EntityKey(parts: ["c"]), at: time) == nil)
        #expect(throws: OnlineStoreError.unknownFeatureSet(name: "nope")) {
            try reader.row(featureSet: "nope", key: EntityKey(parts: ["a"]), at: time)
        }
    }

    @Test func plainFeatureTiesGoToTheLaterArrivalAndExpireAfterTTL() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try FeatureSetDefinition(jsonText: Self.featureSetJSON)])
        _ = try store.ingestAndWait([Self.event("a", Self.base, 1, note: "first")], into: "tx")
        _ = try store.ingestAndWait([Self.event("a", Self.base, 2, note: "second")], into: "tx")
        store.close()
        let set = try Self.builder(path, ["tx.amount", "tx.note"]).build(
            Self.table([("a", Self.base + 30 * Self.minute), ("a", Self.base + 31 * Self.minute)]))
        #expect(Array(set.featureValues(ofRow: 0)) == [.double(2), .string("second")])
        #expect(Array(set.featureValues(ofRow: 1)) == [.null, .null])
    }

    @Test func lateEventArrivingAfterServingIsInTheTrainingRow() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try FeatureSetDefinition(jsonText: Self.featureSetJSON)])
        _ = try store.ingestAndWait([Self.event("a", Self.base, 1)], into: "tx")
        let time = Self.base + 20 * Self.minute
        let served = try store.read(featureSet: "tx", key: EntityKey(parts: ["a"]), features: nil, at: time)
        _ = try store.ingestAndWait([Self.event("a", Self.base + 10 * Self.minute, 5)], into: "tx")
        store.close()
        let set = try Self.builder(path, ["tx.amount_count_1h"]).build(Self.table([("a", time)]))
        #expect(served?["amount_count_1h"] == .double(1))
        #expect(Array(set.featureValues(ofRow: 0)) == [.double(2)])
    }

    @Test func earlierArrivalBecomingVisibleAfterALateOneIsReplayedInIngestionOrder() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try FeatureSetDefinition(jsonText: Self.featureSetJSON)])
        _ = try store.ingestAndWait([Self.event("a", Self.base + 10 * Self.minute, 4)], into: "tx")
        _ = try store.ingestAndWait([Self.event("a", Self.base, 1)], into: "tx")
        let online = try store.read(
            featureSet: "tx", key: EntityKey(parts: ["a"]), features: ["amount", "amount_sum_1h", "amount_count_1h"],
            at: Self.base + 15 * Self.minute)
        store.close()
        let set = try Self.builder(path, ["tx.amount", "tx.amount_sum_1h", "tx.amount_count_1h"]).build(
            Self.table([("a", Self.base + 15 * Self.minute), ("a", Self.base + 5 * Self.minute)]))
        #expect(Array(set.featureValues(ofRow: 1)) == [.double(1), .double(1), .double(1)])
        #expect(Array(set.featureValues(ofRow: 0)) == (online.map { Array($0.values) } ?? []))
        #expect(Array(set.featureValues(ofRow: 0)) == [.double(4), .double(5), .double(2)])
    }

    @Test func unknownFeatureSetOrFeatureInTheVectorIsNamedAtLoad() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try FeatureSetDefinition(jsonText: Self.featureSetJSON)])
        store.close()
        #expect(throws: FeatureVectorError.unknownFeatureSet(path: "v.features[0]", name: "nope")) {
            _ = try Self.builder(path, ["nope.amount"])
        }
        #expect(throws: FeatureVectorError.unknownFeature(path: "v.features[0]", featureSet: "tx", feature: "x")) {
            _ = try Self.builder(path, ["tx.x"])
        }
    }

    @Test func entityCSVWithoutTimestampColumnOrWithBadTimestampNamesFileLineAndColumn() throws {
        let missing = #expect(throws: IngestError.self) {
            _ = try EntityTable(csvBytes: Array("key,ts\na,1\n".utf8), source: "e.csv")
        }
        #expect(missing?.description == "e.csv:1: missing column 'timestamp'")
        let bad = #expect(throws: IngestError.self) {
            _ = try EntityTable(csvBytes: Array("key,timestamp\na,1\nb,yesterday\n".utf8), source: "e.csv")
        }
        #expect(bad?.description.hasPrefix("e.csv:3: column 'timestamp': unparsable timestamp 'yesterday'") == true)
        let renamed = try EntityTable(
            csvBytes: Array("key,ts\na,2026-01-01T00:00:00Z\n".utf8), source: "e.csv", timestampColumn: "ts")
        #expect(renamed.rows.map(\.time) == [Self.base])
    }

    @Test func writesCSVWithEntityColumnsUnchangedThenFeaturesAndQuotesWhereNeeded() throws {
        let table = EntityTable(
            source: "e.csv", columns: ["key", "timestamp", "extra"],
            rows: [EntityTable.Row(fields: ["a", "1", "x,y"], line: 2, time: 1000)])
        let set = TrainingSet(table: table, featureColumns: ["f", "g"], values: [.double(2), .null])
        var bytes: [UInt8] = []
        TrainingSetWriter(format: .csv).write(set) { bytes += $0 }
        #expect(String(decoding: bytes, as: UTF8.self) == "key,timestamp,extra,f,g\na,1,\"x,y\",2.0,\n")
        bytes = []
        TrainingSetWriter(format: .jsonl).write(set) { bytes += $0 }
        #expect(
            String(decoding: bytes, as: UTF8.self)
                == "{\"key\":\"a\",\"timestamp\":\"1\",\"extra\":\"x,y\",\"f\":2.0,\"g\":null}\n")
    }
}

/// A deterministic generator (SplitMix64) so the event stream is the same on every run.
struct SeededRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// A number in `0...bound`.
    mutating func next(upTo bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Int(z % UInt64(bound + 1))
    }
}
