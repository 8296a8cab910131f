import FeatureEnrich
import ServingGraph

/// What one `/get-online-features` request reads: its `view:feature` references resolved against the store's
/// feature sets, grouped per set (one read per entity and set), and the join keys to echo first.
///
/// Depends only on the references and the store's (fixed) feature sets, so one plan serves every request with
/// the same feature list (``FeastReadPlanCache``); the request's entities are matched by
/// ``joinKeyColumns(in:)``. A class: requests share it by one reference, never copying its arrays.
final class FeastReadPlan: Sendable {
    /// One requested feature.
    struct Column: Sendable {
        /// The feature set (Feast view).
        let featureSet: String
        /// The feature name as requested.
        let name: String
        /// `view__feature`, the name with `full_feature_names`.
        let fullName: String

        init(featureSet: String, name: String) {
            self.featureSet = featureSet
            self.name = name
            self.fullName = "\(featureSet)__\(name)"
        }
    }

    /// One feature set's share of the request: its entity columns (with their positions in ``joinKeys``) and
    /// how its columns are read.
    struct Group: Sendable {
        let entities: [EntityColumn]
        let joinKeyIndices: [Int]
        let cells: FeatureCellPlan
    }

    /// Requested features in request order.
    let columns: [Column]
    /// Per feature set, in first-use order. A row's cells are read group by group, so they lie in this order.
    let groups: [Group]
    /// Where requested column `j` is among a row's cells (the groups' columns, one after the other).
    let cellOffsets: [Int]
    /// Join keys of the sets used, in order, with the first set that needs each (for the error message).
    let joinKeys: [(name: String, featureSet: String)]
    /// The answer's start, `{"metadata":{"feature_names":[...]},"results":[`, with plain names and with
    /// `view__feature` names (`full_feature_names`).
    let head: (plain: [UInt8], fullNames: [UInt8])

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
        guard let store, !columns.isEmpty else { throw .badRequest(message: "features: no feature requested") }
        let resolved: ResolvedFeatureVector
        do {
            resolved = try FeatureVectorDefinition(name: "request", features: vectorReferences)
                .resolve(featureSets: store.featureSets)
        } catch {
            if case .unknownFeature(_, let set, let feature) = error {
                throw .badRequest(message: "feature '\(feature)' is not in feature view '\(set)'")
            }
            throw .badRequest(message: "\(error)")
        }
        guard resolved.columns.count == columns.count else {
            throw .badRequest(
                message: "features: \(columns.count) references resolved to \(resolved.columns.count) columns")
        }
        var groups: [Group] = []
        var joinKeys: [(name: String, featureSet: String)] = []
        var cellOffsets = Array(repeating: 0, count: resolved.columns.count)
        var offset = 0
        for set in resolved.featureSets {
            let positions = resolved.columns.indices.filter { resolved.columns[$0].featureSet == set.name }
            guard let cells = store.cellPlan(featureSet: set.name, columns: positions.map { resolved.columns[$0] })
            else { throw .featureViewNotFound(name: set.name) }
            for position in positions {
                cellOffsets[position] = offset
                offset += 1
            }
            var joinKeyIndices: [Int] = []
            for entity in set.entities {
                if let index = joinKeys.firstIndex(where: { $0.name == entity.name }) {
                    joinKeyIndices.append(index)
                } else {
                    joinKeyIndices.append(joinKeys.count)
                    joinKeys.append((entity.name, set.name))
                }
            }
            groups.append(Group(entities: set.entities, joinKeyIndices: joinKeyIndices, cells: cells))
        }
        self.columns = columns
        self.groups = groups
        self.cellOffsets = cellOffsets
        self.joinKeys = joinKeys
        let keyNames = joinKeys.map { Value.string($0.name) }
        func head(_ names: [String]) -> [UInt8] {
            let metadata: Value = ["feature_names": .array(keyNames + names.map { .string($0) })]
            return Array(#"{"metadata":"#.utf8) + JSONWriter.bytes(metadata) + Array(#","results":["#.utf8)
        }
        self.head = (head(columns.map(\.name)), head(columns.map(\.fullName)))
    }

    /// The position in `entities` of each of ``joinKeys``; a 400 naming the first join key they lack.
    func joinKeyColumns(in entities: [FeastOnlineRequest.EntityColumn]) throws(FeastError) -> [Int] {
        var found: [Int] = []
        found.reserveCapacity(joinKeys.count)
        for (name, featureSet) in joinKeys {
            guard let index = entities.firstIndex(where: { $0.name == name }) else {
                throw .badRequest(message: "entities: missing join key '\(name)' of feature view '\(featureSet)'")
            }
            found.append(index)
        }
        return found
    }
}
