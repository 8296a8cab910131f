import Foundation
import Testing

@testable import ServingGraph

/// `serve demo` as a user runs it: the real binary at a small scale, a real socket, and the printed curl
/// commands run by a shell exactly as printed (plus `-w` to see the status).
@Suite(.serialized)
struct DemoCommandTests {
    /// A running `serve demo` and the curl commands it printed.
    final class RunningDemo {
        let process = Process()
        let commands: [String]
        let stderrPath: String

        init(directory: String) throws {
            stderrPath = directory + "/stderr.txt"
            _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
            process.executableURL = URL(fileURLWithPath: ServeBinary.path)
            process.arguments = [
                "demo", "--port", "0", "--loops", "1", "--accounts", "60", "--days", "3",
                "--data-dir", directory + "/data", "--example-dir", ServingHarness.path("examples/fraud"),
            ]
            let output = Pipe()
            process.standardOutput = output
            process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
            try process.run()
            var text = ""
            var commands: [String] = []
            while commands.count < 3 {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }  // the process ended before printing them
                text += String(decoding: chunk, as: UTF8.self)
                commands = text.split(separator: "\n").filter { $0.hasPrefix("curl ") }.map(String.init)
            }
            self.commands = commands
        }

        var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// Stops the server as Ctrl-C would and waits for it.
        func stop() -> Int32 {
            if process.isRunning { process.interrupt() }
            process.waitUntilExit()
            return process.terminationStatus
        }
    }

    /// Runs `command` with `/bin/sh`; returns the HTTP status and the parsed body.
    static func shell(_ command: String) throws -> (Int, Value) {
        let text = try Curl.output(of: "/bin/sh", ["-c", command + " -w '\\n%{http_code}'"])
        guard let newline = text.lastIndex(of: "\n") else { return (0, .null) }
        let status = Int(text[text.index(after: newline)...]) ?? 0
        return (status, (try? JSONParser.parse(String(text[..<newline]))) ?? .null)
    }

    static func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    @Test func answersThePrintedInferVectorAndIngestCommandsWith200() throws {
        try Self.withDirectory { directory in
            let demo = try RunningDemo(directory: directory)
            defer { _ = demo.stop() }
            try #require(demo.commands.count == 3, "stderr: \(demo.stderr)")
            #expect(demo.stderr.contains("generated 60 accounts"))

            let (inferStatus, infer) = try Self.shell(demo.commands[0])
            #expect(inferStatus == 200)
            #expect(infer["model_name"] == "fraud")
            let probability = try #require(infer["outputs"]?.arrayValue?.first?["data"]?.arrayValue?.first?.doubleValue)
            #expect(probability > 0 && probability < 1)

            let (vectorStatus, vector) = try Self.shell(demo.commands[1])
            #expect(vectorStatus == 200)
            let row = try #require(vector["results"]?.arrayValue?.first?.objectValue)
            #expect(row["amount"] == 1450.0)
            #expect(row.count == 23)
            #expect(row["credit_limit"]?.doubleValue ?? 0 >= 500)

            let (ingestStatus, ingest) = try Self.shell(demo.commands[2])
            #expect(ingestStatus == 200)
            #expect(ingest == ["ingested": 1])
        }
    }

    @Test func secondStartReusesTheDataAndStillAnswers() throws {
        try Self.withDirectory { directory in
            let first = try RunningDemo(directory: directory)
            try #require(first.commands.count == 3, "stderr: \(first.stderr)")
            #expect(first.stop() == 0)
            let store = directory + "/data/features.db"
            let events = try StoreFile.integer(store, "SELECT count(*) FROM event_log")

            let second = try RunningDemo(directory: directory)
            defer { _ = second.stop() }
            try #require(second.commands.count == 3, "stderr: \(second.stderr)")
            #expect(second.stderr.contains("reusing the data"))
            #expect(!second.stderr.contains("generated"))
            #expect(try Self.shell(second.commands[0]).0 == 200)
            #expect(try StoreFile.integer(store, "SELECT count(*) FROM event_log") == events + 1)
        }
    }
}
