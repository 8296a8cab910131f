/// A key's place in byte order, compared in two integer comparisons for most keys: its first 16 UTF-8 bytes,
/// big-endian, zero-padded. A flush round sorts tens of thousands of keys and then merges them; String
/// comparisons made that ordering cost more per key than writing the key's row.
///
/// Only the order of writes depends on it (neighbouring rows share a page), never what is written.
struct KeyOrder: Sendable {
    private let high: UInt64
    private let low: UInt64
    /// Whether the 16 bytes are the whole key.
    private let isWhole: Bool

    /// The order of `key`.
    init(_ key: String) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var count = 0
        for byte in key.utf8 {
            if count == 16 {
                count += 1
                break
            }
            if count < 8 {
                high |= UInt64(byte) << (56 - 8 * count)
            } else {
                low |= UInt64(byte) << (56 - 8 * (count - 8))
            }
            count += 1
        }
        self.high = high
        self.low = low
        self.isWhole = count <= 16
    }

    /// Whether `left`'s first 16 bytes come before `right`'s; nil when they are the same (then, unless both keys
    /// are whole, the keys themselves decide: ``precedes(_:_:_:_:)``).
    static func prefixPrecedes(_ left: KeyOrder, _ right: KeyOrder) -> Bool? {
        if left.high != right.high { return left.high < right.high }
        if left.low != right.low { return left.low < right.low }
        return nil
    }

    /// Whether the keys of two orders with the same 16-byte prefix may still differ.
    static func needKeys(_ left: KeyOrder, _ right: KeyOrder) -> Bool { !(left.isWhole && right.isWhole) }

    /// Whether `leftKey` (of order `left`) comes before `rightKey` in byte order; nil when the two are equal (or,
    /// for keys of at most 16 bytes, differ only by trailing zero bytes). `leftKey` and `rightKey` are read only
    /// when the prefixes tie.
    static func precedes(
        _ left: KeyOrder, _ leftKey: @autoclosure () -> String, _ right: KeyOrder,
        _ rightKey: @autoclosure () -> String
    ) -> Bool? {
        if let prefix = prefixPrecedes(left, right) { return prefix }
        guard needKeys(left, right) else { return nil }
        let leftKey = leftKey()
        let rightKey = rightKey()
        if leftKey == rightKey { return nil }
        return leftKey.utf8.lexicographicallyPrecedes(rightKey.utf8)
    }
}
