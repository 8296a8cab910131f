/// A feature vector checked against its feature sets: every output column knows its set and its source.
///
/// Built once at load (``FeatureVectorDefinition/resolve(featureSets:)``); online reads, training sets and
/// graph steps all use the same column list, so a served vector and a training row have the same columns.
public struct ResolvedFeatureVector: Sendable, Hashable {
    /// Where a column's value comes from within its feature set.
    public enum Source: Sendable, Hashable {
        /// A plain feature: index into ``FeatureSetDefinition/features``.
        case feature(index: Int)
        /// An aggregation output column such as `amount_avg_1h`.
        case aggregation(column: String)
    }

    /// One output column of the vector.
    public struct Column: Sendable, Hashable {
        /// Output name: the alias, else the feature name.
        public let name: String
        /// The feature set it comes from.
        public let featureSet: String
        /// The feature or aggregation column within the set.
        public let feature: String
        /// How to read it from the set's entity state.
        public let source: Source
    }

    /// The definition this was resolved from.
    public let definition: FeatureVectorDefinition
    /// Output columns in declared order (the label is not among them).
    public let columns: [Column]
    /// The label column for training sets, if declared.
    public let label: Column?
    /// Entity key columns a request supplies, in order.
    public let entityKeys: [String]
    /// The feature sets used, in order of first use, with their definitions.
    public let featureSets: [FeatureSetDefinition]

    /// Columns of one feature set, in vector order.
    public func columns(of featureSet: String) -> [Column] {
        columns.filter { $0.featureSet == featureSet }
    }
}

extension FeatureVectorDefinition {
    /// Checks every reference against `featureSets` (by name) and fixes the output columns.
    public func resolve(featureSets available: [FeatureSetDefinition]) throws(FeatureVectorError)
        -> ResolvedFeatureVector
    {
        var byName: [String: FeatureSetDefinition] = [:]
        for set in available { byName[set.name] = set }
        var columns: [ResolvedFeatureVector.Column] = []
        var used: [FeatureSetDefinition] = []
        var outputNames = Set<String>()
        for (index, reference) in features.enumerated() {
            let path = "\(name).features[\(index)]"
            let resolved = try Self.columns(for: reference, in: byName, path: path)
            for column in resolved {
                guard outputNames.insert(column.name).inserted else {
                    throw .duplicateOutput(path: path, name: column.name)
                }
                columns.append(column)
            }
            if let set = byName[reference.featureSet], !used.contains(where: { $0.name == set.name }) {
                used.append(set)
            }
        }
        var label: ResolvedFeatureVector.Column?
        if let labelFeature {
            let path = "\(name).label_feature"
            label = try Self.columns(for: labelFeature, in: byName, path: path).first
            if let labelName = label?.name, outputNames.contains(labelName) {
                throw .duplicateOutput(path: path, name: labelName)
            }
        }
        let setEntityColumns = used.flatMap { $0.entities.map(\.name) }
        var keys: [String] = []
        if let entityKeys {
            for (index, key) in entityKeys.enumerated() where !setEntityColumns.contains(key) {
                throw .unknownEntityKey(path: "\(name).entity_keys[\(index)]", name: key)
            }
            keys = entityKeys
        } else {
            for key in setEntityColumns where !keys.contains(key) { keys.append(key) }
        }
        return ResolvedFeatureVector(
            definition: self, columns: columns, label: label, entityKeys: keys, featureSets: used)
    }

    private static func columns(
        for reference: FeatureReference, in sets: [String: FeatureSetDefinition], path: String
    ) throws(FeatureVectorError) -> [ResolvedFeatureVector.Column] {
        guard let set = sets[reference.featureSet] else {
            throw .unknownFeatureSet(path: path, name: reference.featureSet)
        }
        guard let feature = reference.feature else {
            let plain = set.features.enumerated().map { index, feature in
                ResolvedFeatureVector.Column(
                    name: feature.name, featureSet: set.name, feature: feature.name, source: .feature(index: index))
            }
            let aggregated = set.aggregations.flatMap(\.outputNames).map { column in
                ResolvedFeatureVector.Column(
                    name: column, featureSet: set.name, feature: column, source: .aggregation(column: column))
            }
            return plain + aggregated
        }
        let output = reference.alias ?? feature
        if let index = set.features.firstIndex(where: { $0.name == feature }) {
            return [.init(name: output, featureSet: set.name, feature: feature, source: .feature(index: index))]
        }
        if set.aggregations.contains(where: { $0.outputNames.contains(feature) }) {
            return [.init(name: output, featureSet: set.name, feature: feature, source: .aggregation(column: feature))]
        }
        throw .unknownFeature(path: path, featureSet: set.name, feature: feature)
    }
}
