import FeatureEnrich
import Foundation
import Testing

/// `serve ingest` of a feature set with validators (file, line and field of a rejected row; nothing written)
/// and `serve catalog` showing null counts and violations, through the built executable.
struct ValidationCommandTests {
    private static let featureSet = """
        {"name": "transactions", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "timestamp",
         "features": [{"name": "amount", "type": "double", "validators": {"min": 0}}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["sum"], "windows": ["1h"],
                           "period": "10m"}],
         "validation_policy": "POLICY"}
        """

    private static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("validate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func write(_ text: String, _ directory: URL, _ name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test func rejectedRowIsNamedByFileLineAndFieldAndNothingIsWritten() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let definition = try Self.write(
            Self.featureSet.replacingOccurrences(of: "POLICY", with: "reject"), directory, "fs.json")
        let store = directory.appendingPathComponent("store.db").path
        let good = try Self.write("key,timestamp,amount\nz,2026-01-01T00:00:00Z,5\n", directory, "good.csv")
        #expect(try ServeBinary.run(["ingest", definition, good, "--store", store]).status == 0)
        let events = try Self.write(
            "key,timestamp,amount\na,2026-01-01T00:00:00Z,1\nb,2026-01-01T00:01:00Z,-3\n", directory, "events.csv")
        let output = try ServeBinary.run(["ingest", definition, events, "--store", store])
        #expect(output.status == 1)
        #expect(
            output.stderr.contains("\(events):3: row rejected: field 'amount' fails validator min: -3 is below 0"),
            "\(output.stderr)")
        #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 1)
        #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM entity_state") == 1)
        #expect(try StoreFile.rows(store, "SELECT count, mean FROM feature_stats") == [[.integer(1), .real(5)]])
        #expect(try StoreFile.rows(store, "SELECT rejected FROM feature_violations") == [[.integer(1)]])
    }

    @Test func catalogPrintsNullCountsAndViolationsPerValidator() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let definition = try Self.write(
            Self.featureSet.replacingOccurrences(of: "POLICY", with: "warn"), directory, "fs.json")
        let store = directory.appendingPathComponent("store.db").path
        let events = try Self.write(
            "key,timestamp,amount\na,2026-01-01T00:00:00Z,-1\na,2026-01-01T00:01:00Z,\na,2026-01-01T00:02:00Z,3\n",
            directory, "events.csv")
        let ingest = try ServeBinary.run(["ingest", definition, events, "--store", store])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let output = try ServeBinary.run(["catalog", "--store", store])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.contains("amount: count 2 nulls 1 mean 1.0"), "\(output.stdout)")
        #expect(
            output.stdout.contains("amount violates min: 1 (rejected 0, warned 1, dropped 0)"), "\(output.stdout)")
    }
}
