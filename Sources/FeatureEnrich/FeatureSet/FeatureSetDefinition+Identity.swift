import ServingGraph

// MARK: - Stable hash and differences

extension FeatureSetDefinition {
    /// A canonical text of everything that affects stored state or output: one line per field, in definition
    /// order, durations as written. Equal definitions give equal text on every platform and run.
    public var canonicalEncoding: String {
        var lines = ["name=\(Self.escaped(name))"]
        lines += entities.map { "entity=\(Self.escaped($0.name)):\($0.type.rawValue)" }
        lines.append("timestamp_key=\(Self.escaped(timestampKey))")
        lines += features.map { "feature=\(Self.escaped($0.name)):\($0.type.rawValue)" }
        lines += aggregations.map(Self.canonical)
        lines.append("ttl=\(ttl?.text ?? "-")")
        return lines.joined(separator: "\n")
    }

    /// FNV-1a 64 over ``canonicalEncoding``: stored with persisted state so a changed definition is detected.
    public var definitionHash: UInt64 { Self.fnv1a(canonicalEncoding) }

    private static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The catalog identity: ``canonicalEncoding`` plus, when any feature declares validators, one line per
    /// validated feature and the policy. A changed validator is a new catalog version but keeps the online state
    /// (``definitionHash``) valid; a set without validators has the identity of its state.
    public var identityEncoding: String {
        guard hasValidators else { return canonicalEncoding }
        var lines = [canonicalEncoding]
        for feature in features where !feature.validators.isEmpty {
            lines.append("validators=\(Self.escaped(feature.name)):\(feature.validators.canonicalText)")
        }
        lines.append("validation_policy=\(validationPolicy.rawValue)")
        return lines.joined(separator: "\n")
    }

    /// FNV-1a 64 over ``identityEncoding``: stored as `feature_sets.definition_hash`, so a changed validator
    /// registers a new catalog version. Equal to ``definitionHash`` when no validators are declared.
    public var identityHash: UInt64 { Self.fnv1a(identityEncoding) }

    /// Human-readable changes from `other` to `self` (empty when they are equal), such as
    /// `aggregation 'amount': windows changed from [1h, 24h] to [1h, 2h]`.
    public func differences(from other: FeatureSetDefinition) -> [String] {
        var changes: [String] = []
        if name != other.name { changes.append("name changed from '\(other.name)' to '\(name)'") }
        if entities != other.entities {
            changes.append("entities changed from \(Self.list(other.entities)) to \(Self.list(entities))")
        }
        if timestampKey != other.timestampKey {
            changes.append("timestamp_key changed from '\(other.timestampKey)' to '\(timestampKey)'")
        }
        let oldFeatures = Dictionary(other.features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let newFeatures = Dictionary(features.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for feature in other.features where newFeatures[feature.name] == nil {
            changes.append("feature '\(feature.name)' removed")
        }
        for feature in features {
            guard let old = oldFeatures[feature.name] else {
                changes.append("feature '\(feature.name)' added")
                continue
            }
            if old.type != feature.type {
                changes.append(
                    "feature '\(feature.name)': type changed from \(old.type.rawValue) to \(feature.type.rawValue)")
            }
            if old.validators != feature.validators {
                changes.append(
                    "feature '\(feature.name)': validators changed from \(JSONWriter.string(old.validators.jsonValue)) "
                        + "to \(JSONWriter.string(feature.validators.jsonValue))")
            }
        }
        if features.map(\.name) != other.features.map(\.name),
            Set(features.map(\.name)) == Set(other.features.map(\.name))
        {
            changes.append("features reordered")
        }
        changes += aggregationDifferences(from: other)
        if validationPolicy != other.validationPolicy, hasValidators || other.hasValidators {
            changes.append(
                "validation_policy changed from \(other.validationPolicy.rawValue) to \(validationPolicy.rawValue)")
        }
        if ttl != other.ttl {
            changes.append("ttl changed from \(other.ttl?.text ?? "none") to \(ttl?.text ?? "none")")
        }
        return changes
    }

    private func aggregationDifferences(from other: FeatureSetDefinition) -> [String] {
        var changes: [String] = []
        let old = Dictionary(other.aggregations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let new = Dictionary(aggregations.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for aggregation in other.aggregations where new[aggregation.name] == nil {
            changes.append("aggregation '\(aggregation.name)' removed")
        }
        for aggregation in aggregations {
            let label = "aggregation '\(aggregation.name)'"
            guard let before = old[aggregation.name] else {
                changes.append("\(label) added")
                continue
            }
            if before.column != aggregation.column {
                changes.append("\(label): column changed from '\(before.column)' to '\(aggregation.column)'")
            }
            if before.operations != aggregation.operations {
                let from = before.operations.map(\.rawValue).joined(separator: ", ")
                let to = aggregation.operations.map(\.rawValue).joined(separator: ", ")
                changes.append("\(label): operations changed from [\(from)] to [\(to)]")
            }
            if before.windows != aggregation.windows {
                let from = before.windows.map(\.text).joined(separator: ", ")
                let to = aggregation.windows.map(\.text).joined(separator: ", ")
                changes.append("\(label): windows changed from [\(from)] to [\(to)]")
            }
            if before.period != aggregation.period {
                changes.append(
                    "\(label): period changed from \(before.period?.text ?? "none (fixed)") "
                        + "to \(aggregation.period?.text ?? "none (fixed)")")
            }
        }
        if aggregations.map(\.name) != other.aggregations.map(\.name),
            Set(aggregations.map(\.name)) == Set(other.aggregations.map(\.name))
        {
            changes.append("aggregations reordered")
        }
        return changes
    }

    private static func canonical(_ aggregation: AggregationDefinition) -> String {
        let operations = aggregation.operations.map(\.rawValue).joined(separator: ",")
        let windows = aggregation.windows.map(\.text).joined(separator: ",")
        return "aggregation=\(escaped(aggregation.name)):\(escaped(aggregation.column)):[\(operations)]"
            + ":[\(windows)]:\(aggregation.period?.text ?? "-")"
    }

    private static func list(_ entities: [EntityColumn]) -> String {
        "[" + entities.map { "\($0.name):\($0.type.rawValue)" }.joined(separator: ", ") + "]"
    }

    /// Escapes the separators of the canonical text so distinct names never encode alike.
    private static func escaped(_ text: String) -> String {
        var result = ""
        for character in text {
            switch character {
            case "\\": result += "\\\\"
            case ":": result += "\\:"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
