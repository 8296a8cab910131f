import FeatureEnrich
import Foundation
import Testing

/// Every shipped oracle case, replayed and compared with `compare.py` against its `expected.jsonl`.
struct GoldenCaseTests {
    @Test func everyShippedCaseIsPresent() {
        #expect(Oracle.caseNames.count >= 9, "cases found in \(Oracle.directory.path): \(Oracle.caseNames)")
    }

    @Test(arguments: Oracle.caseNames)
    func replayMatchesExpectedOutput(caseName: String) throws {
        let caseDirectory = Oracle.directory.appendingPathComponent("cases/\(caseName)")
        let temporary = try Oracle.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: temporary) }
        let got = try Oracle.replay(
            featureSet: caseDirectory.appendingPathComponent("fs.json"),
            events: caseDirectory.appendingPathComponent("events.csv"), into: temporary)
        try Oracle.expectMatch(
            got: got, expected: caseDirectory.appendingPathComponent("expected.jsonl"), label: caseName)
    }
}
