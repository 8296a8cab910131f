import Glibc

/// What the previous request on a connection parsed to, kept so that the next one can reuse it when its
/// bytes are the same: a keep-alive client usually repeats its request-target and header fields byte for
/// byte (`Host`, `Content-Type`), and comparing bytes costs far less than validating, splitting and
/// allocating the same `String`s again. A field section that differs only in the digits of its one
/// `Content-Length` value (a client posting bodies of varying length) is reused too, with that value and
/// the framing's length replaced.
///
/// Reuse is exact: the fields and the target are functions of their bytes, so equal bytes give equal
/// values, and a Content-Length of other digits parses to exactly that field with that length; only heads
/// that parsed without error are remembered, and the framing rules are still applied to every request.
/// Loop-confined, one per parser.
struct HTTPHeadMemo {
    /// Field sections longer than this are not remembered (the memo's copy is per connection).
    static let maxFieldBytes = 1024
    /// Digits of the longest Content-Length value the parser accepts.
    static let maxContentLengthDigits = 18

    /// Where the remembered section's `Content-Length` value lies: its field's index among the headers and
    /// its digits' byte range within the field bytes.
    struct LengthValue {
        var fieldIndex: Int
        var digits: Range<Int>
    }

    /// The field lines of the last head remembered (from the first field to the final CRLF).
    private var fieldBytes: [UInt8] = []
    private var fields: (headers: HTTPHeaders, framing: HTTPHeadFraming)?
    /// The remembered section's Content-Length value, when it has one.
    private var lengthValue: LengthValue?
    /// The last request-target.
    private var target = ""

    /// An empty memo.
    init() {}

    /// The headers and framing of `bytes`, if they are the last ones remembered or differ from them only in
    /// the digits of the Content-Length value (then those are remembered instead).
    mutating func fields(for bytes: UnsafeBufferPointer<UInt8>) -> (headers: HTTPHeaders, framing: HTTPHeadFraming)? {
        guard fields != nil else { return nil }
        if fieldBytes.withUnsafeBufferPointer({ Self.equal($0, bytes) }) { return fields }
        guard let lengthValue, let (length, digitsEnd) = newLength(in: bytes, at: lengthValue) else { return nil }
        let digits = lengthValue.digits.lowerBound..<digitsEnd
        // Taken out while changed, so the headers' storage is changed in place when no request holds it.
        guard var changed = fields.take() else { return nil }
        changed.headers.setValue(
            String(decoding: UnsafeBufferPointer(rebasing: bytes[digits]), as: UTF8.self), at: lengthValue.fieldIndex)
        changed.framing.contentLength = length
        fieldBytes.removeAll(keepingCapacity: true)
        fieldBytes.append(contentsOf: bytes)
        self.lengthValue?.digits = digits
        fields = changed
        return changed
    }

    /// Remembers what `bytes` parsed to (nothing when they are too many to keep); `lengthValue` locates its
    /// Content-Length value, if any.
    mutating func remember(
        _ bytes: UnsafeBufferPointer<UInt8>, headers: HTTPHeaders, framing: HTTPHeadFraming, lengthValue: LengthValue?
    ) {
        guard bytes.count <= Self.maxFieldBytes else {
            fields = nil
            return
        }
        fieldBytes.removeAll(keepingCapacity: true)
        fieldBytes.append(contentsOf: bytes)
        fields = (headers, framing)
        self.lengthValue = lengthValue
    }

    /// The request-target of `bytes` (visible ASCII, already checked): the last one when it is the same.
    mutating func target(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if target.utf8.withContiguousStorageIfAvailable({ Self.equal($0, bytes) }) == true { return target }
        target = String(decoding: bytes, as: UTF8.self)
        return target
    }

    /// The length `bytes` gives when they equal the remembered bytes before and after the Content-Length
    /// digits at `value` and hold 1 to 18 digits in their place (with the index after them); nil otherwise.
    private func newLength(in bytes: UnsafeBufferPointer<UInt8>, at value: LengthValue) -> (Int, Int)? {
        let suffixCount = fieldBytes.count - value.digits.upperBound
        let digitCount = bytes.count - value.digits.lowerBound - suffixCount
        guard digitCount >= 1, digitCount <= Self.maxContentLengthDigits else { return nil }
        let digitsEnd = value.digits.lowerBound + digitCount
        let sameAround = fieldBytes.withUnsafeBufferPointer { old in
            Self.equal(
                UnsafeBufferPointer(rebasing: old[..<value.digits.lowerBound]),
                UnsafeBufferPointer(rebasing: bytes[..<value.digits.lowerBound]))
                && Self.equal(
                    UnsafeBufferPointer(rebasing: old[value.digits.upperBound...]),
                    UnsafeBufferPointer(rebasing: bytes[digitsEnd...]))
        }
        guard sameAround else { return nil }
        var length = 0
        for index in value.digits.lowerBound..<digitsEnd {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit <= 9 else { return nil }
            length = length * 10 + Int(digit)
        }
        return (length, digitsEnd)
    }

    /// Whether two byte buffers hold the same bytes.
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let left = a.baseAddress, let right = b.baseAddress else { return a.isEmpty }
        return memcmp(left, right, a.count) == 0
    }
}
