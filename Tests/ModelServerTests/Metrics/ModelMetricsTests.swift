import Testing

@testable import ModelServer
@testable import ServingGraph

/// Per-model counts and stage histograms, and their Prometheus exposition.
struct ModelMetricsTests {
    @Test func stageTimesLandInCumulativeBuckets() {
        let metrics = ModelMetrics()
        metrics.record(.success, stages: .init(preprocess: 3_000, predict: 70_000, postprocess: 2_000_000_000))
        metrics.record(.clientError, stages: .init(preprocess: 20_000))
        let pre = metrics.histogram(.preprocess)
        #expect(pre.count == 2)
        #expect(pre.cumulative[0] == 1)  // 3 µs <= 5 µs
        #expect(pre.cumulative[2] == 2)  // 20 µs <= 25 µs
        #expect(abs(pre.sumSeconds - 0.000_023) < 1e-12)
        #expect(metrics.histogram(.predict).count == 1)
        #expect(metrics.histogram(.postprocess).cumulative[16] == 0)  // 2 s > 1 s
        #expect(metrics.histogram(.postprocess).cumulative[17] == 1)  // 2 s <= 2.5 s
        #expect(metrics.count(.success) == 1)
        #expect(metrics.count(.clientError) == 1)
        #expect(metrics.count(.serverError) == 0)
    }

    @Test func metricsEndpointCountsOutcomesAndStagesPerModel() throws {
        try ServingHarness.withServer(graphPath: ServingHarness.path("examples/interop/graph.json")) { port, _ in
            let good = #"{"inputs":[{"name":"x","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]}]}"#
            #expect(try ServingHarness.post(port, "/v2/models/fraud/infer", good).0 == 200)
            #expect(try ServingHarness.post(port, "/v2/models/fraud/infer", good).0 == 200)
            #expect(try ServingHarness.post(port, "/v2/models/fraud/infer", #"{"id":"1"}"#).0 == 400)
            let client = try HTTPTestClient(port: port)
            try client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/plain; version=0.0.4")
            let lines = Set(response.bodyText.split(separator: "\n").map(String.init))
            #expect(lines.contains(#"serve_model_ready{model="fraud"} 1"#))
            #expect(lines.contains(#"serve_model_requests_total{model="fraud",outcome="success"} 2"#))
            #expect(lines.contains(#"serve_model_requests_total{model="fraud",outcome="client_error"} 1"#))
            #expect(lines.contains(#"serve_model_stage_seconds_count{model="fraud",stage="predict"} 2"#))
            #expect(lines.contains(#"serve_model_stage_seconds_bucket{model="fraud",stage="predict",le="+Inf"} 2"#))
        }
    }
}
