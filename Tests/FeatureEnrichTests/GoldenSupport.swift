import FeatureEnrich
import Foundation
import Testing

/// Access to `shared/oracle` (reference.py, compare.py, the golden cases) for the golden tests.
enum Oracle {
    /// `<package root>/../shared/oracle`.
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/oracle")

    /// Names of the shipped cases.
    static var caseNames: [String] {
        let cases = directory.appendingPathComponent("cases")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: cases.path)) ?? []
        return names.sorted()
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("agg-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs `python3 arguments…` and returns (exit status, stdout + stderr).
    @discardableResult
    static func python(_ arguments: [String], stdout: URL? = nil) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let pipe = Pipe()
        if let stdout {
            _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: stdout)
        } else {
            process.standardOutput = pipe
        }
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Replays `events` through `featureSet` into a JSONL file in `directory`; returns its URL.
    static func replay(featureSet: URL, events: URL, into directory: URL) throws -> URL {
        let definition = try FeatureSetDefinition(contentsOfFile: featureSet.path)
        var lines: [String] = []
        _ = try AggregationReplay.run(featureSet: definition, csvPath: events.path, skipBadRows: false) {
            lines.append($0)
        }
        let output = directory.appendingPathComponent("got.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: output, atomically: true, encoding: .utf8)
        return output
    }

    /// `compare.py got expected`; records an issue with compare's report when it does not exit 0.
    static func expectMatch(got: URL, expected: URL, label: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let compare = directory.appendingPathComponent("compare.py").path
        let (status, output) = try python([compare, got.path, expected.path])
        #expect(status == 0, "\(label): compare.py reported\n\(output)", sourceLocation: sourceLocation)
    }
}
