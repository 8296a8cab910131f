import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// Flow graphs over HTTP as MLRun serves them: the event path is the URL path, the body the request
/// JSON; models and routers sit anywhere in the flow.
struct FlowServingTests {
    private static let modelPath = ServingHarness.path("examples/graphs/fraud-logreg.json")

    /// Preprocessing, a router over two models in the middle of the flow, then a responder after it.
    private static let routerInFlow = """
        {"kind": "flow", "steps": {
          "tensor": {"class_name": "ToTensor",
                     "class_args": {"fields": ["a", "b", "c", "d"], "name": "x", "datatype": "FP64"}},
          "models": {"kind": "router", "class_name": "ModelRouter", "after": ["tensor"],
                     "routes": {"fraud": {"class_name": "LogisticRegressionModel",
                                          "class_args": {"model_path": "\(modelPath)", "input_datatype": "FP64"}},
                                "score": {"class_name": "LinearModel",
                                          "class_args": {"model_path": "\(modelPath)", "input_datatype": "FP64"}}}},
          "answer": {"class_name": "Select", "after": ["models"], "responder": true,
                     "class_args": {"fields": ["model_name", "outputs"]}}}}
        """

    /// The first number of the first output tensor.
    private static func firstOutput(_ answer: Value) -> Double? {
        answer["outputs"]?.arrayValue?.first?["data"]?.arrayValue?.first?.doubleValue
    }

    @Test func routerInsideAFlowPicksTheModelFromTheURLAndTheResponderShapesTheAnswer() throws {
        try ServingHarness.withServer(graphJSON: Self.routerInFlow) { port, _ in
            let body = #"{"a": 1, "b": 2, "c": 3, "d": 4}"#
            let (status, fraud) = try ServingHarness.post(port, "/v2/models/fraud/infer", body)
            #expect(status == 200)
            #expect(fraud["model_name"] == "fraud")
            #expect(fraud["id"] == nil)  // the responder selected two fields
            let probability = Self.firstOutput(fraud) ?? 0
            #expect(abs(probability - 1 / (1 + exp(-(0.8 - 1.0 + 3.6 + 1.2 - 0.1)))) < 1e-9)
            let (linearStatus, linear) = try ServingHarness.post(port, "/v2/models/score/infer", body)
            #expect(linearStatus == 200)
            #expect(Self.firstOutput(linear).map { abs($0 - 4.5) < 1e-9 } == true)
            #expect(try ServingHarness.post(port, "/v2/models/other/infer", body).0 == 404)
        }
    }

    @Test func aFlowAnswersAnyPathAndTheModelSeesTheOperationInIt() throws {
        try ServingHarness.withServer(graphPath: ServingHarness.path("examples/graphs/preprocess-model.json")) {
            port, _ in
            let body = #"{"amount": 120, "age": 35, "velocity": 3}"#
            for path in ["/", "/predict", "/infer", "/v2/models/fraud/infer", "/v2/models/fraud/versions/1/infer"] {
                let (status, answer) = try ServingHarness.post(port, path, body)
                #expect(status == 200, "\(path)")
                #expect(answer["model_name"] == "fraud", "\(path)")
            }
            let (status, answer) = try ServingHarness.post(port, "/v2/models/fraud/unknown-op", body)
            #expect(status == 400)
            #expect(answer["error"]?.stringValue?.contains("unknown-op") == true)
            #expect(try ServingHarness.get(port, "/v2/health/ready").0 == 200)
        }
    }

    @Test func errorHandlerAnswersFailedEventsWith200AndTheNextRequestIsUnaffected() throws {
        try ServingHarness.withServer(graphPath: ServingHarness.path("examples/graphs/error-handler.json")) {
            port, _ in
            let (failedStatus, failed) = try ServingHarness.post(port, "/", #"{"amount": 120}"#)
            #expect(failedStatus == 200)
            #expect(failed["step"] == "tensor")
            #expect(failed["decision"] == "review")
            #expect(failed["error"]?.stringValue?.contains("age_z") == true)
            let (status, answer) = try ServingHarness.post(
                port, "/", #"{"amount": 120, "age": 35, "velocity": 3, "distance_km": 4}"#)
            #expect(status == 200)
            #expect(answer["model_name"] == "fraud")
        }
    }
}
