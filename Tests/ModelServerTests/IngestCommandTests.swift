import FeatureEnrich
import Foundation
import Testing

/// `serve ingest` end to end: the golden cases through the CLI, bad rows, rollback, the store it writes.
struct IngestCommandTests {
    /// `<package root>/../shared/oracle`.
    static let oracle = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/oracle")

    static var caseNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: oracle.appendingPathComponent("cases").path)) ?? [])
            .sorted()
    }

    private static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func run(_ executable: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static let featureSet = oracle.appendingPathComponent("cases/inorder-sliding/fs.json").path

    @Test func everyShippedCaseIsPresent() {
        #expect(Self.caseNames.count >= 9)
    }

    @Test(arguments: caseNames)
    func emitJSONLMatchesTheOracleThroughTheCLI(caseName: String) throws {
        let directory = Self.oracle.appendingPathComponent("cases/\(caseName)")
        let temporary = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let output = try ServeBinary.run([
            "ingest", directory.appendingPathComponent("fs.json").path,
            directory.appendingPathComponent("events.csv").path, "--emit-jsonl",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let got = temporary.appendingPathComponent("got.jsonl")
        try output.stdout.write(to: got, atomically: true, encoding: .utf8)
        let (status, report) = try Self.run(
            "python3",
            [
                Self.oracle.appendingPathComponent("compare.py").path, got.path,
                directory.appendingPathComponent("expected.jsonl").path,
            ])
        #expect(status == 0, "\(caseName): compare.py reported\n\(report)")
    }

    @Test(arguments: [
        ("key,timestamp\na,2026-01-01T00:00:00Z\n", "events.csv:1: missing column 'amount'"),
        (
            "key,timestamp,amount\na,2026-01-01T00:00:00Z,1\nb,2026-01-01T00:00:00Z,12.5x\n",
            "events.csv:3: column 'amount': unparsable number '12.5x'"
        ),
        (
            "key,timestamp,amount\na,2026-01-01T00:00:00Z,1\nb,2026-13-01T00:00:00Z,2\n",
            "events.csv:3: column 'timestamp': unparsable timestamp '2026-13-01T00:00:00Z'"
        ),
    ])
    func badRowIsNamedByFileLineAndColumnAndLeavesTheStoreUnchanged(csv: String, message: String) throws {
        let temporary = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let store = temporary.appendingPathComponent("store.db").path
        let good = temporary.appendingPathComponent("good.csv")
        try "key,timestamp,amount\nz,2026-01-01T00:00:00Z,5\n".write(to: good, atomically: true, encoding: .utf8)
        #expect(try ServeBinary.run(["ingest", Self.featureSet, good.path, "--store", store]).status == 0)
        let events = temporary.appendingPathComponent("events.csv")
        try csv.write(to: events, atomically: true, encoding: .utf8)
        let output = try ServeBinary.run(["ingest", Self.featureSet, events.path, "--store", store])
        #expect(output.status == 1)
        #expect(
            output.stderr.contains(events.path.replacingOccurrences(of: "events.csv", with: "") + message),
            "\(output.stderr)")
        #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 1)
        #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM entity_state") == 1)
    }

    @Test func skipBadRowsCountsThemAndStoresTheRest() throws {
        let temporary = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let store = temporary.appendingPathComponent("store.db").path
        let events = temporary.appendingPathComponent("events.csv")
        try """
        key,timestamp,amount
        a,2026-01-01T00:00:00Z,1
        b,yesterday,2
        c,2026-01-01T00:01:00Z,x
        d,2026-01-01T00:02:00Z,4

        """.write(to: events, atomically: true, encoding: .utf8)
        let output = try ServeBinary.run(["ingest", Self.featureSet, events.path, "--store", store, "--skip-bad-rows"])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("skipped 2 bad rows"))
        #expect(output.stderr.contains("events.csv:3: column 'timestamp'"))
        #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 2)
        #expect(
            try StoreFile.rows(store, "SELECT entity_key FROM event_log ORDER BY seq") == [
                [.text("1:a")], [.text("1:d")],
            ])
    }

    @Test func secondIngestContinuesTheStoredWindows() throws {
        let temporary = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let store = temporary.appendingPathComponent("store.db").path
        let first = temporary.appendingPathComponent("first.csv")
        let second = temporary.appendingPathComponent("second.csv")
        try "key,timestamp,amount\na,2026-01-01T00:00:00Z,1\n".write(to: first, atomically: true, encoding: .utf8)
        try "key,timestamp,amount\na,2026-01-01T00:30:00Z,2\n".write(to: second, atomically: true, encoding: .utf8)
        #expect(try ServeBinary.run(["ingest", Self.featureSet, first.path, "--store", store]).status == 0)
        #expect(try ServeBinary.run(["ingest", Self.featureSet, second.path, "--store", store]).status == 0)
        #expect(
            try StoreFile.rows(store, "SELECT count, mean FROM feature_stats WHERE feature = 'amount'")
                == [[.integer(2), .real(1.5)]])
        #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM entity_state") == 1)
    }

    @Test func missingArgumentExitsWith2() throws {
        let output = try ServeBinary.run(["ingest", Self.featureSet])
        #expect(output.status == 2)
        #expect(output.stderr.contains("missing argument <events.csv>"))
    }
}
