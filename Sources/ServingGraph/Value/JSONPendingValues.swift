/// The values of every array and object the reader has opened but not closed yet, in one stack.
///
/// An open array owns the slots from its start to the top; an open object owns alternating key
/// (`.string`) and value slots. Below each open container's slots sits a link (an `.int` slot)
/// recording where the enclosing container starts and whether it is an object. Closing a container *moves* its slots into one exactly sized array,
/// so each container costs one allocation (two for an object) and no retain/release per element,
/// instead of the repeated growth of appending to a fresh array. Owns its memory: `deinit` destroys
/// whatever is left when a parse fails halfway.
struct JSONPendingValues: ~Copyable {
    private var base: UnsafeMutablePointer<Value>
    private var capacity: Int
    /// Number of initialised slots.
    private(set) var count = 0

    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

    /// Pushes `value` on top.
    @inline(__always)
    mutating func append(_ value: consuming Value) {
        if count == capacity { grow() }
        (base + count).initialize(to: value)
        count &+= 1
    }

    /// Records the enclosing container (its first slot and kind) before a nested one opens.
    @inline(__always)
    mutating func pushLink(start: Int, isObject: Bool) {
        append(.int(Int64(start) << 1 | (isObject ? 1 : 0)))
    }

    /// Removes the link on top (pushed by ``pushLink(start:isObject:)``) and returns what it recorded.
    @inline(__always)
    mutating func popLink() -> (start: Int, isObject: Bool) {
        count &-= 1
        guard case .int(let link) = (base + count).move() else { return (0, false) }  // only links are popped here
        return (Int(link >> 1), link & 1 == 1)
    }

    private mutating func grow() {
        let larger = UnsafeMutablePointer<Value>.allocate(capacity: capacity * 2)
        larger.moveInitialize(from: base, count: count)
        base.deallocate()
        base = larger
        capacity *= 2
    }

    /// Removes the slots from `start` to the top and returns them as an array, in order.
    mutating func popArray(from start: Int) -> [Value] {
        let length = count - start
        let source = base + start
        count = start
        return [Value](unsafeUninitializedCapacity: length) { buffer, initialized in
            if let destination = buffer.baseAddress {
                destination.moveInitialize(from: source, count: length)
            }
            initialized = length
        }
    }

    /// Removes the alternating key/value slots from `start` to the top and returns them as an object.
    mutating func popObject(from start: Int) -> ValueObject {
        let memberCount = (count - start) / 2
        let source = base + start
        count = start
        var keys: [String] = []
        keys.reserveCapacity(memberCount)
        let values = [Value](unsafeUninitializedCapacity: memberCount) { buffer, initialized in
            guard let destination = buffer.baseAddress else { return }
            for member in 0..<memberCount {
                if case .string(let key) = (source + 2 * member).move() {
                    keys.append(key)
                } else {
                    keys.append("")  // unreachable: the reader only pushes `.string` keys
                }
                (destination + member).moveInitialize(from: source + 2 * member + 1, count: 1)
            }
            initialized = memberCount
        }
        return ValueObject(parsedKeys: keys, values: values)
    }
}
