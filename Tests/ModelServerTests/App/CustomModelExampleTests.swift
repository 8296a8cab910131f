import Testing

@testable import ModelServer
@testable import ServingGraph

/// `examples/custom-model`: the user subclass (compiled here through a symlink) served from its graph file.
@Suite(.serialized)
struct CustomModelExampleTests {
    @Test func userSubclassIsServedFromItsGraphFile() throws {
        var registry = StepRegistry.serving()
        registry.registerThresholdModel()
        try ServingHarness.withServer(
            graphPath: ServingHarness.path("examples/custom-model/graph.json"), registry: registry
        ) { port, _ in
            let (status, answer) = try ServingHarness.post(
                port, "/v2/models/threshold/infer",
                #"{"inputs":[{"name":"x","shape":[2,2],"datatype":"FP64","data":[[1,2],[0,1]]}]}"#)
            #expect(status == 200)
            #expect(answer["outputs"] == [["name": "flag", "datatype": "INT64", "shape": [2], "data": [1, 0]]])
            let (_, metadata) = try ServingHarness.get(port, "/v2/models/threshold")
            #expect(metadata["outputs"] == [["name": "flag", "datatype": "INT64", "shape": [-1]]])
        }
    }
}
