import FeatureEnrich

/// The three requests `serve demo` suggests, as copy-pasteable `curl` command lines: a transaction scored
/// through the enrichment graph, the account's online feature vector, and the ingestion of one more event.
/// They name an account the generator always makes and a time just after the generated days.
package struct FraudDemoRequests: Sendable {
    /// The data the requests refer to.
    package let configuration: FraudDataConfiguration
    /// Where the server listens.
    package let host: String
    /// The bound port.
    package let port: Int

    /// Requests for a server on `host:port` serving data generated with `configuration`.
    package init(configuration: FraudDataConfiguration, host: String, port: Int) {
        self.configuration = configuration
        self.host = host
        self.port = port
    }

    /// The account the requests use (`A00007`, or the last one for fewer accounts).
    package var account: String {
        "A" + FraudDatasetWriter.padded(min(7, max(1, configuration.accounts)), 5)
    }

    /// The scored transaction's time: five minutes after the generated data ends.
    package var inferTime: String { RFC3339.string(epochMilliseconds: configuration.endMilliseconds + 300_000) }

    /// The ingested event's time: one minute after ``inferTime``.
    package var ingestTime: String { RFC3339.string(epochMilliseconds: configuration.endMilliseconds + 360_000) }

    /// The body of the infer request.
    package var inferBody: String {
        #"{"account_id": "\#(account)", "timestamp": "\#(inferTime)", "amount": 1450.0, "#
            + #""merchant_category": "electronics", "merchant_risk": 0.26, "is_foreign": 1}"#
    }

    /// The body of the feature-vector request: the vector as of the scored transaction's time (read from
    /// the event log, so the demo's past data shows full windows).
    package var vectorBody: String {
        #"{"entity_rows": [{"account_id": "\#(account)"}], "as_of": "\#(inferTime)"}"#
    }

    /// The body of the ingest request.
    package var ingestBody: String {
        #"[{"account_id": "\#(account)", "timestamp": "\#(ingestTime)", "amount": 12.5, "#
            + #""merchant_category": "grocery", "merchant_risk": 0.02, "is_foreign": 0}]"#
    }

    /// (what it shows, command line) for each of the three requests.
    package var commands: [(title: String, command: String)] {
        let base = "http://\(host == "0.0.0.0" ? "127.0.0.1" : host):\(port)"
        func curl(_ path: String, _ body: String) -> String {
            "curl -s \(base)\(path) -H 'Content-Type: application/json' -d '\(body)'"
        }
        return [
            (
                "score a transaction (update aggregates -> enrich -> XGBoost):",
                curl("/v2/models/fraud/infer", inferBody)
            ),
            (
                "the account's feature vector as of the scored transaction's time (time travel):",
                curl("/v2/feature-vectors/fraud-vector/online", vectorBody)
            ),
            ("ingest one more transaction:", curl("/v2/feature-sets/transactions/ingest", ingestBody)),
        ]
    }
}
