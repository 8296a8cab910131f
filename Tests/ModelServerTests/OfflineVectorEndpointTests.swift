import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// `POST /v2/feature-vectors/{vec}/offline` of `serve run --feature-set ... --feature-vector ...`, over real
/// sockets with curl, against events ingested through `POST /v2/feature-sets/{set}/ingest`.
@Suite(.serialized)
struct OfflineVectorEndpointTests {
    /// Configures the `transactions` feature set and the vector `v` (written to `directory/v.json`).
    static func configure(_ configuration: inout ServeConfiguration, _ directory: URL) throws {
        let vector = directory.appendingPathComponent("v.json")
        try #"{"name": "v", "features": ["transactions.amount as last", "transactions.amount_sum_1h"]}"#
            .write(to: vector, atomically: true, encoding: .utf8)
        configuration.featureSetPaths = [FeatureStoreEndpointTests.featureSet]
        configuration.featureVectorPaths = [vector.path]
    }

    /// Serves the `transactions` feature set and the vector `v` over a fresh store; `body` gets the port.
    private func withServer(_ body: (Int) throws -> Void) throws {
        try ServiceServer.with(loops: 1, configure: Self.configure) { port, _ in try body(port) }
    }

    @Test func answersTrainingRowsEqualToTheOnlineReadsAtTheSameTimes() throws {
        try withServer { port in
            let batches = [
                #"[{"key": "a", "timestamp": "2026-01-01T00:00:00Z", "amount": 2.5}]"#,
                #"[{"key": "a", "timestamp": "2026-01-01T00:20:00Z", "amount": 4}, "#
                    + #"{"key": "a", "timestamp": "2026-01-01T00:15:00Z", "amount": 1.25}]"#,
            ]
            var online: [Value] = []
            for (batch, time) in zip(batches, ["2026-01-01T00:10:00Z", "2026-01-01T00:25:00Z"]) {
                #expect(try Curl.postJSON(port, "/v2/feature-sets/transactions/ingest", batch).status == 200)
                let read = try Curl.run(
                    "http://127.0.0.1:\(port)/v2/feature-sets/transactions/entities/a?at=\(time)"
                        + "&features=amount,amount_sum_1h")
                online.append(try JSONParser.parse(read.body)["features"] ?? .null)
            }
            let result = try Curl.postJSON(
                port, "/v2/feature-vectors/v/offline",
                #"{"entity_rows": [{"key": "a", "timestamp": "2026-01-01T00:25:00Z"}, "#
                    + #"{"key": "a", "timestamp": "2026-01-01T00:10:00Z"}, {"key": "zz", "timestamp": 1767225600}]}"#)
            #expect(result.status == 200, "\(result.body)")
            let lines = try result.body.split(separator: "\n").map { try JSONParser.parse(String($0)) }
            #expect(lines.count == 3)
            for (line, served) in zip(lines.prefix(2), online.reversed()) {
                #expect(line["last"] == served["amount"])
                #expect(line["amount_sum_1h"] == served["amount_sum_1h"])
            }
            #expect(lines.first?["amount_sum_1h"] == .double(7.75))
            #expect(lines.last?["last"] == .null)
        }
    }

    @Test func exclusiveCutoffLeavesOutEventsAtTheRowTimeAndABadCutoffIs400() throws {
        try withServer { port in
            let events =
                #"[{"key": "a", "timestamp": "2026-01-01T00:00:00Z", "amount": 2.5}, "#
                + #"{"key": "a", "timestamp": "2026-01-01T00:20:00Z", "amount": 4}]"#
            #expect(try Curl.postJSON(port, "/v2/feature-sets/transactions/ingest", events).status == 200)
            let rows = #"[{"key": "a", "timestamp": "2026-01-01T00:20:00Z"}]"#
            let result = try Curl.postJSON(
                port, "/v2/feature-vectors/v/offline", #"{"entity_rows": \#(rows), "cutoff": "exclusive"}"#)
            #expect(result.status == 200, "\(result.body)")
            let line = try JSONParser.parse(result.body.split(separator: "\n").first.map(String.init) ?? "")
            #expect(line["last"] == .double(2.5))
            #expect(line["amount_sum_1h"] == .double(2.5))
            let bad = try Curl.postJSON(
                port, "/v2/feature-vectors/v/offline", #"{"entity_rows": \#(rows), "cutoff": 1}"#)
            #expect(bad.status == 400)
            #expect(bad.body.contains("'cutoff'"))
        }
    }

    @Test func refusesUnknownVectorWith404AndBadTimestampWith400NamingTheRow() throws {
        try withServer { port in
            let unknown = try Curl.postJSON(port, "/v2/feature-vectors/nope/offline", #"{"entity_rows": []}"#)
            #expect(unknown.status == 404)
            #expect(unknown.body.contains("unknown feature vector 'nope'"))
            let bad = try Curl.postJSON(
                port, "/v2/feature-vectors/v/offline",
                #"{"entity_rows": [{"key": "a", "timestamp": 1767225600}, {"key": "a", "timestamp": "later"}]}"#)
            #expect(bad.status == 400)
            #expect(bad.body.contains("entity_rows:2: column 'timestamp': unparsable timestamp 'later'"))
        }
    }
}
