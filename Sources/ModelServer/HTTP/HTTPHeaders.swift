/// Header fields as an ordered list of `(name, value)`; names compare case-insensitively.
///
/// Repeated fields are all kept in arrival order (RFC 9110 §5.3); `subscript` returns the first.
package struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral {
    /// The fields in arrival order (shared, not copied, by a caller that keeps them as a list).
    package private(set) var fields: [(name: String, value: String)]

    /// No fields.
    package init() {
        fields = []
    }

    /// No fields, with room for `capacity` before the storage grows (one allocation per request head).
    package init(minimumCapacity capacity: Int) {
        fields = []
        fields.reserveCapacity(capacity)
    }

    /// Fields in the literal's order.
    package init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The value of the first field named `name` (any case), or nil.
    package subscript(name: String) -> String? {
        // By index: a field that does not match is compared in place, never copied out (no retains).
        for index in fields.indices where Self.equalsIgnoringCase(fields[index].name, name) {
            return fields[index].value
        }
        return nil
    }

    /// Every value of the fields named `name` (any case), in order.
    package func values(for name: String) -> [String] {
        fields.filter { Self.equalsIgnoringCase($0.name, name) }.map(\.value)
    }

    /// Whether a field named `name` (any case) is present.
    package func contains(name: String) -> Bool {
        for index in fields.indices where Self.equalsIgnoringCase(fields[index].name, name) { return true }
        return false
    }

    /// Appends a field, keeping any existing ones of that name.
    package mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Replaces the value of the field at `index` (a position in ``fields``), keeping its name.
    package mutating func setValue(_ value: String, at index: Int) {
        fields[index].value = value
    }

    /// Replaces the first field named `name` and removes the others, or appends it when absent.
    package mutating func replaceOrAdd(name: String, value: String) {
        guard let first = fields.firstIndex(where: { Self.equalsIgnoringCase($0.name, name) }) else {
            fields.append((name: name, value: value))
            return
        }
        fields[first] = (name: name, value: value)
        var index = fields.index(after: first)
        while index < fields.endIndex {
            if Self.equalsIgnoringCase(fields[index].name, name) {
                fields.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    /// Removes every field named `name` (any case).
    package mutating func remove(name: String) {
        fields.removeAll { Self.equalsIgnoringCase($0.name, name) }
    }

    /// Number of fields.
    package var count: Int { fields.count }

    /// Iterates the fields in order.
    package func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    /// The comparison below for two `String`s, with the length check inlined at the caller: most comparisons of
    /// header names differ in length and then cost no call.
    @inline(__always)
    static func equalsIgnoringCase(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && sameLengthEqualsIgnoringCase(lhs, rhs)
    }

    /// ASCII case-insensitive comparison without allocating (header names and tokens are ASCII).
    /// Lengths are compared first (O(1) for native strings), so most mismatches cost no byte loop.
    static func equalsIgnoringCase<A: StringProtocol, B: StringProtocol>(_ lhs: A, _ rhs: B) -> Bool {
        guard lhs.utf8.count == rhs.utf8.count else { return false }
        return sameLengthEqualsIgnoringCase(lhs, rhs)
    }

    /// Whether two strings of the same UTF-8 length are equal, ASCII letters compared without case.
    private static func sameLengthEqualsIgnoringCase<A: StringProtocol, B: StringProtocol>(_ lhs: A, _ rhs: B) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        let contiguous = left.withContiguousStorageIfAvailable { a in
            right.withContiguousStorageIfAvailable { b in
                for i in 0..<a.count where !bytesEqualIgnoringCase(a[i], b[i]) { return false }
                return true
            }
        }
        if let result = contiguous ?? nil { return result }
        for (a, b) in zip(left, right) where !bytesEqualIgnoringCase(a, b) { return false }
        return true
    }

    /// Whether two bytes are equal, letters compared without case.
    @inline(__always) private static func bytesEqualIgnoringCase(_ a: UInt8, _ b: UInt8) -> Bool {
        if a == b { return true }
        let lower = a | 0x20
        return lower == b | 0x20 && lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "z")
    }
}
