import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer

/// `serve demo`'s data directory: generate, ingest into a real SQLite file, reuse only complete data.
struct FraudDemoDataTests {
    static let example = ServingHarness.path("examples/fraud")

    /// Runs `body` with a fresh temporary directory, removed afterwards.
    static func withDirectory(_ body: (String) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("demo-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try body(directory)
    }

    static func eventLogRows(_ data: FraudDemoData, _ set: String) throws -> Int64 {
        try StoreFile.integer(data.storePath, "SELECT count(*) FROM event_log WHERE feature_set = '\(set)'")
    }

    @Test func secondPrepareReusesCompleteDataAndAHalfFinishedRunIsRedoneFromScratch() throws {
        try Self.withDirectory { directory in
            let data = FraudDemoData(
                directory: directory, exampleDirectory: Self.example, configuration: FraudDataGeneratorTests.small())
            var lines: [String] = []
            let first = try #require(try data.prepare(regenerate: false, report: { lines.append($0) }))
            #expect(lines.count == 3)
            #expect(try Self.eventLogRows(data, "transactions") == Int64(first.transactionCount))
            #expect(try Self.eventLogRows(data, "accounts") == 150)
            #expect(data.isComplete)

            #expect(try data.prepare(regenerate: false, report: { _ in }) == nil)

            // A run stopped before its marker was written is done again, not ingested on top.
            try FileManager.default.removeItem(atPath: data.markerPath)
            #expect(!data.isComplete)
            let again = try #require(try data.prepare(regenerate: false, report: { _ in }))
            #expect(again == first)
            #expect(try Self.eventLogRows(data, "transactions") == Int64(first.transactionCount))
        }
    }

    @Test func anotherConfigurationOrRegenerateMakesTheDataAgain() throws {
        try Self.withDirectory { directory in
            let data = FraudDemoData(
                directory: directory, exampleDirectory: Self.example, configuration: FraudDataGeneratorTests.small())
            _ = try data.prepare(regenerate: false, report: { _ in })
            #expect(try data.prepare(regenerate: true, report: { _ in }) != nil)
            let other = FraudDemoData(
                directory: directory, exampleDirectory: Self.example,
                configuration: FraudDataGeneratorTests.small(seed: 7))
            #expect(!other.isComplete)
            let dataset = try #require(try other.prepare(regenerate: false, report: { _ in }))
            #expect(try Self.eventLogRows(other, "transactions") == Int64(dataset.transactionCount))
        }
    }

    @Test func filesWrittenInTwoDirectoriesAreByteIdentical() throws {
        try Self.withDirectory { first in
            try Self.withDirectory { second in
                for directory in [first, second] {
                    let data = FraudDemoData(
                        directory: directory, exampleDirectory: Self.example,
                        configuration: FraudDataGeneratorTests.small())
                    _ = try data.prepare(regenerate: false, report: { _ in })
                }
                for name in ["accounts.csv", "transactions.csv", "labels.csv"] {
                    let a = try Data(contentsOf: URL(fileURLWithPath: first + "/" + name))
                    let b = try Data(contentsOf: URL(fileURLWithPath: second + "/" + name))
                    #expect(a.count > 0 && a == b, "\(name)")
                }
            }
        }
    }

    @Test func missingExampleFileIsNamed() throws {
        try Self.withDirectory { directory in
            let data = FraudDemoData(
                directory: directory, exampleDirectory: directory + "/nowhere",
                configuration: FraudDataGeneratorTests.small())
            #expect {
                try data.prepare(regenerate: false, report: { _ in })
            } throws: { error in
                "\(error)".contains(directory + "/nowhere/accounts.json")
            }
        }
    }
}
