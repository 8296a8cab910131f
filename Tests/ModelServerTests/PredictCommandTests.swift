import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// `serve predict` end to end: a store, a vector, the interop graph's logistic-regression model.
struct PredictCommandTests {

    @Test func predictsEachEntityRowFromItsPointInTimeVectorInInputOrder() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let graph = root.appendingPathComponent("examples/interop/graph.json").path
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("predict-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteOnlineStore(
            path: directory.appendingPathComponent("store.db").path,
            featureSets: [
                try FeatureSetDefinition(
                    jsonText: """
                        {"name": "z", "entities": [{"name": "key"}], "timestamp_key": "timestamp",
                         "features": [{"name": "amount_z"}, {"name": "age_z"}, {"name": "velocity_z"},
                                      {"name": "distance_z"}]}
                        """)
            ])
        _ = try store.ingestAndWait(
            [
                [
                    "key": "a", "timestamp": 1_767_225_600, "amount_z": 1, "age_z": 0, "velocity_z": 0.5,
                    "distance_z": 2,
                ],
                ["key": "a", "timestamp": 1_767_229_200, "amount_z": -1, "age_z": 0, "velocity_z": 0, "distance_z": 0],
            ], into: "z")
        store.close()
        try #"{"name": "zv", "features": ["z.*"]}"#.write(
            to: directory.appendingPathComponent("zv.json"), atomically: true, encoding: .utf8)
        try "key,timestamp\na,2026-01-01T02:00:00Z\na,2026-01-01T00:30:00Z\n".write(
            to: directory.appendingPathComponent("e.csv"), atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("p.csv")
        let result = try ServeBinary.run([
            "predict", graph, directory.appendingPathComponent("e.csv").path, "--vector",
            directory.appendingPathComponent("zv.json").path, "--store",
            directory.appendingPathComponent("store.db").path, "--out", out.path, "--batch", "1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        // The model: sigmoid(0.8 amount - 0.5 age + 1.2 velocity + 0.3 distance - 0.1), from fraud-logreg.json.
        func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        let lines = try String(contentsOf: out, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "key,timestamp,prediction")
        let predictions = lines.dropFirst().compactMap { $0.split(separator: ",").last.flatMap { Double($0) } }
        #expect(predictions.count == 2)
        let expected = [sigmoid(0.8 * -1 - 0.1), sigmoid(0.8 * 1 + 1.2 * 0.5 + 0.3 * 2 - 0.1)]
        for (got, want) in zip(predictions, expected) { #expect(abs(got - want) < 1e-6) }
    }
}
