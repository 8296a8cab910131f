import FeatureEnrich
import ServingGraph

/// What one `/get-online-features` request reads: its `view:feature` references resolved against the store's
/// feature sets, grouped per set (one read per entity and set), and the join keys to echo first.
///
/// Depends only on the references and the store's (fixed) feature sets, so one plan serves every request with
/// the same feature list (``FeastReadPlanCache``); the request's entities are checked by ``checkJoinKeys(in:)``.
struct FeastReadPlan: Sendable {
    /// One requested feature.
    struct Column: Sendable {
        /// The feature set (Feast view).
        let featureSet: String
        /// The feature name as requested.
        let name: String
        /// `view__feature`, the name with `full_feature_names`.
        let fullName: String
        /// ``name`` and ``fullName`` as JSON strings, written into every response.
        let nameJSON: [UInt8]
        let fullNameJSON: [UInt8]

        init(featureSet: String, name: String) {
            self.featureSet = featureSet
            self.name = name
            self.fullName = "\(featureSet)__\(name)"
            self.nameJSON = JSONWriter.bytes(.string(name))
            self.fullNameJSON = JSONWriter.bytes(.string(fullName))
        }
    }

    /// One feature set's share of the request: its columns and their positions in ``columns``.
    struct Group: Sendable {
        let set: FeatureSetDefinition
        let columns: [ResolvedFeatureVector.Column]
        let positions: [Int]
    }

    /// Requested features in request order.
    let columns: [Column]
    /// Per feature set, in first-use order.
    let groups: [Group]
    /// Join keys of the sets used, in order, with the first set that needs each (for the error message).
    let joinKeys: [(name: String, featureSet: String)]
    /// The join key names as JSON strings.
    let joinKeyJSON: [[UInt8]]

    /// Resolves `references`; 404 for an unknown view, 400 for an unknown feature.
    init(references: [String], store: SQLiteOnlineStore?) throws(FeastError) {
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
            if case .unknownFeature(_, let set, let feature) = error {
                throw .badRequest(message: "feature '\(feature)' is not in feature view '\(set)'")
            }
            throw .badRequest(message: "\(error)")
        }
        var groups: [Group] = []
        var joinKeys: [(name: String, featureSet: String)] = []
        for set in resolved.featureSets {
            let positions = resolved.columns.indices.filter { resolved.columns[$0].featureSet == set.name }
            groups.append(Group(set: set, columns: positions.map { resolved.columns[$0] }, positions: positions))
            for entity in set.entities where !joinKeys.contains(where: { $0.name == entity.name }) {
                joinKeys.append((entity.name, set.name))
            }
        }
        self.columns = columns
        self.groups = groups
        self.joinKeys = joinKeys
        self.joinKeyJSON = joinKeys.map { JSONWriter.bytes(.string($0.name)) }
    }

    /// A 400 naming the first join key of the plan that `entities` lacks.
    func checkJoinKeys(in entities: ValueObject) throws(FeastError) {
        for (name, featureSet) in joinKeys where entities[name] == nil {
            throw .badRequest(message: "entities: missing join key '\(name)' of feature view '\(featureSet)'")
        }
    }
}
