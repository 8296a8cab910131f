/// Event ids for one event loop: 32 lowercase hex digits (the shape of MLRun's ids), a random
/// 64-bit prefix drawn once per loop followed by a counter, so an id costs no system call.
/// Unique within a server run (each loop has its own random prefix). Loop-confined.
struct EventIDGenerator {
    private let prefix: [UInt8]
    private var counter: UInt64 = 0

    /// A generator with a fresh random prefix.
    init() {
        var generator = SystemRandomNumberGenerator()
        prefix = Self.hex(generator.next())
    }

    /// The next id.
    mutating func next() -> String {
        counter &+= 1
        let value = counter
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for i in 0..<16 { buffer[i] = prefix[i] }
            for i in 0..<16 { buffer[16 + i] = Self.digit(value >> (60 - 4 * UInt64(i))) }
            return 32
        }
    }

    private static func hex(_ value: UInt64) -> [UInt8] {
        (0..<16).map { i in digit(value >> (60 - 4 * UInt64(i))) }
    }

    /// The lowercase hex digit of the low four bits.
    private static func digit(_ value: UInt64) -> UInt8 {
        let nibble = UInt8(truncatingIfNeeded: value & 0xF)
        return nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }
}
