/// Columns of one feature set as an online read takes them from an entity state, resolved once from their names
/// (``SQLiteOnlineStore/cellPlan(featureSet:columns:)``): the set's position in the store, its `ttl`, and per
/// column a feature index or an aggregate output index, so a read of many entities never looks a name up.
///
/// Made by and valid for the store that resolved it (the store's feature sets are fixed while it is open).
package struct FeatureCellPlan: Sendable {
    /// Where one column's value is in an entity state.
    package enum Source: Sendable, Equatable {
        /// Plain feature `index` of the set (``EntityState/latestFeatures``).
        case feature(Int)
        /// Aggregate output `index` (``FeatureSetAggregator/outputColumns``); nil for a name the set does not
        /// produce (read as ``FeatureCell/Status/nullValue``).
        case aggregate(Int?)
    }

    /// The feature set's position among the store's feature sets.
    let setIndex: Int
    /// The set's `ttl` in milliseconds (nil: values never expire).
    let ttl: Int64?
    /// Per column, in order.
    package let sources: [Source]
    /// True when some column is an aggregate (the read then ages the windows once).
    let readsAggregates: Bool

    init(setIndex: Int, ttl: Int64?, sources: [Source]) {
        self.setIndex = setIndex
        self.ttl = ttl
        self.sources = sources
        readsAggregates = sources.contains { if case .aggregate = $0 { true } else { false } }
    }

    /// Number of cells a read appends per entity.
    package var count: Int { sources.count }
}
