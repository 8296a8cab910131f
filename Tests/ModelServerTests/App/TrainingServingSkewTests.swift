import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// The zero training/serving skew proof (issue 9, item 4; docs/OFFLINE.md, "Training/serving skew").
///
/// An event stream is replayed over real sockets through a served graph (`UpdateAggregates` and
/// `EnrichWithFeatures` in either order, then a model that records the exact vector it received), into a real
/// SQLite store; then the training set for the same (key, request time) rows is built from that store's event
/// log with ``TrainingSetBuilder`` and compared with what the model saw, value for value with `==`.
@Suite(.serialized)
struct TrainingServingSkewTests {
    /// The order of the two feature steps in the graph.
    enum Order: String, CaseIterable, Sendable {
        /// The model sees aggregates including the request's own event: training rows cut `event_ts <= T`.
        case updateThenEnrich
        /// The model sees the entity before the request's event: training rows cut `event_ts < T`.
        case enrichThenUpdate

        var cutoff: TrainingSetBuilder.Cutoff { self == .updateThenEnrich ? .inclusive : .exclusive }
    }

    static let featureSet = """
        {"name": "payments", "entities": [{"name": "account", "type": "string"}], "timestamp_key": "ts",
         "features": [{"name": "amount", "type": "double"}, {"name": "merchant", "type": "string"}], "ttl": "20m",
         "aggregations": [{"name": "amount", "column": "amount",
           "operations": ["count", "sum", "avg", "min", "max", "stddev", "first", "last"],
           "windows": ["10m", "1h", "3h"], "period": "5m"}]}
        """

    static func service(_ order: Order) -> String {
        let update =
            #"{"kind": "task", "class_name": "UpdateAggregates", "class_args": {"feature_set": "payments", "timestamp": "ts"}"#
        let enrich =
            #"{"kind": "task", "class_name": "EnrichWithFeatures", "class_args": {"vector": "skew", "timestamp": "ts", "into": "features"}"#
        let steps =
            order == .updateThenEnrich
            ? #""update": \#(update)}, "enrich": \#(enrich), "after": ["update"]}, "model": {"kind": "task", "class_name": "VectorRecorder", "after": ["enrich"], "responder": true}"#
            : #""enrich": \#(enrich)}, "update": \#(update), "after": ["enrich"]}, "model": {"kind": "task", "class_name": "VectorRecorder", "after": ["update"], "responder": true}"#
        return """
            {"feature_sets": [\(featureSet)],
             "feature_vectors": [{"name": "skew", "features": ["payments.*"]}],
             "graph": {"kind": "flow", "steps": {\(steps)}}}
            """
    }

    /// 2026-01-01T00:00:00Z.
    static let base: Int64 = 1_767_225_600_000

    /// Serves `order`'s graph over a fresh store; `body` gets the port and the store path.
    static func withServer(_ order: Order, log: VectorLog, _ body: (Int, String) throws -> Void) throws {
        var registry = StepRegistry.serving()
        registry.registerVectorRecorder(log)
        try ServiceServer.with(
            service: service(order), configure: { configuration, _ in configuration.registry = registry }, body)
    }

    /// Sends one payment through the graph and checks it was answered (hence committed).
    static func pay(_ port: Int, _ account: String, at time: Int64, _ amount: Double, merchant: String?) throws {
        var object: ValueObject = [
            "account": .string(account), "amount": .double(amount),
            "ts": .string(RFC3339.string(epochMilliseconds: time)),
            "ts_ms": .int(time), "inputs": [[0.0]],
        ]
        if let merchant { object["merchant"] = .string(merchant) }
        let (status, answer) = try ServingHarness.post(port, "/", JSONWriter.string(.object(object)))
        #expect(status == 200, "\(answer)")
    }

    /// The training set of the recorded (key, time) rows, built from the store's event log with `cutoff`.
    static func trainingSet(_ storePath: String, _ entries: [VectorLog.Entry], cutoff: TrainingSetBuilder.Cutoff)
        throws -> TrainingSet
    {
        let table = EntityTable(
            source: "requests", columns: ["account", "timestamp"],
            rows: entries.enumerated().map { index, entry in
                EntityTable.Row(fields: [entry.key, String(entry.time)], line: index + 1, time: entry.time)
            })
        let vector = FeatureVectorDefinition(
            name: "skew", features: [try FeatureReference(parsing: "payments.*", path: "features")])
        let builder = try TrainingSetBuilder(
            vector: vector, store: try OfflineStoreReader(path: storePath), cutoff: cutoff)
        return try builder.build(table)
    }

    /// Every (request, column) where the training row differs from the served vector, as readable lines.
    static func differences(_ entries: [VectorLog.Entry], _ set: TrainingSet) -> [String] {
        var differences: [String] = []
        for (index, entry) in entries.enumerated() {
            #expect(Array(entry.features.keys) == set.featureColumns)
            for (column, trained) in zip(set.featureColumns, set.featureValues(ofRow: index)) {
                let served = entry.features[column] ?? .null
                if served != trained {
                    differences.append("request \(index) \(entry.key)@\(entry.time) \(column): \(served) vs \(trained)")
                }
            }
        }
        return differences
    }

    /// Hundreds of in-order payments (strictly increasing times, so every key's events arrive in time order)
    /// over 5 keys and about 10 hours: windows slide, buckets expire, the 20-minute ttl lapses for quiet keys.
    @Test(arguments: Order.allCases)
    func inOrderStreamServesExactlyTheTrainingRows(order: Order) throws {
        let log = VectorLog()
        var random = SplitMix64(seed: 9)
        try Self.withServer(order, log: log) { port, storePath in
            var time = Self.base
            for _ in 0..<300 {
                time += Int64(random.integer(in: 0...239_999)) + 1
                let account = "acct\(random.integer(in: 0...4))"
                let amount = Double(random.integer(in: 0...999_999)) / 97
                let merchant = random.integer(in: 0...2) == 0 ? nil : "m\(random.integer(in: 0...6))"
                try Self.pay(port, account, at: time, amount, merchant: merchant)
            }
            let entries = log.entries
            #expect(entries.count == 300)
            let set = try Self.trainingSet(storePath, entries, cutoff: order.cutoff)
            #expect(set.featureColumns.count == 26)
            let differences = Self.differences(entries, set)
            #expect(differences.isEmpty, "\(differences.count) differences, first: \(differences.prefix(5))")

            // The stream exercised what could skew: sliding windows, expired plain features, empty windows.
            let counts = Set(entries.compactMap { $0.features["amount_count_10m"]?.doubleValue })
            #expect(counts.count >= 3)
            let expired = entries.filter { entry in
                entry.features["merchant"] == .null && (entry.features["amount_count_3h"]?.doubleValue ?? 0) >= 2
            }
            #expect(!expired.isEmpty)
            #expect(entries.contains { $0.features["amount_stddev_1h"]?.doubleValue.map { $0 > 0 } == true })
        }
    }

    /// The same stream with the other cutoff differs exactly by each request's own event: proof that the cutoff
    /// is what matches the graph's order, not a coincidence of the data.
    @Test func theWrongCutoffDiffersOnEveryRequestOfAKeyWithHistory() throws {
        let log = VectorLog()
        try Self.withServer(.updateThenEnrich, log: log) { port, storePath in
            for (index, amount) in [3.0, 4.0, 5.0].enumerated() {
                try Self.pay(port, "a", at: Self.base + Int64(index) * 60_000, amount, merchant: nil)
            }
            let entries = log.entries
            let inclusive = try Self.trainingSet(storePath, entries, cutoff: .inclusive)
            let exclusive = try Self.trainingSet(storePath, entries, cutoff: .exclusive)
            #expect(Self.differences(entries, inclusive).isEmpty)
            let sums = (0..<3).map { exclusive.object(ofRow: $0)["amount_sum_10m"] }
            #expect(sums == [.null, 3.0, 7.0])
            #expect(entries.map { $0.features["amount_sum_10m"] } == [3.0, 7.0, 12.0])
        }
    }

    @Test func requestWithAnUnparsableTimeIs400NamingThePath() throws {
        try Self.withServer(.enrichThenUpdate, log: VectorLog()) { port, _ in
            let (status, answer) = try ServingHarness.post(
                port, "/", #"{"account": "a", "amount": 1, "ts": "soon", "ts_ms": 0, "inputs": [[0.0]]}"#)
            #expect(status == 400)
            #expect(answer["error"]?.stringValue?.contains("'body.ts'") == true, "\(answer)")
        }
    }

    /// Out of order, with hand-checkable numbers (update then enrich; 5-minute buckets; account `a`):
    ///
    /// | arrives | event                      | served count_1h / sum_1h / merchant | training row at its T |
    /// | 1 | R1 10:00 amount 10 "x" (graph)     | 1 / 10 / x                    | 2 / 15 / x: the late 09:50 event arrived after R1 |
    /// | 2 | 09:50 amount 5 "late" (ingest)     | —                             | — |
    /// | 3 | R2 10:17 amount 20 "y" (graph)     | 3 / 35 / y                    | 4 / 36 / y: R3 (10:16) arrived after R2 |
    /// | 4 | R3 10:16 amount 1 "z" (graph, late)| 4 / 36 / null                 | 3 / 16 / z: serving read at 10:16 a state already holding 10:17 |
    ///
    /// R3's served vector counts R2 (10:17) because it lies in R3's own bucket [10:15, 10:20), and finds no
    /// merchant because the state keeps one latest value per feature (10:17's), later than 10:16.
    @Test func outOfOrderStreamDiffersOnlyWhereDataArrivedAfterTheRequest() throws {
        let log = VectorLog()
        let minute: Int64 = 60_000
        let ten = Self.base + 10 * 60 * minute
        try Self.withServer(.updateThenEnrich, log: log) { port, storePath in
            try Self.pay(port, "a", at: ten, 10, merchant: "x")
            let late =
                #"{"account": "a", "amount": 5, "merchant": "late", "ts": "\#(RFC3339.string(epochMilliseconds: ten - 10 * minute))"}"#
            let (status, _) = try ServingHarness.post(port, "/v2/feature-sets/payments/ingest", late)
            #expect(status == 200)
            try Self.pay(port, "a", at: ten + 17 * minute, 20, merchant: "y")
            try Self.pay(port, "a", at: ten + 16 * minute, 1, merchant: "z")
            let entries = log.entries
            let set = try Self.trainingSet(storePath, entries, cutoff: .inclusive)
            let columns = ["amount_count_1h", "amount_sum_1h", "merchant"]
            let served = entries.map { entry in columns.map { entry.features[$0] ?? .null } }
            let trained = entries.indices.map { row in columns.map { set.object(ofRow: row)[$0] ?? .null } }
            #expect(served == [[1.0, 10.0, "x"], [3.0, 35.0, "y"], [4.0, 36.0, .null]])
            #expect(trained == [[2.0, 15.0, "x"], [4.0, 36.0, "y"], [3.0, 16.0, "z"]])
        }
    }
}
