import Synchronization
import Testing

@testable import ModelServer
@testable import ServingGraph

/// A model recording the order its hooks ran in, adding `offset` to every element.
private final class RecordingModel: V2ModelServer {
    var calls: [String] = []

    override var inputs: [TensorMetadata] { [TensorMetadata(name: "x", datatype: .fp64, shape: [-1])] }

    override func load() throws -> (any Sendable)? {
        calls.append("load")
        return 10.0
    }

    override func preprocess(_ request: InferenceRequest) throws -> InferenceRequest {
        calls.append("preprocess")
        return request
    }

    override func validate(_ request: InferenceRequest) throws {
        calls.append("validate")
        try super.validate(request)
    }

    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        calls.append("predict")
        let offset = try loadedModel(as: Double.self)
        let x = try request.input("x").doubles()
        return [Tensor(name: "y", shape: [x.count], doubles: x.map { $0 + offset })]
    }

    override func explain(_ request: InferenceRequest) throws -> [Tensor] {
        calls.append("explain")
        return [Tensor(name: "why", shape: [1], strings: ["offset"])]
    }

    override func postprocess(_ response: InferenceResponse) throws -> InferenceResponse {
        calls.append("postprocess")
        var changed = response
        changed.parameters["post"] = true
        return changed
    }

    override func operation(_ name: String, body: Value, event: Event) throws -> Value {
        if name == "echo" { return ["echo": body["value"] ?? .null] }
        return try super.operation(name, body: body, event: event)
    }
}

/// A model whose hooks fail in the ways a real model can.
private final class FailingModel: V2ModelServer {
    struct Bug: Error, CustomStringConvertible {
        var description: String { "index out of range in feature 3" }
    }

    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        switch request.parameters["fail"]?.stringValue {
        case "bug": throw Bug()
        case "input": throw ServingError.invalidInput("feature 'amount' must be positive")
        default: return []
        }
    }
}

/// A model whose load fails.
private final class BrokenLoadModel: V2ModelServer {
    override func load() throws -> (any Sendable)? {
        throw ModelFileError.unreadable(path: "/nowhere/model.json", reason: "no such file")
    }
}

/// Counts loads across instances.
private final class CountingModel: V2ModelServer {
    static let loads = Atomic<Int>(0)
    override func load() throws -> (any Sendable)? {
        Self.loads.add(1, ordering: .relaxed)
        return "weights"
    }
    override func predict(_ request: InferenceRequest) throws -> [Tensor] { [] }
}

/// The V2ModelServer contract: hook order, response formats, custom operations, errors, shared load.
struct V2ModelServerTests {
    private let oip = #"{"id":"req-1","inputs":[{"name":"x","shape":[2],"datatype":"FP64","data":[1,2]}]}"#

    @Test func runsHooksInMLRunsOrderAndAnswersOpenInferenceTensors() throws {
        let model = RecordingModel(name: "adder", version: "3")
        let response = try GraphTester(graph: Graph.flow().adding(model)).test(
            path: "/v2/models/adder/versions/3/infer", body: try JSONParser.parse(oip))
        #expect(model.calls == ["load", "preprocess", "validate", "predict", "postprocess"])
        #expect(response["model_name"] == "adder")
        #expect(response["model_version"] == "3")
        #expect(response["id"] == "req-1")
        #expect(response["parameters"] == ["post": true])
        #expect(response["outputs"] == [["name": "y", "datatype": "FP64", "shape": [2], "data": [11.0, 12.0]]])
    }

    @Test func answersMLRunRowsInMLRunsShapeWithTimestampAndVersion() throws {
        let model = RecordingModel(name: "adder:v2", classArgs: ["x": 1])
        let event = Event(body: try JSONParser.parse(#"{"id":"m1","inputs":[1,2,3]}"#), path: "infer", receivedAt: 0)
        let response = try model.run(event).body
        #expect(response.objectValue?.keys == ["id", "model_name", "outputs", "timestamp", "model_version"])
        #expect(response["id"] == "m1")
        #expect(response["model_name"] == "adder")
        #expect(response["model_version"] == "v2")
        #expect(response["outputs"] == [11.0, 12.0, 13.0])
        #expect(response["timestamp"] == "1970-01-01 00:00:00.000000+00:00")
    }

    @Test func explainRunsInsteadOfPredictAndMLRunsAnswerHasNoTimestamp() throws {
        let model = RecordingModel(name: "adder")
        let response = try model.run(Event(body: try JSONParser.parse(#"{"id":"x","inputs":[1]}"#), path: "explain"))
            .body
        #expect(model.calls == ["load", "preprocess", "validate", "explain", "postprocess"])
        #expect(response == ["id": "x", "model_name": "adder", "outputs": ["offset"]])
    }

    @Test func explainIsNotImplementedByDefault() throws {
        let model = FailingModel(name: "plain")
        #expect(throws: ServingError.unsupported("model 'plain' does not implement explain")) {
            try model.run(Event(body: ["inputs": []], path: "explain"))
        }
    }

    @Test func customOperationReturnsItsBodyAsIs() throws {
        let model = RecordingModel(name: "adder")
        let response = try model.run(Event(body: ["value": 7], path: "echo")).body
        #expect(response == ["echo": 7])
        #expect(!model.calls.contains("postprocess"))
    }

    @Test func unknownOperationIsAClientError() {
        let model = RecordingModel(name: "adder")
        #expect(throws: ServingError.invalidInput("illegal model operation nope, method=POST")) {
            try model.run(Event(body: [:], path: "nope"))
        }
    }

    @Test func registeredOperationIsCalledByName() throws {
        let model = FailingModel(name: "ops")
        model.operations["stats"] = { _, _ in ["requests": 3] }
        #expect(try model.run(Event(body: [:], path: "stats")).body == ["requests": 3])
    }

    @Test func declaredInputShapeIsValidatedWith400Message() {
        let model = RecordingModel(name: "adder")
        let body = try? JSONParser.parse(#"{"inputs":[{"name":"x","shape":[1,2],"datatype":"FP64","data":[1,2]}]}"#)
        #expect(throws: ServingError.invalidInput("input 'x': shape [1, 2] does not match declared [-1]")) {
            try model.run(Event(body: body ?? .null, path: "infer"))
        }
    }

    @Test func bytesInputForNumericDeclarationIs400() {
        let model = RecordingModel(name: "adder")
        let body = try? JSONParser.parse(#"{"inputs":[{"name":"x","shape":[1],"datatype":"BYTES","data":["a"]}]}"#)
        #expect(throws: ServingError.invalidInput("input 'x': datatype BYTES does not match declared FP64")) {
            try model.run(Event(body: body ?? .null, path: "infer"))
        }
    }

    @Test func bugInPredictBecomesHookErrorNamingModelAndHook() throws {
        let model = FailingModel(name: "flaky")
        let event = Event(body: try JSONParser.parse(#"{"inputs":[],"parameters":{"fail":"bug"}}"#), path: "infer")
        do {
            _ = try model.run(event)
            Issue.record("no error")
        } catch let error as ModelHookError {
            #expect(error.description == "model 'flaky' failed in predict: index out of range in feature 3")
            #expect(ErrorResponse.status(for: error) == .internalServerError)
        }
    }

    @Test func servingErrorFromPredictKeepsItsStatus() throws {
        let model = FailingModel(name: "flaky")
        let event = Event(body: try JSONParser.parse(#"{"inputs":[],"parameters":{"fail":"input"}}"#), path: "infer")
        #expect(throws: ServingError.invalidInput("feature 'amount' must be positive")) { try model.run(event) }
    }

    @Test func failedLoadAnswers503NamingTheLoadError() {
        let model = BrokenLoadModel(name: "broken")
        do {
            _ = try model.run(Event(body: ["inputs": []], path: "infer"))
            Issue.record("no error")
        } catch {
            #expect(ErrorResponse.status(for: error) == .serviceUnavailable)
            #expect("\(error)".contains("cannot read model file '/nowhere/model.json'"))
        }
        #expect(model.state.description.hasPrefix("failed: model 'broken' failed in load"))
    }

    @Test func instancesSharingACatalogLoadOnceAndShareTheModel() throws {
        let catalog = ModelCatalog()
        let before = CountingModel.loads.load(ordering: .relaxed)
        let instances = ModelCatalog.$current.withValue(catalog) {
            (0..<4).map { _ in CountingModel(name: "shared-\(before)") }
        }
        #expect(catalog.keys == ["shared-\(before)"])
        #expect(!catalog.allReady)
        #expect(catalog.loadAll().isEmpty)
        #expect(catalog.allReady)
        for instance in instances { #expect(try instance.loadedModel(as: String.self) == "weights") }
        #expect(CountingModel.loads.load(ordering: .relaxed) == before + 1)
    }

    @Test func aServerOwnedModelNotYetLoadedAnswers503WithoutLoadingOnTheRequestThread() throws {
        // Before the fix, the first request of a background-loading server ran load() on its event loop.
        let catalog = ModelCatalog(loadsOnFirstUse: false)
        let before = CountingModel.loads.load(ordering: .relaxed)
        let model = ModelCatalog.$current.withValue(catalog) { CountingModel(name: "background-\(before)") }
        do {
            _ = try model.run(Event(body: ["inputs": [[1.0]]], path: "infer"))
            Issue.record("no error")
        } catch {
            #expect(ErrorResponse.status(for: error) == .serviceUnavailable)
        }
        #expect(CountingModel.loads.load(ordering: .relaxed) == before)
        #expect(catalog.loadAll().isEmpty)
        #expect(CountingModel.loads.load(ordering: .relaxed) == before + 1)
    }

    @Test func twoClassesUnderOneNameKeepSeparateModels() throws {
        let catalog = ModelCatalog()
        let (adder, counter) = ModelCatalog.$current.withValue(catalog) {
            (RecordingModel(name: "same"), CountingModel(name: "same"))
        }
        #expect(catalog.loadAll().isEmpty)
        #expect(try adder.loadedModel(as: Double.self) == 10)
        #expect(try counter.loadedModel(as: String.self) == "weights")
    }

    @Test func metadataListsDeclaredTensorsAndVersion() throws {
        let model = RecordingModel(name: "adder:7")
        let metadata = try model.run(Event(path: "", method: "GET")).body
        #expect(metadata["name"] == "adder")
        #expect(metadata["versions"] == ["7"])
        #expect(metadata["platform"] == "swift")
        #expect(metadata["inputs"] == [["name": "x", "datatype": "FP64", "shape": [-1]]])
    }
}

extension Graph {
    /// The flow with `step` added as a start step.
    fileprivate func adding(_ step: any Step) -> Graph {
        to(step)
        return self
    }
}
