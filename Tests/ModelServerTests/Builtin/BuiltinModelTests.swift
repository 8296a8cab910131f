import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// Linear and logistic models from JSON model files in a temporary directory.
struct BuiltinModelTests {
    private func modelFile(_ json: String) throws -> String {
        let path = NSTemporaryDirectory() + "model-\(UInt64.random(in: 0...UInt64.max)).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func infer(_ model: V2ModelServer, _ body: String) throws -> Value {
        try model.run(Event(body: try JSONParser.parse(body), path: "infer")).body
    }

    @Test func binaryLogisticRegressionGivesSigmoidProbabilitiesAndLabels() throws {
        let path = try modelFile(#"{"weights":[0.8,-0.5,1.2,0.3],"bias":-0.1,"classes":["ok","fraud"]}"#)
        let model = LogisticRegressionModel(
            name: "fraud", classArgs: ["model_path": .string(path), "input_datatype": "FP64"])
        let answer = try infer(
            model, #"{"inputs":[{"name":"x","shape":[2,4],"datatype":"FP64","data":[[1,2,3,4],[-3,3,-3,0]]}]}"#)
        let outputs = answer["outputs"]?.arrayValue ?? []
        let probabilities = outputs.first?["data"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        let expected = [1, 2, 3, 4.0].enumerated().reduce(-0.1) { $0 + [0.8, -0.5, 1.2, 0.3][$1.offset] * $1.element }
        #expect(abs(probabilities[0] - 1 / (1 + exp(-expected))) < 1e-12)
        #expect(abs(probabilities[0] - 0.98901306) < 1e-8)
        #expect(outputs.last?["name"] == "label")
        #expect(outputs.last?["data"] == ["fraud", "ok"])
    }

    @Test func multiClassLogisticRegressionGivesSoftmaxRowsAndArgmaxLabels() throws {
        let path = try modelFile(#"{"weights":[[1,0],[0,1],[-1,-1]],"bias":[0,0,0],"classes":[10,20,30]}"#)
        let model = LogisticRegressionModel(name: "iris", classArgs: ["model_path": .string(path)])
        let answer = try infer(model, #"{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP64","data":[2,0]}]}"#)
        let probabilities = answer["outputs"]?.arrayValue?[0]["data"]?.arrayValue?.compactMap(\.doubleValue) ?? []
        let scores = [2.0, 0, -2]
        let total = scores.map { exp($0) }.reduce(0, +)
        #expect(probabilities.count == 3)
        for (p, s) in zip(probabilities, scores) { #expect(abs(p - exp(s) / total) < 1e-12) }
        #expect(answer["outputs"]?.arrayValue?[0]["shape"] == [1, 3])
        #expect(answer["outputs"]?.arrayValue?[1]["data"] == [10])
    }

    @Test func linearModelAnswersMLRunRowsAndObjectRowsByFeatureName() throws {
        let path = try modelFile(#"{"weights":[2,3],"bias":1,"feature_names":["a","b"]}"#)
        let model = LinearModel(name: "lin", classArgs: ["model_path": .string(path)])
        #expect(try infer(model, #"{"id":"1","inputs":[[1,1],[0,2]]}"#)["outputs"] == [6.0, 7.0])
        #expect(try infer(model, #"{"id":"2","inputs":[{"b":1,"a":1}]}"#)["outputs"] == [6.0])
        #expect(throws: ServingError.invalidInput("inputs[0]: missing numeric feature 'b' (expected keys: a, b)")) {
            try infer(model, #"{"inputs":[{"a":1}]}"#)
        }
    }

    @Test func wrongFeatureCountIs400NamingTheInput() throws {
        let path = try modelFile(#"{"weights":[0.8,-0.5,1.2,0.3],"bias":-0.1}"#)
        let model = LogisticRegressionModel(name: "fraud", classArgs: ["model_path": .string(path)])
        #expect(throws: ServingError.invalidInput("input 'x': shape [1, 3] does not match [-1, 4] (4 features)")) {
            try infer(model, #"{"inputs":[{"name":"x","shape":[1,3],"datatype":"FP32","data":[1,2,3]}]}"#)
        }
    }

    @Test(arguments: [
        (#"{"bias":1}"#, "weights: expected a non-empty array"),
        (#"{"weights":[[1,2],[3]]}"#, "weights: rows of different lengths"),
        (#"{"weights":[1,2],"bias":[1,2]}"#, "bias: 2 values for 1 rows of weights"),
        (#"{"weights":[1,2],"classes":["a"]}"#, "classes: 1 classes for 1 rows of weights"),
        ("not json", "is not valid JSON"),
    ])
    func badModelFileFailsTheLoadNamingFileAndKey(json: String, message: String) throws {
        let path = try modelFile(json)
        let model = LinearModel(name: "bad", classArgs: ["model_path": .string(path)])
        #expect(model.state.description == "loading")
        #expect(throws: ServingError.self) { try infer(model, #"{"inputs":[[1,2]]}"#) }
        #expect(model.state.description.contains(path))
        #expect(model.state.description.contains(message))
    }
}

/// Our XGBoost predictions against the real xgboost package's (fixtures from make-xgboost-fixtures.sh).
struct XGBoostModelTests {
    @Test(arguments: ["binary-logistic", "regression", "multiclass"])
    func predictionsMatchXGBoostWithin1e6(fixture: String) throws {
        let directory = ServingHarness.path("Tests/Fixtures/xgboost")
        let expected = try JSONParser.parse(
            Array(try Data(contentsOf: URL(fileURLWithPath: "\(directory)/\(fixture).expected.json"))))
        let rows = expected["inputs"]?.arrayValue ?? []
        let features = rows.first?.arrayValue?.count ?? 0
        let x = rows.flatMap { $0.arrayValue ?? [] }.map { Float($0.doubleValue ?? .nan) }
        let model = XGBoostModel(
            name: fixture, classArgs: ["model_path": .string("\(directory)/\(fixture).model.json")])
        let request = InferenceRequest(inputs: [Tensor(name: "x", shape: [rows.count, features], floats: x)])
        try model.ensureReady()
        let outputs = try model.predict(request)
        let got = try outputs[0].doubles()
        let want =
            expected["predictions"]?.arrayValue?.flatMap { $0.arrayValue ?? [$0] }.compactMap(\.doubleValue) ?? []
        #expect(!want.isEmpty)
        #expect(got.count == want.count)
        let worst = zip(got, want).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst <= 1e-6, "largest difference \(worst)")
    }

    @Test func metadataDeclaresFeaturesFromTheModelFile() throws {
        let path = ServingHarness.path("Tests/Fixtures/xgboost/multiclass.model.json")
        let model = XGBoostModel(name: "xgb", classArgs: ["model_path": .string(path)])
        try model.ensureReady()
        #expect(model.inputs == [TensorMetadata(name: "x", datatype: .fp32, shape: [-1, 4])])
        #expect(model.outputs == [TensorMetadata(name: "probability", datatype: .fp32, shape: [-1, 3])])
    }
}
