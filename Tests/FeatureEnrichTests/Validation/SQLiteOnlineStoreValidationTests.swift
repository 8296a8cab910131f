import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// Validators and policies on the real-time write path (what HTTP ingest, Feast `/push` and `UpdateAggregates`
/// call), and null counts, on a real SQLite file.
struct SQLiteOnlineStoreValidationTests {
    /// What a rejected request must leave untouched: online state, offline log, statistics.
    private static func snapshot(_ store: SQLiteOnlineStore) throws -> [[SQLiteValue]] {
        let inspect = try store.inspect()
        return try inspect.query("SELECT feature_set, entity_key, state FROM entity_state ORDER BY 1, 2")
            + inspect.query("SELECT seq, entity_key, event_ts_ms, event FROM event_log ORDER BY seq")
            + inspect.query("SELECT feature, count, null_count, mean, m2, min, max FROM feature_stats ORDER BY 1")
    }

    private static func violations(_ store: SQLiteOnlineStore) throws -> [[SQLiteValue]] {
        try store.waitForPendingWrites()
        return try store.inspect().query(
            "SELECT feature, validator, rejected, warned, dropped FROM feature_violations ORDER BY 1, 2")
    }

    private static func open(_ directory: SQLiteTestDirectory, policy: String) throws -> SQLiteOnlineStore {
        try SQLiteOnlineStore(
            path: directory.file("store.db"), featureSets: [try ValidationFixture.definition(policy: policy)])
    }

    private static func read(_ store: SQLiteOnlineStore, _ key: String, now: Int64) throws -> ValueObject? {
        try store.read(featureSet: "payments", key: EntityKey(parts: [key]), features: nil, at: now)
    }

    @Test func rejectRefusesTheWholeRequestNamingRowAndFieldAndLeavesTheStoreUnchanged() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.open(directory, policy: "reject")
        let now = ValidationFixture.now()
        _ = try store.ingestAndWait(
            [ValidationFixture.event("a", minutesAgo: 30, amount: 10, now: now)], into: "payments")
        let before = try Self.snapshot(store)
        let request = [
            ValidationFixture.event("a", minutesAgo: 20, amount: 20, now: now),
            ValidationFixture.event("b", minutesAgo: 10, amount: 5, now: now),
            ValidationFixture.event("a", minutesAgo: 5, amount: -5, now: now),
        ]
        #expect(
            throws: OnlineStoreError.rejectedEvent(
                featureSet: "payments", index: 2,
                ValidationViolation(feature: "amount", validator: .min, detail: "-5 is below 0"))
        ) { _ = try store.ingestAndWait(request, into: "payments") }
        #expect(try Self.snapshot(store) == before)
        #expect(try Self.read(store, "b", now: now) == nil)
        #expect(try Self.read(store, "a", now: now)?["amount_sum_1h"] == 10.0)
        #expect(try Self.violations(store) == [[.text("amount"), .text("min"), .integer(1), .integer(0), .integer(0)]])
    }

    @Test func rejectMessageNamesTheEventIndexAndTheField() {
        let error = OnlineStoreError.rejectedEvent(
            featureSet: "payments", index: 2,
            ValidationViolation(feature: "country", validator: .allowed, detail: #""FR" is not an allowed value"#))
        #expect(
            error.description
                == #"feature set 'payments': event 2 rejected: field 'country' fails validator allowed: "#
                + #""FR" is not an allowed value"#)
    }

    @Test func warnWritesEveryEventUnchangedAndCountsEachViolation() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.open(directory, policy: "warn")
        let now = ValidationFixture.now()
        let count = try store.ingestAndWait(
            [
                ValidationFixture.event("a", minutesAgo: 30, amount: 2000, now: now),
                ValidationFixture.event("a", minutesAgo: 20, amount: 3, country: "FR", now: now),
                ValidationFixture.event("a", minutesAgo: 10, amount: 4, country: nil, now: now),
            ], into: "payments")
        #expect(count == 3)
        let row = try #require(try Self.read(store, "a", now: now))
        #expect(row["amount_sum_1h"] == 2007.0)
        #expect(row["amount_count_1h"] == 3.0)
        #expect(row["country"] == "FR")
        #expect(
            try Self.violations(store) == [
                [.text("amount"), .text("max"), .integer(0), .integer(1), .integer(0)],
                [.text("country"), .text("allowed"), .integer(0), .integer(1), .integer(0)],
                [.text("country"), .text("not_null"), .integer(0), .integer(1), .integer(0)],
            ])
    }

    @Test func dropFeatureWritesTheEventWithTheFeatureNullAndAggregationsSkipIt() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.open(directory, policy: "drop_feature")
        let now = ValidationFixture.now()
        _ = try store.ingestAndWait(
            [
                ValidationFixture.event("a", minutesAgo: 30, amount: 10, now: now),
                ValidationFixture.event("a", minutesAgo: 20, amount: 20, now: now),
                ValidationFixture.event("a", minutesAgo: 10, amount: -5, note: "late", now: now),
            ], into: "payments")
        let row = try #require(try Self.read(store, "a", now: now))
        #expect(row["amount_sum_1h"] == 30.0)
        #expect(row["amount_count_1h"] == 2.0)
        #expect(row["amount"] == 20.0)
        #expect(row["note"] == "late")
        let inspect = try store.inspect()
        let logged = try inspect.query("SELECT event FROM event_log ORDER BY seq").compactMap {
            $0.first.flatMap(FeatureEventDecoder.loggedObject)
        }
        try #require(logged.count == 3)
        #expect(logged[2]["amount"] == nil)
        #expect(logged[2]["note"] == "late")
        #expect(
            try inspect.query("SELECT count, null_count, mean, min, max FROM feature_stats WHERE feature = 'amount'")
                == [[.integer(2), .integer(1), .real(15), .real(10), .real(20)]])
        #expect(try Self.violations(store) == [[.text("amount"), .text("min"), .integer(0), .integer(0), .integer(1)]])
    }

    @Test func maxAgeDropsAValueOlderThanSevenDaysAtReceiveTime() throws {
        let directory = try SQLiteTestDirectory()
        let store = try Self.open(directory, policy: "drop_feature")
        let now = ValidationFixture.now()
        _ = try store.ingestAndWait(
            [
                ValidationFixture.event("a", minutesAgo: 8 * 24 * 60, amount: 7, now: now),
                ValidationFixture.event("a", minutesAgo: 6 * 24 * 60, amount: 9, now: now),
            ], into: "payments")
        let row = try #require(try Self.read(store, "a", now: now))
        #expect(row["amount"] == 9.0)
        #expect(
            try Self.violations(store) == [[.text("amount"), .text("max_age"), .integer(0), .integer(0), .integer(1)]])
    }

    @Test func nullCountsAreKeptForEveryFeatureInTheSameCommit() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        var withNote = StoreFixture.event("a", 0, 2).objectValue ?? ValueObject()
        withNote["note"] = "first"
        _ = try store.ingestAndWait(
            [.object(withNote), StoreFixture.event("a", 60_000, 4), ["key": "b", "timestamp": "1767225720"]],
            into: "transactions")
        let rows = try store.inspect().query(
            "SELECT feature, count, null_count, mean, min, max FROM feature_stats ORDER BY feature")
        #expect(
            rows == [
                [.text("amount"), .integer(2), .integer(1), .real(3), .real(2), .real(4)],
                [.text("note"), .integer(1), .integer(2), .null, .null, .null],
            ])
    }
}
