import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// `serve features FEATURE_SET --as-of T` end to end: a store written by the online ingest path (a compound
/// key: account and currency), read back as of several instants.
struct FeaturesCommandTests {
    static let featureSetJSON = """
        {"name": "balances", "entities": [{"name": "account", "type": "string"}, {"name": "region", "type": "int64"}],
         "timestamp_key": "ts", "features": [{"name": "amount", "type": "double"}, {"name": "note", "type": "string"}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["count", "sum"],
           "windows": ["1h"], "period": "10m"}]}
        """

    private static func fixture() throws -> (URL, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("feat-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("store.db").path
        let store = try SQLiteOnlineStore(path: path, featureSets: [try FeatureSetDefinition(jsonText: featureSetJSON)])
        _ = try store.ingestAndWait(
            [
                ["account": "a", "region": 1, "ts": "2026-01-01T00:00:00Z", "amount": 2.5, "note": "first"],
                ["account": "a", "region": 1, "ts": "2026-01-01T00:20:00Z", "amount": 4.0],
                ["account": "a", "region": 2, "ts": "2026-01-01T00:05:00Z", "amount": 7.0, "note": "x y"],
                ["account": "b", "region": 1, "ts": "2026-01-01T02:00:00Z", "amount": 1.0],
                ["account": "a", "region": 1, "ts": "2026-01-01T00:10:00Z", "amount": 0.5],
            ], into: "balances")
        store.close()
        return (directory, path)
    }

    @Test func printsEveryEntityWithAnEventByThenAsATableInKeyOrder() throws {
        let (directory, store) = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ServeBinary.run(["features", "balances", "--as-of", "2026-01-01T00:15:00Z", "--store", store])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(
            result.stdout == """
                account       region        amount        note          amount_count_1h  amount_sum_1h
                a             1             0.5           first         2.0              3.0
                a             2             7.0           x y           1.0              7.0

                """)
    }

    @Test func printsTheGivenCompoundKeysAsJSONLines() throws {
        let (directory, store) = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ServeBinary.run([
            "features", "balances", "--as-of", "1767232800", "--keys", "b/1,a/1,zz/3", "--json", "--store", store,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try result.stdout.split(separator: "\n").map { try JSONParser.parse(String($0)) }
        // At 02:00 a/1's window (01:00, 02:00] is empty and b/1 has just its own event; zz/3 has none.
        #expect(
            lines == [
                [
                    "account": "b", "region": 1, "amount": 1.0, "note": .null, "amount_count_1h": 1.0,
                    "amount_sum_1h": 1.0,
                ],
                [
                    "account": "a", "region": 1, "amount": 4.0, "note": "first", "amount_count_1h": 0.0,
                    "amount_sum_1h": 0.0,
                ],
            ])
        #expect(result.stderr.contains("'zz/3' has no event at or before 2026-01-01T02:00:00Z"))
    }

    @Test(arguments: [
        (["--as-of", "tomorrow-ish"], "option '--as-of': 'tomorrow-ish' is not an ISO 8601 / RFC 3339 time"),
        (["--keys", "a"], "missing argument --as-of"),
        (["--as-of", "1767225600", "--keys", "a"], "option '--keys': 'a' is not a key of account/region"),
        (["--as-of", "1767225600", "--keys", "a/one"], "--keys region"),
    ])
    func refusesBadOptionsNamingThem(arguments: [String], message: String) throws {
        let (directory, store) = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ServeBinary.run(["features", "balances", "--store", store] + arguments)
        #expect(result.status != 0)
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func unknownFeatureSetIsAnErrorNamingIt() throws {
        let (directory, store) = try Self.fixture()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try ServeBinary.run(["features", "nope", "--as-of", "1767225600", "--store", store])
        #expect(result.status == 1)
        #expect(result.stderr.contains("nope"), "\(result.stderr)")
    }
}
