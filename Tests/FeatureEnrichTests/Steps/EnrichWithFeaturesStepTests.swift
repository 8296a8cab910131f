import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// `EnrichWithFeatures` merging a vector into a body object reads it straight into the merged body; these tests
/// hold that path to the general one (the same step over `rows` of one body, or with `into`) byte for byte, on a
/// real store with two feature sets (plain features with a `ttl`, and windowed aggregates).
struct EnrichWithFeaturesStepTests {
    static let accountsJSON = """
        {"name": "accounts", "entities": [{"name": "account_id", "type": "int64"}], "timestamp_key": "ts",
         "features": [{"name": "amount", "type": "double"}, {"name": "age", "type": "int64"},
                      {"name": "country", "type": "string"}],
         "ttl": "1h"}
        """
    static let transactionsJSON = """
        {"name": "tx", "entities": [{"name": "account_id", "type": "int64"}], "timestamp_key": "ts",
         "features": [{"name": "spent", "type": "double"}],
         "aggregations": [{"name": "spent", "column": "spent", "operations": ["count", "sum", "min"],
                           "windows": ["1h"], "period": "10m"}]}
        """
    static let vectorJSON: Value = [
        "name": "v",
        "features": [
            "accounts.country", "accounts.age", "accounts.amount", "tx.spent_count_1h", "tx.spent_sum_1h",
            "tx.spent_min_1h",
        ],
        "impute_policy": ["*": 0, "country": "unknown", "amount": "$mean"],
    ]

    /// Account 1 is in both sets, 2 only in `accounts` (with no country), 3 only in `tx`; 99 in neither.
    private func withService(_ body: (SQLiteOnlineStore, OnlineFeatureService) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ewf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteOnlineStore(
            path: directory.appendingPathComponent("store.db").path,
            featureSets: [
                try FeatureSetDefinition(jsonText: Self.accountsJSON),
                try FeatureSetDefinition(jsonText: Self.transactionsJSON),
            ])
        defer { store.close() }
        let now = Value.int(Int64(Date().timeIntervalSince1970))
        _ = try store.ingestAndWait(
            [
                ["account_id": 1, "ts": now, "amount": 10.0, "age": 30, "country": "DE"],
                ["account_id": 2, "ts": now, "amount": 30.0, "age": 50],
            ], into: "accounts")
        _ = try store.ingestAndWait(
            [["account_id": 1, "ts": now, "spent": 4.5], ["account_id": 3, "ts": now, "spent": 2.0]], into: "tx")
        let vector = try FeatureVectorDefinition(json: Self.vectorJSON)
        try body(store, try OnlineFeatureService(vector: vector.resolve(featureSets: store.featureSets), store: store))
    }

    private func step(
        _ service: OnlineFeatureService, rows: String? = nil, into: String? = nil,
        onMissing: EnrichWithFeaturesStep.MissingPolicy = .null, timestamp: String? = nil
    ) -> EnrichWithFeaturesStep {
        EnrichWithFeaturesStep(
            name: "enrich", service: service, keyPaths: [], rows: rows, into: into, onMissing: onMissing,
            timestamp: timestamp)
    }

    /// The answer of the general path for `body`: the same step over `{"rows": [body]}`, its one row.
    private func generalAnswer(_ body: Value, _ general: EnrichWithFeaturesStep, from event: Event) throws -> Value {
        var wrapped = event
        wrapped.body = ["rows": [body]]
        return try #require(general.run(wrapped).body["rows"]?.arrayValue?.first)
    }

    static let bodies: [Value] = [
        ["account_id": 1, "amount_hint": 5],
        ["account_id": 2],
        ["note": "x", "account_id": 3, "nested": ["a": [1, 2]]],
        ["account_id": 99, "flag": true],
        ["account_id": "1"],
        .object(ValueObject((0..<14).map { ("member\($0)", .int(Int64($0))) } + [("account_id", 2)])),
    ]

    @Test func mergesEachBodyShapeByteForByteAsTheGeneralPath() throws {
        try withService { _, service in
            let fast = step(service)
            let general = step(service, rows: "rows")
            // Alternating shapes: the merged keys kept for one shape must not leak into the next.
            for body in Self.bodies + Self.bodies.reversed() {
                let event = Event(body: body)
                let answer = try fast.run(event).body
                let expected = try generalAnswer(body, general, from: event)
                #expect(JSONWriter.string(answer) == JSONWriter.string(expected))
                #expect(answer.objectValue?.keys.prefix(body.objectValue?.count ?? 0) == body.objectValue?.keys[...])
            }
        }
    }

    @Test func imputesMissingColumnsAndLeavesAnUnknownEntityNull() throws {
        try withService { _, service in
            let fast = step(service)
            let onlyAccounts = try fast.run(Event(body: ["account_id": 2])).body
            #expect(onlyAccounts["country"] == "unknown")
            #expect(onlyAccounts["spent_count_1h"] == 0)
            let unknown = try fast.run(Event(body: ["account_id": 99])).body
            #expect(unknown["country"] == .null)
            #expect(unknown["amount"] == .null)
            let onlyTransactions = try fast.run(Event(body: ["account_id": 3])).body
            #expect(onlyTransactions["amount"] == 20.0)
            #expect(onlyTransactions["spent_sum_1h"] == 2.0)
        }
    }

    @Test func answersEveryRowOfAListAsTheBodyOfOneRow() throws {
        try withService { _, service in
            let fast = step(service)
            let rows = try step(service, rows: "rows").run(Event(body: ["rows": .array(Self.bodies)])).body
            let answers = try Self.bodies.map { try fast.run(Event(body: $0)).body }
            #expect(JSONWriter.string(rows) == JSONWriter.string(["rows": .array(answers)]))
        }
    }

    @Test func writesTheSameColumnsUnderIntoAsItMergesIntoTheBody() throws {
        try withService { _, service in
            let fast = step(service)
            let nested = step(service, into: "features")
            for body in Self.bodies {
                let merged = try #require(fast.run(Event(body: body)).body.objectValue)
                let columns = try #require(nested.run(Event(body: body)).body["features"]?.objectValue)
                let count = body.objectValue?.count ?? 0
                #expect(Array(merged.keys.dropFirst(count)) == columns.keys)
                #expect(Array(merged.values.dropFirst(count)) == columns.values)
            }
        }
    }

    @Test func readsAsOfTheBodyTimestampAsTheGeneralPath() throws {
        try withService { _, service in
            let fast = step(service, timestamp: "ts")
            let general = step(service, rows: "rows", timestamp: "ts")
            let later = Int64(Date().timeIntervalSince1970) + 7_200
            for body: Value in [["account_id": 1, "ts": .int(later)], ["account_id": 1], ["account_id": 2, "ts": 0]] {
                let event = Event(body: body)
                let answer = try fast.run(event).body
                let expected = try generalAnswer(body, general, from: event)
                #expect(JSONWriter.string(answer) == JSONWriter.string(expected))
            }
        }
    }

    static let badBodies: [Value] = [
        ["amount": 1], ["account_id": nil], ["account_id": "abc"], ["account_id": 1.5], ["account_id": [1]],
        ["account_id": 1, "ts": "yesterday"],
    ]

    @Test func failsWithTheGeneralPathsErrors() throws {
        try withService { _, service in
            for onMissing in [EnrichWithFeaturesStep.MissingPolicy.null, .error] {
                let fast = step(service, onMissing: onMissing, timestamp: "ts")
                let general = step(service, into: "features", onMissing: onMissing, timestamp: "ts")
                for body in Self.badBodies + [["account_id": 99]]
                where !(body["account_id"] == 99 && onMissing == .null) {
                    let fastError = #expect(throws: ServingError.self) { try fast.run(Event(body: body)) }
                    let generalError = #expect(throws: ServingError.self) { try general.run(Event(body: body)) }
                    #expect(fastError != nil && fastError == generalError)
                }
            }
            let missing = #expect(throws: ServingError.self) {
                try step(service, onMissing: .error).run(Event(body: ["account_id": 99]))
            }
            #expect(missing == .notFound(#"no features for entity {"account_id":99}"#))
        }
    }

    @Test func readsTheStateAnUpdateInTheSameRequestSnapshotted() throws {
        try withService { store, service in
            let definition = try #require(store.featureSet(named: "tx"))
            let update = UpdateAggregatesStep(
                name: "update", store: store, featureSet: definition, fieldPaths: [], timestamp: nil, rows: nil,
                order: .beforeFetch)
            let cases: [(body: Value, count: Double, minimum: Double)] = [
                (["account_id": 1, "spent": 1.5], 2, 1.5), (["account_id": 7, "spent": 3.0], 1, 3.0),
            ]
            for (body, count, minimum) in cases {
                let updated = try update.run(Event(body: body))
                let answer = try step(service).run(updated).body
                let expected = try generalAnswer(body, step(service, rows: "rows"), from: updated)
                #expect(JSONWriter.string(answer) == JSONWriter.string(expected))
                #expect(answer["spent_count_1h"] == .double(count))
                #expect(answer["spent_min_1h"] == .double(minimum))
            }
        }
    }
}
