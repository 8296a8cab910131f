import Foundation
import Testing

/// `serve run graph.json`: graph and model errors are reported before any port is bound.
struct ServeGraphCommandTests {
    private func write(_ json: String, name: String = "graph.json") throws -> String {
        let directory = NSTemporaryDirectory() + "serve-graph-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/" + name
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test(arguments: [
        (
            #"{"kind":"router","routes":{"m":{"class_name":"NoSuchModel"}}}"#,
            "graph.routes.m.class_name: unknown class 'NoSuchModel'"
        ),
        (#"{"kind":"router","routes":{}}"#, "router has no routes"),
        (
            #"{"kind":"router","routes":{"m":{"class_name":"LogisticRegressionModel","class_args":{"model_path":"missing.json"}}}}"#,
            "failed to load model 'm': model 'm' failed in load: cannot read model file"
        ),
        (
            #"{"kind":"router","class_name":"VotingEnsemble","class_args":{"weights":{"m":-1}},"routes":{"m":{"class_name":"LinearModel"}}}"#,
            "weights.m: weight -1.0 is negative"
        ),
        ("{", "not valid JSON"),
    ])
    func invalidGraphExitsNonZeroNamingFileAndField(json: String, message: String) throws {
        let path = try write(json)
        let output = try ServeBinary.run(["run", path, "--port", "0"])
        #expect(output.status == 1)
        #expect(output.stderr.contains(message), "\(output.stderr)")
        #expect(output.stderr.contains(path) || message.hasPrefix("failed to load"))
        #expect(!output.stderr.contains("listening"))
    }

    @Test func missingGraphFileIsReported() throws {
        let output = try ServeBinary.run(["run", "/nonexistent/graph.json", "--port", "0"])
        #expect(output.status == 1)
        #expect(output.stderr.contains("cannot read graph '/nonexistent/graph.json'"))
    }
}
