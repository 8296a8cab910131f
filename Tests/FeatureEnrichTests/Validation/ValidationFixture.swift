import FeatureEnrich
import Foundation
import ServingGraph

/// A feature set with every validator kind, and events relative to the current time (for `max_age`).
enum ValidationFixture {
    /// `amount` in [0, 1000] and at most 7 days old, aggregated (count and sum over 1h); `country` one of US, DE
    /// and present; `note` unchecked.
    static func json(policy: String) -> String {
        """
        {"name": "payments", "entities": [{"name": "key", "type": "string"}], "timestamp_key": "timestamp",
         "features": [{"name": "amount", "type": "double", "validators": {"min": 0, "max": 1000, "max_age": "7d"}},
                      {"name": "country", "type": "string", "validators": {"allowed": ["US", "DE"], "not_null": true}},
                      {"name": "note", "type": "string"}],
         "aggregations": [{"name": "amount", "column": "amount", "operations": ["count", "sum"],
                           "windows": ["1h"], "period": "10m"}],
         "validation_policy": "\(policy)"}
        """
    }

    static func definition(policy: String) throws -> FeatureSetDefinition {
        try FeatureSetDefinition(jsonText: json(policy: policy))
    }

    /// The current time in epoch milliseconds, rounded down to a second.
    static func now() -> Int64 {
        Int64(Date.timeIntervalSinceReferenceDate + 978_307_200) * 1000
    }

    /// An event of `key` `minutesAgo` before `now` (epoch seconds), with the given values (nil = absent).
    static func event(
        _ key: String, minutesAgo: Int64, amount: Double?, country: String? = "US", note: String? = nil,
        now: Int64
    ) -> Value {
        var object: ValueObject = ["key": .string(key), "timestamp": .int((now - minutesAgo * 60_000) / 1000)]
        if let amount { object["amount"] = .double(amount) }
        if let country { object["country"] = .string(country) }
        if let note { object["note"] = .string(note) }
        return .object(object)
    }
}
