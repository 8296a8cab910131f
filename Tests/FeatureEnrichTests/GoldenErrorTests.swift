import FeatureEnrich
import Foundation
import Testing

/// Bad input is reported at the same line as `reference.py` reports it, and what reference.py accepts we accept.
struct GoldenErrorTests {
    static let featureSet = """
        {"name": "t", "entities": [{"name": "key"}], "timestamp_key": "timestamp",
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["sum"], "windows": ["1h"],
                           "period": "10m"}]}
        """

    static let inputs: [String] = [
        "key,timestamp,amount\na,2026-01-01T00:00:00Z,1\na,2026-01-01T00:01:00Z,2\na,2026-01-01T00:02:00Z,12.5x\n",
        "key,timestamp,amount\na,2026-01-01T00:00:00Z,1\n\"b\",31/12/2025,2\n",
        "key,timestamp,amount\na,2026-01-01T00:00:00Z,nan\n",
        "key,timestamp,amount\na,2026-01-01T00:00:00Z,1\na,2026-01-01T00:00:00Z,inf\n",
        "key,timestamp,amount\na,2026-02-30T00:00:00Z,1\n",
        "key,time,amount\na,2026-01-01T00:00:00Z,1\n",
    ]

    @Test(arguments: inputs)
    func badRowIsReportedAtTheReferenceLine(csv: String) throws {
        let directory = try Oracle.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let events = directory.appendingPathComponent("events.csv")
        let featureSet = directory.appendingPathComponent("fs.json")
        try csv.write(to: events, atomically: true, encoding: .utf8)
        try Self.featureSet.write(to: featureSet, atomically: true, encoding: .utf8)
        let reference = Oracle.directory.appendingPathComponent("reference.py").path
        let (status, output) = try Oracle.python([reference, "--featureset", featureSet.path, events.path])
        #expect(status == 2, "reference.py accepted: \(output)")
        let referenceLine = try #require(Self.line(in: output, path: events.path), "reference said: \(output)")
        let definition = try FeatureSetDefinition(contentsOfFile: featureSet.path)
        var ours: IngestError?
        do {
            _ = try AggregationReplay.run(featureSet: definition, csvPath: events.path, skipBadRows: false) { _ in }
        } catch {
            ours = error
        }
        let error = try #require(ours)
        #expect(error.line == referenceLine, "ours: \(error), reference: \(output)")
        #expect(error.description.hasPrefix("\(events.path):\(referenceLine): "))
    }

    /// The line number in reference.py's `reference.py: PATH:LINE: message`.
    private static func line(in output: String, path: String) -> Int? {
        guard let range = output.range(of: path + ":") else { return nil }
        return Int(output[range.upperBound...].prefix { $0.isNumber })
    }
}
