import FeatureEnrich
import Foundation
import Testing

@testable import ModelServer
@testable import ServingGraph

/// Feature validators on every HTTP write path of `serve run service.json` (the ingest endpoint, Feast `/push`,
/// `UpdateAggregates` in a graph) and in the catalog, in process, over real sockets with curl and a real SQLite
/// file.
@Suite(.serialized)
struct ValidationEndpointTests {
    static let service = """
        {"feature_sets": [
           {"name": "transactions", "entities": [{"name": "account", "type": "string"}], "timestamp_key": "ts",
            "features": [{"name": "amount", "type": "double", "validators": {"min": 0, "max": 1000}},
                         {"name": "country", "type": "string", "validators": {"allowed": ["US", "DE"]}}],
            "aggregations": [{"name": "amount", "column": "amount", "operations": ["count", "sum"],
                              "windows": ["1h"], "period": "10m"}]},
           {"name": "scores", "entities": [{"name": "account", "type": "string"}], "timestamp_key": "ts",
            "features": [{"name": "score", "type": "double", "validators": {"max": 1}},
                         {"name": "country", "type": "string"}],
            "validation_policy": "drop_feature"},
           {"name": "clicks", "entities": [{"name": "account", "type": "string"}], "timestamp_key": "ts",
            "features": [{"name": "clicks", "type": "int64", "validators": {"min": 0, "not_null": true}}],
            "validation_policy": "warn"}],
         \(EnrichmentGraphTests.updateThenEnrich)}
        """

    @Test func ingestEndpointRejectsTheRequestWith400NamingRowFieldAndValidator() throws {
        try ServiceServer.with(service: Self.service) { port, store in
            let result = try Curl.postJSON(
                port, "/v2/feature-sets/transactions/ingest",
                #"[{"account": "a", "ts": 1767225600, "amount": 5}, {"account": "a", "ts": 1767225660, "amount": -2}]"#)
            #expect(result.status == 400)
            let body = try JSONParser.parse(result.body)
            #expect(body["row"] == 1)
            #expect(body["field"] == "amount")
            #expect(body["validator"] == "min")
            #expect(
                body["error"]
                    == "feature set 'transactions': event 1 rejected: field 'amount' fails validator min: -2 is below 0"
            )
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 0)
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM entity_state") == 0)
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM feature_stats") == 0)
        }
    }

    @Test func feastPushOfARejectedRowAnswers400NamingTheField() throws {
        try ServiceServer.with(service: Self.service) { port, store in
            let result = try Curl.postJSON(
                port, "/push",
                #"{"push_source_name": "transactions", "df": {"account": ["a", "b"], "amount": [1, 2],"#
                    + #" "country": ["US", "FR"]}}"#)
            #expect(result.status == 400)
            let message = try #require(try JSONParser.parse(result.body).stringValue)
            #expect(
                message.contains(#"event 1 rejected: field 'country' fails validator allowed: \"FR\""#), "\(message)")
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 0)
        }
    }

    @Test func updateAggregatesInAGraphAnswers400NamingTheFieldAndWritesNothing() throws {
        try ServiceServer.with(service: Self.service) { port, store in
            let rejected = try Curl.postJSON(port, "/", #"{"user": {"account": "a"}, "amount": 1500}"#)
            #expect(rejected.status == 400)
            #expect(
                rejected.body.contains("field 'amount' fails validator max: 1500 is above 1000"), "\(rejected.body)")
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log") == 0)
            let accepted = try Curl.postJSON(port, "/", #"{"user": {"account": "a"}, "amount": 10}"#)
            #expect(accepted.status == 200, "\(accepted.body)")
            #expect(try JSONParser.parse(accepted.body)["features"] == ["amount_count_1h": 1.0, "amount_sum_1h": 10.0])
        }
    }

    @Test func dropFeaturePolicyAnswers200AndStoresTheFeatureAsNull() throws {
        try ServiceServer.with(service: Self.service) { port, store in
            let result = try Curl.postJSON(
                port, "/v2/feature-sets/scores/ingest",
                #"[{"account": "a", "ts": 1767225600, "score": 0.5}, {"account": "a", "ts": 1767225660, "score": 7,"#
                    + #" "country": "DE"}]"#)
            #expect(result.status == 200, "\(result.body)")
            let read = try Curl.run(
                "http://127.0.0.1:\(port)/v2/feature-sets/scores/entities/a?at=2026-01-01T00:05:00Z")
            #expect(try JSONParser.parse(read.body)["features"] == ["score": 0.5, "country": "DE"])
            #expect(
                try StoreFile.rows(store, "SELECT count, null_count, max FROM feature_stats WHERE feature = 'score'")
                    == [[.integer(1), .integer(1), .real(0.5)]])
        }
    }

    @Test func feastPushUnderDropFeatureWritesTheRowWithTheFeatureNull() throws {
        try ServiceServer.with(service: Self.service) { port, store in
            let push = try Curl.postJSON(
                port, "/push",
                #"{"push_source_name": "scores", "df": {"account": ["p", "p"], "ts": [1767225600, 1767225660],"#
                    + #" "score": [0.25, 3]}}"#)
            #expect(push.status == 200, "\(push.body)")
            let read = try Curl.run(
                "http://127.0.0.1:\(port)/v2/feature-sets/scores/entities/p?at=2026-01-01T00:05:00Z&features=score")
            #expect(try JSONParser.parse(read.body)["features"] == ["score": 0.25])
            #expect(
                try StoreFile.rows(store, "SELECT feature, validator, dropped FROM feature_violations")
                    == [[.text("score"), .text("max"), .integer(1)]])
        }
    }

    @Test func warnPolicyAnswers200WritesEveryEventAndCountsTheViolations() throws {
        try ServiceServer.with(service: Self.service) { port, store in
            let result = try Curl.postJSON(
                port, "/v2/feature-sets/clicks/ingest",
                #"[{"account": "w", "ts": 1767225600, "clicks": -4}, {"account": "w", "ts": 1767225660},"#
                    + #" {"account": "w", "ts": 1767225720, "clicks": 9}]"#)
            #expect(result.status == 200, "\(result.body)")
            #expect(try JSONParser.parse(result.body) == ["ingested": 3])
            #expect(try StoreFile.integer(store, "SELECT COUNT(*) FROM event_log WHERE feature_set = 'clicks'") == 3)
            #expect(
                try StoreFile.rows(
                    store, "SELECT count, null_count, mean, min, max FROM feature_stats WHERE feature = 'clicks'")
                    == [[.integer(2), .integer(1), .real(2.5), .real(-4), .real(9)]])
            #expect(
                try StoreFile.rows(
                    store, "SELECT validator, warned FROM feature_violations WHERE feature = 'clicks' ORDER BY 1")
                    == [[.text("min"), .integer(1)], [.text("not_null"), .integer(1)]])
        }
    }

    @Test func catalogShowsRejectedCountsPerFeatureAndValidator() throws {
        try ServiceServer.with(service: Self.service) { port, _ in
            let bad = #"{"account": "a", "ts": 1767225600, "amount": -1}"#
            #expect(try Curl.postJSON(port, "/v2/feature-sets/transactions/ingest", bad).status == 400)
            #expect(try Curl.postJSON(port, "/v2/feature-sets/transactions/ingest", bad).status == 400)
            // The writer commits in order: once this answers, both rejections are counted.
            let good = #"{"account": "a", "ts": 1767225600, "amount": 1, "country": "US"}"#
            #expect(try Curl.postJSON(port, "/v2/feature-sets/transactions/ingest", good).status == 200)
            let entry = try JSONParser.parse(Curl.run("http://127.0.0.1:\(port)/v2/feature-sets/transactions").body)
            #expect(entry["violations"] == ["amount": ["min": ["count": 2, "rejected": 2, "warned": 0, "dropped": 0]]])
            #expect(entry["statistics"]?["amount"]?["count"] == 1)
            #expect(entry["statistics"]?["amount"]?["null_count"] == 0)
            #expect(entry["definition"]?["validation_policy"] == "reject")
        }
    }
}
