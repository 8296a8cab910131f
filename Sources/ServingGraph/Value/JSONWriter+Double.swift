/// Double formatting for ``JSONWriter``: shortest round-trip text, valid JSON.
extension JSONWriter {
    /// Appends the shortest round-trip form of `number`, or `null` when it is not finite.
    ///
    /// The output is what `Double.description` prints (always valid JSON for finite values:
    /// `0.1`, `1.0`, `1e-05`, `1e+16`), produced without a `String` for the common cases.
    static func writeDouble(_ number: Double, into output: inout JSONOutput) {
        guard number.isFinite else {
            output.append("null")
            return
        }
        let magnitude = number.magnitude
        // Whole numbers up to 2^53 print as digits plus ".0", exactly as `description` does.
        if magnitude <= 0x1p53, magnitude.rounded(.towardZero) == magnitude {
            if number.sign == .minus { output.append(UInt8(ascii: "-")) }
            writeDigits(UInt64(magnitude), into: &output)
            output.append(UInt8(ascii: "."))
            output.append(UInt8(ascii: "0"))
            return
        }
        if magnitude >= 1e-4, magnitude < 1e15 {
            if writeShortDecimal(number, into: &output) { return }
            if let (significand, fractionDigits) = shortestFixedDigits(magnitude) {
                writeFixed(
                    significand, fractionDigits: fractionDigits, negative: number.sign == .minus, into: &output)
                return
            }
        }
        // The standard library's shortest round-trip digits (those of `description`), written straight
        // into the output: `write(to:)` hands them to the stream as one ASCII buffer, no `String`.
        var sink = ReservedBytes(start: output.reserve(ReservedBytes.capacity))
        number.write(to: &sink)
        if sink.count <= ReservedBytes.capacity {
            output.commit(sink.count)
        } else {
            var text = number.description
            text.withUTF8 { output.append($0) }
        }
    }

    /// A `TextOutputStream` over bytes reserved in a ``JSONOutput``; past ``capacity`` it only counts.
    private struct ReservedBytes: TextOutputStream {
        /// Room for the longest double `description` prints (`-2.2250738585072014e-308`: 24 bytes).
        static let capacity = 32
        let start: UnsafeMutablePointer<UInt8>
        var count = 0

        mutating func write(_ string: String) {
            for byte in string.utf8 { append(byte) }
        }

        /// The requirement `Double.write(to:)` calls with its digits (the default would build a `String`).
        mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
            for byte in buffer { append(byte) }
        }

        @inline(__always) private mutating func append(_ byte: UInt8) {
            if count < Self.capacity { start[count] = byte }
            count &+= 1
        }
    }

    /// Writes `number` (not whole, 1e-4 ≤ |number| < 1e15) in plain decimal notation when some
    /// decimal of at most 15 significant digits reads back as exactly `number`; returns false otherwise.
    ///
    /// Why this is the shortest form: a double carries more than 15 decimal digits of precision, so
    /// two different 15-digit decimals never read as the same double. The candidate below is checked
    /// by reading it back (one correctly rounded division of exact operands), so it is the unique
    /// 15-digit decimal for `number`, and dropping its trailing zeros gives the shortest one — the
    /// digits `description` prints.
    private static func writeShortDecimal(_ number: Double, into output: inout JSONOutput) -> Bool {
        let magnitude = number.magnitude
        // Integer digits: the smallest n with magnitude < 10^n (an inexact 1e-3 only shifts the
        // candidate by one digit, which the read-back check below catches).
        // From the binary exponent e: 10^(⌊e·log10 2⌋) ≤ 2^e ≤ magnitude < 2^(e+1) < 10^(⌊e·log10 2⌋ + 2),
        // so n is the estimate or one more (never below -3: 1e-3 stands for every smaller power).
        var integerDigits = max(-3, (Int(magnitude.exponent) &* 78913) >> 18 &+ 1)
        if integerDigits < 15, magnitude >= powerOfTen(integerDigits) { integerDigits += 1 }
        var fractionDigits = 15 - integerDigits
        // Truncating `x + 0.5` rounds to nearest (x ≥ 0) in one instruction; an off-by-one on a tie
        // is caught by the read-back check like any other wrong candidate.
        let scale = powerOfTen(fractionDigits)
        let scaled = magnitude * scale + 0.5
        guard scaled < 1e15 else { return false }
        var significand = UInt64(scaled)
        guard Double(significand) / scale == magnitude else { return false }
        // Drop the fraction's trailing zeros (at most 14): remove 8, 4, 2, then 1 where they divide.
        if fractionDigits >= 8, significand % 100_000_000 == 0 {
            significand /= 100_000_000
            fractionDigits -= 8
        }
        if fractionDigits >= 4, significand % 10_000 == 0 {
            significand /= 10_000
            fractionDigits -= 4
        }
        if fractionDigits >= 2, significand % 100 == 0 {
            significand /= 100
            fractionDigits -= 2
        }
        if fractionDigits >= 1, significand % 10 == 0 {
            significand /= 10
            fractionDigits -= 1
        }
        writeFixed(significand, fractionDigits: fractionDigits, negative: number.sign == .minus, into: &output)
        return true
    }

    /// Writes `significand × 10^-fractionDigits` (1 ≤ fractionDigits ≤ 20, at most 17 digits) in plain
    /// decimal notation: `-`, the integer digits (or `0`), `.`, then the fraction digits (zero-padded).
    private static func writeFixed(
        _ significand: UInt64, fractionDigits: Int, negative: Bool, into output: inout JSONOutput
    ) {
        // Decimal digits of the significand: ⌊bits·log10 2⌋ or one more (1233 / 4096 ≈ log10 2).
        let bits = 64 &- significand.leadingZeroBitCount
        var digits = (bits &* 1233) >> 12
        if significand >= powerOfTen64(digits) { digits &+= 1 }
        let integerDigits = max(1, digits &- fractionDigits)
        let length = (negative ? 1 : 0) &+ integerDigits &+ 1 &+ fractionDigits
        // Laid out from the end: fraction digits (zeros once the significand runs out), point, integer digits.
        let text = output.reserve(length)
        var position = length
        var remaining = significand
        for _ in 0..<fractionDigits {
            position &-= 1
            text[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
        position &-= 1
        text[position] = UInt8(ascii: ".")
        repeat {
            position &-= 1
            text[position] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        } while remaining > 0
        if negative { text[0] = UInt8(ascii: "-") }
        output.commit(length)
    }

    /// 10^exponent for -3 ... 18 (exact for 0 ... 18).
    @inline(__always)
    private static func powerOfTen(_ exponent: Int) -> Double {
        switch exponent {
        case ...(-3): 1e-3
        case -2: 1e-2
        case -1: 1e-1
        case 18...: 1e18
        default: JSONReader.exactPowerOfTen(exponent)
        }
    }
}
