/// A JSON object that keeps its keys in insertion order.
///
/// Duplicate keys: setting an existing key replaces its value and keeps its original position, so
/// `{"a":1,"b":2,"a":3}` reads as `{"a":3,"b":2}` (the last value wins, as in Python's `json` and
/// JavaScript's `JSON.parse`). Lookups are linear for small objects and hashed for large ones.
public struct ValueObject: Sendable, Hashable {
    /// Objects with more members than this get a hash index; smaller ones are scanned.
    static let indexThreshold = 12

    public private(set) var keys: [String]
    public private(set) var values: [Value]
    private var index: [String: Int]?

    /// An empty object.
    public init() {
        keys = []
        values = []
        index = nil
    }

    /// An empty object with room for `capacity` members.
    public init(minimumCapacity capacity: Int) {
        self.init()
        keys.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    /// An object with these members in this order; a repeated key keeps its first position and last value.
    public init(_ members: [(String, Value)]) {
        self.init(minimumCapacity: members.count)
        for (key, value) in members { self[key] = value }
    }

    /// Members from parallel arrays (as ``JSONParser`` reads them); a repeated key keeps its first
    /// position and last value. Avoids per-member lookups when the keys are distinct, the usual case.
    init(parsedKeys: [String], values: [Value]) {
        self.init()
        if parsedKeys.count <= Self.indexThreshold {
            if !Self.hasDuplicates(parsedKeys) {
                keys = parsedKeys
                self.values = values
                return
            }
        } else {
            var built = [String: Int](minimumCapacity: parsedKeys.count)
            for (i, key) in parsedKeys.enumerated() { built[key] = i }
            if built.count == parsedKeys.count {
                keys = parsedKeys
                self.values = values
                index = built
                return
            }
        }
        keys.reserveCapacity(parsedKeys.count)
        self.values.reserveCapacity(parsedKeys.count)
        for (key, value) in zip(parsedKeys, values) { self[key] = value }
    }

    /// Members from parallel arrays whose `keys` the caller guarantees distinct (a fixed key list, or a body's keys
    /// followed by names it was checked not to hold): no per-member lookup, and the keys array is shared, not copied.
    package init(distinctKeys keys: [String], values: [Value]) {
        self.keys = keys
        self.values = values
        index = nil
        if keys.count > Self.indexThreshold { rebuildIndex() }
    }

    /// True when two of the (few) `keys` are equal, by the same `String` equality lookups use.
    private static func hasDuplicates(_ keys: [String]) -> Bool {
        guard keys.count > 1 else { return false }
        for i in 1..<keys.count {
            for j in 0..<i where keys[j] == keys[i] { return true }
        }
        return false
    }

    /// Number of members.
    public var count: Int { keys.count }

    /// True when the object has no members.
    public var isEmpty: Bool { keys.isEmpty }

    /// Position of `key`, if present.
    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        for i in keys.indices where keys[i] == key { return i }
        return nil
    }

    /// The value of `key`; assigning `nil` removes the member.
    public subscript(key: String) -> Value? {
        get {
            guard let i = position(of: key) else { return nil }
            return values[i]
        }
        set {
            if let i = position(of: key) {
                if let newValue {
                    values[i] = newValue
                } else {
                    remove(at: i)
                }
            } else if let newValue {
                append(key, newValue)
            }
        }
    }

    /// Adds a member at the end without looking for an existing key. The caller guarantees `key` is new.
    public mutating func appendNew(_ key: String, _ value: Value) {
        append(key, value)
    }

    private mutating func append(_ key: String, _ value: Value) {
        keys.append(key)
        values.append(value)
        if index != nil {
            index?[key] = keys.count - 1
        } else if keys.count > Self.indexThreshold {
            rebuildIndex()
        }
    }

    private mutating func remove(at i: Int) {
        keys.remove(at: i)
        values.remove(at: i)
        if index != nil { rebuildIndex() }
    }

    private mutating func rebuildIndex() {
        var built = [String: Int](minimumCapacity: keys.count)
        for (i, key) in keys.enumerated() { built[key] = i }
        index = built
    }

    /// Members in order.
    public var members: Zip2Sequence<[String], [Value]> { zip(keys, values) }

    public static func == (lhs: ValueObject, rhs: ValueObject) -> Bool {
        lhs.keys == rhs.keys && lhs.values == rhs.values
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(keys)
        hasher.combine(values)
    }
}

extension ValueObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, Value)...) {
        self.init(elements)
    }
}
