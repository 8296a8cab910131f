import FeatureEnrich
import Foundation
import Testing

/// Feature sets beyond the shipped cases: events from `tools/gen_events.py`, expected rows from `reference.py`,
/// both produced at test time, compared with `compare.py`.
struct GoldenGeneratedTests {
    /// One generated scenario: a feature set and how to disturb the generated events.
    struct Scenario: Sendable, CustomStringConvertible {
        let name: String
        let featureSet: String
        let generatorArguments: [String]
        /// Rewrite amounts as `amount − 50` (so about half are negative) and add an integer `qty` column with an
        /// empty cell every 13th row.
        var addNegativeAndSparseColumns = true
        /// Rewrite `c0012`-style keys as the integers `12`.
        var integerKeys = false
        var description: String { name }
    }

    static let scenarios: [Scenario] = [
        Scenario(
            name: "sliding 30m/2h/1d period 5m, two aggregations on one column",
            featureSet: """
                {"name": "s1", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "timestamp",
                 "aggregations": [
                   {"name": "amount", "column": "amount", "operations": ["count","sum","sqr","min","max","first","last","avg","stdvar","stddev"], "windows": ["30m","2h","1d"], "period": "5m"},
                   {"name": "amt", "column": "amount", "operations": ["sum","max","first","last","stddev"], "windows": ["2h","1d"], "period": "30m"},
                   {"name": "qty", "column": "qty", "operations": ["count","sum","avg","last"], "windows": ["30m","1d"], "period": "5m"}]}
                """,
            generatorArguments: ["--n", "3000", "--keys", "150", "--seed", "11"]),
        Scenario(
            name: "fixed 30m/2h and fixed 2h/3h/6h (windows not dividing each other)",
            featureSet: """
                {"name": "f1", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "timestamp",
                 "aggregations": [
                   {"name": "amount", "column": "amount", "operations": ["count","sum","sqr","min","max","first","last","avg","stdvar","stddev"], "windows": ["30m","2h"], "period": null},
                   {"name": "odd", "column": "amount", "operations": ["count","sum","first","last","stdvar"], "windows": ["2h","3h","6h"]},
                   {"name": "qty", "column": "qty", "operations": ["count","min","max","avg"], "windows": ["1h","24h","1d"]}]}
                """,
            generatorArguments: ["--n", "3000", "--keys", "40", "--seed", "12", "--p-late", "0.15"]),
        Scenario(
            name: "seconds period, many keys, integer keys",
            featureSet: """
                {"name": "k1", "entities": [{"name": "key", "type": "int64"}], "timestamp_key": "timestamp",
                 "aggregations": [
                   {"name": "amount", "column": "amount", "operations": ["count","sum","min","max","first","last","avg","stdvar","stddev"], "windows": ["90s","30m","1h"], "period": "30s"}]}
                """,
            generatorArguments: ["--n", "4000", "--keys", "500", "--seed", "13", "--span-hours", "6"],
            integerKeys: true),
        Scenario(
            name: "mostly late events, dense keys",
            featureSet: """
                {"name": "l1", "entities": [{"name": "key"}], "timestamp_key": "timestamp",
                 "aggregations": [
                   {"name": "amount", "column": "amount", "operations": ["count","sum","first","last","avg","stdvar"], "windows": ["1h","24h"], "period": "10m"},
                   {"name": "fixed", "column": "amount", "operations": ["count","sum","first","last","stddev"], "windows": ["1h","24h"]}]}
                """,
            generatorArguments: [
                "--n", "3000", "--keys", "5", "--seed", "14", "--p-late", "0.3", "--p-verylate", "0.05", "--p-same",
                "0.2",
            ]),
    ]

    @Test(arguments: scenarios)
    func replayMatchesReferenceOnGeneratedEvents(scenario: Scenario) throws {
        let temporary = try Oracle.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let generated = temporary.appendingPathComponent("generated.csv")
        let generator = Oracle.directory.appendingPathComponent("tools/gen_events.py").path
        let (status, output) = try Oracle.python([generator] + scenario.generatorArguments, stdout: generated)
        try #require(status == 0, "gen_events.py failed: \(output)")
        let events = temporary.appendingPathComponent("events.csv")
        try rewrite(generated, to: events, scenario)
        let featureSet = temporary.appendingPathComponent("fs.json")
        try scenario.featureSet.write(to: featureSet, atomically: true, encoding: .utf8)
        let expected = temporary.appendingPathComponent("expected.jsonl")
        let reference = Oracle.directory.appendingPathComponent("reference.py").path
        let run = try Oracle.python([reference, "--featureset", featureSet.path, events.path], stdout: expected)
        try #require(run.status == 0, "reference.py failed: \(run.output)")
        let got = try Oracle.replay(featureSet: featureSet, events: events, into: temporary)
        try Oracle.expectMatch(got: got, expected: expected, label: scenario.name)
    }

    private func rewrite(_ source: URL, to destination: URL, _ scenario: Scenario) throws {
        let lines = try String(contentsOf: source, encoding: .utf8).split(separator: "\n").map(String.init)
        var output: [String] = []
        for (index, line) in lines.enumerated() {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { continue }
            if index == 0 {
                if scenario.addNegativeAndSparseColumns { fields.append("qty") }
                output.append(fields.joined(separator: ","))
                continue
            }
            if scenario.integerKeys { fields[0] = String(Int(fields[0].dropFirst()) ?? 0) }
            if scenario.addNegativeAndSparseColumns, let amount = Double(fields[2]) {
                fields[2] = String(format: "%.2f", amount - 50)
                fields.append(index % 13 == 0 ? "" : String((index * 7919) % 23 - 5))
            }
            output.append(fields.joined(separator: ","))
        }
        try (output.joined(separator: "\n") + "\n").write(to: destination, atomically: true, encoding: .utf8)
    }
}
