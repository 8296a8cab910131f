/// Appends fixed-width little-endian fields to a byte buffer (the entity-state format).
///
/// Writes go through a pointer with one capacity check per field (appending to `[UInt8]` byte by byte, or
/// with `append(contentsOf:)`, cost a uniqueness and capacity check per call and tens of instructions per
/// field); ``bytes`` copies them into an array once at the end. Owns its memory, released in `deinit`.
struct StateByteWriter: ~Copyable {
    private var base: UnsafeMutableRawPointer
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    /// An empty writer whose buffer holds `capacity` bytes before it grows.
    init(reservingCapacity capacity: Int = 0) {
        self.capacity = max(capacity, 16)
        base = .allocate(byteCount: self.capacity, alignment: 1)
    }

    deinit {
        base.deallocate()
    }

    /// The bytes written so far.
    var bytes: [UInt8] {
        [UInt8](UnsafeRawBufferPointer(start: base, count: count))
    }

    mutating func write(_ value: UInt8) {
        reserve(1)
        base.storeBytes(of: value, toByteOffset: count, as: UInt8.self)
        count &+= 1
    }

    mutating func write(_ value: UInt32) {
        reserve(4)
        base.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt32.self)
        count &+= 4
    }

    mutating func write(_ value: UInt64) {
        reserve(8)
        base.storeBytes(of: value.littleEndian, toByteOffset: count, as: UInt64.self)
        count &+= 8
    }

    mutating func write(_ value: Int64) { write(UInt64(bitPattern: value)) }

    mutating func write(_ value: Double) { write(value.bitPattern) }

    mutating func write(_ text: String) {
        var text = text
        text.withUTF8 { utf8 in
            write(UInt32(truncatingIfNeeded: utf8.count))
            guard let source = utf8.baseAddress else { return }
            reserve(utf8.count)
            (base + count).copyMemory(from: source, byteCount: utf8.count)
            count &+= utf8.count
        }
    }

    /// Makes room for `length` more bytes.
    @inline(__always)
    private mutating func reserve(_ length: Int) {
        if count &+ length > capacity { grow(toFit: count &+ length) }
    }

    private mutating func grow(toFit needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutableRawPointer.allocate(byteCount: larger, alignment: 1)
        moved.copyMemory(from: base, byteCount: count)
        base.deallocate()
        base = moved
        capacity = larger
    }
}

struct StateByteReader {
    private let bytes: [UInt8]
    /// Offset of the next unread byte.
    private(set) var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// Bytes not read yet.
    var remaining: Int { bytes.count - offset }

    private mutating func take(_ count: Int) throws(EntityStateError) -> ArraySlice<UInt8> {
        guard count >= 0, remaining >= count else { throw .truncated(offset: offset, needed: count - remaining) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func readUInt8() throws(EntityStateError) -> UInt8 {
        try take(1).first ?? 0
    }

    mutating func readUInt32() throws(EntityStateError) -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func readUInt64() throws(EntityStateError) -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func readInt64() throws(EntityStateError) -> Int64 { Int64(bitPattern: try readUInt64()) }

    mutating func readDouble() throws(EntityStateError) -> Double { Double(bitPattern: try readUInt64()) }

    mutating func readString() throws(EntityStateError) -> String {
        let count = Int(try readUInt32())
        let start = offset
        let slice = try take(count)
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw .invalidField(offset: start, reason: "string is not valid UTF-8")
        }
        return text
    }
}
