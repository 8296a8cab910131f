import FeatureEnrich
import Foundation
import ServingGraph
import Testing

@testable import ModelServer

/// The start-up warm-up of the online store (`serve run --warm-cache on|off`), through ``FeatureServing``.
struct FeatureServingWarmupTests {
    static let keys = (0..<6).map { "acct\($0)" }

    /// A service file with the transactions set and a store holding one event of each of ``keys``, in a fresh
    /// directory; returns the configuration and the directory (to remove).
    private func seededConfiguration() throws -> (ServeConfiguration, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("warm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var configuration = ServeConfiguration()
        configuration.graphPath = directory.appendingPathComponent("serve.json").path
        configuration.storePath = directory.appendingPathComponent("store.db").path
        try #"{"feature_sets": [\#(FeatureServingTests.featureSet)]}"#.write(
            toFile: try #require(configuration.graphPath), atomically: true, encoding: .utf8)
        let seed = try SQLiteOnlineStore(
            path: configuration.storePath,
            featureSets: [FeatureSetDefinition(jsonText: FeatureServingTests.featureSet)])
        let events: [Value] = Self.keys.map { ["account": .string($0), "ts": "2026-01-01T00:00:00Z", "amount": 1.5] }
        _ = try seed.ingestAndWait(events, into: "transactions")
        seed.close()
        return (configuration, directory)
    }

    @Test func openingTheFeatureSideLoadsEveryStoredStateIntoMemory() throws {
        let (configuration, directory) = try seededConfiguration()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(configuration.warmCache)
        let features = try FeatureServing(configuration: configuration)
        defer { features.store?.close() }
        #expect(features.store?.keysInMemory == Self.keys.count)
    }

    @Test func warmCacheOffLeavesStatesOnDiskUntilFirstRead() throws {
        var (configuration, directory) = try seededConfiguration()
        defer { try? FileManager.default.removeItem(at: directory) }
        configuration.warmCache = false
        let features = try FeatureServing(configuration: configuration)
        defer { features.store?.close() }
        #expect(features.store?.keysInMemory == 0)
    }
}
