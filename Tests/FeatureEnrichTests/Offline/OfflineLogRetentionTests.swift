import FeatureEnrich
import Glibc
import ServingGraph
import Testing

/// Offline log retention per feature set, applied when the store opens (real SQLite files).
struct OfflineLogRetentionTests {
    static func definition(retention: String?) throws -> FeatureSetDefinition {
        let extra = retention.map { #", "offline_retention": "\#($0)""# } ?? ""
        return try FeatureSetDefinition(
            jsonText: """
                {"name": "tx", "entities": [{"name": "key"}], "timestamp_key": "timestamp",
                 "features": [{"name": "amount", "type": "double"}]\(extra)}
                """)
    }

    /// Two old events (2026-01-01) and one an hour ago.
    static func ingestOldAndRecent(_ path: String, _ definition: FeatureSetDefinition) throws {
        let store = try SQLiteOnlineStore(path: path, featureSets: [definition])
        let recent = Int64(Double(StoreFixture.base) / 1000) + 1
        let now = Int64(time(nil)) - 3600
        _ = try store.ingestAndWait(
            [
                ["key": "a", "timestamp": .int(recent), "amount": 1],
                ["key": "a", "timestamp": .int(recent + 60), "amount": 2],
                ["key": "b", "timestamp": .int(now), "amount": 3],
            ], into: "tx")
        store.close()
    }

    @Test func keepsEveryEventByDefault() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        try Self.ingestOldAndRecent(path, try Self.definition(retention: nil))
        let reopened = try SQLiteOnlineStore(path: path, featureSets: [try Self.definition(retention: nil)])
        reopened.close()
        #expect(try SQLiteConnection(path: path).count("SELECT COUNT(*) FROM event_log") == 3)
    }

    @Test func dropsEventsOlderThanTheRetentionWhenTheStoreOpensAndKeepsOnlineState() throws {
        let directory = try SQLiteTestDirectory()
        let path = directory.file("store.db")
        let definition = try Self.definition(retention: "7d")
        #expect(definition.offlineRetention?.milliseconds ?? 0 == Int64(7) * 86_400_000)
        #expect(definition.definitionHash == (try Self.definition(retention: nil)).definitionHash)
        try Self.ingestOldAndRecent(path, definition)
        let reopened = try SQLiteOnlineStore(path: path, featureSets: [definition])
        let old = try reopened.read(featureSet: "tx", key: EntityKey(parts: ["a"]), features: ["amount"], at: nil)
        reopened.close()
        let connection = try SQLiteConnection(path: path)
        #expect(try connection.count("SELECT COUNT(*) FROM event_log") == 1)
        #expect(try connection.count("SELECT COUNT(*) FROM event_log WHERE entity_key = '1:b'") == 1)
        #expect(old?["amount"] == .double(2))
    }

    @Test func retentionRoundTripsThroughTheDefinitionJSON() throws {
        let definition = try Self.definition(retention: "30d")
        #expect(try FeatureSetDefinition(jsonText: definition.jsonText) == definition)
    }
}
