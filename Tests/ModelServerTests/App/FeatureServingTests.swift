import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// The feature side of a service file (store, vectors) and its start-up check of where graphs read and update.
struct FeatureServingTests {
    static let featureSet = """
        {"name": "transactions", "entities": [{"name": "account", "type": "string"}], "timestamp_key": "ts",
         "features": [{"name": "amount", "type": "double"}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["count"], "windows": ["1h"],
                           "period": "10m"}]}
        """

    /// The warnings for a flow of `steps` (JSON of the steps object) over the transactions set and vector `txv`.
    private func warnings(steps: String) throws -> [String] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fsv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let service = """
            {"feature_sets": [\(Self.featureSet)],
             "feature_vectors": [{"name": "txv", "features": ["transactions.amount_count_1h"]}],
             "graph": {"kind": "flow", "steps": \(steps)}}
            """
        var configuration = ServeConfiguration()
        configuration.graphPath = directory.appendingPathComponent("serve.json").path
        configuration.storePath = directory.appendingPathComponent("store.db").path
        try service.write(toFile: try #require(configuration.graphPath), atomically: true, encoding: .utf8)
        let features = try FeatureServing(configuration: configuration)
        defer { features.store?.close() }
        var loaderConfiguration = configuration
        loaderConfiguration.registry = features.registry(for: configuration)
        return features.splitReadAndUpdateWarnings(try GraphLoader(configuration: loaderConfiguration).spec)
    }

    @Test func enrichmentBeforeAnUpdateOfTheSameSetIsReportedNamingBothSteps() throws {
        let found = try warnings(
            steps: """
                {"enrich": {"class_name": "EnrichWithFeatures", "class_args": {"vector": "txv"}},
                 "other": {"class_name": "Defaults", "after": ["enrich"]},
                 "update": {"class_name": "UpdateAggregates", "after": ["other"], "responder": true,
                            "class_args": {"feature_set": "transactions"}}}
                """)
        #expect(
            found == [
                "graph.steps.enrich reads feature set 'transactions' before graph.steps.update updates it: the fetch "
                    + "and the update are not atomic; place graph.steps.update first with \"update\": \"after_fetch\""
            ])
    }

    @Test func updateBeforeEnrichmentIsNotReported() throws {
        let found = try warnings(
            steps: """
                {"update": {"class_name": "UpdateAggregates",
                            "class_args": {"feature_set": "transactions", "update": "after_fetch"}},
                 "enrich": {"class_name": "EnrichWithFeatures", "after": ["update"], "responder": true,
                            "class_args": {"vector": "txv"}}}
                """)
        #expect(found.isEmpty)
    }
}
