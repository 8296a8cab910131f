import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// Feast's endpoints and the feature-vector endpoint of `serve run service.json`, in process, over real sockets
/// with curl as the client and a real SQLite file.
@Suite(.serialized)
struct FeastEndpointTests {
    static let service = """
        {"feature_sets": [{"name": "customer_stats", "entities": [{"name": "customer_id", "type": "int64"}],
                           "timestamp_key": "event_timestamp",
                           "features": [{"name": "amount_avg_1d", "type": "double"},
                                        {"name": "txn_count_7d", "type": "int64"},
                                        {"name": "country", "type": "string"}]}],
         "feature_services": [{"name": "svc", "features": ["customer_stats:country"]}],
         "feature_vectors": [{"name": "vec", "features": ["customer_stats.amount_avg_1d", "customer_stats.country"],
                              "impute_policy": {"country": "none"}}]}
        """

    /// Serves `service` over a fresh store; `body` gets the port.
    private func withServer(service: String = Self.service, _ body: (Int) throws -> Void) throws {
        try ServiceServer.with(service: service) { port, _ in try body(port) }
    }

    private func pushTwoCustomers(_ port: Int) throws {
        let push = try Curl.postJSON(
            port, "/push",
            #"{"push_source_name": "customer_stats", "to": "online", "df": {"customer_id": [7, 8],"#
                + #" "amount_avg_1d": [59.0, 12.5], "txn_count_7d": [3, 4], "country": ["US", "DE"]}}"#)
        #expect(push.status == 200, "\(push.body)")
    }

    @Test func pushedRowsAreServedColumnMajorWithStatuses() throws {
        try withServer { port in
            try pushTwoCustomers(port)
            let result = try Curl.postJSON(
                port, "/get-online-features",
                #"{"features": ["customer_stats:amount_avg_1d", "customer_stats:txn_count_7d"],"#
                    + #" "entities": {"customer_id": [8, 999, 7]}, "full_feature_names": true}"#)
            #expect(result.status == 200, "\(result.body)")
            let value = try JSONParser.parse(result.body)
            #expect(
                value["metadata"]?["feature_names"]
                    == ["customer_id", "customer_stats__amount_avg_1d", "customer_stats__txn_count_7d"])
            let results = try #require(value["results"]?.arrayValue)
            #expect(results[0]["values"] == [8, 999, 7])
            #expect(results[1]["values"] == [12.5, .null, 59.0])
            #expect(results[1]["statuses"] == ["PRESENT", "NOT_FOUND", "PRESENT"])
            #expect(results[2]["values"] == [4, .null, 3])
            #expect(result.body.contains("59.0"))
        }
    }

    @Test func featureServiceFormServesTheServicesFeatures() throws {
        try withServer { port in
            try pushTwoCustomers(port)
            let result = try Curl.postJSON(
                port, "/get-online-features", #"{"feature_service": "svc", "entities": {"customer_id": [7]}}"#)
            let value = try JSONParser.parse(result.body)
            #expect(value["metadata"]?["feature_names"] == ["customer_id", "country"])
            #expect(value["results"]?.arrayValue?[1]["values"] == ["US"])
        }
    }

    @Test func repeatedFeatureListsAnswerAlikeAndAMissingJoinKeyIsStill400() throws {
        try withServer { port in
            try pushTwoCustomers(port)
            let body = #"{"features": ["customer_stats:country"], "entities": {"customer_id": [8]}}"#
            let first = try Curl.postJSON(port, "/get-online-features", body)
            let second = try Curl.postJSON(port, "/get-online-features", body)
            #expect(first.status == 200 && second.status == 200)
            #expect(first.body == second.body)
            #expect(try JSONParser.parse(first.body)["results"]?.arrayValue?[1]["values"] == ["DE"])
            let missing = try Curl.postJSON(
                port, "/get-online-features", #"{"features": ["customer_stats:country"], "entities": {"id": [8]}}"#)
            #expect(missing.status == 400)
            #expect(missing.body.contains("missing join key 'customer_id'"))
        }
    }

    @Test func theBytesReaderAndTheGeneralPathAnswerByteForByteAlike() throws {
        try withServer { port in
            try pushTwoCustomers(port)
            let features = #""features": ["customer_stats:country", "customer_stats:amount_avg_1d"]"#
            let entities = #""entities": {"customer_id": [7, 999, "8"]}"#
            // The reader declines a repeated member; the general path reads it (the last one wins).
            let bodies = [
                "{\(features), \(entities)}", "{\(features), \(entities)}",
                #"{"full_feature_names": true, "# + "\(features), \(entities), " + #""full_feature_names": false}"#,
            ]
            let answers = try bodies.map { try Curl.postJSON(port, "/get-online-features", $0) }
            #expect(answers.map(\.status) == [200, 200, 200])
            #expect(answers[1].body == answers[0].body && answers[2].body == answers[0].body)
            let results = try #require(try JSONParser.parse(answers[0].body)["results"]?.arrayValue)
            #expect(results[0]["values"] == [7, 999, "8"])
            #expect(results[1]["values"] == ["US", .null, "DE"])
            #expect(results[1]["statuses"] == ["PRESENT", "NOT_FOUND", "PRESENT"])
            #expect(results[2]["values"] == [59.0, .null, 12.5])
            #expect(results[2]["event_timestamps"]?.arrayValue?[1] == "1970-01-01T00:00:00Z")
        }
    }

    @Test func entityColumnsOfDifferentLengthsAre400() throws {
        try withServer { port in
            let result = try Curl.postJSON(
                port, "/get-online-features",
                #"{"features": ["customer_stats:country"], "entities": {"customer_id": [1, 2], "other": [1]}}"#)
            #expect(result.status == 400)
            #expect(result.body.contains("differ in length"))
        }
    }

    @Test func unknownFeatureViewIs404WithFeastErrorBody() throws {
        try withServer { port in
            let result = try Curl.postJSON(
                port, "/get-online-features", #"{"features": ["nope:x"], "entities": {"customer_id": [1]}}"#)
            #expect(result.status == 404)
            let detail = try #require(try JSONParser.parse(result.body).stringValue)
            let inner = try JSONParser.parse(detail)
            #expect(inner["class"] == "FeatureViewNotFoundException")
            #expect(inner["module"] == "feast.errors")
        }
    }

    @Test func healthAnswers200() throws {
        try withServer { port in
            let health = try Curl.run("http://127.0.0.1:\(port)/health")
            #expect(health.status == 200)
        }
    }

    @Test func featureVectorOnlineImputesAndAnswersNullForUnknownEntities() throws {
        try withServer { port in
            try pushTwoCustomers(port)
            let result = try Curl.postJSON(
                port, "/v2/feature-vectors/vec/online", #"{"entity_rows": [{"customer_id": 7}, {"customer_id": 5}]}"#)
            #expect(result.status == 200, "\(result.body)")
            let value = try JSONParser.parse(result.body)
            #expect(value["features"] == ["amount_avg_1d", "country"])
            #expect(value["results"] == [["amount_avg_1d": 59.0, "country": "US"], .null])
        }
    }

    @Test func featureVectorOnlineRejectsAMissingEntityKeyWith400NamingThePath() throws {
        try withServer { port in
            let result = try Curl.postJSON(port, "/v2/feature-vectors/vec/online", #"[{"customer_id": 7}, {"id": 5}]"#)
            #expect(result.status == 400)
            #expect(result.body.contains("entity_rows[1].customer_id: missing entity key"))
            let unknown = try Curl.postJSON(port, "/v2/feature-vectors/nope/online", #"[]"#)
            #expect(unknown.status == 404)
        }
    }

    @Test func vectorNamingAnUnknownFeatureFailsAtLoadNamingIt() throws {
        let service = Self.service.replacingOccurrences(
            of: #""customer_stats.country"],"#, with: #""customer_stats.nope"],"#)
        #expect {
            try withServer(service: service) { _ in }
        } throws: { error in
            "\(error)" == "vec.features[1]: feature set 'customer_stats' has no feature 'nope'"
        }
    }
}
