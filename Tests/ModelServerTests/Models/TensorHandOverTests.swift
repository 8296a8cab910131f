import Testing

@testable import ModelServer
@testable import ServingGraph

/// A `ToTensor` step followed by a model in a flow hands the model its numbers instead of the body it writes;
/// the answers, errors and step metrics are those of running the two steps one after the other.
struct TensorHandOverTests {
    private static let modelPath = ServingHarness.path("examples/interop/fraud-logreg.json")

    private func model(_ inputDatatype: String = "FP64") -> LogisticRegressionModel {
        LogisticRegressionModel(
            name: "fraud",
            classArgs: ["model_path": .string(Self.modelPath), "input_datatype": .string(inputDatatype)])
    }

    private func tensor(_ datatype: String, fields: [String] = ["a", "b", "c", "d"]) throws -> ToTensorStep {
        try ToTensorStep(name: "tensor", fields: fields, tensorName: "x", datatype: datatype)
    }

    private func flow(_ tensor: ToTensorStep, _ model: V2ModelServer, handler: (any Step)? = nil) throws
        -> CompiledGraph
    {
        let graph = Graph.flow()
        let last = graph.to(tensor).to(model)
        if let handler { last.onError(handler) }
        return try graph.compile()
    }

    /// The answer (or error) as text: JSON of the body, or the error's description.
    private func describe(_ run: () throws -> Event) -> String {
        do {
            return JSONWriter.string(try run().body)
        } catch {
            return "error: \(error)"
        }
    }

    @Test func pairsTheTensorStepWithItsModelOnlyWhenNoHandlerCouldReadTheBody() throws {
        let paired = try flow(try tensor("FP64"), model())
        #expect(paired.nodes[0].tensorProducer != nil)
        #expect(paired.nodes[1].tensorConsumer != nil)
        let handled = try flow(try tensor("FP64"), model(), handler: try ToTensorStep(name: "h", fields: ["a"]))
        #expect(handled.nodes[0].tensorProducer == nil)
        #expect(handled.nodes[1].tensorConsumer == nil)
    }

    static let bodies: [Value] = [
        ["a": 0.5, "b": -1.25, "c": 2, "d": 0.75],
        ["d": 1, "c": 2, "b": 3, "a": 4, "extra": "x"],
        [["a": 1, "b": 2, "c": 3, "d": 4], ["a": 5, "b": 6, "c": 7, "d": true]],
        [],
        ["a": 1, "b": 2, "c": 3],
        ["a": "1", "b": 2, "c": 3, "d": 4],
        [["a": 1, "b": 2, "c": 3, "d": 4], 7],
        "text",
    ]

    @Test(arguments: ["FP64", "FP32", "INT64"])
    func answersWhatRunningTheTwoStepsInTurnAnswers(datatype: String) throws {
        for inputDatatype in ["FP64", "FP32"] {
            let (tensor, model) = (try tensor(datatype), model(inputDatatype))
            let graph = try flow(tensor, model)
            for body in Self.bodies {
                for path in ["/", "/v2/models/fraud/infer", "/v2/models/fraud/explain", "/v2/models/fraud/ready"] {
                    let event = Event(body: body, id: "e-1", path: path, receivedAt: 1_767_225_600_000)
                    let handed = describe { try graph.run(event) }
                    let inTurn = describe { try model.run(try tensor.run(event)) }
                    #expect(handed == inTurn, "\(datatype) \(inputDatatype) \(path) \(JSONWriter.string(body))")
                }
            }
        }
    }

    @Test func answersAsTheStepsInTurnForAWrongFeatureCountAndForBinaryInputBytes() throws {
        let (three, model) = (try tensor("FP64", fields: ["a", "b", "c"]), model())
        let event = Event(body: ["a": 1, "b": 2, "c": 3], id: "e-1")
        let short = describe { try flow(three, model).run(event) }
        #expect(short.hasPrefix("error:"))
        #expect(short == describe { try model.run(try three.run(event)) })

        let four = try tensor("FP64")
        var binary = Event(body: ["a": 1, "b": 2, "c": 3, "d": 4], id: "e-1")
        binary[BinaryInputKey.self] = BinaryTensorPayload(bytes: [0, 0, 0, 0])
        #expect(describe { try flow(four, model).run(binary) } == describe { try model.run(try four.run(binary)) })
    }

    @Test func countsARunOfEachStep() throws {
        let graph = try flow(try tensor("FP64"), model())
        _ = try graph.run(Event(body: ["a": 1, "b": 2, "c": 3, "d": 4]))
        #expect(throws: ServingError.self) { try graph.run(Event(body: ["a": 1])) }
        let steps = graph.metrics.snapshot().steps
        #expect(steps.map(\.name) == ["tensor", "fraud"])
        #expect(steps.map(\.runs) == [2, 1])
        #expect(steps.map(\.failures) == [1, 0])
    }
}
