import FeatureEnrich
import ServingGraph

/// What one `/get-online-features` request reads: its `view:feature` references resolved against the store's
/// feature sets, grouped per set (one read per entity and set), and the join keys to echo first.
struct FeastReadPlan {
    /// One requested feature.
    struct Column {
        /// The feature set (Feast view).
        let featureSet: String
        /// The feature name as requested.
        let name: String
    }

    /// One feature set's share of the request: its columns and their positions in ``columns``.
    struct Group {
        let set: FeatureSetDefinition
        let columns: [ResolvedFeatureVector.Column]
        let positions: [Int]
    }

    /// Requested features in request order.
    let columns: [Column]
    /// Per feature set, in first-use order.
    let groups: [Group]
    /// Join keys of the sets used, in order (each present in the request's entities).
    let joinKeys: [String]

    /// Resolves `references`; 404 for an unknown view, 400 for an unknown feature or a missing join key.
    init(references: [String], store: SQLiteOnlineStore?, entities: ValueObject) throws(FeastError) {
        var columns: [Column] = []
        var vectorReferences: [FeatureReference] = []
        for reference in references {
            let parts = reference.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw .badRequest(message: "feature reference '\(reference)' is not 'view:feature'")
            }
            guard let set = store?.featureSet(named: parts[0]) else { throw .featureViewNotFound(name: parts[0]) }
            let text = "\(parts[0]).\(parts[1]) as c\(columns.count)"
            do {
                vectorReferences.append(try FeatureReference(parsing: text, path: "features[\(columns.count)]"))
            } catch {
                throw .badRequest(message: "feature '\(parts[1])' is not in feature view '\(set.name)'")
            }
            columns.append(Column(featureSet: parts[0], name: parts[1]))
        }
        guard !columns.isEmpty else { throw .badRequest(message: "features: no feature requested") }
        let resolved: ResolvedFeatureVector
        do {
            resolved = try FeatureVectorDefinition(name: "request", features: vectorReferences)
                .resolve(featureSets: store?.featureSets ?? [])
        } catch {
            if case .unknownFeature(let path, let set, let feature) = error {
                _ = path
                throw .badRequest(message: "feature '\(feature)' is not in feature view '\(set)'")
            }
            throw .badRequest(message: "\(error)")
        }
        var groups: [Group] = []
        var joinKeys: [String] = []
        for set in resolved.featureSets {
            let positions = resolved.columns.indices.filter { resolved.columns[$0].featureSet == set.name }
            groups.append(Group(set: set, columns: positions.map { resolved.columns[$0] }, positions: positions))
            for entity in set.entities where !joinKeys.contains(entity.name) {
                guard entities[entity.name] != nil else {
                    throw .badRequest(
                        message: "entities: missing join key '\(entity.name)' of feature view '\(set.name)'")
                }
                joinKeys.append(entity.name)
            }
        }
        self.columns = columns
        self.groups = groups
        self.joinKeys = joinKeys
    }
}
