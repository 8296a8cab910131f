import Testing

@testable import ModelServer
@testable import ServingGraph

/// A child answering a fixed MLRun-style prediction list.
private struct FixedModel: Step {
    let name: String
    let outputs: [Value]
    func run(_ event: Event) throws -> Event {
        var out = event
        out.body = ["id": .string(event.id), "model_name": .string(name), "outputs": .array(outputs)]
        return out
    }
}

/// MLRun's voting ensemble with normalised, validated weights (reference/mlrun.md §2.3).
struct VotingEnsembleTests {
    private func ensemble(_ outputs: [[Value]], weights: [(String, Double)]? = nil) throws -> VotingEnsemble {
        let routes: [(name: String, step: any Step)] = outputs.enumerated().map { i, values in
            let name = ["a", "b", "c", "d"][i]
            return (name, FixedModel(name: name, outputs: values))
        }
        return try VotingEnsemble(name: "ensemble", routes: routes, weights: weights)
    }

    private func vote(_ e: VotingEnsemble, path: String = "/v2/models/ensemble/infer") throws -> Value {
        try e.run(Event(body: ["id": "e1", "inputs": [[1, 2]]], path: path)).body
    }

    @Test func regressionWithEqualWeightsIsTheMeanAsInMLRunsExample() throws {
        let e = try ensemble([[1], [0], [0.25]])
        #expect(try vote(e)["outputs"] == [0.41666666666666663])
    }

    @Test func regressionWithWeightsMatchesMLRunsExample() throws {
        let e = try ensemble([[1], [0], [0.25]], weights: [("a", 0.2), ("b", 0.4), ("c", 0.4)])
        #expect(try vote(e)["outputs"] == [0.30000000000000004])
    }

    @Test func weightsSummingAboveOneAreNormalised() throws {
        let e = try ensemble([[1], [0], [0.25]], weights: [("a", 2), ("b", 1), ("c", 1)])
        #expect(e.weights == [0.5, 0.25, 0.25])
        #expect(try vote(e)["outputs"] == [0.5625])
    }

    @Test func classificationTakesTheWeightedVoteAndTiesGoToTheLowestClass() throws {
        let e = try ensemble([[1, 2], [0, 2], [1, 0], [0, 1]])
        #expect(try vote(e)["outputs"] == [0, 2])
    }

    @Test(arguments: [[("a", -1.0), ("b", 1.0)], [("a", 0.0), ("b", 0.0)]])
    func negativeOrAllZeroWeightsAreRejectedAtLoad(weights: [(String, Double)]) {
        #expect(throws: GraphError.self) { try ensemble([[1], [0]], weights: weights) }
    }

    @Test func childIsStillAddressableAlone() throws {
        let e = try ensemble([[1], [0]])
        #expect(try vote(e, path: "/v2/models/b/infer")["model_name"] == "b")
    }

    @Test func responseNamesTheEnsembleAndKeepsTheRequestID() throws {
        let e = try ensemble([[1], [0.5]])
        let answer = try vote(e, path: "/v2/models/infer")
        #expect(answer["model_name"] == "ensemble")
        #expect(answer["id"] == "e1")
    }

    @Test func listsChildrenThenTheEnsembleWithWeights() throws {
        let e = try ensemble([[1], [0]], weights: [("a", 1), ("b", 3)])
        let list = try e.run(Event(path: "/v2/models", method: "GET")).body
        #expect(list["models"] == ["a", "b", "ensemble"])
        #expect(list["weights"] == ["a": 1.0, "b": 3.0])
    }
}
