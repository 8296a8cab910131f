/// A map kept in insertion order for the few keys one request touches: its pairs in an array searched linearly,
/// plus a hash index only past ``linearLimit`` keys, so a one-key request pays no hashing table or set (a `Dictionary`
/// allocates and hashes even for one key) while an N-row request with many keys stays linear in N.
///
/// Used on the write path for the entities one ingest request updates and for the states a snapshot hands to
/// the enrichment step. A value type; iteration yields `(key:value:)` pairs in first-insertion order.
struct SmallOrderedMap<Key: Hashable, Value> {
    /// Keys searched linearly before an index is built.
    static var linearLimit: Int { 8 }

    private(set) var pairs: [(key: Key, value: Value)] = []
    /// Position of each key in ``pairs``; only built past ``linearLimit`` keys.
    private var index: [Key: Int]?

    /// An empty map.
    init() {}

    /// Number of keys.
    var count: Int { pairs.count }

    /// True when no key is held.
    var isEmpty: Bool { pairs.isEmpty }

    /// The keys in insertion order.
    var keys: [Key] { pairs.map(\.key) }

    /// The value of `key`; setting a new key appends it, setting an existing one replaces its value in place,
    /// setting nil removes it.
    subscript(key: Key) -> Value? {
        get { position(of: key).map { pairs[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue {
                    pairs[position].value = newValue
                } else {
                    pairs.remove(at: position)
                    rebuildIndex()
                }
            } else if let newValue {
                pairs.append((key, newValue))
                if index != nil {
                    index?[key] = pairs.count - 1
                } else if pairs.count > Self.linearLimit {
                    rebuildIndex()
                }
            }
        }
    }

    private func position(of key: Key) -> Int? {
        if let index { return index[key] }
        return pairs.firstIndex { $0.key == key }
    }

    private mutating func rebuildIndex() {
        guard pairs.count > Self.linearLimit else {
            index = nil
            return
        }
        var built: [Key: Int] = [:]
        built.reserveCapacity(pairs.count)
        for (position, pair) in pairs.enumerated() { built[pair.key] = position }
        index = built
    }
}

extension SmallOrderedMap: Sequence {
    /// Iterates the pairs in insertion order.
    func makeIterator() -> IndexingIterator<[(key: Key, value: Value)]> {
        pairs.makeIterator()
    }

    /// Exactly ``count``.
    var underestimatedCount: Int { pairs.count }
}

extension SmallOrderedMap: Sendable where Key: Sendable, Value: Sendable {}
