import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// `EnrichmentModelRouter`: `inputs` entity rows replaced by their feature vectors before the model runs,
/// over real sockets and a real SQLite file.
@Suite(.serialized)
struct EnrichmentRouterTests {
    static func service(onMissing: String) -> String {
        """
        {"feature_sets": [{"name": "cs", "entities": [{"name": "customer_id", "type": "int64"}], "timestamp_key": "ts",
           "features": [{"name": "a", "type": "double"}, {"name": "n", "type": "int64"}]}],
         "feature_vectors": [{"name": "v", "features": ["cs.a", "cs.n"]}],
         "graph": {"kind": "router", "class_name": "EnrichmentModelRouter",
           "class_args": {"feature_vector_uri": "proj/v:latest", "on_missing": "\(onMissing)"},
           "routes": {"m": {"class_name": "LinearModel",
                            "class_args": {"model_path": "lin.json", "input_datatype": "FP64"}}}}}
        """
    }

    /// Serves the router over a fresh store holding customer 1; `body` gets the port.
    private func withServer(onMissing: String, _ body: (Int) throws -> Void) throws {
        let writeModel: (inout ServeConfiguration, URL) throws -> Void = { _, directory in
            try #"{"weights": [1.0, 10.0], "bias": 0}"#.write(
                toFile: directory.appendingPathComponent("lin.json").path, atomically: true, encoding: .utf8)
        }
        try ServiceServer.with(service: Self.service(onMissing: onMissing), loops: 1, configure: writeModel) {
            port, _ in
            let push = try Curl.postJSON(
                port, "/push", #"{"push_source_name": "cs", "df": {"customer_id": [1], "a": [2.5], "n": [3]}}"#)
            #expect(push.status == 200, "\(push.body)")
            try body(port)
        }
    }

    @Test func replacesEntityRowsByTheirVectorsBeforeTheModel() throws {
        try withServer(onMissing: "null") { port in
            let result = try Curl.postJSON(port, "/v2/models/m/infer", #"{"inputs": [{"customer_id": 1}]}"#)
            #expect(result.status == 200, "\(result.body)")
            #expect(try JSONParser.parse(result.body)["outputs"] == [32.5])
        }
    }

    @Test func missingEntityKeyIs400NamingTheRow() throws {
        try withServer(onMissing: "null") { port in
            let result = try Curl.postJSON(port, "/v2/models/m/infer", #"{"inputs": [{"id": 1}]}"#)
            #expect(result.status == 400)
            #expect(result.body.contains("inputs[0].customer_id: missing entity key"))
        }
    }

    @Test func onMissingErrorFailsAnUnknownEntityWith404() throws {
        try withServer(onMissing: "error") { port in
            let result = try Curl.postJSON(
                port, "/v2/models/m/infer", #"{"inputs": [{"customer_id": 1}, {"customer_id": 9}]}"#)
            #expect(result.status == 404)
            #expect(result.body.contains("inputs[1]"))
        }
    }
}
