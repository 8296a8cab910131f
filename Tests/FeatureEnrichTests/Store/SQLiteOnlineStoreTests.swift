import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// The online store on a real SQLite file: ingest, reads aged to a time, errors, statistics, failed commits.
struct SQLiteOnlineStoreTests {
    @Test func readReturnsPlainFeaturesAndEveryAggregationColumn() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        var events = [StoreFixture.event("a", 0, 3), StoreFixture.event("a", 60_000, 5)]
        events[1] = .object(
            events[1].objectValue.map { object in
                var object = object
                object["note"] = "second"
                return object
            } ?? [:])
        #expect(try store.ingestAndWait(events, into: "transactions") == 2)
        let row = try #require(
            try store.read(featureSet: "transactions", key: EntityKey(parts: ["a"]), at: StoreFixture.base + 120_000))
        #expect(row["amount"] == .double(5))
        #expect(row["note"] == .string("second"))
        #expect(row["amount_count_1h"] == .double(2))
        #expect(row["amount_sum_24h"] == .double(8))
        #expect(row["amount_first_1h"] == .double(3))
        #expect(row["amount_last_1h"] == .double(5))
        #expect(row.count == 2 + 20)
    }

    @Test func readSelectsRequestedFeaturesInOrder() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        _ = try store.ingestAndWait([StoreFixture.event("a", 0, 7)], into: "transactions")
        let row = try #require(
            try store.read(
                featureSet: "transactions", key: EntityKey(parts: ["a"]),
                features: ["amount_max_1h", "note", "amount"],
                at: StoreFixture.base + 1_000))
        #expect(Array(row.members.map(\.0)) == ["amount_max_1h", "note", "amount"])
        #expect(row["amount_max_1h"] == .double(7))
        #expect(row["note"] == .null)
        #expect(throws: OnlineStoreError.unknownFeature(featureSet: "transactions", name: "nope")) {
            try store.read(featureSet: "transactions", key: EntityKey(parts: ["a"]), features: ["nope"], at: nil)
        }
    }

    @Test func keySilentForTwoHoursReadsCount1hZero() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        _ = try store.ingestAndWait(
            [StoreFixture.event("a", 0, 2), StoreFixture.event("a", 1_000, 4)], into: "transactions")
        let key = EntityKey(parts: ["a"])
        let later = try #require(
            try store.read(featureSet: "transactions", key: key, at: StoreFixture.base + 7_200_000))
        #expect(later["amount_count_1h"] == .double(0))
        #expect(later["amount_count_24h"] == .double(2))
        #expect(later["amount_sum_24h"] == .double(6))
    }

    @Test func unknownEntityReadsNilAndUnknownSetThrows() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        #expect(try store.read(featureSet: "transactions", key: EntityKey(parts: ["zz"]), at: nil) == nil)
        #expect(throws: OnlineStoreError.unknownFeatureSet(name: "nope")) {
            try store.read(featureSet: "nope", key: EntityKey(parts: ["zz"]), at: nil)
        }
        #expect(throws: OnlineStoreError.unknownFeatureSet(name: "nope")) {
            try store.ingestAndWait([StoreFixture.event("a", 0, 1)], into: "nope")
        }
    }

    @Test func eventWithoutEntityKeyIsRefusedNamingTheFieldAndNothingIsIngested() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        let events: [Value] = [StoreFixture.event("a", 0, 1), ["timestamp": "2026-01-01T00:00:00Z", "amount": 1]]
        #expect(
            throws: OnlineStoreError.badEvent(featureSet: "transactions", index: 1, .missingEntityKey(field: "key"))
        ) {
            try store.ingestAndWait(events, into: "transactions")
        }
        #expect(try store.inspect().count("SELECT COUNT(*) FROM event_log") == 0)
        #expect(try store.read(featureSet: "transactions", key: EntityKey(parts: ["a"]), at: nil) == nil)
    }

    @Test(arguments: [
        (["key": "a", "timestamp": "yesterday", "amount": 1] as Value, "timestamp field 'timestamp'"),
        (["key": "a", "timestamp": "2026-01-01T00:00:00Z", "amount": "12.5x"] as Value, "field 'amount'"),
        (["key": "a", "amount": 1] as Value, "missing timestamp field 'timestamp'"),
        (["key": ["x"], "timestamp": "2026-01-01T00:00:00Z"] as Value, "entity key field 'key'"),
    ])
    func badEventMessageNamesTheField(event: Value, expected: String) throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        do {
            _ = try store.ingestAndWait([event], into: "transactions")
            Issue.record("expected the event to be refused")
        } catch {
            #expect(String(describing: error).contains(expected), "\(error)")
        }
    }

    @Test func eventLogAndWelfordStatisticsAreWrittenInTheSameCommit() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        let amounts = [2, 4, 4, 4, 5, 5, 7, 9]
        let events = amounts.enumerated().map {
            StoreFixture.event("k\($0.offset % 3)", Int64($0.offset) * 1000, $0.element)
        }
        _ = try store.ingestAndWait(events, into: "transactions")
        let inspect = try store.inspect()
        #expect(try inspect.count("SELECT COUNT(*) FROM event_log WHERE feature_set = 'transactions'") == 8)
        let row = try #require(
            try inspect.query("SELECT count, mean, m2, min, max FROM feature_stats WHERE feature = 'amount'").first)
        #expect(row[0].integerValue == 8)
        #expect(row[1].realValue == 5)
        #expect(row[2].realValue == 32)  // Σ(x − 5)² of the amounts
        #expect(row[3].realValue == 2)
        #expect(row[4].realValue == 9)
    }

    @Test func failedCommitFailsTheEventAndMemoryReloadsWhatDiskHolds() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        _ = try store.ingestAndWait([StoreFixture.event("a", 0, 1)], into: "transactions")
        try store.inspect().execute(
            """
            CREATE TRIGGER refuse_boom BEFORE INSERT ON event_log WHEN instr(NEW.event, CAST('boom' AS BLOB)) > 0
            BEGIN SELECT RAISE(ABORT, 'boom refused'); END
            """)
        var failing = try #require(StoreFixture.event("a", 1_000, 100).objectValue)
        failing["note"] = "boom"
        #expect(throws: (any Error).self) { try store.ingestAndWait([.object(failing)], into: "transactions") }
        let key = EntityKey(parts: ["a"])
        let row = try #require(try store.read(featureSet: "transactions", key: key, at: StoreFixture.base + 2_000))
        #expect(row["amount_sum_1h"] == .double(1))
        #expect(row["amount_count_1h"] == .double(1))
        _ = try store.ingestAndWait([StoreFixture.event("a", 2_000, 10)], into: "transactions")
        let after = try #require(try store.read(featureSet: "transactions", key: key, at: StoreFixture.base + 3_000))
        #expect(after["amount_sum_1h"] == .double(11))
    }

    @Test func aRequestCommitsAsAWholeOrNotAtAll() throws {
        let directory = try SQLiteTestDirectory()
        let store = try SQLiteOnlineStore(path: directory.file("store.db"), featureSets: [StoreFixture.transactions()])
        try store.inspect().execute(
            """
            CREATE TRIGGER refuse_boom BEFORE INSERT ON event_log WHEN instr(NEW.event, CAST('boom' AS BLOB)) > 0
            BEGIN SELECT RAISE(ABORT, 'boom refused'); END
            """)
        var failing = try #require(StoreFixture.event("b", 2_000, 100).objectValue)
        failing["note"] = "boom"
        let events: [Value] = [StoreFixture.event("a", 0, 1), StoreFixture.event("c", 1_000, 2), .object(failing)]
        #expect(throws: (any Error).self) { try store.ingestAndWait(events, into: "transactions") }
        #expect(try store.inspect().count("SELECT COUNT(*) FROM event_log") == 0)
        #expect(try store.inspect().count("SELECT COUNT(*) FROM entity_state") == 0)
        for key in ["a", "b", "c"] {
            #expect(try store.read(featureSet: "transactions", key: EntityKey(parts: [key]), at: nil) == nil)
        }
    }

    @Test func aRetriedEventIDIsAnsweredAgainWithoutCountingTwice() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let events = [StoreFixture.event("a", 0, 4), StoreFixture.event("a", 1_000, 6)]
        do {
            let store = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
            #expect(try store.ingestAndWait(events, into: "transactions", eventID: "req-1") == 2)
            #expect(try store.ingestAndWait(events, into: "transactions", eventID: "req-1") == 2)
            store.close()
        }
        // Also after a restart: the id was recorded in the same commit as the events.
        let store = try SQLiteOnlineStore(path: path, featureSets: [StoreFixture.transactions()])
        #expect(try store.ingestAndWait(events, into: "transactions", eventID: "req-1") == 2)
        #expect(
            try store.ingestAndWait([StoreFixture.event("a", 2_000, 1)], into: "transactions", eventID: "req-2") == 1)
        let row = try #require(
            try store.read(featureSet: "transactions", key: EntityKey(parts: ["a"]), at: StoreFixture.base + 3_000))
        #expect(row["amount_count_1h"] == .double(3))
        #expect(row["amount_sum_1h"] == .double(11))
        #expect(try store.inspect().count("SELECT COUNT(*) FROM event_log") == 3)
        #expect(try store.inspect().count("SELECT COUNT(*) FROM processed_events") == 2)
    }
}
