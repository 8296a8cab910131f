import Foundation
import Testing

@testable import ServingGraph

/// `serve test` and `serve plot` through the built executable: output, exit status, and bad graph
/// files reported with the file, the step and the field.
struct TestAndPlotCommandTests {
    private static let example = ServingHarness.path("examples/graphs/preprocess-model.json")
    private static let transaction = #"{"amount": 120, "age": 35, "velocity": 3, "distance_km": 12}"#

    private func write(_ json: String) throws -> String {
        let directory = NSTemporaryDirectory() + "serve-cli-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/graph.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func testPrintsTheResponseJSONAndExits0() throws {
        let output = try ServeBinary.run([
            "test", Self.example, "--path", "/v2/models/fraud/infer", "--body", Self.transaction,
            "--header", "X-Event-Id: cli-1",
        ])
        #expect(output.status == 0, "\(output.stderr)")
        let answer = try JSONParser.parse(output.stdout)
        #expect(answer["id"] == "cli-1")
        #expect(answer["model_name"] == "fraud")
    }

    @Test func testAnswersWhatCurlGetsFromTheServerForTheSameRequest() throws {
        let cli = try ServeBinary.run([
            "test", Self.example, "--path", "/v2/models/fraud/infer", "--body", Self.transaction, "--method", "POST",
            "--header", "X-Event-Id: same",
        ])
        try ServingHarness.withServer(graphPath: Self.example) { port, _ in
            let curl = try Curl.run(
                "http://127.0.0.1:\(port)/v2/models/fraud/infer",
                ["-H", "X-Event-Id: same", "-H", "Content-Type: application/json", "-d", Self.transaction])
            #expect(curl.status == 200)
            #expect(cli.stdout == curl.body + "\n")
        }
    }

    @Test func testOfAFailingRequestExits1WithStatusAndErrorOnStderr() throws {
        let output = try ServeBinary.run(["test", Self.example, "--path", "/", "--body", #"{"amount": "x"}"#])
        #expect(output.status == 1)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("400"))
        #expect(output.stderr.contains("step 'standardize'"))
    }

    @Test func testWithoutAGraphOrWithABadHeaderExits2() throws {
        #expect(try ServeBinary.run(["test", "--path", "/"]).status == 2)
        let output = try ServeBinary.run(["test", Self.example, "--header", "no-colon"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("'no-colon'"))
    }

    @Test(
        arguments: ["test", "plot"],
        [
            (
                #""tensor": {"class_name": "NoSuch", "after": ["prep"]}"#,
                "spec.graph.steps.tensor.class_name: unknown class 'NoSuch'"
            ),
            (
                #""tensor": {"class_name": "Select", "after": ["nowhere"], "class_args": {"fields": ["a"]}}"#,
                "spec.graph.steps.tensor.after: no step named 'nowhere'"
            ),
            (
                #""tensor": {"class_name": "Select", "after": ["prep"], "class_args": {"fields": 3}}"#,
                "spec.graph.steps.tensor.class_args.fields"
            ),
            (
                #""tensor": {"class_name": "Compute", "after": ["prep"], "class_args": {"expressions": {"y": "a +* 2"}}}"#,
                "spec.graph.steps.tensor.class_args.expressions"
            ),
        ])
    func malformedGraphFileIsReportedNamingFileStepAndField(command: String, step: (String, String)) throws {
        let path = try write(
            #"{"kind": "serving", "spec": {"graph": {"kind": "flow", "steps": {"prep": {"class_name": "Defaults", "class_args": {"values": {"a": 1}}}, \#(step.0)}}}}"#
        )
        var arguments = [command, path]
        if command == "test" { arguments += ["--path", "/", "--body", "{}"] }
        let output = try ServeBinary.run(arguments)
        #expect(output.status == 1)
        #expect(output.stderr.contains(path), "\(output.stderr)")
        #expect(output.stderr.contains(step.1), "\(output.stderr)")
        #expect(output.stdout.isEmpty)
    }

    @Test func plotPrintsMermaidByDefaultAndDOTOnRequest() throws {
        let mermaid = try ServeBinary.run(["plot", ServingHarness.path("examples/graphs/error-handler.json")])
        #expect(mermaid.status == 0)
        #expect(mermaid.stdout.hasPrefix("flowchart TD\n"))
        #expect(mermaid.stdout.contains(#"n3[["fraud"]]"#))  // the responder: a double border
        #expect(mermaid.stdout.contains(#"n4{{"fallback"}}"#))  // the error handler
        #expect(mermaid.stdout.contains("n2 -.-> n4"))  // a dashed edge from a step to it
        let dot = try ServeBinary.run(["plot", ServingHarness.path("examples/interop/graph.json"), "--format", "dot"])
        #expect(dot.status == 0)
        #expect(dot.stdout.contains(#""router" -> "fraud" [label="fraud"];"#))
    }

    @Test func plotRejectsAnUnknownFormatWith2() throws {
        let output = try ServeBinary.run(["plot", Self.example, "--format", "svg"])
        #expect(output.status == 2)
        #expect(output.stderr.contains("'svg' is not mermaid or dot"))
    }
}
