import Glibc

/// What the previous request on a connection parsed to, kept so that the next one can reuse it when its
/// bytes are the same: a keep-alive client usually repeats its request-target and header fields byte for
/// byte (`Host`, `Content-Type`, a fixed `Content-Length`), and comparing bytes costs far less than
/// validating, splitting and allocating the same `String`s again.
///
/// Reuse is exact: the fields and the target are functions of their bytes, so equal bytes give equal
/// values; only heads that parsed without error are remembered. Loop-confined, one per parser.
struct HTTPHeadMemo {
    /// Field sections longer than this are not remembered (the memo's copy is per connection).
    static let maxFieldBytes = 1024

    /// The field lines of the last head remembered (from the first field to the final CRLF).
    private var fieldBytes: [UInt8] = []
    private var fields: (headers: HTTPHeaders, framing: HTTPHeadFraming)?
    /// The last request-target.
    private var target = ""

    /// An empty memo.
    init() {}

    /// The headers and framing remembered for `bytes`, if they are the last ones remembered.
    func fields(for bytes: UnsafeBufferPointer<UInt8>) -> (headers: HTTPHeaders, framing: HTTPHeadFraming)? {
        guard let fields, fieldBytes.withUnsafeBufferPointer({ Self.equal($0, bytes) }) else { return nil }
        return fields
    }

    /// Remembers what `bytes` parsed to (nothing when they are too many to keep).
    mutating func remember(_ bytes: UnsafeBufferPointer<UInt8>, headers: HTTPHeaders, framing: HTTPHeadFraming) {
        guard bytes.count <= Self.maxFieldBytes else {
            fields = nil
            return
        }
        fieldBytes.removeAll(keepingCapacity: true)
        fieldBytes.append(contentsOf: bytes)
        fields = (headers, framing)
    }

    /// The request-target of `bytes` (visible ASCII, already checked): the last one when it is the same.
    mutating func target(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if target.utf8.withContiguousStorageIfAvailable({ Self.equal($0, bytes) }) == true { return target }
        target = String(decoding: bytes, as: UTF8.self)
        return target
    }

    /// Whether two byte buffers hold the same bytes.
    private static func equal(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        guard let left = a.baseAddress, let right = b.baseAddress else { return a.isEmpty }
        return memcmp(left, right, a.count) == 0
    }
}
