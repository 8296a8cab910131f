public import ServingGraph

/// Serves one resolved feature vector from the online store, as MLRun's online feature service does.
///
/// `get` takes entity rows (objects holding the entity key columns, or arrays mapped positionally onto
/// ``ResolvedFeatureVector/entityKeys``) and answers one result per row, in order: an object of the vector's
/// columns in declared order, or with `asList` an array of their values.
///
/// Missing entities, as MLRun: an entity not found in ANY of the vector's feature sets gives a `null` row
/// (not imputed). An entity present in some sets only gets `null` for the other sets' columns, then imputed.
/// A value older than its set's `ttl`, a never-observed feature and an empty window count as missing and are
/// imputed. Impute rules: a constant, or `$mean`, `$min`, `$max`, `$count`, `$std` from the running statistics
/// the store keeps for that feature (for an aggregation column without its own statistics, those of the
/// aggregation's input column); `*` is the default for every column. Only a truly missing entity gives `null`
/// (MLRun's all-falsy-row defect is not reproduced).
public final class OnlineFeatureService: Sendable {
    /// The vector served.
    public let vector: ResolvedFeatureVector
    /// The store it reads.
    public let store: SQLiteOnlineStore
    /// Per feature set used: its definition, its columns with their output positions, and how the store reads
    /// them (resolved once).
    let groups:
        [(
            set: FeatureSetDefinition, columns: [ResolvedFeatureVector.Column], positions: [Int],
            cells: FeatureCellPlan
        )]
    let imputeRules: [Value?]
    /// Per feature set used, what ``fill(_:offset:path:at:snapshots:key:)`` reads (no definition copied per read).
    let reads: [GroupRead]

    /// A service over `store`; throws when a set is not served or an impute rule names an unknown column.
    public init(vector: ResolvedFeatureVector, store: SQLiteOnlineStore) throws(OnlineFeatureError) {
        let name = vector.definition.name
        var groups: [(FeatureSetDefinition, [ResolvedFeatureVector.Column], [Int], FeatureCellPlan)] = []
        for set in vector.featureSets {
            let positions = vector.columns.indices.filter { vector.columns[$0].featureSet == set.name }
            let columns = positions.map { vector.columns[$0] }
            guard store.featureSet(named: set.name) != nil,
                let cells = store.cellPlan(featureSet: set.name, columns: columns)
            else { throw .featureSetNotServed(vector: name, featureSet: set.name) }
            groups.append((set, columns, positions, cells))
        }
        let policy = vector.definition.imputePolicy
        let columnNames = Set(vector.columns.map(\.name))
        for (column, rule) in policy.members {
            guard column == "*" || columnNames.contains(column) else {
                throw .unknownImputeColumn(vector: name, column: column)
            }
            if case .string(let text) = rule, text.hasPrefix("$"),
                !["$mean", "$min", "$max", "$count", "$std"].contains(text)
            {
                throw .unknownImputeStatistic(vector: name, column: column, rule: text)
            }
        }
        self.vector = vector
        self.store = store
        self.groups = groups
        self.reads = groups.map {
            GroupRead(featureSet: $0.0.name, entities: $0.0.entities, positions: $0.2, cells: $0.3)
        }
        self.imputeRules = vector.columns.map { policy[$0.name] ?? policy["*"] }
    }

    /// One result per entity row, in order: an object (or with `asList` an array) of the vector's columns, or
    /// `null` for an entity found in none of the vector's feature sets. Throws ``OnlineFeatureError`` naming
    /// `entity_rows[i].<key>` for a missing or mistyped key.
    public func get(_ entityRows: [Value], asList: Bool = false, at time: Int64? = nil) throws -> [Value] {
        try results(entityRows, asList: asList) { row, path in try values(row, path: path, at: time) }
    }

    /// One result per entity row, shaped as ``get(_:asList:at:)`` answers: `values(row, "entity_rows[i]")` in
    /// column order as an object (or with `asList` an array), `null` where it gives nil.
    func results(
        _ entityRows: [Value], asList: Bool, _ values: (Value, String) throws -> [Value]?
    ) rethrows -> [Value] {
        var results: [Value] = []
        results.reserveCapacity(entityRows.count)
        for (index, row) in entityRows.enumerated() {
            guard let values = try values(row, "entity_rows[\(index)]") else {
                results.append(.null)
                continue
            }
            if asList {
                results.append(.array(values))
            } else {
                var object = ValueObject(minimumCapacity: values.count)
                for (column, value) in zip(vector.columns, values) { object[column.name] = value }
                results.append(.object(object))
            }
        }
        return results
    }

    /// The imputed values of one entity row in column order, or nil when the entity is in none of the sets.
    /// With `snapshots` (taken by ``SQLiteOnlineStore/ingestAndSnapshot(_:into:eventID:moment:completion:)``), an
    /// entity they hold is read from them (as it was before or after that update): atomic with the update.
    public func values(
        _ row: Value, path: String, at time: Int64? = nil, snapshots: [EntityStateSnapshot] = []
    ) throws -> [Value]? {
        let keys = try keyValues(row, path: path)
        var values = [Value](repeating: .null, count: vector.columns.count)
        guard try fill(&values, offset: 0, path: path, at: time, snapshots: snapshots, key: { keys[$0] }) else {
            return nil
        }
        return values
    }

    func keyValues(_ row: Value, path: String) throws(OnlineFeatureError) -> ValueObject {
        switch row {
        case .object(let object):
            return object
        case .array(let array):
            guard array.count == vector.entityKeys.count else {
                throw .wrongRowLength(path: path, expected: vector.entityKeys.count, got: array.count)
            }
            var object = ValueObject(minimumCapacity: array.count)
            for (key, value) in zip(vector.entityKeys, array) { object[key] = value }
            return object
        default:
            if vector.entityKeys.count == 1, let key = vector.entityKeys.first, !row.isNull {
                var object = ValueObject(minimumCapacity: 1)
                object[key] = row
                return object
            }
            throw .wrongEntityKeyType(path: path, expected: "an object of entity keys or an array", got: row.typeName)
        }
    }

    func impute(_ rule: Value, column: ResolvedFeatureVector.Column) throws -> Value {
        guard case .string(let text) = rule, text.hasPrefix("$") else { return rule }
        let statistic = String(text.dropFirst())
        var statistics = try store.statistics(featureSet: column.featureSet, feature: column.feature)
        if statistics == nil, case .aggregation(let output) = column.source,
            let set = store.featureSet(named: column.featureSet),
            let aggregation = set.aggregations.first(where: { $0.outputNames.contains(output) })
        {
            statistics = try store.statistics(featureSet: column.featureSet, feature: aggregation.column)
        }
        guard let value = statistics?[statistic] else { return .null }
        return statistic == "count" ? .int(Int64(value)) : .double(value)
    }
}
