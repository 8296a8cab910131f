/// The growable byte buffer ``JSONWriter`` writes into before handing bytes to its caller (the
/// reader also builds strings with escapes in one).
///
/// Appending to `[UInt8]` pays for a uniqueness and capacity check per call, and
/// `append(contentsOf:)` costs about a hundred instructions even for a few bytes. Writing through a
/// pointer with one capacity check per token and copying into the caller's array once at the end is
/// several times cheaper per number. Owns its memory, released in `deinit`.
struct JSONOutput: ~Copyable {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes written so far.
    private(set) var count = 0

    init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deallocate()
    }

    /// Makes room for `length` more bytes and returns where they go; the caller then calls
    /// ``commit(_:)`` with how many it wrote.
    @inline(__always)
    mutating func reserve(_ length: Int) -> UnsafeMutablePointer<UInt8> {
        if count &+ length > capacity { grow(toFit: count &+ length) }
        return base + count
    }

    /// Counts `length` bytes written at the pointer ``reserve(_:)`` returned.
    @inline(__always)
    mutating func commit(_ length: Int) {
        count &+= length
    }

    /// Appends one byte.
    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toFit: count &+ 1) }
        base[count] = byte
        count &+= 1
    }

    /// Appends `bytes`.
    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        reserve(bytes.count).update(from: source, count: bytes.count)
        count &+= bytes.count
    }

    /// Appends the bytes of a literal (`null`, `true`, `false`).
    @inline(__always)
    mutating func append(_ literal: StaticString) {
        append(UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    private mutating func grow(toFit needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    /// Forgets the bytes written, keeping the room.
    mutating func removeAll() {
        count = 0
    }

    /// The bytes written so far, valid until the next append.
    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }
}
