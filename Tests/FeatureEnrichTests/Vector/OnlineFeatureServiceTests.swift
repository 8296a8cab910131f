import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// The online feature service over a real SQLite store in a temp dir.
struct OnlineFeatureServiceTests {
    static let accountsJSON = """
        {"name": "accounts", "entities": [{"name": "account_id", "type": "int64"}], "timestamp_key": "ts",
         "features": [{"name": "amount", "type": "double"}, {"name": "age", "type": "int64"},
                      {"name": "country", "type": "string"}],
         "ttl": "1h"}
        """
    static let base: Int64 = 1_767_225_600_000

    private func withStore(_ body: (SQLiteOnlineStore) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ofs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteOnlineStore(
            path: directory.appendingPathComponent("store.db").path,
            featureSets: [try FeatureSetDefinition(jsonText: Self.accountsJSON)])
        defer { store.close() }
        _ = try store.ingestAndWait(
            [
                ["account_id": 1, "ts": "2026-01-01T00:00:00Z", "amount": 10.0, "age": 30, "country": "DE"],
                ["account_id": 2, "ts": "2026-01-01T00:00:00Z", "amount": 30.0, "age": 50],
                ["account_id": 3, "ts": "2026-01-01T00:00:00Z", "age": 40],
            ], into: "accounts")
        try body(store)
    }

    private func service(_ store: SQLiteOnlineStore, _ vector: Value) throws -> OnlineFeatureService {
        let definition = try FeatureVectorDefinition(json: vector)
        return try OnlineFeatureService(vector: try definition.resolve(featureSets: store.featureSets), store: store)
    }

    @Test func returnsColumnsInDeclaredOrderAndNullForAMissingEntity() throws {
        try withStore { store in
            let service = try service(store, ["name": "v", "features": ["accounts.country", "accounts.age as years"]])
            let rows = try service.get([["account_id": 1], ["account_id": 99]], at: Self.base + 60_000)
            #expect(rows == [["country": "DE", "years": 30], .null])
            #expect(rows[0].objectValue?.keys == ["country", "years"])
        }
    }

    @Test func asListReturnsValuesInVectorOrderAndAcceptsPositionalRows() throws {
        try withStore { store in
            let service = try service(store, ["name": "v", "features": ["accounts.*"]])
            let rows = try service.get([[2]], asList: true, at: Self.base + 60_000)
            #expect(rows == [[30.0, 50, .null]])
        }
    }

    @Test func imputesMeanFromStoreStatisticsAndConstants() throws {
        try withStore { store in
            let service = try service(
                store,
                [
                    "name": "v", "features": ["accounts.amount", "accounts.country"],
                    "impute_policy": ["*": "$mean", "country": "unknown"],
                ])
            let rows = try service.get([["account_id": 3]], at: Self.base + 60_000)
            #expect(rows == [["amount": 20.0, "country": "unknown"]])
        }
    }

    @Test func valueOlderThanTTLCountsAsMissingAndIsImputedButCellKeepsItOutsideMaxAge() throws {
        try withStore { store in
            let service = try service(
                store, ["name": "v", "features": ["accounts.age"], "impute_policy": ["age": "$max"]])
            let twoHoursLater = Self.base + 7_200_000
            #expect(try service.get([["account_id": 1]], at: twoHoursLater) == [["age": 50.0]])
            let column = try #require(service.vector.columns.first)
            let cells = try store.cells(
                featureSet: "accounts", key: EntityKey(parts: ["1"]), columns: [column], at: twoHoursLater)
            #expect(cells == [FeatureCell(value: 30, status: .outsideMaxAge, eventTime: Self.base)])
        }
    }

    @Test func missingEntityKeyIsAnErrorNamingThePath() throws {
        try withStore { store in
            let service = try service(store, ["name": "v", "features": ["accounts.age"]])
            #expect(throws: OnlineFeatureError.missingEntityKey(path: "entity_rows[1].account_id")) {
                try service.get([["account_id": 1], ["other": 1]])
            }
        }
    }

    @Test func entityKeyOfTheWrongTypeIsAnErrorNamingThePath() throws {
        try withStore { store in
            let service = try service(store, ["name": "v", "features": ["accounts.age"]])
            #expect(
                throws: OnlineFeatureError.wrongEntityKeyType(
                    path: "entity_rows[0].account_id", expected: "a 64-bit integer", got: "boolean")
            ) {
                try service.get([["account_id": true]])
            }
        }
    }

    @Test func imputeRuleForAColumnOutsideTheVectorIsRejectedAtLoad() throws {
        try withStore { store in
            #expect(throws: OnlineFeatureError.unknownImputeColumn(vector: "v", column: "nope")) {
                _ = try service(store, ["name": "v", "features": ["accounts.age"], "impute_policy": ["nope": 0]])
            }
        }
    }

    @Test func enrichStepReadsKeysFromAnInputTensorAndAppendsTheVectorAsATensor() throws {
        try withStore { store in
            let now = Value.int(Int64(Date().timeIntervalSince1970))
            _ = try store.ingestAndWait(
                [
                    ["account_id": 4, "ts": now, "amount": 10.0, "age": 30],
                    ["account_id": 5, "ts": now, "amount": 30.0, "age": 50],
                ],
                into: "accounts")
            let service = try service(store, ["name": "v", "features": ["accounts.amount", "accounts.age"]])
            let step = try EnrichWithFeaturesStep(
                name: "enrich", service: service, keyTensors: [("account_id", "ids")], outputTensor: "x",
                columns: ["age", "amount"], onMissing: .null)
            let body: Value = ["inputs": [["name": "ids", "shape": [2], "datatype": "INT64", "data": [5, 4]]]]
            let output = try step.run(Event(body: body))
            let tensor = output.body["inputs"]?.arrayValue?.last
            #expect(tensor?["name"] == "x")
            #expect(tensor?["shape"] == [2, 2])
            #expect(tensor?["data"] == [50.0, 30.0, 30.0, 10.0])
        }
    }

    @Test func enrichStepMergesTheVectorIntoTheBodyReplacingAColumnTheBodyAlreadyHoldsInPlace() throws {
        try withStore { store in
            let now = Value.int(Int64(Date().timeIntervalSince1970))
            _ = try store.ingestAndWait([["account_id": 4, "ts": now, "amount": 10.0, "age": 30]], into: "accounts")
            let service = try service(store, ["name": "v", "features": ["accounts.amount", "accounts.age"]])
            let step = EnrichWithFeaturesStep(
                name: "enrich", service: service, keyPaths: [], rows: nil, into: nil, onMissing: .null)
            let output = try step.run(Event(body: ["age": "stale", "account_id": 4, "note": "x"]))
            #expect(output.body.objectValue?.keys == ["age", "account_id", "note", "amount"])
            #expect(output.body == ["age": 30, "account_id": 4, "note": "x", "amount": 10.0])
        }
    }
}
