import FeatureEnrich
import Glibc
import Testing

/// How the store writer bounds its WAL when a background checkpointer copies the pages back
/// (``StoreWriterConfiguration/walAutocheckpointPages`` and ``StoreWriterConfiguration/walHardLimitPages``).
struct StoreWriterCheckpointTests {
    /// One committed row per call, one transaction each.
    private static func insert(_ id: String) -> @Sendable (SQLiteConnection) throws -> Void {
        { connection in
            try connection.cachedStatement(sql: "INSERT INTO processed_events (event_id, seen_at_ms) VALUES (?, ?)")
                .execute([.text(id), .integer(1)])
        }
    }

    /// The WAL header's checkpoint sequence number (bytes 12-15, big-endian), which SQLite increments each time
    /// the WAL restarts from its beginning (<https://sqlite.org/fileformat2.html#walformat>); nil without a header.
    private static func walRestarts(_ path: String) -> UInt32? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var header = [UInt8](repeating: 0, count: 16)
        guard fread(&header, 1, 16, file) == 16 else { return nil }
        return header[12...15].reduce(0) { ($0 << 8) | UInt32($1) }
    }

    @Test func restartsTheWALAtItsLimitAfterABackgroundRunWithoutReachingTheHardLimit() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let configuration = StoreWriterConfiguration(
            checkpointEveryCommits: 0, walAutocheckpointPages: 8, backgroundCheckpointPages: 1_000_000,
            walHardLimitPages: 1_000_000)
        let writer = try StoreWriter(path: path, configuration: configuration)
        defer { writer.close() }
        try writer.submitAndWait(Self.insert("first"))
        let initial = try #require(Self.walRestarts(path + "-wal"))
        var committed = 1
        // The restart needs a background run to finish; commits go on meanwhile (bounded, no clock).
        while committed < 50_000, Self.walRestarts(path + "-wal") == initial {
            try writer.submitAndWait(Self.insert("row\(committed)"))
            committed += 1
        }
        #expect(try #require(Self.walRestarts(path + "-wal")) > initial)
        #expect(writer.statistics.failedItems == 0)
    }

    @Test func checkpointsInlineAtTheHardLimitSoTheWALStaysSmall() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let configuration = StoreWriterConfiguration(
            checkpointEveryCommits: 0, walAutocheckpointPages: 4, backgroundCheckpointPages: 1_000_000,
            walHardLimitPages: 4)
        let writer = try StoreWriter(path: path, configuration: configuration)
        for item in 0..<100 {
            try writer.submitAndWait(Self.insert("hard\(item)"))
        }
        // The file keeps the largest extent it ever had: a reader holding an old snapshot for a moment (the
        // checkpointer thread opening its connection on a loaded machine) can stretch it once. What must not
        // happen is growth with every commit, so the check is over the next 300 commits.
        let walBytesBefore = directory.size(of: "store.db-wal") ?? 0
        for item in 100..<400 {
            try writer.submitAndWait(Self.insert("hard\(item)"))
        }
        let walBytes = directory.size(of: "store.db-wal") ?? 0
        writer.close()
        // Each commit adds a few 4 KiB frames; without the inline checkpoint 300 commits would need 300+ frames.
        #expect(walBytes < max(walBytesBefore, 64 * 4_096) + 16 * 4_096)
        #expect(writer.statistics.committedItems == 400)
    }
}
