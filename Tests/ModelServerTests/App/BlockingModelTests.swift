import Dispatch
import Foundation
import Synchronization
import Testing

@testable import ModelServer
@testable import ServingGraph

/// Blocks in predict until the test releases it.
private final class GatedModel: V2ModelServer {
    static let gates = GateRegistry()

    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        let gate = Self.gates.gate(for: modelName)
        gate.entered.signal()
        gate.release.wait()
        return [Tensor(name: "done", shape: [1], integers: [1])]
    }
}

/// Blocks in load until the test releases it.
private final class SlowLoadModel: V2ModelServer {
    override func load() throws -> (any Sendable)? {
        GatedModel.gates.gate(for: modelName).release.wait()
        return 1
    }

    override func predict(_ request: InferenceRequest) throws -> [Tensor] {
        [Tensor(name: "y", shape: [1], integers: [try loadedModel(as: Int.self) == 1 ? 1 : 0])]
    }
}

/// One pair of semaphores per model name.
final class GateRegistry: Sendable {
    struct Gate: Sendable {
        let entered = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
    }

    private let gates = Mutex<[String: Gate]>([:])

    func gate(for name: String) -> Gate {
        gates.withLock { gates in
            if let gate = gates[name] { return gate }
            let gate = Gate()
            gates[name] = gate
            return gate
        }
    }
}

/// Blocking models run off the event loop with a deadline; background loading answers 503 until done.
@Suite(.serialized)
struct BlockingModelTests {
    private func registry() -> StepRegistry {
        var registry = StepRegistry.serving()
        registry.registerModel("GatedModel") { name, args in GatedModel(name: name, classArgs: args) }
        registry.registerModel("SlowLoadModel") { name, args in SlowLoadModel(name: name, classArgs: args) }
        return registry
    }

    private let request = #"{"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1]}]}"#

    @Test func slowPredictDoesNotStallTheLoopsOtherConnections() throws {
        let graph = ServingHarness.router(
            #"{"gated-a": {"class_name": "GatedModel", "class_args": {"blocking": true}}}"#)
        try ServingHarness.withServer(graphJSON: graph, registry: registry(), loops: 1) { port, _ in
            let gate = GatedModel.gates.gate(for: "gated-a")
            let slow = try HTTPTestClient(port: port)
            try slow.send(
                "POST /v2/models/gated-a/infer HTTP/1.1\r\nHost: x\r\nContent-Length: \(request.utf8.count)\r\n\r\n\(request)"
            )
            gate.entered.wait()  // predict is running and blocked
            let other = try HTTPTestClient(port: port)
            try other.send("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(try other.readResponse().status == 200)  // answered by the same (only) loop
            gate.release.signal()
            let answer = try slow.readResponse()
            #expect(answer.status == 200)
            #expect(try JSONParser.parse(answer.body)["outputs"]?.arrayValue?.first?["data"] == [1])
        }
    }

    @Test func requestPastItsDeadlineAnswers504() throws {
        let graph = ServingHarness.router(
            #"{"gated-b": {"class_name": "GatedModel", "class_args": {"blocking": true, "timeout": 0.05}}}"#)
        try ServingHarness.withServer(graphJSON: graph, registry: registry(), loops: 1) { port, _ in
            let gate = GatedModel.gates.gate(for: "gated-b")
            let (status, answer) = try ServingHarness.post(port, "/v2/models/gated-b/infer", request)
            gate.release.signal()
            #expect(status == 504)
            #expect(answer["error"]?.stringValue?.contains("no answer within") == true)
        }
    }

    @Test func backgroundLoadAnswers503UntilTheModelHasLoaded() throws {
        let graph = ServingHarness.router(#"{"slow-load": {"class_name": "SlowLoadModel"}}"#)
        try ServingHarness.withServer(graphJSON: graph, registry: registry(), loadInBackground: true) { port, app in
            #expect(try ServingHarness.get(port, "/v2/health/ready").0 == 503)
            #expect(try ServingHarness.get(port, "/v2/models/slow-load/ready").0 == 503)
            let (status, answer) = try ServingHarness.post(port, "/v2/models/slow-load/infer", request)
            #expect(status == 503)
            #expect(answer["error"]?.stringValue?.contains("not ready") == true)
            GatedModel.gates.gate(for: "slow-load").release.signal()
            while !(app.models.first?.state.isReady ?? false) { usleep(1000) }
            #expect(try ServingHarness.get(port, "/v2/health/ready").0 == 200)
            #expect(try ServingHarness.post(port, "/v2/models/slow-load/infer", request).0 == 200)
        }
    }
}
