import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// Every graph in `examples/graphs/` runs in-process and answers as its README says.
struct ExampleGraphTests {
    private static let transaction = #"{"id": "t1", "amount": 120, "age": 35, "velocity": 3, "distance_km": 12}"#

    /// A copy of an example and the model file in a fresh folder (its JSONL output lands there).
    private func copy(_ name: String) throws -> String {
        let directory = NSTemporaryDirectory() + "example-graph-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for file in [name, "fraud-logreg.json"] {
            try FileManager.default.copyItem(
                atPath: ServingHarness.path("examples/graphs/\(file)"), toPath: directory + "/" + file)
        }
        return directory
    }

    private func probability(_ response: InProcessServer.Response) -> Double? {
        response.json?["outputs"]?.arrayValue?.first?["data"]?.arrayValue?.first?.doubleValue
    }

    @Test func preprocessModelScoresStandardizedFeatures() throws {
        let server = try InProcessServer(graphPath: ServingHarness.path("examples/graphs/preprocess-model.json"))
        let response = try server.send(path: "/v2/models/fraud/infer", body: Self.transaction)
        #expect(response.status == 200)
        // z = [1.75, -5/12, 2/3, log(13) - 2] against weights [0.8, -0.5, 1.2, 0.3], bias -0.1.
        let z = 0.8 * 1.75 - 0.5 * (-5.0 / 12) + 1.2 * (2.0 / 3) + 0.3 * (log(13.0) - 2) - 0.1
        #expect(probability(response).map { abs($0 - 1 / (1 + exp(-z))) < 1e-6 } == true)
    }

    @Test func branchesRespondFromTheModelAndAppendEveryEventToTheJSONLFileEvenAFailedOne() throws {
        let directory = try copy("branches.json")
        let server = try InProcessServer(graphPath: directory + "/branches.json")
        let first = try server.send(path: "/", body: Self.transaction)
        let second = try server.send(path: "/", body: #"{"id": "t2", "amount": 10, "age": 50, "velocity": 1}"#)
        #expect(first.status == 200)
        #expect(second.status == 400)  // no distance_km: the responding branch fails, the audit branch still logs
        #expect(probability(first) != nil)
        let lines = try String(contentsOfFile: directory + "/events.jsonl", encoding: .utf8)
            .split(separator: "\n").map { try JSONParser.parse(String($0)) }
        #expect(lines.count == 2)
        #expect(lines.map { $0["id"] } == ["t1", "t2"])
        #expect(lines.first?["amount_z"] == 1.75)
    }

    @Test func errorHandlerAnswersTheFailureWithAFallbackDecision() throws {
        let server = try InProcessServer(graphPath: ServingHarness.path("examples/graphs/error-handler.json"))
        let failed = try server.send(path: "/", body: #"{"amount": 120}"#)
        #expect(failed.status == 200)
        #expect(failed.json?["step"] == "tensor")
        #expect(failed.json?["decision"] == "review")
        #expect(failed.json?["error"]?.stringValue?.contains("age_z") == true)
        #expect(probability(try server.send(path: "/", body: Self.transaction)) != nil)
    }

    @Test func everyExampleGraphFileLoads() throws {
        let folders = ["examples/graphs", "examples/interop"]
        for folder in folders {
            let files = try FileManager.default.contentsOfDirectory(atPath: ServingHarness.path(folder))
            for file in files where file.hasSuffix(".json") {
                let text = try String(contentsOfFile: ServingHarness.path("\(folder)/\(file)"), encoding: .utf8)
                guard (try JSONParser.parse(text))["spec"] != nil else { continue }  // model files
                let directory = try copy("preprocess-model.json")  // a scratch folder for JSONL outputs
                try FileManager.default.copyItem(
                    atPath: ServingHarness.path("\(folder)/\(file)"), toPath: directory + "/graph-\(file)")
                if folder != "examples/graphs" {
                    try? FileManager.default.copyItem(
                        atPath: ServingHarness.path("\(folder)/fraud-logreg.json"),
                        toPath: directory + "/fraud-logreg.json")
                }
                #expect(throws: Never.self, "\(folder)/\(file)") {
                    _ = try InProcessServer(graphPath: directory + "/graph-\(file)")
                }
            }
        }
    }
}
