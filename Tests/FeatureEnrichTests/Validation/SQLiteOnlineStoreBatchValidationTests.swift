import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// Validators on the batch CSV path (`serve ingest`), the catalog's view of violations and null counts, and
/// validators as part of the definition identity; real SQLite files in a temp dir.
struct SQLiteOnlineStoreBatchValidationTests {
    /// A CSV of `rows` (key, minutes before now, amount, country) with a header.
    private static func csv(_ rows: [(String, Int64, String, String)], now: Int64) -> String {
        var lines = ["key,timestamp,amount,country"]
        for (key, minutesAgo, amount, country) in rows {
            lines.append("\(key),\((now - minutesAgo * 60_000) / 1000),\(amount),\(country)")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func write(_ text: String, _ directory: SQLiteTestDirectory, _ name: String) throws -> String {
        let path = directory.file(name)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private static func state(_ store: SQLiteOnlineStore) throws -> [[SQLiteValue]] {
        let inspect = try store.inspect()
        return try inspect.query("SELECT entity_key, state FROM entity_state ORDER BY 1")
            + inspect.query("SELECT seq, event FROM event_log ORDER BY seq")
            + inspect.query("SELECT feature, count, null_count, mean, m2, min, max FROM feature_stats ORDER BY 1")
    }

    @Test func rejectedRowRollsTheWholeFileBackNamingFileLineAndField() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(
            path: directory.file("store.db"), featureSets: [try ValidationFixture.definition(policy: "reject")])
        let now = ValidationFixture.now()
        let good = try Self.write(Self.csv([("a", 50, "10", "US")], now: now), directory, "good.csv")
        _ = try store.ingestCSV(path: good, into: "payments", skipBadRows: false)
        let before = try Self.state(store)
        let bad = try Self.write(
            Self.csv(
                [("a", 40, "20", "US"), ("b", 30, "30", "DE"), ("a", 20, "40", "FR"), ("a", 10, "1", "US")], now: now),
            directory, "bad.csv")
        #expect(
            throws: IngestError.rejectedRow(
                file: bad, line: 4,
                ValidationViolation(feature: "country", validator: .allowed, detail: #""FR" is not an allowed value"#))
        ) { _ = try store.ingestCSV(path: bad, into: "payments", skipBadRows: false) }
        #expect(try Self.state(store) == before)
        #expect(
            try store.inspect().query("SELECT feature, validator, rejected FROM feature_violations")
                == [[.text("country"), .text("allowed"), .integer(1)]])
        let message = IngestError.rejectedRow(
            file: "bad.csv", line: 4,
            ValidationViolation(feature: "country", validator: .allowed, detail: #""FR" is not an allowed value"#))
        #expect(
            message.description
                == #"bad.csv:4: row rejected: field 'country' fails validator allowed: "FR" is not an allowed value"#)
    }

    @Test func dropFeatureBatchWritesTheRowsWithTheFeatureNull() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(
            path: directory.file("store.db"), featureSets: [try ValidationFixture.definition(policy: "drop_feature")])
        let now = ValidationFixture.now()
        let path = try Self.write(
            Self.csv([("a", 30, "10", "US"), ("a", 20, "5000", "US"), ("a", 10, "20", "DE")], now: now), directory,
            "events.csv")
        let summary = try store.ingestCSV(path: path, into: "payments", skipBadRows: false)
        #expect(summary.rowsIngested == 3)
        #expect(summary.rowsValidated == 3)
        #expect(summary.violations == 1)
        let row = try #require(
            try store.read(featureSet: "payments", key: EntityKey(parts: ["a"]), features: nil, at: now))
        #expect(row["amount_sum_1h"] == 30.0)
        #expect(row["amount_count_1h"] == 2.0)
        let logged = try store.inspect().query("SELECT event FROM event_log ORDER BY seq").compactMap {
            $0.first.flatMap(FeatureEventDecoder.loggedObject)
        }
        try #require(logged.count == 3)
        #expect(logged[1]["amount"] == nil)
        #expect(
            try store.inspect().query("SELECT count, null_count, mean FROM feature_stats WHERE feature = 'amount'")
                == [[.integer(2), .integer(1), .real(15)]])
    }

    /// The throughput path: a set without validators never enters validation (its compiled validator is nil and
    /// no row is counted as validated), while the same file under a validated set is checked row by row.
    @Test func batchIngestOfASetWithoutValidatorsSkipsValidation() throws {
        let directory = try SQLiteTestDirectory()
        let now = ValidationFixture.now()
        let path = try Self.write(
            Self.csv([("a", 30, "10", "US"), ("b", 20, "-1", "XX")], now: now), directory, "events.csv")
        let plain = try FeatureSetDefinition(
            jsonText: ValidationFixture.json(policy: "reject").replacingOccurrences(
                of: #", "validators": \{[^}]*\}"#, with: "", options: .regularExpression))
        #expect(!plain.hasValidators)
        #expect(FeatureSetValidator(plain) == nil)
        let store = try SQLiteOnlineStore(path: directory.file("plain.db"), featureSets: [plain])
        let summary = try store.ingestCSV(path: path, into: "payments", skipBadRows: false)
        #expect(summary.rowsIngested == 2)
        #expect(summary.rowsValidated == 0)
        let validated = try SQLiteOnlineStore(
            path: directory.file("warn.db"), featureSets: [try ValidationFixture.definition(policy: "warn")])
        let checked = try validated.ingestCSV(path: path, into: "payments", skipBadRows: false)
        #expect(checked.rowsValidated == 2)
        #expect(checked.violations == 2)
    }

    @Test func catalogShowsNullCountsViolationsAndTheValidatorsOfTheDefinition() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let store = try SQLiteOnlineStore(
            path: path, featureSets: [try ValidationFixture.definition(policy: "warn")])
        let now = ValidationFixture.now()
        _ = try store.ingestAndWait(
            [
                ValidationFixture.event("a", minutesAgo: 2, amount: -1, now: now),
                ValidationFixture.event("a", minutesAgo: 1, amount: nil, country: "FR", now: now),
            ], into: "payments")
        store.close()
        let entry = try #require(try FeatureSetCatalog(path: path).entry(named: "payments"))
        #expect(entry["statistics"]?["amount"]?["count"] == .int(1))
        #expect(entry["statistics"]?["amount"]?["null_count"] == .int(1))
        #expect(entry["statistics"]?["country"]?["count"] == .int(2))
        #expect(entry["statistics"]?["country"]?["mean"] == .null)
        #expect(entry["statistics"]?["note"]?["null_count"] == .int(2))
        #expect(
            entry["violations"]
                == [
                    "amount": ["min": ["count": 1, "rejected": 0, "warned": 1, "dropped": 0]],
                    "country": ["allowed": ["count": 1, "rejected": 0, "warned": 1, "dropped": 0]],
                ])
        #expect(entry["definition"]?["validation_policy"] == "warn")
        #expect(entry["definition"]?["features"]?.arrayValue?[1]["validators"]?["allowed"] == ["US", "DE"])
    }

    @Test func aChangedValidatorIsANewCatalogVersionWithoutARebuild() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let now = ValidationFixture.now()
        let first = try SQLiteOnlineStore(path: path, featureSets: [try ValidationFixture.definition(policy: "reject")])
        _ = try first.ingestAndWait(
            [ValidationFixture.event("a", minutesAgo: 1, amount: 3, now: now)], into: "payments")
        first.close()
        let loosened = try FeatureSetDefinition(
            jsonText: ValidationFixture.json(policy: "reject").replacingOccurrences(of: "1000", with: "5000"))
        let second = try SQLiteOnlineStore(path: path, featureSets: [loosened])
        _ = try second.ingestAndWait(
            [ValidationFixture.event("a", minutesAgo: 0, amount: 4000, now: now)], into: "payments")
        #expect(
            try second.read(featureSet: "payments", key: EntityKey(parts: ["a"]), features: nil, at: now + 1)?[
                "amount_sum_1h"] == 4003.0)
        second.close()
        let reopened = try SQLiteOnlineStore(path: path, featureSets: [loosened])
        reopened.close()
        let entry = try #require(try FeatureSetCatalog(path: path).entry(named: "payments"))
        let versions = try #require(entry["versions"]?.arrayValue)
        #expect(versions.count == 2)
        #expect(versions[0]["definition"]?["features"]?.arrayValue?[0]["validators"]?["max"] == 1000.0)
        #expect(versions[1]["definition"]?["features"]?.arrayValue?[0]["validators"]?["max"] == 5000.0)
    }
}
