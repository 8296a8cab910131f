import ServingGraph

/// A cursor over one binary event-log record (format: ``LoggedEventEncoder``); every read is bounds-checked
/// and a short or malformed record is a ``FeatureEventError`` naming the byte offset.
struct LoggedEventReader {
    /// Tag of an int64 payload.
    static let intTag: UInt8 = 1
    /// Tag of a double payload.
    static let doubleTag: UInt8 = 2
    /// Tag of a string payload.
    static let stringTag: UInt8 = 3
    /// Tag of `false` (no payload).
    static let falseTag: UInt8 = 4
    /// Tag of `true` (no payload).
    static let trueTag: UInt8 = 5
    /// Tag of the event time in epoch milliseconds (int64 payload).
    static let timeTag: UInt8 = 6
    /// Tag of a JSON text payload (a member the writing definition did not read).
    static let jsonTag: UInt8 = 7

    private let record: UnsafeRawBufferPointer
    /// The next byte read.
    private(set) var offset: Int

    /// A reader of `record` from byte `offset`.
    init(_ record: UnsafeRawBufferPointer, at offset: Int = 0) {
        self.record = record
        self.offset = offset
    }

    /// True when every byte was read.
    var isAtEnd: Bool { offset >= record.count }

    /// The error of a malformed record at the current offset.
    func corrupt(_ reason: String) -> FeatureEventError {
        .badValue(field: "event_log.event", reason: "binary record: \(reason) at byte \(offset)")
    }

    /// Every field of `record` as a member of a JSON object, in record order (an event time as RFC 3339 text).
    static func object(_ record: UnsafeRawBufferPointer) throws(FeatureEventError) -> ValueObject {
        var reader = LoggedEventReader(record)
        guard try reader.byte() == LoggedEventEncoder.magic else { throw reader.corrupt("unknown record format") }
        var object = ValueObject()
        while !reader.isAtEnd {
            let count = try reader.length()
            let start = try reader.skip(count)
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: record[start..<start + count]), as: UTF8.self)
            let tag = try reader.byte()
            object[name] = try reader.value(tag: tag)
        }
        return object
    }

    /// Reads one byte.
    mutating func byte() throws(FeatureEventError) -> UInt8 {
        guard offset < record.count else { throw corrupt("truncated") }
        defer { offset += 1 }
        return record[offset]
    }

    /// Reads an unsigned LEB128 length.
    mutating func length() throws(FeatureEventError) -> Int {
        var result = 0
        var shift = 0
        while true {
            let next = try byte()
            guard shift < 56 else { throw corrupt("length too large") }
            result |= Int(next & 0x7F) << shift
            if next < 0x80 { return result }
            shift += 7
        }
    }

    /// Skips `count` bytes; their start offset.
    mutating func skip(_ count: Int) throws(FeatureEventError) -> Int {
        guard count <= record.count - offset else { throw corrupt("truncated") }
        defer { offset += count }
        return offset
    }

    /// Reads a little-endian 8-byte word.
    mutating func word() throws(FeatureEventError) -> UInt64 {
        let start = try skip(8)
        var word: UInt64 = 0
        for index in (0..<8).reversed() { word = word << 8 | UInt64(record[start + index]) }
        return word
    }

    /// Skips the payload of a field tagged `tag`.
    mutating func skipPayload(tag: UInt8) throws(FeatureEventError) {
        switch tag {
        case Self.intTag, Self.doubleTag, Self.timeTag: _ = try skip(8)
        case Self.stringTag, Self.jsonTag: _ = try skip(try length())
        case Self.falseTag, Self.trueTag: return
        default: throw corrupt("unknown tag \(tag)")
        }
    }

    /// Reads the payload of a field tagged `tag` as the JSON value it stands for (an event time as its RFC 3339
    /// text: callers wanting the time read the time tag directly).
    mutating func value(tag: UInt8) throws(FeatureEventError) -> Value {
        switch tag {
        case Self.intTag: return .int(Int64(bitPattern: try word()))
        case Self.doubleTag: return .double(Double(bitPattern: try word()))
        case Self.stringTag:
            let count = try length()
            let start = try skip(count)
            return .string(
                String(decoding: UnsafeRawBufferPointer(rebasing: record[start..<start + count]), as: UTF8.self))
        case Self.falseTag: return .bool(false)
        case Self.trueTag: return .bool(true)
        case Self.jsonTag:
            let count = try length()
            let start = try skip(count)
            do {
                return try JSONParser.parse(Array(UnsafeRawBufferPointer(rebasing: record[start..<start + count])))
            } catch {
                throw corrupt("unreadable JSON member (\(error))")
            }
        case Self.timeTag:
            // An event time read as a plain value (a feature named like the timestamp): its RFC 3339 text.
            return .string(RFC3339.string(epochMilliseconds: Int64(bitPattern: try word())))
        default: throw corrupt("unknown tag \(tag)")
        }
    }
}
