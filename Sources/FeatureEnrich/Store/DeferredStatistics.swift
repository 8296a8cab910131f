/// The `feature_stats` updates of one store-writer batch, written once per feature at the end of the batch
/// instead of once per item (one upsert per request was ~15% of the writer's instructions on the fraud graph).
///
/// An item stages its statistics (``stage(featureSet:feature:_:)``) as the last step of its work; the writer
/// keeps them only when the item's savepoint is released (``itemEnded(kept:)``), and before COMMIT
/// (``beforeCommit(_:closing:)``) each feature's row is read once, the kept items are folded into it in commit order with
/// the arithmetic of ``StoreStatements/mergeStatistics(_:featureSet:feature:_:)`` (so the row holds the same bits
/// as after one upsert per item), and the row is written back.
///
/// `@unchecked Sendable`: only the store-writer thread touches it (``StoreWriterBatchObserver``'s contract).
package final class DeferredStatistics: StoreWriterBatchObserver, @unchecked Sendable {
    /// One feature's statistics from one item.
    private struct Entry {
        let featureSet: String
        let feature: String
        let statistics: FeatureStatistics
    }

    /// Staged by the item running now and by the batch's kept items, in commit order.
    private var staging = SavepointStaging<Entry>()

    /// Empty.
    package init() {}

    /// Defers the merge of `statistics` into the row of `feature` to the end of the batch (writer thread only).
    package func stage(featureSet: String, feature: String, _ statistics: FeatureStatistics) {
        guard statistics.count > 0 || statistics.nullCount > 0 else { return }
        staging.stage(Entry(featureSet: featureSet, feature: feature, statistics: statistics))
    }

    package func itemEnded(kept: Bool) {
        staging.itemEnded(kept: kept)
    }

    package func beforeCommit(_ connection: SQLiteConnection, closing: Bool) throws {
        let kept = staging.batch
        var done = Array(repeating: false, count: kept.count)
        for first in kept.indices where !done[first] {
            let featureSet = kept[first].featureSet
            let feature = kept[first].feature
            var row = try StoreStatements.loadStatistics(connection, featureSet: featureSet, feature: feature)
            for index in first..<kept.count
            where !done[index] && kept[index].featureSet == featureSet && kept[index].feature == feature {
                done[index] = true
                row = StatisticsRow.merging(row, kept[index].statistics)
            }
            if let row {
                try StoreStatements.storeStatistics(connection, featureSet: featureSet, feature: feature, row)
            }
        }
    }

    package func batchEnded(committed: Bool) {
        staging.batchEnded()
    }
}
