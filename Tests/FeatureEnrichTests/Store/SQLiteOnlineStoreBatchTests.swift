import FeatureEnrich
import Foundation
import ServingGraph
import Synchronization
import Testing

/// Batch CSV ingestion into the online store: same state as real-time ingestion, all-or-nothing.
struct SQLiteOnlineStoreBatchTests {
    /// `rows` events over 50 keys, one second apart, as CSV text (header first).
    private static func csv(rows: Int, badAt: Int? = nil) -> String {
        var lines = ["key,timestamp,amount"]
        for index in 0..<rows {
            let amount = index == badAt ? "12.5x" : String(index % 97)
            lines.append("k\(index % 50),\(1_767_225_600 + index),\(amount)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static let keys = (0..<50).map { "k\($0)" }

    @Test func batchIngestGivesTheStateOfRealTimeIngestion() throws {
        let directory = try SQLiteTestDirectory()
        let text = Self.csv(rows: 10_000)
        let csvPath = directory.file("events.csv")
        try text.write(toFile: csvPath, atomically: true, encoding: .utf8)
        let batch = try SQLiteOnlineStore(path: directory.file("batch.db"), featureSets: [StoreFixture.transactions()])
        let seen = Mutex(0)
        let summary = try batch.ingestCSV(path: csvPath, into: "transactions", skipBadRows: false) { progress in
            seen.withLock { $0 = max($0, progress.rows) }
        }
        #expect(summary.rowsIngested == 10_000)
        #expect(summary.keys == 50)
        #expect(seen.withLock { $0 } == 10_000)
        let realTime = try SQLiteOnlineStore(
            path: directory.file("live.db"), featureSets: [StoreFixture.transactions()])
        let events: [Value] = text.split(separator: "\n").dropFirst().map { line in
            let fields = line.split(separator: ",").map(String.init)
            return ["key": .string(fields[0]), "timestamp": .string(fields[1]), "amount": .string(fields[2])]
        }
        _ = try realTime.ingestAndWait(events, into: "transactions")
        let time = StoreFixture.base + 10_000_000
        expectRowsMatch(
            try StoreFixture.rows(batch, keys: Self.keys, at: time),
            try StoreFixture.rows(realTime, keys: Self.keys, at: time))
        let statistics = "SELECT count, mean, min, max FROM feature_stats"
        #expect(try batch.inspect().query(statistics) == realTime.inspect().query(statistics))
    }

    @Test func badRowAfterManyChunksRollsTheWholeFileBack() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        let good = directory.file("good.csv")
        try Self.csv(rows: 100).write(toFile: good, atomically: true, encoding: .utf8)
        _ = try store.ingestCSV(path: good, into: "transactions", skipBadRows: false)
        let before = try StoreFixture.rows(store, keys: Self.keys, at: StoreFixture.base + 200_000)
        let bad = directory.file("bad.csv")
        try Self.csv(rows: 20_000, badAt: 19_000).write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(
            throws: IngestError.badValue(file: bad, line: 19_002, column: "amount", .unparsableNumber(text: "12.5x"))
        ) {
            try store.ingestCSV(path: bad, into: "transactions", skipBadRows: false)
        }
        #expect(try store.inspect().count("SELECT COUNT(*) FROM event_log") == 100)
        #expect(try store.inspect().count("SELECT count FROM feature_stats") == 100)
        #expect(try StoreFixture.rows(store, keys: Self.keys, at: StoreFixture.base + 200_000) == before)
    }

    @Test func skipBadRowsIngestsTheRestAndCountsThem() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        let path = directory.file("events.csv")
        try Self.csv(rows: 9_000, badAt: 5_000).write(toFile: path, atomically: true, encoding: .utf8)
        let summary = try store.ingestCSV(path: path, into: "transactions", skipBadRows: true)
        #expect(summary.rowsRead == 9_000)
        #expect(summary.rowsSkipped == 1)
        #expect(summary.rowsIngested == 8_999)
        #expect(try store.inspect().count("SELECT COUNT(*) FROM event_log") == 8_999)
    }
}
