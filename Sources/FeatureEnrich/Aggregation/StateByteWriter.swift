/// Appends fixed-width little-endian fields to a byte buffer (the entity-state format).
struct StateByteWriter {
    /// The bytes written so far.
    private(set) var bytes: [UInt8] = []

    /// An empty writer whose buffer holds `capacity` bytes before it grows.
    init(reservingCapacity capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    mutating func write(_ value: UInt8) { bytes.append(value) }

    // The little-endian bytes are appended in one copy, not one `append` (and its capacity check) per byte.

    mutating func write(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func write(_ value: Int64) { write(UInt64(bitPattern: value)) }

    mutating func write(_ value: Double) { write(value.bitPattern) }

    mutating func write(_ text: String) {
        write(UInt32(truncatingIfNeeded: text.utf8.count))
        bytes.append(contentsOf: text.utf8)
    }
}

/// Reads fixed-width little-endian fields, throwing (never trapping) when the bytes run out.
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
