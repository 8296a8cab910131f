import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// `POST /v2/feature-vectors/{vec}/online` with `as_of` (time travel), over real sockets, against events
/// ingested through `POST /v2/feature-sets/{set}/ingest` into a real SQLite store.
@Suite(.serialized)
struct OnlineAsOfEndpointTests {
    static let service = """
        {"feature_sets": [{"name": "payments", "entities": [{"name": "account", "type": "string"}],
                           "timestamp_key": "ts", "ttl": "30m",
                           "features": [{"name": "amount", "type": "double"}],
                           "aggregations": [{"name": "amount", "column": "amount", "operations": ["count", "sum"],
                                             "windows": ["1h"], "period": "10m"}]}],
         "feature_vectors": [{"name": "pv", "features": ["payments.amount as last", "payments.amount_sum_1h",
                                                         "payments.amount_count_1h"],
                              "impute_policy": {"*": -1}}]}
        """

    /// Serves `service` over a fresh store holding four ingested events; `body` gets the port and the store path.
    private func withServer(_ body: (Int, String) throws -> Void) throws {
        try ServiceServer.with(service: Self.service) { port, store in
            try ingestEvents(port)
            try body(port, store)
        }
    }

    private func ingestEvents(_ port: Int) throws {
        let events = """
            [{"account": "a", "ts": "2026-01-01T00:00:00Z", "amount": 2.5},
             {"account": "a", "ts": "2026-01-01T00:20:00Z", "amount": 4},
             {"account": "b", "ts": "2026-01-01T00:30:00Z", "amount": 10},
             {"account": "a", "ts": "2026-01-01T00:15:00Z", "amount": 1.25}]
            """
        let (status, answer) = try ServingHarness.post(port, "/v2/feature-sets/payments/ingest", events)
        #expect(status == 200, "\(answer)")
    }

    private func online(_ port: Int, _ body: String) throws -> (Int, Value) {
        try ServingHarness.post(port, "/v2/feature-vectors/pv/online", body)
    }

    @Test func answersTheVectorsAsTheyWereAtTheGivenTimeInTheOnlineShape() throws {
        try withServer { port, _ in
            let rows = #"[{"account": "a"}, {"account": "b"}, {"account": "nobody"}]"#
            let (status, answer) = try online(port, #"{"entity_rows": \#(rows), "as_of": "2026-01-01T00:17:00Z"}"#)
            #expect(status == 200, "\(answer)")
            #expect(answer["vector"] == "pv")
            #expect(answer["features"] == ["last", "amount_sum_1h", "amount_count_1h"])
            // At 00:17 account a had the events of 00:00 and 00:15 (the 00:20 one is in the future); b had none.
            #expect(
                answer["results"] == [["last": 1.25, "amount_sum_1h": 3.75, "amount_count_1h": 2.0], .null, .null])

            let (_, asList) = try online(
                port, #"{"entity_rows": [["a"]], "as_list": true, "as_of": 1767227400}"#)
            #expect(asList["results"] == [[4.0, 7.75, 3.0]])
        }
    }

    @Test func asOfLeavesExpiredFeaturesNullWhereTheCurrentVectorImputes() throws {
        try withServer { port, _ in
            // 01:00: a's last amount (00:20) is older than the 30-minute ttl and its 1h window still holds 00:15,
            // 00:20 (00:00 has slid out); nothing is imputed for a past instant.
            let (_, past) = try online(port, #"{"entity_rows": [{"account": "a"}], "as_of": "2026-01-01T01:00:00Z"}"#)
            #expect(past["results"] == [["last": .null, "amount_sum_1h": 5.25, "amount_count_1h": 2.0]])
            let (_, now) = try online(port, #"{"entity_rows": [{"account": "a"}]}"#)
            #expect(now["results"] == [["last": -1, "amount_sum_1h": 0.0, "amount_count_1h": 0.0]])
        }
    }

    @Test func asOfAnswersEqualTheTrainingRowsOfTheSameTimes() throws {
        try withServer { port, storePath in
            // Every 10 minutes from a's first event to well past its last: windows fill, slide and empty.
            let times = (0..<12).map { 1_767_225_600 + Int64($0) * 600 }
            var served: [Value] = []
            for time in times {
                let (_, answer) = try online(port, #"{"entity_rows": [{"account": "a"}], "as_of": \#(time)}"#)
                served.append(answer["results"]?.arrayValue?.first ?? .null)
            }
            let table = EntityTable(
                source: "rows", columns: ["account", "timestamp"],
                rows: times.enumerated().map { index, time in
                    EntityTable.Row(fields: ["a", String(time)], line: index + 1, time: time * 1000)
                })
            let vector = try FeatureVectorDefinition(
                json: try JSONParser.parse(
                    #"{"name": "pv", "features": ["payments.amount as last", "payments.amount_sum_1h", "payments.amount_count_1h"]}"#
                ),
                path: "pv")
            let set = try TrainingSetBuilder(vector: vector, store: try OfflineStoreReader(path: storePath)).build(
                table)
            for index in times.indices {
                var trained = ValueObject()
                for (column, value) in zip(set.featureColumns, set.featureValues(ofRow: index)) {
                    trained[column] = value
                }
                #expect(served[index] == .object(trained), "as_of \(times[index])")
            }
        }
    }

    @Test func badAsOfIs400NamingIt() throws {
        try withServer { port, _ in
            let (status, answer) = try online(port, #"{"entity_rows": [{"account": "a"}], "as_of": "yesterday"}"#)
            #expect(status == 400)
            #expect(answer["error"]?.stringValue?.contains("'as_of'") == true, "\(answer)")
            let (typeStatus, _) = try online(port, #"{"entity_rows": [{"account": "a"}], "as_of": [1]}"#)
            #expect(typeStatus == 400)
        }
    }
}
