import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// The catalog endpoints over real sockets with curl, and `serve catalog`, on a real store file.
@Suite(.serialized)
struct CatalogEndpointTests {
    @Test func featureSetAndVectorEndpointsShowCountsStatisticsAndResolvedFeatures() throws {
        try ServiceServer.with(loops: 1, configure: OfflineVectorEndpointTests.configure) { port, store in
            try checkCatalog(port, store)
        }
    }

    private func checkCatalog(_ port: Int, _ store: String) throws {
        let base = "http://127.0.0.1:\(port)"
        let ingest = try Curl.run(
            "\(base)/v2/feature-sets/transactions/ingest",
            [
                "-X", "POST", "-d",
                #"[{"key": "a", "timestamp": 1767225600, "amount": 1}, "#
                    + #"{"key": "b", "timestamp": 1767225660, "amount": 3}]"#,
            ])
        #expect(ingest.status == 200)
        let set = try JSONParser.parse(try Curl.run("\(base)/v2/feature-sets/transactions").body)
        #expect(set["rows"] == .int(2))
        #expect(set["entities"] == .int(2))
        #expect(set["first_event_ms"] == .int(1_767_225_600_000))
        #expect(set["statistics"]?["amount"]?["mean"] == .double(2))
        let list = try JSONParser.parse(try Curl.run("\(base)/v2/feature-sets").body)
        #expect(Self.first(list["feature_sets"])?["name"] == .string("transactions"))
        #expect(try Curl.run("\(base)/v2/feature-sets/nope").status == 404)
        let resolved = try JSONParser.parse(try Curl.run("\(base)/v2/feature-vectors/v").body)
        #expect(
            Self.first(resolved["features"])
                == ["name": "last", "feature_set": "transactions", "feature": "amount"])
        #expect(resolved["entity_keys"] == ["key"])
        #expect(try Curl.run("\(base)/v2/feature-vectors/nope").status == 404)
        let vectors = try JSONParser.parse(try Curl.run("\(base)/v2/feature-vectors").body)
        #expect(Self.first(vectors["feature_vectors"])?["name"] == .string("v"))
        let table = try ServeBinary.run(["catalog", "--store", store])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("transactions    1       2         2         2026-01-01T00:00:00Z"))
    }

    private static func first(_ value: Value?) -> Value? {
        guard case .array(let list)? = value else { return nil }
        return list.first
    }
}
