import Dispatch
import FeatureEnrich
import Foundation
import Synchronization
import Testing

@testable import ModelServer
@testable import ServingGraph

/// `UpdateAggregates` and `EnrichWithFeatures` in a served graph, over real sockets and a real SQLite file.
@Suite(.serialized)
struct EnrichmentGraphTests {
    static let service = """
        {"feature_sets": [{"name": "transactions", "entities": [{"name": "account", "type": "string"}],
                           "timestamp_key": "ts", "features": [{"name": "amount", "type": "double"}],
                           "aggregations": [{"name": "amount", "column": "amount", "operations": ["count", "sum"],
                                             "windows": ["1h"], "period": "10m"}]}],
         \(updateThenEnrich)}
        """

    /// The vector `txv` (count and sum of `transactions.amount` over 1h) and a flow that updates the aggregates
    /// of `user.account` then enriches the request with `txv` into `features` (the tail of a service object).
    static let updateThenEnrich = """
        "feature_vectors": [{"name": "txv", "features": ["transactions.amount_count_1h", "transactions.amount_sum_1h"]}],
         "graph": {"kind": "flow", "steps": {
           "update": {"kind": "task", "class_name": "UpdateAggregates",
                      "class_args": {"feature_set": "transactions", "fields": {"account": "user.account"}}},
           "enrich": {"kind": "task", "class_name": "EnrichWithFeatures", "after": ["update"], "responder": true,
                      "class_args": {"vector": "txv", "keys": {"account": "user.account"}, "into": "features"}}}}
        """

    @Test func updateBeforeEnrichShowsTheRequestInTheAggregatesAndIsCommittedWhenAnswered() throws {
        try ServiceServer.with(service: Self.service) { port, store in
            _ = try Curl.postJSON(port, "/", #"{"user": {"account": "a"}, "amount": 5}"#)
            let second = try Curl.postJSON(port, "/", #"{"user": {"account": "a"}, "amount": 7.5}"#)
            #expect(second.status == 200, "\(second.body)")
            let value = try JSONParser.parse(second.body)
            #expect(value["features"] == ["amount_count_1h": 2.0, "amount_sum_1h": 12.5])
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 2)
        }
    }

    @Test func retriedRequestWithTheSameEventIdIsNotCountedTwice() throws {
        try ServiceServer.with(service: Self.service) { port, _ in
            let body = #"{"user": {"account": "r"}, "amount": 1}"#
            _ = try Curl.postJSON(port, "/", body, headers: ["X-Event-Id: e-1"])
            _ = try Curl.postJSON(port, "/", body, headers: ["X-Event-Id: e-1"])
            let third = try Curl.postJSON(port, "/", body, headers: ["X-Event-Id: e-2"])
            #expect(try JSONParser.parse(third.body)["features"]?["amount_count_1h"] == 2.0)
        }
    }

    @Test(arguments: [
        (#"{"user": {}, "amount": 1}"#, "body.user.account: missing entity key 'account'"),
        (#"{"user": {"account": null}, "amount": 1}"#, "body.user.account: missing entity key 'account'"),
        (#"{"user": {"account": true}, "amount": 1}"#, "body.user.account: expected a string, got boolean"),
        (#"{"user": {"account": [1]}, "amount": 1}"#, "body.user.account: expected a string, got array"),
    ])
    func missingOrMistypedEntityKeyIs400NamingItsBodyPathAndWritesNothing(body: String, message: String) throws {
        try ServiceServer.with(service: Self.service) { port, store in
            let result = try Curl.postJSON(port, "/", body)
            #expect(result.status == 400)
            #expect(try JSONParser.parse(result.body)["error"] == .string(message))
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 0)
        }
    }

    @Test func retriedRequestWithTheSameBodyIdIsAnsweredAgainWithoutCountingTwice() throws {
        try ServiceServer.with(service: Self.service) { port, store in
            let body = #"{"id": "b-1", "user": {"account": "i"}, "amount": 4}"#
            let first = try Curl.postJSON(port, "/", body)
            let retry = try Curl.postJSON(port, "/", body)
            #expect(first.status == 200)
            #expect(retry.status == 200)
            #expect(try JSONParser.parse(retry.body)["features"] == ["amount_count_1h": 1.0, "amount_sum_1h": 4.0])
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 1)
        }
    }

    @Test func vectorNamingAnUnknownFeatureSetFailsAtLoadNamingIt() throws {
        let service = Self.service.replacingOccurrences(
            of: #""transactions.amount_sum_1h"]"#, with: #""payments.amount_sum_1h"]"#)
        #expect {
            try ServiceServer.with(service: service) { _, _ in }
        } throws: { error in
            "\(error)" == "txv.features[1]: unknown feature set 'payments'"
        }
    }

    @Test func updateAfterFetchShowsEachConcurrentRequestTheAggregatesWithoutItsOwnEvent() throws {
        let service = Self.service.replacingOccurrences(
            of: #""class_args": {"feature_set": "transactions","#,
            with: #""class_args": {"feature_set": "transactions", "update": "after_fetch","#)
        try ServiceServer.with(service: service) { port, store in
            let counts = Mutex<[Double]>([])
            DispatchQueue.concurrentPerform(iterations: 30) { _ in
                guard let result = try? Curl.postJSON(port, "/", #"{"user": {"account": "one"}, "amount": 1}"#),
                    result.status == 200, let features = (try? JSONParser.parse(result.body))?["features"]
                else { return }
                counts.withLock { $0.append(features["amount_count_1h"]?.doubleValue ?? 0) }
            }
            let logged = try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log")
            #expect(counts.withLock { $0.sorted() } == (0..<30).map(Double.init))
            #expect(logged == 30)
        }
    }

    @Test func concurrentRequestsOnHotKeysLoseNoUpdate() throws {
        try ServiceServer.with(service: Self.service) { port, _ in
            let acknowledged = Atomic<Int>(0)
            DispatchQueue.concurrentPerform(iterations: 40) { index in
                let account = "hot\(index % 4)"
                if let result = try? Curl.postJSON(port, "/", #"{"user": {"account": "\#(account)"}, "amount": 1}"#),
                    result.status == 200
                {
                    acknowledged.add(1, ordering: .relaxed)
                }
            }
            var total = 0.0
            for key in 0..<4 {
                let read = try Curl.run(
                    "http://127.0.0.1:\(port)/v2/feature-sets/transactions/entities/hot\(key)?features=amount_count_1h")
                total += try JSONParser.parse(read.body)["features"]?["amount_count_1h"]?.doubleValue ?? -1
            }
            #expect(acknowledged.load(ordering: .relaxed) == 40)
            #expect(total == Double(acknowledged.load(ordering: .relaxed)))
        }
    }

    @Test func eachConcurrentRequestOnOneKeySeesExactlyTheAggregatesUpToItsOwnUpdate() throws {
        try ServiceServer.with(service: Self.service) { port, _ in
            let counts = Mutex<[Double]>([])
            DispatchQueue.concurrentPerform(iterations: 30) { _ in
                guard let result = try? Curl.postJSON(port, "/", #"{"user": {"account": "one"}, "amount": 1}"#),
                    let count = (try? JSONParser.parse(result.body))?["features"]?["amount_count_1h"]?.doubleValue
                else { return }
                counts.withLock { $0.append(count) }
            }
            #expect(counts.withLock { $0.sorted() } == (1...30).map(Double.init))
        }
    }
}
