import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// The feature-store endpoints of `serve run --feature-set ... --store ...`, in process, over real sockets
/// with curl as the client and a real SQLite file.
@Suite(.serialized)
struct FeatureStoreEndpointTests {
    static let featureSet = IngestCommandTests.oracle.appendingPathComponent("cases/inorder-sliding/fs.json").path

    /// Serves `featureSet` over a fresh store; `body` gets the port and the store path.
    private func withServer(_ body: (Int, String) throws -> Void) throws {
        try ServiceServer.with(
            configure: { configuration, _ in configuration.featureSetPaths = [Self.featureSet] }, body)
    }

    @Test func ingestsOneEventAndAnswersAfterTheCommit() throws {
        try withServer { port, store in
            let result = try Curl.postJSON(
                port, "/v2/feature-sets/transactions/ingest",
                #"{"key": "a", "timestamp": "2026-01-01T00:00:00Z", "amount": 12.5}"#)
            #expect(result.status == 200)
            #expect(try JSONParser.parse(result.body) == ["ingested": 1])
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 1)
        }
    }

    @Test func ingestsAnArrayAndReadsTheEntityBack() throws {
        try withServer { port, _ in
            let result = try Curl.postJSON(
                port, "/v2/feature-sets/transactions/ingest",
                #"[{"key": "a b", "timestamp": "2026-01-01T00:00:00Z", "amount": 2},"#
                    + #" {"key": "a b", "timestamp": 1767225660, "amount": "3"}, {"key": "c", "timestamp": 1767225600}]"#
            )
            #expect(result.status == 200, "\(result.body)")
            #expect(try JSONParser.parse(result.body) == ["ingested": 3])
            let read = try Curl.run(
                "http://127.0.0.1:\(port)/v2/feature-sets/transactions/entities/a%20b"
                    + "?at=2026-01-01T00:05:00Z&features=amount_sum_1h,amount_count_1h,amount")
            #expect(read.status == 200, "\(read.body)")
            let value = try JSONParser.parse(read.body)
            #expect(value["key"] == .string("a b"))
            #expect(value["at"] == .int(1_767_225_900_000))
            #expect(value["features"] == ["amount_sum_1h": 5.0, "amount_count_1h": 2.0, "amount": 3.0])
        }
    }

    @Test func unknownFeatureSetAnswers404() throws {
        try withServer { port, _ in
            let result = try Curl.postJSON(port, "/v2/feature-sets/nope/ingest", #"{"key": "a"}"#)
            #expect(result.status == 404)
            #expect(try JSONParser.parse(result.body)["error"] == .string("unknown feature set 'nope'"))
            #expect(try Curl.run("http://127.0.0.1:\(port)/v2/feature-sets/nope").status == 404)
        }
    }

    @Test(arguments: [
        (#"{"timestamp": "2026-01-01T00:00:00Z", "amount": 1}"#, "missing entity key field 'key'"),
        (#"{"key": "a", "timestamp": "soon", "amount": 1}"#, "timestamp field 'timestamp'"),
        (
            #"{"key": "a", "timestamp": "2026-01-01T00:00:00Z", "amount": "12.5x"}"#,
            "field 'amount': unparsable number '12.5x'"
        ),
        (#"[{"key": "a", "timestamp": 1767225600}, 7]"#, "event 1: an event must be a JSON object"),
        (#"{"key": "a", "#, "JSON"),
    ])
    func badEventAnswers400NamingTheProblemAndIngestsNothing(body: String, message: String) throws {
        try withServer { port, store in
            let result = try Curl.postJSON(port, "/v2/feature-sets/transactions/ingest", body)
            #expect(result.status == 400)
            let error = try JSONParser.parse(result.body)["error"]?.stringValue ?? ""
            #expect(error.contains(message) || message == "JSON", "\(error)")
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 0)
        }
    }

    @Test func catalogListsDefinitionsWithTheirHash() throws {
        try withServer { port, _ in
            let definition = try FeatureSetDefinition(contentsOfFile: Self.featureSet)
            let list = try JSONParser.parse(try Curl.run("http://127.0.0.1:\(port)/v2/feature-sets").body)
            let entry = try #require(list["feature_sets"]?.arrayValue?.first)
            #expect(entry["name"] == .string("transactions"))
            #expect(entry["hash"]?.stringValue.flatMap { UInt64($0, radix: 16) } == definition.definitionHash)
            #expect(try FeatureSetDefinition(json: entry["definition"] ?? .null) == definition)
            let one = try Curl.run("http://127.0.0.1:\(port)/v2/feature-sets/transactions")
            #expect(try JSONParser.parse(one.body) == entry)
        }
    }

    @Test func unknownEntityAnswers404AndBadAtAnswers400() throws {
        try withServer { port, _ throws in
            let base = "http://127.0.0.1:\(port)/v2/feature-sets/transactions/entities"
            #expect(try Curl.run("\(base)/nobody").status == 404)
            #expect(try Curl.run("\(base)/nobody?at=never").status == 400)
            #expect(try Curl.run("\(base)/nobody?colour=red").status == 400)
        }
    }

    @Test func retryWithTheSameEventIDIsAnsweredAgainAndCountedOnce() throws {
        try withServer { port, store in
            let body = #"{"key": "a", "timestamp": "2026-01-01T00:00:00Z", "amount": 1}"#
            let arguments = ["-X", "POST", "-H", "X-Event-Id: evt-42", "-d", body]
            let url = "http://127.0.0.1:\(port)/v2/feature-sets/transactions/ingest"
            let first = try Curl.run(url, arguments)
            let retry = try Curl.run(url, arguments)
            #expect(first.status == 200)
            #expect(retry.status == 200)
            #expect(try JSONParser.parse(retry.body) == ["ingested": 1])
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 1)
        }
    }
}
