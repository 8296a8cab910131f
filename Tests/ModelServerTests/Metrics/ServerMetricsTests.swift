import Dispatch
import Testing

@testable import ModelServer
@testable import ServingGraph

/// Waits in predict until the test signals `release` (a blocking model: its answer is deferred).
private final class HeldModel: V2ModelServer {
    static let entered = DispatchSemaphore(value: 0)
    static let release = DispatchSemaphore(value: 0)

    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        Self.entered.signal()
        Self.release.wait()
        return [Tensor(name: "y", shape: [1], integers: [1])]
    }
}

/// `GET /metrics`: requests by route and status, in flight, connections, per-step latency and errors,
/// branch failures, summed over every loop.
struct ServerMetricsTests {
    private static let modelPath = ServingHarness.path("examples/graphs/fraud-logreg.json")

    /// The preprocess-model flow plus a branch (`strict`) that fails unless the body has `score`.
    private static let flow = """
        {"kind": "flow", "steps": {
          "standardize": {"class_name": "Compute",
                          "class_args": {"expressions": {"a": "amount / 10", "b": "age / 10"}}},
          "tensor": {"class_name": "ToTensor", "after": ["standardize"],
                     "class_args": {"fields": ["a", "b", "a", "b"], "name": "x", "datatype": "FP64"}},
          "fraud": {"class_name": "LogisticRegressionModel", "after": ["tensor"], "responder": true,
                    "class_args": {"model_path": "\(modelPath)", "input_datatype": "FP64"}},
          "strict": {"class_name": "ToTensor", "after": ["standardize"], "class_args": {"fields": ["score"]}}}}
        """

    private func scrape(_ port: Int) throws -> Set<String> {
        let client = try HTTPTestClient(port: port)
        try client.send("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        return Set(response.bodyText.split(separator: "\n").map(String.init))
    }

    @Test func countsRequestsByRouteAndStatusAndStepsAcrossLoops() throws {
        try ServingHarness.withServer(graphJSON: Self.flow, loops: 2) { port, _ in
            let good = #"{"amount": 120, "age": 35}"#
            #expect(try ServingHarness.post(port, "/v2/models/fraud/infer", good).0 == 200)
            #expect(try ServingHarness.post(port, "/predict", good).0 == 200)
            #expect(try ServingHarness.post(port, "/", #"{"amount": 120}"#).0 == 400)
            #expect(try ServingHarness.post(port, "/metrics", "{}").0 == 405)
            let lines = try scrape(port)
            for expected in [
                #"serve_http_requests_total{route="graph",status="200"} 2"#,
                #"serve_http_requests_total{route="graph",status="400"} 1"#,
                #"serve_http_requests_total{route="unmatched",status="405"} 1"#,
                "serve_http_requests_in_flight 1",  // the scrape itself
                #"serve_step_seconds_count{step="standardize"} 3"#,
                #"serve_step_seconds_bucket{step="standardize",le="+Inf"} 3"#,
                #"serve_step_seconds_count{step="fraud"} 2"#,
                #"serve_step_errors_total{step="tensor"} 1"#,
                #"serve_step_errors_total{step="fraud"} 0"#,
                #"serve_step_errors_total{step="strict"} 3"#,
                "serve_graph_branch_failures_total 3",
                #"serve_model_requests_total{model="fraud",outcome="success"} 2"#,
            ] {
                #expect(lines.contains(expected), "\(expected)")
            }
            let open = lines.first { $0.hasPrefix("serve_http_connections_open ") }
            #expect(open.flatMap { Int($0.split(separator: " ")[1]) }.map { $0 >= 1 } == true)
            let accepted = lines.filter { $0.hasPrefix("serve_http_connections_accepted_total{loop=") }
            #expect(accepted.count == 2)
        }
    }

    @Test func aDeferredAnswerIsInFlightUntilItCompletesAndThenCountedWithItsStatus() throws {
        var registry = StepRegistry.serving()
        registry.registerModel("HeldModel") { name, args in HeldModel(name: name, classArgs: args) }
        let graph = ServingHarness.router(#"{"held": {"class_name": "HeldModel", "class_args": {"blocking": true}}}"#)
        try ServingHarness.withServer(graphJSON: graph, registry: registry, loops: 1) { port, _ in
            let body = #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}"#
            let held = try HTTPTestClient(port: port)
            try held.send(
                "POST /v2/models/held/infer HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            HeldModel.entered.wait()
            let during = try scrape(port)
            #expect(during.contains("serve_http_requests_in_flight 2"))
            #expect(!during.contains { $0.hasPrefix(#"serve_http_requests_total{route="graph""#) })
            HeldModel.release.signal()
            #expect(try held.readResponse().status == 200)
            let after = try scrape(port)
            #expect(after.contains("serve_http_requests_in_flight 1"))
            #expect(after.contains(#"serve_http_requests_total{route="graph",status="200"} 1"#))
        }
    }

    @Test func snapshotsOfTwoLoopsMergeStepByStep() {
        var first = GraphMetrics.Snapshot(
            steps: [GraphMetrics.StepSnapshot(name: "a", runs: 2, failures: 1, totalNanoseconds: 10)],
            branchFailures: 1)
        var other = GraphMetrics.StepSnapshot(name: "a", runs: 3, failures: 0, totalNanoseconds: 5)
        other.buckets[0] = 3
        first.merge(GraphMetrics.Snapshot(steps: [other, GraphMetrics.StepSnapshot(name: "b")], branchFailures: 2))
        #expect(first.steps.map(\.name) == ["a", "b"])
        #expect(first.steps[0].runs == 5)
        #expect(first.steps[0].failures == 1)
        #expect(first.steps[0].totalNanoseconds == 15)
        #expect(first.steps[0].buckets[0] == 3)
        #expect(first.branchFailures == 3)
    }

    @Test(arguments: [(UInt64(0), 0), (1_000, 0), (1_001, 1), (5_000, 1), (30_000, 4), (11_000_000_000, 21)])
    func aDurationLandsInTheFirstBucketThatHoldsIt(nanoseconds: UInt64, bucket: Int) {
        #expect(GraphMetrics.bucket(of: nanoseconds) == bucket)
    }
}
