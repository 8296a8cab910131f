import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// `serve training-set` end to end: a store written by the online ingest path, a vector file, an entities CSV.
struct TrainingSetCommandTests {
    static let featureSetJSON = """
        {"name": "tx", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "timestamp",
         "features": [{"name": "amount", "type": "double"}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["count", "sum"],
           "windows": ["1h"], "period": "10m"}]}
        """

    private static func fixture() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ts-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try SQLiteOnlineStore(
            path: directory.appendingPathComponent("store.db").path,
            featureSets: [try FeatureSetDefinition(jsonText: featureSetJSON)])
        _ = try store.ingestAndWait(
            [
                ["key": "a", "timestamp": "2026-01-01T00:00:00Z", "amount": 2.5],
                ["key": "a", "timestamp": "2026-01-01T00:20:00Z", "amount": 4.0],
            ], into: "tx")
        store.close()
        try
            #"{"name": "v", "features": ["tx.amount as last", "tx.amount_sum_1h"], "label_feature": "tx.amount_count_1h"}"#
            .write(to: directory.appendingPathComponent("v.json"), atomically: true, encoding: .utf8)
        return directory
    }

    @Test func writesPointInTimeRowsInInputOrderWithTheLabelLast() throws {
        let directory = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let entities = directory.appendingPathComponent("e.csv")
        try "key,when,note\na,2026-01-01T00:30:00Z,late\na,2026-01-01T00:10:00Z,\"x,y\"\nb,2026-01-01T00:10:00Z,none\n"
            .write(to: entities, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("train.csv")
        let result = try ServeBinary.run([
            "training-set", directory.appendingPathComponent("v.json").path, entities.path,
            "--store", directory.appendingPathComponent("store.db").path, "--out", out.path,
            "--timestamp-column", "when",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try String(contentsOf: out, encoding: .utf8)
                == """
                key,when,note,last,amount_sum_1h,amount_count_1h
                a,2026-01-01T00:30:00Z,late,4.0,6.5,2.0
                a,2026-01-01T00:10:00Z,"x,y",2.5,2.5,1.0
                b,2026-01-01T00:10:00Z,none,,,

                """)
    }

    @Test func exclusiveCutoffLeavesOutTheEventsStampedExactlyAtTheRowTime() throws {
        let directory = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let entities = directory.appendingPathComponent("e.csv")
        try "key,timestamp\na,2026-01-01T00:20:00Z\n".write(to: entities, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("train.csv")
        let arguments = [
            "training-set", directory.appendingPathComponent("v.json").path, entities.path,
            "--store", directory.appendingPathComponent("store.db").path, "--out", out.path,
        ]
        let result = try ServeBinary.run(arguments + ["--cutoff", "exclusive"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            try String(contentsOf: out, encoding: .utf8)
                == "key,timestamp,last,amount_sum_1h,amount_count_1h\na,2026-01-01T00:20:00Z,2.5,2.5,1.0\n")
        let bad = try ServeBinary.run(arguments + ["--cutoff", "before"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("option '--cutoff': 'before' is not inclusive or exclusive"))
    }

    @Test func unparsableTimestampIsReportedWithFileLineAndColumn() throws {
        let directory = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let entities = directory.appendingPathComponent("e.csv")
        try "key,timestamp\na,2026-01-01T00:30:00Z\na,soon\n".write(to: entities, atomically: true, encoding: .utf8)
        let result = try ServeBinary.run([
            "training-set", directory.appendingPathComponent("v.json").path, entities.path,
            "--store", directory.appendingPathComponent("store.db").path, "--out",
            directory.appendingPathComponent("train.csv").path,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(entities.path):3: column 'timestamp': unparsable timestamp 'soon'"))
    }
}
