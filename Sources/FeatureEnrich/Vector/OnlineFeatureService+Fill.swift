import ServingGraph

extension OnlineFeatureService {
    /// Writes the imputed values of one entity, in column order, into `values[offset ..< offset + k]` (k the
    /// vector's column count; those slots hold `null` on entry): the one read behind ``values(_:path:at:snapshots:)``
    /// and the enrichment step, which writes straight into the merged body's values. False, leaving the slots
    /// `null` (not imputed), when the entity is in none of the vector's feature sets.
    ///
    /// `key(name)` is the request's value of entity column `name` (nil or `null`: missing); `path` prefixes the
    /// paths of key errors (built only for an error). With `snapshots`, an entity they hold is read from them.
    func fill(
        _ values: inout [Value], offset: Int, path: @autoclosure () -> String, at time: Int64?,
        snapshots: [EntityStateSnapshot], key: (String) -> Value?
    ) throws -> Bool {
        var found = false
        for group in reads {
            let entities = group.entities
            let entityKey = try EntityKeyReader.key(entities: entities, path: path()) { key(entities[$0].name) }
            guard
                let state = try snapshotState(in: snapshots, featureSet: group.featureSet, key: entityKey)
                    ?? store.entityState(position: group.cells.setIndex, key: entityKey)
            else { continue }
            found = true
            store.storePresentValues(
                group.cells, of: state, at: time, positions: group.positions, offset: offset, into: &values)
        }
        guard found else { return false }
        for column in vector.columns.indices {
            let index = offset + column
            if case .double(let number) = values[index], !number.isFinite { values[index] = .null }
            guard values[index].isNull, let rule = imputeRules[column] else { continue }
            values[index] = try impute(rule, column: vector.columns[column])
        }
        return true
    }

    /// The state of `key` in the latest of `snapshots` (of `featureSet`) holding it: `.some(nil)` when that snapshot
    /// has the entity as never ingested, nil when no snapshot covers it (then the store is read).
    private func snapshotState(
        in snapshots: [EntityStateSnapshot], featureSet: String, key: EntityKey
    ) -> EntityState?? {
        for snapshot in snapshots.reversed() where snapshot.featureSet == featureSet {
            if let entry = snapshot.states[key.encoded] { return .some(entry) }
        }
        return nil
    }
}

/// One feature set's part of an online read, as ``OnlineFeatureService/fill(_:offset:path:at:snapshots:key:)``
/// needs it: the set's name and entity columns, the vector positions of its columns and its cell plan.
struct GroupRead: Sendable {
    /// The feature set's name.
    let featureSet: String
    /// Its entity columns, in key order.
    let entities: [EntityColumn]
    /// Vector column positions of the set's columns, in plan order.
    let positions: [Int]
    /// How the store reads the columns.
    let cells: FeatureCellPlan
}
