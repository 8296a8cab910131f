import FeatureEnrich
import Foundation
import ServingGraph
import Testing

/// `AggregationReplay.run`: output lines, error messages with file and line, skipping bad rows, compound keys.
struct ReplayTests {
    static let featureSet = """
        {"name": "t", "entities": [{"name": "key"}], "timestamp_key": "timestamp",
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["count","sum","stdvar"],
                           "windows": ["1h"], "period": "10m"}]}
        """

    private func replay(
        _ csv: String, featureSet: String = ReplayTests.featureSet, skipBadRows: Bool = false
    ) throws -> (lines: [String], summary: ReplaySummary) {
        let directory = try Oracle.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("events.csv").path
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        var lines: [String] = []
        let summary = try AggregationReplay.run(
            featureSet: try FeatureSetDefinition(jsonText: featureSet), csvPath: path, skipBadRows: skipBadRows
        ) { lines.append($0) }
        return (lines, summary)
    }

    private func replayError(_ csv: String, featureSet: String = ReplayTests.featureSet) -> String {
        do {
            _ = try replay(csv, featureSet: featureSet)
            return "no error"
        } catch {
            return String(describing: error).components(separatedBy: "/").last ?? ""
        }
    }

    @Test func emitsOneLineInTheOracleFormatPerRow() throws {
        let (lines, summary) = try replay(
            "key,timestamp,amount\na,2026-01-01T00:05:00+00:00,1.5\na,2026-01-01T00:06:00Z,\n\"b,1\",2025-01-01 00:00,2\n"
        )
        #expect(
            lines == [
                #"{"key": "a", "timestamp": "2026-01-01T00:05:00+00:00", "amount_count_1h": 1.0, "amount_stdvar_1h": "NaN", "amount_sum_1h": 1.5}"#,
                #"{"key": "a", "timestamp": "2026-01-01T00:06:00Z", "amount_count_1h": 1.0, "amount_stdvar_1h": "NaN", "amount_sum_1h": 1.5}"#,
                #"{"key": "b,1", "timestamp": "2025-01-01 00:00", "amount_count_1h": 1.0, "amount_stdvar_1h": "NaN", "amount_sum_1h": 2.0}"#,
            ])
        #expect(summary.rowsRead == 3)
        #expect(summary.rowsEmitted == 3)
        #expect(summary.keys == 2)
    }

    @Test func tooLateRowsHaveNullColumnsAndAreCounted() throws {
        let (lines, summary) = try replay("key,timestamp,amount\na,2026-01-01T05:00:00Z,1\na,2026-01-01T00:00:00Z,2\n")
        #expect(lines[1].hasSuffix(#""amount_count_1h": null, "amount_stdvar_1h": null, "amount_sum_1h": null}"#))
        #expect(summary.tooLateRows == 1)
    }

    @Test func numbersRoundTripThroughTheJSONParser() throws {
        let (lines, _) = try replay("key,timestamp,amount\na,2026-01-01T00:00:00Z,0.1\na,2026-01-01T00:01:00Z,0.2\n")
        let row = try JSONParser.parse(lines[1])
        #expect(row["amount_sum_1h"]?.doubleValue == 0.1 + 0.2)
        #expect(abs((row["amount_stdvar_1h"]?.doubleValue ?? 0) - 0.005) < 1e-15)
    }

    @Test func badNumberNamesFileLineAndColumn() {
        let message = replayError("key,timestamp,amount\na,2026-01-01T00:00:00Z,1\n\na,2026-01-01T00:00:00Z,12.5x\n")
        #expect(message == "events.csv:4: column 'amount': unparsable number '12.5x'")
    }

    @Test func badTimestampNamesFileLineAndColumn() {
        let message = replayError("key,timestamp,amount\na,tomorrow,1\n")
        #expect(message.hasPrefix("events.csv:2: column 'timestamp': unparsable timestamp 'tomorrow'"))
    }

    @Test func missingColumnIsReportedOnTheHeaderLine() {
        #expect(
            replayError("key,time,amount\na,2026-01-01T00:00:00Z,1\n") == "events.csv:1: missing column 'timestamp'")
    }

    @Test func csvSyntaxErrorNamesLineAndColumn() {
        #expect(
            replayError("key,timestamp,amount\na,2026-01-01T00:00:00Z,\"1\n")
                == "events.csv:2: column 24: unterminated quoted field")
    }

    @Test func rowWithoutItsTimestampIsAnError() {
        #expect(replayError("key,timestamp,amount\na\n") == "events.csv:2: too few fields (1, need at least 2)")
    }

    @Test func skipBadRowsSkipsAndCountsThem() throws {
        let (lines, summary) = try replay(
            "key,timestamp,amount\na,2026-01-01T00:00:00Z,1\na,2026-01-01T00:01:00Z,nan\na,2026-01-01T00:02:00Z,2\n",
            skipBadRows: true)
        #expect(lines.count == 2)
        #expect(lines[1].contains(#""amount_count_1h": 2.0"#))
        #expect(summary.rowsSkipped == 1)
        #expect(summary.skippedErrors.first?.line == 3)
    }

    @Test func compoundKeysAggregateLikeOneJoinedKey() throws {
        let compound = """
            {"name": "t", "entities": [{"name": "user", "type": "string"}, {"name": "shop", "type": "int64"}],
             "timestamp_key": "timestamp",
             "aggregations": [{"name": "amount", "column": "amount", "operations": ["count","sum"], "windows": ["1h"]}]}
            """
        var csv = "user,shop,key,timestamp,amount\n"
        var generator = SplitMix(seed: 3)
        for minute in 0..<300 {
            let user = "u\(generator.next() % 3)"
            let shop = generator.next() % 3
            csv +=
                "\(user),\(shop),\(user)/\(shop),2026-01-01T\(minute / 60 + 10):\(minute % 60 < 10 ? "0" : "")\(minute % 60):00Z,\(minute)\n"
        }
        let byCompound = try replay(csv, featureSet: compound).lines
        let joined = """
            {"name": "t", "entities": [{"name": "key"}], "timestamp_key": "timestamp",
             "aggregations": [{"name": "amount", "column": "amount", "operations": ["count","sum"], "windows": ["1h"]}]}
            """
        let byJoined = try replay(csv, featureSet: joined).lines
        #expect(byCompound.count == 300)
        for (compoundLine, joinedLine) in zip(byCompound, byJoined) {
            let a = try JSONParser.parse(compoundLine)
            let b = try JSONParser.parse(joinedLine)
            #expect(a["amount_count_1h"] == b["amount_count_1h"])
            #expect(a["amount_sum_1h"] == b["amount_sum_1h"])
            #expect(a["shop"]?.intValue != nil)  // int64 entity written as a JSON number
        }
    }

    @Test func unreadableFileIsAnError() throws {
        #expect(throws: IngestError.self) {
            try AggregationReplay.run(
                featureSet: try FeatureSetDefinition(jsonText: ReplayTests.featureSet), csvPath: "/nonexistent/e.csv",
                skipBadRows: false
            ) { _ in }
        }
    }

    @Test func nonIntegerInt64KeyIsAnErrorNamingTheColumn() {
        let featureSet = ReplayTests.featureSet.replacingOccurrences(
            of: "[{\"name\": \"key\"}]", with: "[{\"name\": \"key\", \"type\": \"int64\"}]")
        #expect(featureSet != ReplayTests.featureSet)
        #expect(
            replayError(
                "key,timestamp,amount\n12,2026-01-01T00:00:00Z,1\nx7,2026-01-01T00:00:00Z,1\n",
                featureSet: featureSet) == "events.csv:3: column 'key': unparsable integer 'x7'")
    }

    @Test func unreadableFeatureSetFileIsAnError() {
        #expect(throws: FeatureSetError.self) { try FeatureSetDefinition(contentsOfFile: "/nonexistent/fs.json") }
    }
}
