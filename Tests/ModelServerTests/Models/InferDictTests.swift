import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// Answers what `predict` received: the MLRun rows tensor as is, or the raw `inputs` JSON when the
/// rows were not lists of numbers.
private final class RowEchoModel: V2ModelServer {
    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        guard let rows = request.inputs.first else {
            return [Tensor(name: "raw", shape: [1], strings: [JSONWriter.string(request.body["inputs"] ?? .null)])]
        }
        return [Tensor(name: "rows", shape: rows.shape, doubles: try rows.doubles())]
    }
}

/// A Swift model declaring its feature names by overriding ``V2ModelServer/featureNames``.
private final class DeclaredFeaturesModel: V2ModelServer {
    override var featureNames: [String]? { ["y", "x"] }

    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        let rows = try request.input("inputs")
        return [Tensor(name: "rows", shape: rows.shape, doubles: try rows.doubles())]
    }
}

/// MLRun's `infer_dict` / `predict_dict` (reference/mlrun.md §1.4) over HTTP: object rows are ordered
/// by the model's feature names before predict; plain `infer` never converts.
@Suite(.serialized)
struct InferDictTests {
    private func registry() -> StepRegistry {
        var registry = StepRegistry.serving()
        registry.registerModel("RowEcho") { name, args in RowEchoModel(name: name, classArgs: args) }
        registry.registerModel("Declared") { name, args in DeclaredFeaturesModel(name: name, classArgs: args) }
        return registry
    }

    private func withServer(_ body: (Int) throws -> Void) throws {
        try ServiceServer.withDirectory { directory in
            let file = directory.appendingPathComponent("linear.json").path
            try #"{"weights": [1, 10, 100], "bias": 0, "feature_names": ["a", "b", "c"]}"#.write(
                toFile: file, atomically: true, encoding: .utf8)
            let graph = ServingHarness.router(
                """
                {"echo": {"class_name": "RowEcho", "class_args": {"feature_names": ["a", "b", "c"]}},
                 "bare": {"class_name": "RowEcho"},
                 "declared": {"class_name": "Declared"},
                 "linear": {"class_name": "LinearModel",
                            "class_args": {"model_path": "\(file)", "input_datatype": "FP64"}}}
                """)
            try ServingHarness.withServer(graphJSON: graph, registry: registry(), loops: 1) { port, _ in try body(port)
            }
        }
    }

    @Test func objectRowsBecomeListsOrderedByFeatureNamesAndExtraKeysAreIgnored() throws {
        try withServer { port in
            let (status, answer) = try ServingHarness.post(
                port, "/v2/models/echo/infer_dict",
                #"{"id": "d1", "inputs": [{"c": 3, "a": 1, "b": 2}, {"b": 5, "extra": 9, "c": 6, "a": 4}]}"#)
            #expect(status == 200)
            #expect(answer["outputs"] == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
            #expect(answer["id"] == "d1")
            #expect(answer["model_name"] == "echo")
        }
    }

    @Test func aSingleObjectBecomesOneListWithPredictDict() throws {
        try withServer { port in
            let (status, answer) = try ServingHarness.post(
                port, "/v2/models/echo/predict_dict", #"{"inputs": {"b": 20, "c": 30, "a": 10}}"#)
            #expect(status == 200)
            #expect(answer["outputs"] == [10.0, 20.0, 30.0])
        }
    }

    @Test func builtInModelReadsFeatureNamesFromItsModelFile() throws {
        try withServer { port in
            // weights [1, 10, 100] over (a, b, c): 1·1 + 10·2 + 100·3 and 1·4 + 10·0 + 100·0.5.
            let (status, answer) = try ServingHarness.post(
                port, "/v2/models/linear/infer_dict",
                #"{"inputs": [{"c": 3, "b": 2, "a": 1}, {"a": 4, "b": 0, "c": 0.5}]}"#)
            #expect(status == 200)
            #expect(answer["outputs"] == [321.0, 54.0])
        }
    }

    @Test func aSwiftModelDeclaresFeatureNamesByOverriding() throws {
        try withServer { port in
            let (status, answer) = try ServingHarness.post(
                port, "/v2/models/declared/infer_dict", #"{"inputs": [{"x": 1, "y": 2}]}"#)
            #expect(status == 200)
            #expect(answer["outputs"] == [[2.0, 1.0]])
        }
    }

    @Test func theBodyOperationSelectsInferDictOnTheRootPath() throws {
        try withServer { port in
            let (status, answer) = try ServingHarness.post(
                port, "/", #"{"model": "echo", "operation": "infer_dict", "inputs": [{"a": 7, "b": 8, "c": 9}]}"#)
            #expect(status == 200)
            #expect(answer["outputs"] == [[7.0, 8.0, 9.0]])
        }
    }

    @Test func aMissingKeyIs400ListingTheExpectedKeys() throws {
        try withServer { port in
            let (status, answer) = try ServingHarness.post(
                port, "/v2/models/echo/infer_dict", #"{"inputs": [{"a": 1, "b": 2, "c": 3}, {"a": 1, "c": 3}]}"#)
            #expect(status == 400)
            #expect(answer["error"] == "infer_dict: inputs[1] has no key 'b'; expected keys: a, b, c")
        }
    }

    @Test func aModelWithoutFeatureNamesAnswers400SayingSo() throws {
        try withServer { port in
            let (status, answer) = try ServingHarness.post(
                port, "/v2/models/bare/infer_dict", #"{"inputs": [{"a": 1}]}"#)
            #expect(status == 400)
            let message = answer["error"]?.stringValue ?? ""
            #expect(message.contains("model 'bare' declares no input feature names"))
        }
    }

    @Test(arguments: [#"{"inputs": [[1, 2, 3]]}"#, #"{"inputs": 5}"#, #"{"rows": []}"#])
    func inputsThatAreNotObjectsAre400(body: String) throws {
        try withServer { port in
            let (status, answer) = try ServingHarness.post(port, "/v2/models/echo/infer_dict", body)
            #expect(status == 400)
            #expect(answer["error"]?.stringValue?.isEmpty == false)
        }
    }

    @Test func plainInferNeverConvertsDictRows() throws {
        try withServer { port in
            let (status, answer) = try ServingHarness.post(
                port, "/v2/models/echo/infer", #"{"inputs": [{"c": 3, "a": 1, "b": 2}]}"#)
            #expect(status == 200)
            #expect(answer["outputs"] == [#"[{"c":3,"a":1,"b":2}]"#])
        }
    }
}
