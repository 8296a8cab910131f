/// The keys of an enriched body for the last body keys seen: the body's keys followed by the vector's columns,
/// kept while clients send the same body shape, so merging shares one keys array instead of building one per
/// request. Nil for a body that already holds a column's name (the step then merges member by member).
///
/// Loop-confined, like the graph step that owns it (each event loop builds its own graph).
final class MergedBodyKeys {
    /// The vector's column names, in order.
    let columns: [String]
    private var lastBodyKeys: [String] = []
    private var lastMerged: [String]?

    /// Keys merging `columns` after a body's.
    init(columns: [String]) {
        self.columns = columns
    }

    /// `bodyKeys` then the columns; nil when a body key is a column name.
    func keys(after bodyKeys: [String]) -> [String]? {
        if let lastMerged, bodyKeys == lastBodyKeys { return lastMerged }
        for key in bodyKeys where columns.contains(key) { return nil }
        let merged = bodyKeys + columns
        (lastBodyKeys, lastMerged) = (bodyKeys, merged)
        return merged
    }
}

@available(*, unavailable)
extension MergedBodyKeys: Sendable {}
