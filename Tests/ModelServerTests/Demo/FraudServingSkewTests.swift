import FeatureEnrich
import Foundation
import Synchronization
import Testing

@testable import ModelServer
@testable import ServingGraph

/// The fraud example served as `serve demo` serves it: the exact tensor its model receives for a transaction
/// (key, time) equals the point-in-time training row `serve training-set` builds for that key and time, with the
/// vector's impute policy applied as `train.py` applies it.
@Suite(.serialized)
struct FraudServingSkewTests {
    /// Every body that reached the model, in arrival order.
    final class Recorder: Sendable {
        let bodies = Mutex<[Value]>([])
    }

    /// Passes events on unchanged, recording their bodies: inserted between `tensor` and the model.
    struct RecordStep: Step {
        let name: String
        let recorder: Recorder

        func run(_ event: Event) throws -> Event {
            recorder.bodies.withLock { $0.append(event.body) }
            return event
        }
    }

    static let example = ServingHarness.path("examples/fraud")

    /// Copies the example into `directory` with a recording step before the model; returns the service path.
    static func serviceWithRecorder(in directory: String) throws -> String {
        for file in ["accounts.json", "transactions.json", "fraud-vector.json", "fraud-model.json"] {
            try FileManager.default.copyItem(atPath: example + "/" + file, toPath: directory + "/" + file)
        }
        let original = try String(contentsOfFile: example + "/serve.json", encoding: .utf8)
        let modelStep = #""fraud": {"kind": "task", "class_name": "XGBoostModel", "after": ["tensor"]"#
        try #require(original.contains(modelStep))
        let recorded = original.replacingOccurrences(
            of: modelStep,
            with: #""record": {"kind": "task", "class_name": "RecordModelInput", "after": ["tensor"]},"#
                + "\n" + modelStep.replacingOccurrences(of: #"["tensor"]"#, with: #"["record"]"#))
        let path = directory + "/serve.json"
        try recorded.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func tensorTheModelReceivesEqualsTheTrainingRowForTheSameKeyAndTime() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skew-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let generated = FraudDataGeneratorTests.small()
        let data = FraudDemoData(
            directory: directory + "/data", exampleDirectory: Self.example, configuration: generated)
        _ = try data.prepare(regenerate: false, report: { _ in })

        let recorder = Recorder()
        var registry = StepRegistry.serving(baseDirectory: directory)
        registry.register("RecordModelInput") { _, context in RecordStep(name: context.name, recorder: recorder) }
        var configuration = ServeConfiguration()
        configuration.graphPath = try Self.serviceWithRecorder(in: directory)
        configuration.storePath = data.storePath
        configuration.registry = registry

        // In-order transactions after the generated days, 37 s apart so the 5-minute buckets and the 10m and
        // 1h windows slide; five known accounts and one the accounts set has never seen (imputed columns).
        var entities = "account_id,timestamp\n"
        try ServiceServer.run(configuration, loops: 1) { port, _ in
            for index in 0..<48 {
                let account = index % 6 == 5 ? "A09999" : "A0000\(index % 6 + 1)"
                let time = RFC3339.string(epochMilliseconds: generated.endMilliseconds + Int64(index) * 37_000)
                let amount = Double(5 + (index * 53) % 900) + 0.25
                let body =
                    #"{"account_id": "\#(account)", "timestamp": "\#(time)", "amount": \#(amount), "#
                    + #""merchant_category": "electronics", "merchant_risk": 0.2, "is_foreign": \#(index % 3 == 0 ? 1 : 0)}"#
                let (status, answer) = try ServingHarness.post(port, "/v2/models/fraud/infer", body)
                #expect(status == 200)
                #expect(answer["outputs"] != nil, "\(answer)")
                entities += "\(account),\(time)\n"
            }
        }

        let entitiesPath = directory + "/entities.csv"
        try entities.write(toFile: entitiesPath, atomically: true, encoding: .utf8)
        let vector = try FeatureVectorDefinition(contentsOfFile: Self.example + "/fraud-vector.json")
        let builder = try TrainingSetBuilder(vector: vector, store: try OfflineStoreReader(path: data.storePath))
        let set = try builder.build(try EntityTable(csvPath: entitiesPath))
        let policy = vector.imputePolicy
        let served = recorder.bodies.withLock { $0 }
        try #require(served.count == 48)
        for (row, body) in served.enumerated() {
            let tensor = body["inputs"]?.arrayValue?.first
            let received = (tensor?["data"]?.arrayValue ?? []).map { $0.doubleValue }
            let training = zip(set.featureColumns, set.featureValues(ofRow: row)).map { column, value in
                (value.isNull ? policy[column] ?? policy["*"] ?? .null : value).doubleValue
            }
            #expect(received == training, "row \(row): \(set.table.rows[row].fields)")
        }
    }
}
